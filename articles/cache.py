"""Whole-page caching for anonymous readers, dropped whenever anything a reader can see changes.

Pages are cached under a "generation" number; publishing, editing, unpublishing a story or withdrawing
consent bumps it (see articles.signals and cases.signals), which retires every cached page at once.
A scheduled article or an expiring one changes pages without any write, so no page is kept past the
next go-live or expiry.
Signed-in staff always get fresh pages.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.module_loading import import_string

GENERATION_KEY = "newsdesk:public-generation"
logger = logging.getLogger(__name__)


def generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 1, timeout=None)


def bump(**_ignored) -> None:
    """Retire every cached public page, now and again once the change is committed. Safe from any signal.

    Retiring only before the commit leaves a gap: a reader arriving in between renders the old text from
    the database and caches it under the new generation, where it would stay until the page expires.
    A rolled-back change only retires pages for nothing, which is harmless.
    """
    _retire()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_retire, robust=True)


def _retire() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)
    # A CDN or reverse proxy in front keeps pages for up to max-age: each hook tells it to drop them.
    for path in settings.NEWSDESK_PURGE_HOOKS:
        try:
            import_string(path)()
        except Exception:
            logger.exception("Purging the cache in front failed (%s): pages may stay up to max-age.", path)


def _seconds_until_next_change() -> int | None:
    """Seconds until a scheduled article goes live or a live one expires, whichever comes first."""
    from articles.models import Article, Status

    now = timezone.now()
    published = Article.objects.filter(status=Status.PUBLISHED)
    moments = [  # two index range scans, each reading one entry
        published.filter(published_at__gt=now).order_by("published_at").values_list("published_at").first(),
        published.filter(expires_at__gt=now).order_by("expires_at").values_list("expires_at").first(),
    ]
    upcoming = min((m[0] for m in moments if m), default=None)
    return None if upcoming is None else max(1, int((upcoming - now).total_seconds()) + 1)


def public_page(view):
    """Cache a public view's GET responses for anonymous readers."""

    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"newsdesk:page:{generation()}:{path}"
        cached = cache.get(key)
        if cached is not None:
            valid_until, response = cached
            if valid_until is None or time.time() < valid_until:
                return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if not response.streaming:
            # One chunk, not one per write: a feed writes thousands of small pieces, and the WSGI server
            # sends each with its own system call (10 ms per cached feed instead of 1 ms).
            response.content = response.content
        if response.status_code == 200 and not response.cookies:
            timeout = settings.NEWSDESK_PAGE_CACHE_SECONDS
            valid_until = None
            if (upcoming := _seconds_until_next_change()) is not None:
                timeout = min(timeout, upcoming)
                valid_until = time.time() + upcoming  # checked on read too, whatever the cache's own clock
            patch_cache_control(response, public=True, max_age=min(timeout, 60))
            cache.set(key, (valid_until, response), timeout)
        return response

    wrapped.__wrapped__ = view
    wrapped.__name__ = getattr(view, "__name__", "public_page")
    wrapped.__doc__ = view.__doc__
    return wrapped
