"""Helpers for the hostile-input tests: a site whose every rendered text field holds an XSS payload,
and a server-side reader that finds anything in a page that a browser would run."""

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote
from xml.etree import ElementTree

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import DiseaseTag, Page, Reference, Status, TherapyTag
from newsdesk.tests.xss_payloads import PAYLOADS

SAFE_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "to"}
NEVER_ALLOWED = {"iframe", "frame", "frameset", "object", "embed", "base", "applet"}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_CONTROL_AND_SPACE = "".join(chr(c) for c in range(0x21))


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see in `url` (entities already decoded), or None for a relative URL.

    Browsers strip leading and trailing C0 controls and spaces and drop tabs and newlines anywhere,
    which is how `jav&#x09;ascript:` still runs, so the same is done here before looking.
    """
    cleaned = re.sub(r"[\t\n\r]", "", url.strip(_CONTROL_AND_SPACE))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def url_is_safe(url: str) -> bool:
    scheme = url_scheme(url)
    return scheme is None or scheme in SAFE_SCHEMES


class _RunnableMarkup(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in NEVER_ALLOWED:
            self.problems.append(f"<{tag}> element")
        if tag == "script" and not (
            attributes.get("src", "").startswith("/")
            or attributes.get("type") in {"application/ld+json", "application/json", "importmap"}
        ):
            self.problems.append(f"inline <script {attrs}>")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event handler")
            elif name == "srcdoc":
                self.problems.append(f"<{tag} srcdoc>")
            elif name in URL_ATTRIBUTES and not url_is_safe(value):
                self.problems.append(f"<{tag} {name}={value!r}>")
            elif name == "style" and re.search(r"expression\s*\(|javascript:", value, re.IGNORECASE):
                self.problems.append(f"<{tag} style={value!r}>")

    handle_startendtag = handle_starttag


def runnable_markup(html: str) -> list[str]:
    """Everything in `html` that a browser could run: inline scripts, event handlers, frames and
    objects, refreshes, and URLs whose scheme is not http, https or mailto."""
    reader = _RunnableMarkup()
    reader.feed(html)
    reader.close()
    return reader.problems


def feed_problems(xml: bytes) -> list[str]:
    """A feed is well-formed XML whose elements all belong to RSS or Atom: a payload stays text."""
    try:
        root = ElementTree.fromstring(xml)  # noqa: S314 - our own feed, parsed to prove it is well-formed
    except ElementTree.ParseError as error:
        return [f"not well-formed: {error}"]
    allowed = {"", "{http://www.w3.org/2005/Atom}", "{http://purl.org/dc/elements/1.1/}"}
    return [
        element.tag
        for element in root.iter()
        if element.tag.rsplit("}", 1)[0] + "}" not in allowed and "}" in element.tag
    ]


def tiny_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 90)).save(out, "PNG")
    return out.getvalue()


@dataclass
class Planted:
    """One payload in every rendered field: an article with a reference, its two tags, a patient story
    and a newsroom page."""

    payload: str
    article: object
    disease: DiseaseTag
    therapy: TherapyTag
    case: object
    page: object = None


@dataclass
class HostileSite:
    planted: list[Planted] = field(default_factory=list)

    def public_pages(self, sample: slice = slice(None)) -> list[tuple[str, str]]:
        """(place, url) pairs. Pages that list many items are always visited; pages about one item are
        visited for the payloads in `sample`."""
        pages = [("home", "/"), ("diseases index", "/diseases/"), ("therapies index", "/therapies/")]
        count = len(self.planted)
        pages += [("article list", f"/news/?page={n}") for n in range(1, count // 12 + 2)]
        pages += [("search snippets", f"/search/?q=canary&page={n}") for n in range(1, count // 10 + 2)]
        for item in self.planted[sample]:
            pages += [
                ("article page", item.article.get_absolute_url()),
                ("disease tag page", item.disease.get_absolute_url()),
                ("therapy tag page", item.therapy.get_absolute_url()),
                ("story page", item.case.get_absolute_url()),
                ("newsroom page", item.page.get_absolute_url()),
                ("search query", "/search/?q=" + quote(item.payload)),
            ]
        return pages

    def feeds(self, sample: slice = slice(None)) -> list[tuple[str, str]]:
        pages = [("rss", "/feeds/rss/"), ("atom", "/feeds/atom/")]
        for item in self.planted[sample]:
            pages += [
                ("disease rss", f"/diseases/{item.disease.slug}/rss/"),
                ("therapy atom", f"/therapies/{item.therapy.slug}/atom/"),
            ]
        return pages

    def admin_pages(self, sample: slice = slice(None)) -> list[tuple[str, str]]:
        pages = [
            ("admin article list", "/admin/articles/article/"),
            ("admin story list", "/admin/cases/case/"),
            ("admin disease list", "/admin/articles/diseasetag/"),
            ("admin therapy list", "/admin/articles/therapytag/"),
        ]
        for item in self.planted[sample]:
            pages += [
                ("admin article form", f"/admin/articles/article/{item.article.pk}/change/"),
                ("admin story form", f"/admin/cases/case/{item.case.pk}/change/"),
                ("admin disease form", f"/admin/articles/diseasetag/{item.disease.pk}/change/"),
                ("admin therapy form", f"/admin/articles/therapytag/{item.therapy.pk}/change/"),
                ("admin page form", f"/admin/articles/page/{item.page.pk}/change/"),
                ("admin search", "/admin/articles/article/?q=" + quote(item.payload)),
            ]
        return pages


def plant_payloads(make_article, make_case, payloads=PAYLOADS) -> HostileSite:
    """Publish one article per payload with the payload in every text field readers or editors see."""
    site = HostileSite()
    image = tiny_png()
    for n, payload in enumerate(payloads):
        disease = DiseaseTag.objects.create(name=f"{payload} d{n}"[:100], description=payload)
        therapy = TherapyTag.objects.create(name=f"{payload} t{n}"[:100], description=payload)
        article = make_article(
            title=payload,
            standfirst=payload,
            body=f"<p>canary</p>{payload}",
            byline=payload,
            hero_image=SimpleUploadedFile(f"p{n}.png", image),
            hero_alt=payload,
            hero_caption=payload,
            hero_credit=payload,
            source_publisher=payload,
            source_url="https://example.org/source",
            status=Status.PUBLISHED,
            diseases=[disease],
            therapies=[therapy],
        )
        case = make_case(
            articles=[article], label=payload, outcome=payload, follow_up=payload, narrative=payload
        )
        case.diseases.add(disease)
        case.therapies.add(therapy)
        Reference.objects.create(
            article=article, title=payload, authors=f"{payload}\nOkafor, Emeka", venue=payload, year=2024,
            url="https://example.org/reference",
        )  # fmt: skip
        page = Page(
            title=payload[:120] or "p", slug=f"hostile-page-{n}", summary=payload[:300], body=payload,
            is_live=True, footer_position=n + 1 if n < 12 else 0,  # the first dozen in every footer
        )  # fmt: skip
        page.cleared_text = page.text_hash()  # as if the gate had passed it: the markup is what is tested
        page.save()
        site.planted.append(Planted(payload, article, disease, therapy, case, page))
    return site
