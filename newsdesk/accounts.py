"""Staff accounts: sessions that end after 30 minutes idle and 12 hours at most, and a password reset
whose e-mail links come from NEWSDESK_BASE_URL, limited in rate, with one answer for any address.

Readers have no sessions: only people who sign in to the desk are affected.
"""

import hashlib
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

SIGNED_IN_AT = "newsdesk:signed-in-at"


@receiver(user_logged_in, dispatch_uid="newsdesk.accounts.remember_sign_in")
def remember_sign_in(sender, request, user, **kwargs):
    request.session[SIGNED_IN_AT] = time.time()


class SessionLifetimeMiddleware:
    """Sign a member of staff out once NEWSDESK_SESSION_MAX_SECONDS have passed since they signed in,
    however active they were. (The idle limit is SESSION_COOKIE_AGE, renewed on every request.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(SIGNED_IN_AT)
            if started is None:
                request.session[SIGNED_IN_AT] = time.time()
            elif time.time() - started > settings.NEWSDESK_SESSION_MAX_SECONDS:
                logout(request)
                messages.info(request, _("You were signed out after 12 hours. Sign in again to go on."))
                return HttpResponseRedirect(reverse("admin:login") + "?next=" + request.path)
        return self.get_response(request)


@never_cache
def keep_alive(request):
    """A signed-in page asks this to keep its session (the idle warning's "Stay signed in")."""
    return HttpResponse(status=204 if request.user.is_authenticated else 401)


def _over_limit(key: str, limit: int, seconds: int) -> bool:
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        return False


def client_ip(request) -> str:
    """The address a request came from: behind our proxy on this machine (nginx, from loopback), the hop
    it added last to X-Forwarded-For, which a client cannot forge; otherwise the peer itself."""
    peer = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and peer in ("127.0.0.1", "::1"):
        return forwarded.split(",")[-1].strip()
    return peer


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, with the link's address from NEWSDESK_BASE_URL (never the Host header) and a
    limit per address and per client. Every request gets the same answer, sent or not, known or not."""

    success_url = reverse_lazy("admin_password_reset_done")
    template_name = "registration/password_reset_form.html"

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        client = client_ip(self.request)
        by_address = "newsdesk:reset:address:" + hashlib.sha256(email.encode()).hexdigest()
        by_client = "newsdesk:reset:client:" + hashlib.sha256(client.encode()).hexdigest()
        if _over_limit(by_address, 3, 3600) or _over_limit(by_client, 10, 3600):
            return HttpResponseRedirect(self.get_success_url())  # the same answer, nothing sent
        base = urlsplit(settings.NEWSDESK_BASE_URL)
        form.save(
            domain_override=base.netloc,
            use_https=base.scheme == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            html_email_template_name=self.html_email_template_name,
            extra_email_context={**(self.extra_email_context or {}), "site_name": "Newsdesk"},
        )
        return HttpResponseRedirect(self.get_success_url())


def locked_out(request, response=None, credentials=None):
    """django-axes' answer to a locked sign-in: what happened, when to try again, and what to do."""
    return render(
        request,
        "registration/locked_out.html",
        admin.site.each_context(request)
        | {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=429,
    )
