"""Where readers are sent: every public absolute address (canonical links, `og:` tags, JSON-LD, feeds,
sitemaps, robots.txt, e-mails) is built from `NEWSDESK_BASE_URL`, never from the request's Host header.

A request for `Host: newsdesk.example:1` is allowed (ALLOWED_HOSTS ignores the port), and a page
rendered for it would otherwise carry that dead address into the shared page cache, and from there to
every reader, feed reader and search engine.
"""

from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def base_url() -> str:
    return settings.NEWSDESK_BASE_URL.rstrip("/")


def absolute(path: str) -> str:
    """`path` (an absolute path such as "/news/x/") as a full public address. An address that is full
    already (media in object storage) is kept."""
    if path.startswith(("https://", "http://")):
        return path
    return base_url() + path


class PublicRequest:
    """A request as the public site is addressed: host and scheme from NEWSDESK_BASE_URL. For Django
    code that builds addresses from the request (syndication feeds, sitemaps)."""

    def __init__(self, request):
        self._request = request
        self._base = urlsplit(base_url())

    def __getattr__(self, name):
        return getattr(self._request, name)

    @property
    def scheme(self) -> str:
        return self._base.scheme

    def get_host(self) -> str:
        return self._base.netloc

    def is_secure(self) -> bool:
        return self._base.scheme == "https"

    def build_absolute_uri(self, location=None) -> str:
        return absolute(location if location is not None else self._request.get_full_path())


def public_base(request) -> dict:
    """Template context: `BASE_URL`, for the public site's absolute addresses (and the staff session's
    idle limit, for the admin's warning before it ends)."""
    return {"BASE_URL": base_url(), "session_idle_seconds": settings.SESSION_COOKIE_AGE}


def with_public_addresses(view):
    """Run `view` (a Django view that builds addresses from the request) as if asked at NEWSDESK_BASE_URL."""

    def wrapped(request, *args, **kwargs):
        return view(PublicRequest(request), *args, **kwargs)

    wrapped.__name__ = getattr(view, "__name__", "view")
    wrapped.__doc__ = view.__doc__
    return wrapped


@lru_cache(maxsize=50_000)
def _reversed(name: str, kwargs: tuple, prefix: str, urlconf: str) -> str:
    return reverse(name, urlconf=urlconf, kwargs=dict(kwargs))


def address_of(name: str, **kwargs) -> str:
    """`reverse(name, kwargs=kwargs)`, remembered: the URL patterns never change in a running process,
    and a list page asks for dozens of addresses (docs/scaling.md, "Against the peers")."""
    return _reversed(name, tuple(kwargs.items()), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
