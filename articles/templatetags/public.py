"""Template helpers for the public pages: responsive pictures and structured data."""

import html
import json
from datetime import datetime

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe

from articles.addresses import absolute
from articles.images import Rendition, renditions
from articles.models.people import public_identity

register = template.Library()


@register.simple_tag
def picture(field, alt, sizes="(min-width: 48rem) 42rem, 100vw", loading="lazy"):
    """A <picture> with WebP and JPEG renditions, width and height set so the layout never shifts."""
    if not field:
        return ""
    made = renditions(field)
    sources = format_html_join(
        "",
        '<source type="{}" srcset="{}" sizes="{}">',
        (
            (mime, ", ".join(f"{r.url} {r.width}w" for r in group), sizes)
            for mime, group in made.items()
            if group
        ),
    )
    fallback = (
        made["image/jpeg"][-1]
        if made.get("image/jpeg")
        else Rendition(field.url, field.width, field.height, "")
    )
    return format_html(
        '<picture>{}<img src="{}" alt="{}" width="{}" height="{}" loading="{}" decoding="async"></picture>',
        sources,
        fallback.url,
        alt,
        fallback.width,
        fallback.height,
        loading,
    )


@register.simple_tag(takes_context=True)
def article_jsonld(context, article):
    """schema.org data for an article: a MedicalWebPage whose main entity is the NewsArticle, about the
    article's conditions and therapies, with its medical review when it has one."""
    url = absolute(article.get_absolute_url())
    news = {
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.standfirst,
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": article.updated_at.isoformat(),
        "mainEntityOfPage": url,
        "publisher": {"@type": "Organization", "name": "Hospital Newsroom"},
    }
    if article.byline:
        news["author"] = {"@type": "Person", "name": article.byline}
    if article.hero_image:
        news["image"] = absolute(article.hero_image.url)
    about = [
        {"@type": "MedicalCondition", "name": t.name, **_medical_code(t)} for t in article.topics.diseases
    ] + [{"@type": "MedicalTherapy", "name": t.name, **_medical_code(t)} for t in article.topics.therapies]
    page = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "url": url,
        "name": article.title,
        "about": about,
        "mainEntity": {k: v for k, v in news.items() if v is not None},
    }
    if notes := list(article.corrections.all()):
        page["mainEntity"]["correction"] = [
            {"@type": "CorrectionComment", "text": n.note, "datePublished": n.created_at.date().isoformat()}
            for n in notes
        ]
    review = article.medical_review
    if review is not None:
        name, credentials = public_identity(review.actor)
        page["lastReviewed"] = review.created_at.date().isoformat()
        page["reviewedBy"] = {
            "@type": "Person",
            "name": name,
            **({"jobTitle": credentials} if credentials else {}),
        }
    data = (
        json.dumps(page, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    return mark_safe(f'<script type="application/ld+json">{data}</script>')  # noqa: S308 - JSON with <>& escaped


def _medical_code(term) -> dict:
    if not (term.code and term.code_system):
        return {}
    return {"code": {"@type": "MedicalCode", "codeValue": term.code, "codingSystem": term.code_system}}


@register.simple_tag
def reviewer(user):
    """A reviewer as readers see them: {"name": ..., "credentials": ...}."""
    name, credentials = public_identity(user)
    return {"name": name, "credentials": credentials}


@register.simple_tag
def options(choices, selected=None):
    """The <option>s of a filter's <select> from (value, label) pairs, `selected` marked: one join, not
    a template loop or format_html per option (docs/scaling.md has the figures)."""
    chosen = "" if selected is None else str(selected)
    parts = []
    for value, label in choices:
        value = str(value)
        mark = " selected" if value == chosen else ""
        parts.append(f'<option value="{html.escape(value)}"{mark}>{html.escape(str(label))}</option>')
    return mark_safe("".join(parts))  # noqa: S308 - every value and label is escaped


@register.filter
def iso(value):
    """A datetime as ISO 8601 to the second, the form HTML's <time datetime> accepts."""
    if not value:
        return ""
    return value.replace(microsecond=0).isoformat()


@register.simple_tag
def sitemap_entries(urlset):
    """Every <url> of a sitemap section, joined in Python, not in Django's template loop (docs/scaling.md
    has the figures). A section's change frequency and priority are the same for every entry, so each is
    escaped once; dates are the site's local day."""
    zone = timezone.get_current_timezone()
    escaped = {}  # a section repeats a handful of changefreq and priority values

    def once(value) -> str:
        if value not in escaped:
            escaped[value] = escape(value)
        return escaped[value]

    parts = []
    for url in urlset:
        parts.append(f"<url><loc>{escape(url['location'])}</loc>")
        if moment := url.get("lastmod"):
            if isinstance(moment, datetime) and timezone.is_aware(moment):
                moment = moment.astimezone(zone)
            parts.append(f"<lastmod>{moment:%Y-%m-%d}</lastmod>")
        if url.get("changefreq"):
            parts.append(f"<changefreq>{once(url['changefreq'])}</changefreq>")
        if url.get("priority"):
            parts.append(f"<priority>{once(url['priority'])}</priority>")
        parts.append("</url>")
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped


@register.simple_tag(name="absolute")
def absolute_tag(path: str) -> str:
    """A full public address from NEWSDESK_BASE_URL, never from the request's Host header."""
    return absolute(path)


@register.simple_tag
def sections(place, *subject):
    """What other apps add to a public page at `place` ("article", "topic"): the callables named in
    `settings.NEWSDESK_PUBLIC_SECTIONS[place]`, each given `subject` and returning safe HTML."""
    return mark_safe(  # noqa: S308 - each section renders through its own template
        "".join(
            str(import_string(path)(*subject)) for path in settings.NEWSDESK_PUBLIC_SECTIONS.get(place, ())
        )
    )
