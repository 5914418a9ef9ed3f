"""The second factor for staff who can publish or clear patient stories: a six-digit code from an
authenticator app (django-otp's time-based device), and ten single-use recovery codes for a lost phone.

Whoever holds one of the powers in NEWSDESK_SECOND_FACTOR_FOR (publishing, taking down, clearing a story:
editors, privacy officers, every superuser) is half signed in after the password: every page but
OPEN_WHILE_HALF_SIGNED_IN answers with the code page, or the set-up page if they have no authenticator
yet. Wrong codes slow down (django-otp doubles the wait after each) and are logged. Recovery codes are
stored as SHA-256 digests of 120 random bits, so a copy of the database does not hold a usable one.
"""

import hashlib
import logging
import re
import secrets
from base64 import b32encode
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.roles import holds

log = logging.getLogger("newsdesk.audit")

RECOVERY_CODES = 10
RECOVERY_DEVICE = "Recovery codes"
AUTHENTICATOR = "Authenticator app"

# What a half-signed-in member of staff may still reach: the way in, the way out, and a lost password.
OPEN_WHILE_HALF_SIGNED_IN = {
    "admin:login",
    "admin:logout",
    "admin:jsi18n",
    "second_factor",
    "second_factor_set_up",
    "admin_password_reset",
    "admin_password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "admin_keep_alive",
    "healthz",
}


def is_required(user) -> bool:
    """Whether this member of staff must give a code after their password."""
    if not settings.NEWSDESK_SECOND_FACTOR or not user.is_authenticated:
        return False
    return any(holds(user, permission) for permission in settings.NEWSDESK_SECOND_FACTOR_FOR)


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("admin:index")


def _to(name: str, next_url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse(name) + "?" + urlencode({"next": next_url}))


class SecondFactorMiddleware:
    """Keeps a member of staff who has given their password but not yet their code out of every page
    except OPEN_WHILE_HALF_SIGNED_IN. Goes after django-otp's OTPMiddleware, which gives
    `user.is_verified()`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_verified() and is_required(user):
            try:
                name = resolve(request.path_info).view_name
            except Resolver404:
                name = None
            if name not in OPEN_WHILE_HALF_SIGNED_IN:
                target = "second_factor" if user_has_device(user) else "second_factor_set_up"
                return _to(target, request.get_full_path())
        return self.get_response(request)


def _normalised(code: str) -> str:
    return re.sub(r"[\s-]", "", code).lower()


def _digest(code: str) -> str:
    """What is stored for a recovery code: django-otp keeps up to 16 characters and deletes a row once
    used, so the row holds the start of the code's SHA-256 digest, never the code."""
    return hashlib.sha256(_normalised(code).encode()).hexdigest()[:16]


def new_recovery_codes(user) -> list[str]:
    """Ten new recovery codes for this user, replacing any they had. Shown once, never stored."""
    codes = []
    for _n in range(RECOVERY_CODES):
        raw = b32encode(secrets.token_bytes(15)).decode().lower()  # 120 bits
        codes.append("-".join(raw[i : i + 4] for i in range(0, 24, 4)))
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE)
        device.token_set.all().delete()
        StaticToken.objects.bulk_create(StaticToken(device=device, token=_digest(code)) for code in codes)
    return codes


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=40,
        help_text=gettext_lazy("The six digits your authenticator app shows now, or a recovery code."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false", "size": 30}
        ),
    )

    def __init__(self, *args, devices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.devices = devices
        self.device = None

    def clean_code(self):
        code = _normalised(self.cleaned_data["code"])
        for device in self.devices:
            allowed, _why = device.verify_is_allowed()
            if not allowed:
                raise forms.ValidationError(
                    _("Too many wrong codes. Wait a minute, then type the code your app shows at that time."),
                    code="throttled",
                )
        for device in self.devices:
            token = _digest(code) if isinstance(device, StaticDevice) else code
            if token and device.verify_token(token):
                self.device = device
                return code
        raise forms.ValidationError(
            _("That code is not right. Type the six digits your app shows now; each lasts 30 seconds."),
            code="wrong",
        )


def _page(request, template, context):
    context = admin.site.each_context(request) | {"is_nav_sidebar_enabled": False} | context
    return render(request, template, context)


@never_cache
@sensitive_post_parameters("code")
@login_required
def verify(request):
    """The code after the password."""
    next_url = _next(request)
    if request.user.is_verified() or not is_required(request.user):
        return HttpResponseRedirect(next_url)
    if not user_has_device(request.user):
        return _to("second_factor_set_up", next_url)
    form = CodeForm()
    if request.method == "POST":
        with transaction.atomic():  # the devices are locked while a code is tried, so throttling counts all
            form = CodeForm(request.POST, devices=list(devices_for_user(request.user, for_verify=True)))
            valid = form.is_valid()
        if valid:
            otp_login(request, form.device)
            if isinstance(form.device, StaticDevice):
                left = form.device.token_set.count()
                log.warning("second factor: user %s used a recovery code (%d left)", request.user.pk, left)
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code; %(left)d are left. If you lost your phone, "
                        "ask an administrator to remove your authenticator, then set up a new one."
                    )
                    % {"left": left},
                )
            return HttpResponseRedirect(next_url)
        log.warning("second factor: wrong code for user %s", request.user.pk)
    return _page(
        request,
        "registration/second_factor.html",
        {"form": form, "next": next_url, "title": _("Enter your code")},
    )


@never_cache
@sensitive_post_parameters("code")
@login_required
def set_up(request):
    """Pair an authenticator app: scan the QR code (or type the key), then prove it with a code. A
    member of staff who already has one cannot pair another here: that would let a stolen password
    replace the phone."""
    next_url = _next(request)
    if not is_required(request.user):
        return HttpResponseRedirect(next_url)
    if user_has_device(request.user):
        return _to("second_factor", next_url)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=AUTHENTICATOR, confirmed=False)
    form = CodeForm(request.POST or None, devices=[device])
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        log.warning("second factor: user %s paired an authenticator app", request.user.pk)
        return _page(
            request,
            "registration/recovery_codes.html",
            {"codes": new_recovery_codes(request.user), "next": next_url, "title": _("Your recovery codes")},
        )
    key = b32encode(device.bin_key).decode()
    import segno  # noqa: PLC0415 - only pairing a phone needs it

    return _page(
        request,
        "registration/second_factor_set_up.html",
        {
            "form": form,
            "next": next_url,
            # segno writes the SVG from the key and the user name, and escapes the title.
            "qr": mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("QR code"))),  # noqa: S308
            "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
            "title": _("Set up your second factor"),
        },
    )


@never_cache
@login_required
def recovery_codes(request):
    """Ten new recovery codes, replacing the old ones (for someone who used or lost theirs)."""
    if not user_has_device(request.user):
        return HttpResponseRedirect(reverse("admin:index"))
    if is_required(request.user) and not request.user.is_verified():
        return _to("second_factor", reverse("second_factor_recovery_codes"))
    if request.method == "POST":
        log.warning("second factor: user %s made new recovery codes", request.user.pk)
        return _page(
            request,
            "registration/recovery_codes.html",
            {
                "codes": new_recovery_codes(request.user),
                "next": reverse("admin:index"),
                "title": _("Your recovery codes"),
            },
        )
    device = StaticDevice.objects.filter(user=request.user, name=RECOVERY_DEVICE).first()
    left = device.token_set.count() if device else 0
    context = {"left": left, "title": _("Recovery codes")}
    return _page(request, "registration/recovery_codes_new.html", context)
