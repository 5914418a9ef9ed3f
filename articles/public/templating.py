"""The public pages' templates: Jinja2 through Django's own backend (settings.TEMPLATES), with the
helpers they call: responsive pictures, structured data, dates and the sections other apps add.

Jinja2 renders a page of twelve cards in a quarter of the time the Django engine took
(docs/scaling.md, "Against the peers"); the admin keeps the Django engine.
"""

import html
import json
from datetime import datetime
from functools import lru_cache

import jinja2
from django.conf import settings
from django.templatetags.static import static
from django.utils import formats, timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.timezone import template_localtime
from django.utils.translation import get_language

from articles.addresses import absolute, address_of
from articles.images import Rendition, renditions
from articles.models.article import IMAGE_CODE, Language
from articles.models.pages import footer_pages
from articles.models.people import public_identity, public_page_of
from articles.references import citation_jsonld, formatted, link_registry_numbers, registry_of


def environment(**options) -> jinja2.Environment:
    """The environment of settings.TEMPLATES' Jinja2 engine. An unknown name renders as nothing, as in
    the Django engine."""
    options.pop("autoescape", None)
    options["undefined"] = jinja2.Undefined
    env = jinja2.Environment(autoescape=True, **options)
    env.globals.update(
        url=url,
        static=static,
        picture=picture,
        body=body,
        references=references,
        footer_pages=footer_pages,
        bcp47=Language.bcp47,
        trial_registrations=trial_registrations,
        article_jsonld=article_jsonld,
        reviewer=reviewer,
        options=options_html,
        sections=sections,
        absolute=absolute,
    )
    env.filters.update(iso=iso, date=date, capfirst=capfirst, pluralize=pluralize)
    return env


def url(name: str, **kwargs) -> str:
    """`{{ url("articles:rss") }}`, `{{ url("articles:disease_rss", slug=tag.slug) }}`."""
    return address_of(name, **kwargs)


def date(value, format_string: str = "j F Y") -> str:
    """Django's `date` filter: the value in the site's time zone, in Django's date format."""
    if not value:
        return ""
    return _formatted(value, format_string, get_language(), timezone.get_current_timezone_name())


@lru_cache(maxsize=8192)
def _formatted(value, format_string: str, language, zone: str) -> str:
    """A page's dates repeat across requests (the related news, the lists): each is formatted once per
    worker, in each language and time zone (docs/scaling.md, stop 34)."""
    return formats.date_format(template_localtime(value), format_string)


def pluralize(count, suffix: str = "s") -> str:
    return "" if count == 1 else suffix


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


def body(article):
    """The body as readers get it: each "[image N]" line becomes its figure, a <picture> with its caption
    and credit. The images are read (one query) only when the text places one; a code naming no image
    gives nothing."""
    text = link_registry_numbers(article.body)
    if "[image " not in text:
        return mark_safe(text)  # noqa: S308 - sanitized on every save (articles.richtext), links escaped
    images = {image.number: image for image in article.images.all()}

    def figure(match):
        image = images.get(int(match.group(1)))
        if image is None:
            return ""
        caption = format_html(
            "<figcaption>{}{}</figcaption>",
            image.caption,
            format_html(' <span class="credit">{}</span>', image.credit) if image.credit else "",
        )
        return format_html(
            '<figure class="inline-image">{}{}</figure>',
            picture(image.image, image.alt, "(min-width: 48rem) 42rem, 100vw"),
            caption if image.caption or image.credit else "",
        )

    return mark_safe(IMAGE_CODE.sub(figure, text))  # noqa: S308 - sanitized text, and escaped figures


def references(article) -> list:
    """The article's references formatted in the site's citation style, each with its anchor id, as
    readers get them in a numbered list; registry numbers in them are linked."""
    items = [ref.csl() for ref in article.reference_list]
    return [
        (f"ref-{n}", mark_safe(link_registry_numbers(entry)))  # noqa: S308 - the processor escapes
        for n, entry in enumerate(formatted(items), start=1)
    ]


def trial_registrations(article) -> list[tuple[str, str, str]]:
    """(number, registry, address) of each trial registration among its references, for the evidence box."""
    seen = {}
    for ref in article.reference_list:
        if ref.registry_id and ref.registry_id not in seen:
            seen[ref.registry_id] = registry_of(ref.registry_id)
    return [(number, *where) for number, where in seen.items()]


def article_jsonld(article):
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
        "inLanguage": Language.bcp47(article.language),
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
        "inLanguage": Language.bcp47(article.language),
        "name": article.title,
        "about": about,
        "mainEntity": {k: v for k, v in news.items() if v is not None},
    }
    if translations := article.public_translations:
        page["mainEntity"][
            "workTranslation" if article.language == Language.ENGLISH else "translationOfWork"
        ] = [
            {
                "@type": "NewsArticle",
                "url": absolute(t.get_absolute_url()),
                "inLanguage": Language.bcp47(t.language),
            }
            for t in translations
        ]
    if article.reference_list:
        page["mainEntity"]["citation"] = [citation_jsonld(ref.csl()) for ref in article.reference_list]
    if notes := article.notes:
        page["mainEntity"]["correction"] = [
            {"@type": "CorrectionComment", "text": n.note, "datePublished": n.created_at.date().isoformat()}
            for n in notes
        ]
    review = article.review_line
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


def reviewer(user):
    """A reviewer as readers see them: {"name": ..., "credentials": ..., "url": their page or ""}."""
    name, credentials = public_identity(user)
    return {"name": name, "credentials": credentials, "url": public_page_of(user)}


def options_html(choices, selected=None):
    """The <option>s of a filter's <select> from (value, label) pairs, `selected` marked: one join, not
    a template loop or format_html per option (docs/scaling.md has the figures)."""
    chosen = "" if selected is None else str(selected)
    parts = []
    for value, label in choices:
        value = str(value)
        mark = " selected" if value == chosen else ""
        parts.append(f'<option value="{html.escape(value)}"{mark}>{html.escape(str(label))}</option>')
    return mark_safe("".join(parts))  # noqa: S308 - every value and label is escaped


def iso(value):
    """A datetime as ISO 8601 to the second, the form HTML's <time datetime> accepts."""
    if not value:
        return ""
    return value.replace(microsecond=0).isoformat()


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
        for language, location in url.get("translations", ()):  # itself among them, as Google asks
            parts.append(f'<xhtml:link rel="alternate" hreflang="{language}" href="{escape(location)}"/>')
        parts.append("</url>")
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped


def sections(place, *subject):
    """What other apps add to a public page at `place` ("article", "topic"): the callables named in
    `settings.NEWSDESK_PUBLIC_SECTIONS[place]`, each given `subject` and returning safe HTML."""
    return mark_safe(  # noqa: S308 - each section renders through its own template
        "".join(
            str(import_string(path)(*subject)) for path in settings.NEWSDESK_PUBLIC_SECTIONS.get(place, ())
        )
    )
