"""Whole-page caching for anonymous readers, retired by key: a change retires only the pages showing it.

Each page kept for readers carries the keys of what it shows (articles.cache_keys) in its `xkey`
header, and beside its copy in the embedded cache. A change retires its keys (`retire`, called by
articles.signals and by other apps' signals for theirs): at once, and again once it is committed. The
pages that showed it are rendered afresh on their next request; every other page stays.

- **The embedded cache** (Django's cache; Redis in production, memory under `make run`) keeps each page
  with the moment its rendering began. A key retired after that moment makes the copy stale, so a
  rendering that began before a change and ended after it is never kept past the change. A key with no
  record (a cache emptied or evicted) makes it stale too.
- **The proxy in front** (Varnish with xkey, deploy/varnish/newsdesk.vcl) keeps pages by the same keys.
  Each committed change sends it one purge of its keys (`NEWSDESK_PURGE_URLS`), so a page taken down
  leaves it before the request that took it down has answered. Varnish also collapses concurrent misses into
  one render and keeps pages through a restart of the application (grace).
- **Browsers** ask again at every visit (`max-age=0, must-revalidate`), answered 304 by the ETag while
  nothing changed: a browser cannot be purged.

A scheduled article going live or a live one expiring changes pages without a write of its own, so no
page is kept past the next such moment. Signed-in staff always get fresh pages.
"""

import hashlib
import logging
import threading
import time
import urllib.request
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from articles.cache_keys import collecting, page_keys

KEY_HEADER = "xkey"  # the header Varnish's xkey module indexes pages by
EVERYTHING = "site"  # carried by every page: retiring it retires them all (a restore, a release)
NEXT_CHANGE_KEY = "newsdesk:next-change"
logger = logging.getLogger(__name__)


def _record_key(key: str) -> str:
    return f"newsdesk:retired:{key}"


# --- Retiring ----------------------------------------------------------------------------------------


def retire(*keys: str, added_only: bool = False) -> None:
    """Retire every cached page showing any of `keys`: now, for the rest of this request, and again once
    the change is committed, when the proxy in front is told to purge them. Safe from any signal.

    `added_only`: the change only adds to what readers see (an article published, a count moved), so
    the proxy may give the page as it was once more while it renders the new one (Varnish's soft purge
    and grace). Anything that may take something away from a page (an edit, an unpublish, any other
    change) purges at once: the page is never served again.

    Retiring only before the commit would leave a gap: a reader arriving in between renders the old text
    and keeps it. A rolled-back change only retires pages for nothing, which is harmless.
    """
    keys = {key for key in keys if key}
    if not keys:
        return
    _mark_retired(keys)
    waiting = (set(), keys) if added_only else (keys, set())
    if transaction.get_connection().in_atomic_block:
        gone, added = getattr(_waiting, "keys", (set(), set()))
        _waiting.keys = (gone | waiting[0], added | waiting[1])
        transaction.on_commit(_retire_committed, robust=True)
    else:
        _purge(*waiting)


def retire_everything() -> None:
    """Retire every cached page (after a restore, or a release that changes how pages look)."""
    retire(EVERYTHING)


_waiting = threading.local()  # keys retired inside this thread's transaction, to retire again after it


def _retire_committed() -> None:
    """Once a change is committed: its keys again, and one purge for them all. A transaction that changed
    many rows registers this once per row; the first call does the work and the rest find nothing."""
    (gone, added), _waiting.keys = getattr(_waiting, "keys", (set(), set())), (set(), set())
    if gone or added:
        _mark_retired(gone | added)
        _purge(gone, added)


def _mark_retired(keys) -> None:
    now = time.time()
    cache.set_many({_record_key(key): now for key in keys}, timeout=None)
    if "articles" in keys:  # any article's change may move the next go-live or expiry
        cache.delete(NEXT_CHANGE_KEY)


def _purge(gone, added=()) -> None:
    """Tell each proxy in front to drop the pages carrying any of `gone` (Varnish xkey's purge) and to
    render again, serving them as they were meanwhile, those carrying any of `added` (its soft purge)."""
    headers = {
        "xkey-purge": " ".join(sorted(gone)),
        "xkey-softpurge": " ".join(sorted(set(added) - set(gone))),
    }
    headers = {name: value for name, value in headers.items() if value}
    keys = set(gone) | set(added)
    for url in settings.NEWSDESK_PURGE_URLS:
        request = urllib.request.Request(url, method="PURGE", headers=headers)  # noqa: S310 - the operator's own proxy
        try:
            with urllib.request.urlopen(request, timeout=settings.NEWSDESK_PURGE_TIMEOUT):  # noqa: S310
                pass
        except OSError:
            logger.exception(
                "Purging %s from the proxy at %s failed: its copies stay up to s-maxage "
                "(NEWSDESK_SHARED_CACHE_SECONDS).",
                " ".join(sorted(keys)),
                url,
            )


# --- Keeping and serving -----------------------------------------------------------------------------


class StoredPage(NamedTuple):
    rendered_at: float  # when its rendering began: a key retired since makes it stale
    valid_until: float | None  # a scheduled article going live or a live one expiring ends it early
    keys: tuple[str, ...]
    response: HttpResponse


def _fresh(stored: StoredPage) -> bool:
    if stored.valid_until is not None and time.time() >= stored.valid_until:
        return False
    retired = cache.get_many([_record_key(key) for key in stored.keys])
    return len(retired) == len(stored.keys) and max(retired.values()) < stored.rendered_at


def _seconds_until_next_change() -> int | None:
    """Seconds until a scheduled article goes live or a live one expires, whichever comes first. Kept in
    the cache until an article changes (`_mark_retired`), or the moment passes."""
    upcoming = cache.get(NEXT_CHANGE_KEY)
    now = time.time()
    if upcoming is None or (upcoming and upcoming <= now):
        upcoming = _next_change() or 0.0
        cache.set(NEXT_CHANGE_KEY, upcoming, timeout=3600)  # every article change deletes it
    return None if not upcoming else max(1, int(upcoming - now) + 1)


def _next_change() -> float | None:
    from articles.models import Article, Status

    now = timezone.now()
    published = Article.objects.filter(status=Status.PUBLISHED)
    moments = [  # two index range scans, each reading one entry
        published.filter(published_at__gt=now).order_by("published_at").values_list("published_at").first(),
        published.filter(expires_at__gt=now).order_by("expires_at").values_list("expires_at").first(),
    ]
    upcoming = min((m[0] for m in moments if m), default=None)
    return upcoming.timestamp() if upcoming else None


def _render_and_store(view, request, args, kwargs, key):
    rendered_at = time.time()
    with collecting() as noted:
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
    if not response.streaming:
        # One chunk, not one per write: a feed writes thousands of small pieces, and the WSGI server
        # sends each with its own system call (docs/scaling.md).
        response.content = response.content
    if response.status_code in (200, 410) and not response.cookies:  # a notice of removal, too
        keys = tuple(page_keys(noted | {EVERYTHING}))
        upcoming = _seconds_until_next_change()
        shared = settings.NEWSDESK_SHARED_CACHE_SECONDS
        response[KEY_HEADER] = " ".join(keys)
        patch_cache_control(
            response, public=True, max_age=0, must_revalidate=True,
            s_maxage=shared if upcoming is None else min(shared, upcoming),
        )  # fmt: skip
        if seconds := settings.NEWSDESK_PAGE_CACHE_SECONDS:  # 0: the proxy in front keeps pages, not we
            _store(key, response, keys, rendered_at, seconds if upcoming is None else min(seconds, upcoming))
    return response


def _store(key, response, keys, rendered_at, timeout) -> None:
    # Checked on read too, whatever the cache's own clock: a page never outlives the next go-live.
    valid_until = time.time() + timeout
    records = [_record_key(k) for k in keys]
    for record in set(records) - cache.get_many(records).keys():  # never retired yet: at time 0
        cache.add(record, 0.0, timeout=None)  # add, not set: a retirement meanwhile is kept
    cache.set(key, StoredPage(rendered_at, valid_until, keys, response), timeout)


def _anonymous(request) -> bool:
    """No session cookie means nobody is signed in, without loading the session to find out."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    return not request.user.is_authenticated


class Lookup(NamedTuple):
    """What the cache holds for one address: its key and its copy, if one is still fresh."""

    key: str
    stored: StoredPage | None


def look_up(request) -> Lookup | None:
    """The fresh cached copy of this address, if any; None when the request may not be answered from the
    cache (not a GET or HEAD, or someone is signed in)."""
    if request.method not in ("GET", "HEAD") or not _anonymous(request):
        return None
    if not settings.NEWSDESK_PAGE_CACHE_SECONDS:
        return Lookup("", None)  # pages are kept by the proxy in front only
    # Scheme and host are part of the address: a page asked for under another host name never answers
    # for the canonical one (public addresses come from NEWSDESK_BASE_URL in any case).
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    key = "newsdesk:page:" + hashlib.sha256(address.encode()).hexdigest()
    stored = cache.get(key)
    return Lookup(key, stored if stored is not None and _fresh(stored) else None)


class ServeCachedPagesMiddleware:
    """Answer a reader from the cache before the address is resolved to a view, as Django's own
    FetchFromCacheMiddleware does. Last in MIDDLEWARE, so a cached page passes every other middleware
    like a rendered one. Only `public_page` views write the cache; on a miss, the lookup goes on to the
    view with the request, so the cache is read once either way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.page_cache_lookup = lookup = look_up(request)
        if lookup is not None and lookup.stored is not None:
            return lookup.stored.response
        return self.get_response(request)


def public_page(view):
    """Cache a public view's GET responses for anonymous readers, with the keys of what they show."""

    def wrapped(request, *args, **kwargs):
        lookup = request.page_cache_lookup if hasattr(request, "page_cache_lookup") else look_up(request)
        if lookup is None:
            return view(request, *args, **kwargs)
        if lookup.stored is not None:
            return lookup.stored.response
        return _render_and_store(view, request, args, kwargs, lookup.key)

    wrapped.__wrapped__ = view
    wrapped.__name__ = getattr(view, "__name__", "public_page")
    wrapped.__doc__ = view.__doc__
    return wrapped


def retired_at(key: str) -> float | None:
    """When `key` was last retired (0.0: never since the cache began keeping it; None: no record)."""
    return cache.get(_record_key(key))
