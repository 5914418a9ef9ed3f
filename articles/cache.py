"""Whole-page caching for anonymous readers, dropped whenever anything a reader can see changes.

Pages are cached under a "generation" number; any change a reader could see bumps it (articles.signals,
and each app's own signals for its pages), which retires every cached page at once.
A scheduled article or an expiring one changes pages without any write, so no page is kept past the
next go-live or expiry.
Signed-in staff always get fresh pages.

Re-rendering after a change is done one page at a time per desk: while one request renders, other
readers of a retired page get its previous copy, for at most `NEWSDESK_STALE_SECONDS` after the change
(2 s by default, inside the 5 s in which every change must reach every surface). Without this, a publish
under load sent every worker to re-render at once and readers queued behind them: p99 went from 52 ms
to 1.3 s (make bench-publishing). With nobody else rendering, a retired page is always rendered afresh.

Readers should not have to render at all after a change: once it is committed, the process that made
it (the editor's request, the scheduled-publishing worker) takes the turn, retires the pages and
renders again the `NEWSDESK_REFRESH_PAGES` addresses readers asked for most recently, while readers
are served the page as it was. Without this, each publish under load cost about seven renders inside
readers' requests, and the readers queued behind them set the p99 (make bench-publishing).
"""

import hashlib
import io
import logging
import secrets
import threading
import time
from functools import cache as once
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.module_loading import import_string

GENERATION_KEY = "newsdesk:public-generation"
RENDERING_KEY = "newsdesk:rendering"
RENDER_LOCK_SECONDS = 10  # a worker killed mid-render frees the turn after this
ASKED_FOR_KEY = "newsdesk:asked-for"
REFRESHING = "newsdesk.refreshing"  # marks the refresh's own requests; no header can set a WSGI key
TURN_WAIT_SECONDS = 0.5  # how long a refresh waits for a reader's render to finish before leaving it
logger = logging.getLogger(__name__)


def generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 1, timeout=None)


def bump(**_ignored) -> None:
    """Retire every cached public page, now and again once the change is committed, when the pages
    readers asked for last are rendered again (`refresh_after_change`). Safe from any signal.

    Retiring only before the commit leaves a gap: a reader arriving in between renders the old text from
    the database and caches it under the new generation, where it would stay until the page expires.
    A rolled-back change only retires pages for nothing, which is harmless.
    """
    if not transaction.get_connection().in_atomic_block:  # committed already: a change of its own
        _refresh()
        return
    _hold_turn_until_refreshed()  # first: a reader arriving between the two would take the turn
    _retire()
    transaction.on_commit(refresh_after_change, robust=True)


def _hold_turn_until_refreshed() -> None:
    """Take the turn to render with the retire before the commit, and keep it for the refresh after it.

    Until the commit, readers elsewhere can only render the text as it was; with the turn held, they get
    the page as it was instead (see `public_page`), and only the refresh renders. Without this, readers
    rendered each loaded page once more in the moments before the commit, to have it retired again at
    once (make bench-publishing: five renders in readers' requests per publish). A reader rendering at
    that moment keeps the turn, and the refresh waits for it as before. After a rollback the turn frees
    itself in `RENDER_LOCK_SECONDS`; readers get the old pages meanwhile, as they would anyway.
    """
    if _holding_turn():
        return
    token = secrets.token_hex(8)
    if cache.add(RENDERING_KEY, token, RENDER_LOCK_SECONDS):
        _held_turn.token = token


_held_turn = threading.local()  # the turn this thread took for a change it has not yet refreshed


def _holding_turn() -> bool:
    token = getattr(_held_turn, "token", None)
    return token is not None and cache.get(RENDERING_KEY) == token


def refresh_after_change() -> None:
    """With the change committed: retire every page, and render again the ones readers asked for last,
    so that readers find them ready. Readers get the page as it was meanwhile (see `public_page`).

    A transaction that changed many rows calls this once per row, right after its commit: every row
    retired the pages before the commit (see `bump`), so when nothing has been retired since this
    thread's own refresh, that refresh was this transaction's, and the rest return at once.
    """
    if _nothing_retired_since_my_last_refresh():
        return
    _refresh()


def _refresh() -> None:
    addresses = _asked_for() if settings.NEWSDESK_REFRESH_PAGES > 0 else []
    turn = _held_turn.token if _holding_turn() else (_take_turn() if addresses else None)  # held: since bump
    _held_turn.token = None
    try:
        _last_refresh.mark = _retire()
        if turn is not None and addresses:
            _render_again(addresses)
    finally:
        if turn is not None and cache.get(RENDERING_KEY) == turn:
            cache.delete(RENDERING_KEY)


def _take_turn() -> str | None:
    """The turn to render, waiting a moment for a reader who holds it; None if it never comes."""
    turn = secrets.token_hex(8)
    deadline = time.monotonic() + TURN_WAIT_SECONDS
    while not cache.add(RENDERING_KEY, turn, RENDER_LOCK_SECONDS):
        if time.monotonic() > deadline:
            return None
        time.sleep(0.005)
    return turn


def _asked_for() -> list[tuple[str, str, bool]]:
    return cache.get(ASKED_FOR_KEY) or []


def _remember_asked_for(request) -> None:
    """Put this address first among the ones to render again after a change (one read, one write)."""
    limit = settings.NEWSDESK_REFRESH_PAGES
    if limit <= 0 or request.META.get(REFRESHING):
        return
    address = (request.get_full_path(), request.get_host(), request.is_secure())
    if (earlier := _asked_for())[:1] == [address]:
        return
    cache.set(ASKED_FOR_KEY, [address, *(a for a in earlier if a != address)][:limit], timeout=None)


@once
def _handler() -> BaseHandler:
    handler = BaseHandler()
    handler.load_middleware()
    return handler


def _render_again(addresses) -> None:
    """Render each address as an anonymous reader's request would, through every middleware, and store
    it. A page that fails is logged and left to the next reader; the rest are still done."""
    budget = time.monotonic() + settings.NEWSDESK_STALE_SECONDS / 2
    for full_path, host, secure in addresses:
        if time.monotonic() > budget:
            break
        path, _, query = full_path.partition("?")
        server_name, _, port = host.partition(":")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SCRIPT_NAME": "",
            "HTTP_HOST": host,
            "SERVER_NAME": server_name,
            "SERVER_PORT": port or ("443" if secure else "80"),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "https" if secure else "http",
            "wsgi.input": io.BytesIO(),
            REFRESHING: True,
        }
        try:
            _handler().get_response(WSGIRequest(environ))  # not closed: that ends the caller's request
        except Exception:
            logger.exception("Rendering %s again after a change failed; its next reader renders it.", path)


def _retire() -> tuple[int, float]:
    """Start a new generation; returns it with the moment the one before it was retired."""
    try:
        retired = cache.incr(GENERATION_KEY) - 1
    except ValueError:
        retired = 1
        cache.set(GENERATION_KEY, 2, timeout=None)
    cache.set(_retired_at_key(retired), retired_at := time.time(), timeout=60)
    # A CDN or reverse proxy in front keeps pages for up to s-maxage: each hook tells it to drop them.
    for path in settings.NEWSDESK_PURGE_HOOKS:
        try:
            import_string(path)()
        except Exception:
            logger.exception("Purging the cache in front failed (%s): pages may stay up to s-maxage.", path)
    return retired + 1, retired_at


_last_refresh = threading.local()  # the generation this thread's last refresh started, and when


def _nothing_retired_since_my_last_refresh() -> bool:
    mark = getattr(_last_refresh, "mark", None)
    if mark is None:
        return False
    started, retired_at = mark
    key = _retired_at_key(started - 1)
    found = cache.get_many([GENERATION_KEY, key])
    return found.get(GENERATION_KEY) == started and found.get(key) == retired_at


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


def _retired_at_key(generation_number: int) -> str:
    return f"newsdesk:retired-at:{generation_number}"


def _still_valid(stored) -> bool:
    return stored.valid_until is None or time.time() < stored.valid_until


def _retired_moments_ago(stored) -> bool:
    """Whether the change that retired this copy is younger than the stale limit."""
    retired_at = cache.get(_retired_at_key(stored.generation))
    return retired_at is not None and time.time() - retired_at < settings.NEWSDESK_STALE_SECONDS


class StoredPage(NamedTuple):
    generation: int
    valid_until: float | None  # a scheduled article going live or a live one expiring ends it early
    response: HttpResponse


def _render_and_store(view, request, args, kwargs, current, key):
    response = view(request, *args, **kwargs)
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    if not response.streaming:
        # One chunk, not one per write: a feed writes thousands of small pieces, and the WSGI server
        # sends each with its own system call (docs/scaling.md).
        response.content = response.content
    if response.status_code == 200 and not response.cookies:
        timeout = settings.NEWSDESK_PAGE_CACHE_SECONDS
        valid_until = None
        if (upcoming := _seconds_until_next_change()) is not None:
            timeout = min(timeout, upcoming)
            valid_until = time.time() + upcoming  # checked on read too, whatever the cache's own clock
        # A browser asks again at every visit (a 304, by the ETag, while nothing changed), so a page taken
        # down leaves every screen at once: a browser cannot be purged. Shared caches in front (nginx, a
        # CDN) keep it up to a minute, and NEWSDESK_PURGE_HOOKS drop it from them on every change.
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True, s_maxage=min(timeout, 60))
        cache.set(key, StoredPage(current, valid_until, response), timeout)
        _remember_asked_for(request)
    return response


def _anonymous(request) -> bool:
    """No session cookie means nobody is signed in, without loading the session to find out."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    return not request.user.is_authenticated


class Lookup(NamedTuple):
    """What the cache holds for one address: its key, the current generation, and the copy, if any."""

    key: str
    current: int
    stored: StoredPage | None

    @property
    def fresh(self) -> bool:
        return self.stored is not None and self.stored.generation == self.current


def look_up(request) -> Lookup | None:
    """The cached copy of this address, in one round trip with the current generation; None when the
    request may not be answered from the cache (not a GET or HEAD, or someone is signed in)."""
    if request.method not in ("GET", "HEAD") or not _anonymous(request):
        return None
    # Scheme and host are part of the address: a page asked for under another host name never answers
    # for the canonical one (public addresses come from NEWSDESK_BASE_URL in any case).
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    key = "newsdesk:page:" + hashlib.sha256(address.encode()).hexdigest()
    found = cache.get_many([GENERATION_KEY, key])
    stored = found.get(key)
    if stored is not None and not _still_valid(stored):
        stored = None
    return Lookup(key, found.get(GENERATION_KEY) or generation(), stored)


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
        if lookup is not None and lookup.fresh:
            return lookup.stored.response
        return self.get_response(request)


def public_page(view):
    """Cache a public view's GET responses for anonymous readers.

    One cache key per address holds the page with the generation it was rendered under (see `look_up`):
    a copy from an older generation is retired, and is served only while another request renders and
    the change is moments old.
    """

    def wrapped(request, *args, **kwargs):
        lookup = request.page_cache_lookup if hasattr(request, "page_cache_lookup") else look_up(request)
        if lookup is None:
            return view(request, *args, **kwargs)
        stored = lookup.stored
        if lookup.fresh:
            return stored.response
        render = (view, request, args, kwargs, lookup.current, lookup.key)
        if request.META.get(REFRESHING):  # the refresh after a change holds the turn already
            return _render_and_store(*render)
        if not cache.add(RENDERING_KEY, 1, RENDER_LOCK_SECONDS):  # another request is rendering a page
            # ...or a change not yet committed holds the turn: if it is this thread's own (a request that
            # changes something, then shows a page), only this thread can see the change, so it renders.
            if stored is not None and _retired_moments_ago(stored) and not _holding_turn():
                return stored.response
            return _render_and_store(*render)
        try:
            return _render_and_store(*render)
        finally:
            cache.delete(RENDERING_KEY)

    wrapped.__wrapped__ = view
    wrapped.__name__ = getattr(view, "__name__", "public_page")
    wrapped.__doc__ = view.__doc__
    return wrapped
