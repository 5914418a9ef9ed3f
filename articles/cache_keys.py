"""The keys of what a public page shows, so that a change retires exactly the cached pages showing it.

While a public page renders (`articles.cache.public_page`), each article, term or person it reads notes
its key here ("articles:12", "diseases:3"), and the page is stored, and sent to the proxy in front, with
them. A change retires the keys of what it changed (articles.signals; other apps' signals for theirs),
and so every page that showed it, wherever the page is kept.

Each kind also has a key of its own ("articles"), carried by the pages that list the newest of that
kind, where a new item appears without any page having noted it. Every change to an item retires its
kind's key too. So a page that carries its kind's key needs none of its items' keys, and a page that
notes more than `MAX_KEYS_A_KIND` items of one kind carries the kind's key instead of theirs: it is
retired more often, never less. Fewer keys make each cache hit cheaper: a hit reads every key's record.
"""

from contextlib import contextmanager
from contextvars import ContextVar

MAX_KEYS_A_KIND = 16
_noted: ContextVar[set[str] | None] = ContextVar("newsdesk_page_keys", default=None)


def item_key(kind: str, pk) -> str:
    return f"{kind}:{pk}"


def noting() -> bool:
    return _noted.get() is not None


def shows(*keys: str) -> None:
    """Note that the page being rendered shows these; outside a public page's rendering, nothing."""
    noted = _noted.get()
    if noted is not None:
        noted.update(keys)


@contextmanager
def collecting():
    """Collect the keys noted while the block runs (the rendering of one page)."""
    noted: set[str] = set()
    token = _noted.set(noted)
    try:
        yield noted
    finally:
        _noted.reset(token)


def page_keys(noted) -> list[str]:
    """The keys a page carries: what it noted, with a kind's items carried by the kind's own key where the
    page carries that key or notes more than MAX_KEYS_A_KIND of them."""
    by_kind: dict[str, list[str]] = {}
    for key in noted:
        kind, _, rest = key.partition(":")
        if rest.isdigit():
            by_kind.setdefault(kind, []).append(key)
    kept = set(noted)
    for kind, keys in by_kind.items():
        if len(keys) > MAX_KEYS_A_KIND or kind in noted:
            kept.difference_update(keys)
            kept.add(kind)
    return sorted(kept)
