"""Slugs, the last part of a public address: plain ASCII, lower case, and never one of the site's own words.

An editor may type a slug; an import may carry one; most are made from a headline or a term's name. All
three meet the same rule here, so `/news/admin/`, `/news/../`, a Cyrillic “аdmin” or a fullwidth
“ａｄｍｉｎ” never become addresses that work differently from how they look.
"""

import re
import unicodedata
from functools import cache

from django.urls import URLResolver, get_resolver
from django.utils.text import slugify
from django.utils.translation import gettext as _

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: Words with a meaning in addresses below the first segment, or to web servers in front of the site.
ALSO_RESERVED = {"media", "static", "preview", "rss", "atom", "feed", "feeds", "page", "sitemap", "index"}


@cache
def reserved_words() -> frozenset[str]:
    """The first segment of every address the site answers (admin, news, search, sitemap.xml, …), with and
    without its extension, read from the URLconf so a new section is reserved as soon as it exists."""
    words = set(ALSO_RESERVED)

    def walk(patterns):
        for pattern in patterns:
            first = str(pattern.pattern).lstrip("^").split("/", 1)[0]
            if isinstance(pattern, URLResolver) and not first:
                walk(pattern.url_patterns)  # an include() at the root: its own first segments count
            elif first and "<" not in first and "(" not in first:
                word = first.rstrip("$").lower()
                words.update({word, word.split(".", 1)[0].split("-", 1)[0]})

    walk(get_resolver().url_patterns)
    return frozenset(w for w in words if w)


HAN = re.compile(r"[\u3400-\u9fff]")


def in_pinyin(text: str) -> str:
    """Chinese written in pinyin without tones, a word at a time (“CAR-T细胞疗法” → “CAR-T xibao liaofa”),
    so a Chinese headline gets an address a reader can say. Traditional characters read as they are."""
    import rjieba
    from pypinyin import lazy_pinyin

    words = []
    for word in rjieba.cut(text):
        words.append("".join(lazy_pinyin(word)) if HAN.search(word) else word)
    return " ".join(words)


def make_slug(text: str, *, max_length: int = 200, fallback: str = "untitled") -> str:
    """A slug from a headline or a name: Chinese in pinyin, accents folded to ASCII (Ärztin → arztin),
    look-alike letters from other scripts dropped, and a reserved word given a suffix (“Admin” →
    “admin-news”)."""
    folded = unicodedata.normalize("NFKC", text or "")
    if HAN.search(folded):
        folded = in_pinyin(folded)
    slug = slugify(folded).replace("_", "-")
    slug = re.sub(r"-{2,}", "-", slug)[:max_length].strip("-") or fallback
    if slug in reserved_words():
        slug = f"{slug}-news"
    return slug


def slug_problem(slug: str, *, max_length: int = 200) -> str | None:
    """What is wrong with a slug an editor or a file gave, in words that say what to do, or None."""
    if not slug:
        return None
    if len(slug) > max_length:
        return _("Shorten the slug to %(n)d characters or fewer; a few words are enough.") % {"n": max_length}
    if not SLUG.fullmatch(slug):
        odd = sorted({c for c in slug if not re.fullmatch(r"[a-z0-9-]", c)})
        if odd:
            hint = _("Use plain lower-case letters a–z, digits and hyphens; “%(odd)s” is not one of those.")
        else:
            hint = _("Use lower-case letters, digits and single hyphens between words (no “%(odd)s”).")
        hint %= {"odd": "".join(odd) or slug}
        return hint + " " + _("Leave the slug empty to make one from the headline.")
    if slug in reserved_words():
        return _(
            "“%(slug)s” is one of the site's own addresses. Choose another slug, for example “%(slug)s-news”."
        ) % {"slug": slug}
    return None
