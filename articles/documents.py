"""Raw source documents (press texts, scraped pages) into the parts of a draft: pure Python, no database.

    decode(bytes)            -> text, whatever the encoding, with LF line ends
    parse_document(data)     -> ParsedDocument: title, standfirst, body blocks, source, dropped clutter
    match_terms(text, terms) -> ids of the vocabulary terms the text names
    patient_story(text)      -> PatientFacts when the text follows one patient, else None

Everything here is rules over lines and sentences, written for the genre (hospital press releases,
machine-translated news, scraped pages) rather than for any one document.
"""

import html
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

import charset_normalizer

from articles.richtext import sanitize_html

MAX_BYTES = 2 * 1024 * 1024


class UnreadableDocument(ValueError):
    """The document cannot be imported; the message is one line saying why."""


# --- Decoding --------------------------------------------------------------------------------------

_BOMS = [(b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")]
_WIDER = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "ascii": "utf-8",
    "windows-1252": "cp1252",
}


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding). UTF-8 with or without BOM, UTF-16, GB18030, cp1252 and what charset-normalizer
    recognises; CRLF and CR become LF. Raises UnreadableDocument for empty, binary or oversize input."""
    if len(data) > MAX_BYTES:
        raise UnreadableDocument(f"over the {MAX_BYTES // (1024 * 1024)} MB limit")
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise UnreadableDocument("empty")
    text, encoding = None, None
    for bom, name in _BOMS:
        if data.startswith(bom):
            text, encoding = data.decode(name, errors="strict"), name
            break
    if text is None and _looks_utf16(data):
        for name in ("utf-16-le", "utf-16-be"):
            try:
                candidate = data.decode(name)
            except UnicodeDecodeError:
                continue
            if _printable_ratio(candidate) > 0.95:
                text, encoding = candidate, name
                break
    if text is None and b"\x00" in data:
        raise UnreadableDocument("binary file, not text")
    if text is None:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            matches = charset_normalizer.from_bytes(data)
            best = matches.best()
            if best is None:
                raise UnreadableDocument("cannot be decoded as text") from None
            encoding = _WIDER.get(best.encoding, best.encoding)
            if encoding in _CJK_GUESSES:
                # Our sources' Chinese pages come in GB18030; short texts fit Korean or Japanese code
                # pages just as well, so GB18030 wins whenever it reads the bytes about as cleanly.
                chinese = next((m for m in matches if m.encoding in ("gb18030", "gb2312", "gbk")), None)
                if chinese is not None and chinese.percent_chaos <= best.percent_chaos + 5:
                    encoding = "gb18030"
            if encoding in _WESTERN_EUROPEAN_GUESSES and _decodes(data, "cp1252"):
                encoding = "cp1252"  # the usual single-byte encoding of Western press texts
            text = data.decode(encoding, errors="replace")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if _printable_ratio(text) < 0.9:
        raise UnreadableDocument("binary file, not text")
    if not text.strip():
        raise UnreadableDocument("empty")
    if not any(ch.isalnum() for ch in text):
        raise UnreadableDocument("no readable text")
    return text, encoding


_CJK_GUESSES = {"cp949", "euc_kr", "big5", "big5hkscs", "cp950", "shift_jis", "cp932", "euc_jp", "johab"}
# Single-byte encodings charset-normalizer may pick for short Western texts that cp1252 reads as well.
_WESTERN_EUROPEAN_GUESSES = {"cp1250", "cp1257", "latin_1", "iso8859_2", "iso8859_15", "mac_roman", "cp850"}


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _looks_utf16(data: bytes) -> bool:
    sample = data[:4000]
    if len(sample) < 4:
        return False
    evens, odds = sample[0::2].count(0), sample[1::2].count(0)
    return max(evens, odds) > len(sample) / 4 and min(evens, odds) < len(sample) / 40


def _printable_ratio(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 1.0
    bad = sum(
        1 for ch in sample if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in "\n\t\f"
    )
    return 1 - bad / len(sample)


# --- Structure -------------------------------------------------------------------------------------


@dataclass
class Source:
    publisher: str = ""
    url: str = ""
    date: str = ""  # ISO yyyy-mm-dd, or ""
    author: str = ""


@dataclass
class ParsedDocument:
    title: str
    standfirst: str
    blocks: list[tuple[str, str]]  # ("h2" | "p", text)
    source: Source = field(default_factory=Source)
    dropped: list[str] = field(default_factory=list)
    encoding: str = "utf-8"

    @property
    def paragraphs(self) -> list[str]:
        return [text for kind, text in self.blocks if kind == "p"]

    def body_html(self) -> str:
        parts = [f"<{kind}>{html.escape(text, quote=False)}</{kind}>" for kind, text in self.blocks]
        return sanitize_html("".join(parts))

    def plain_text(self) -> str:
        return "\n\n".join([self.title, self.standfirst, *(text for _, text in self.blocks)]).strip()


_MONTHS = {m: n for n, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"], 1
)}  # fmt: skip
_SOCIAL = r"facebook|twitter|linkedin|instagram|whatsapp|wechat|weibo|youtube|tiktok|pinterest|reddit|telegram|x\.com"
_CLUTTER_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in [
        r"^(?:leave|post|add|write) (?:your |a )?(?:message|comment|reply|review)s?\W*$",
        r"^(?:fill (?:out|in)|complete) (?:my|our|the|this) (?:online )?form\W*$",
        r"^(?:submit|send|reset|search|menu|close|login|log in|sign in|sign up|register)\W*$",
        r"^(?:your |enter (?:your )?)?(?:name|e-?mail|phone|message|comments?)\s*[*:]?\s*$",
        r"^(?:please )?(?:enter|type) your .{0,40}$",
        r"^(?:subscribe|sign up)\b.{0,60}(?:newsletter|updates|alerts)?\W*$",
        r"^(?:share|tweet|like|follow|pin|email|print)(?: (?:this|us|on|via|article|story|page|it))*\b.{0,80}$",
        rf"^(?:(?:{_SOCIAL})\W*){{1,}}$",
        r"^(?:advertisement|advertising|sponsored(?: content)?|paid (?:content|post|partnership)|promoted|ad)\W*$",
        r"^(?:🛡\s*)?powered by\b.*$",
        r"^(?:related|recommended|popular|trending|more) (?:articles?|stories|news|posts|reading|from .*)\W*$",
        r"^(?:read more|see also|you may also like|you might also like|previous article|next article|back to top)\b.*$",
        r"^(?:home|news)\s*(?:[>»/›|]\s*[\w &-]+){1,}$",
        r"^(?:©|\(c\)|copyright\b).*$",
        r".*\ball rights reserved\b.*$",
        r"^.*\b(?:we use cookies|cookie (?:policy|settings)|accept (?:all )?cookies)\b.*$",
        r"^\W*(?:the )?end\W*$",
        r"^(?:image|photo|picture|figure|fig\.|video)(?: \d+)?\s*(?:credit)?\s*[:|-].{0,120}$",
        r"^\[(?:image|photo|caption|video|embed)[^\]]*\].*$",
        r"^(?:tags?|keywords|categories|category|filed under)\s*:.*$",
        r"^(?:click|tap) here\b.*$",
        r"^(?:www\.\S+|https?://\S+)(?:\s*(?:\|\|?|,|and)\s*(?:www\.\S+|https?://\S+))*\s*$",
        r"^.{0,60}\b(?:loan|disbursed|customers|insurance partner|registered .{0,20} partner)\b.{0,80}\|.*$",
    ]
]
_TEMPLATE_TOKEN = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|%%[A-Z0-9_]+%%|\$\{[^}]*\}|<%.*?%>|\[/?(?:caption|embed|shortcode)[^\]]*\]"
)
_BARE_TOKEN = re.compile(r"^(?:[a-z]+[_-]?\d+|[a-z]+_[a-z_]+|[A-Z_]{3,}_[A-Z_]+)$")
_SOURCE_LINE = re.compile(
    r"^(?:source|original(?: link| article| source)?|from|via|reprinted from|来源|出处|原文|原文链接)\s*[:：]\s*(?P<rest>.*)$",
    re.I,
)
_PUBLISHED_LINE = re.compile(
    r"^(?:published|posted|updated|released|date|first published)(?: on| at)?\s*[:：]?\s*(?P<rest>.+)$", re.I
)
_BYLINE_LINE = re.compile(
    r"^(?:uploaded|posted|written|edited|reported) by\s*[:：]?\s*(?P<rest>.+)$|^author\s*[:：]\s*(?P<author>.+)$",
    re.I,
)


def _clean_line(line: str) -> str:
    line = _TEMPLATE_TOKEN.sub("", line)
    line = line.replace("\u00a0", " ").replace("\u200b", "")
    return re.sub(r"[ \t]+", " ", line).strip()


def _is_clutter(line: str) -> bool:
    return any(p.match(line) for p in _CLUTTER_PATTERNS) or bool(_BARE_TOKEN.match(line))


def _iso_date(text: str) -> str:
    m = re.search(r"\b(19|20)(\d\d)[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)", text)
    if m:
        return f"{m.group(1)}{m.group(2)}-{int(m.group(3)):02d}-{int(m.group(4)):02d}"
    m = re.search(r"\b([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b", text)
    if m and m.group(1).lower()[:3] in {k[:3] for k in _MONTHS}:
        month = next(n for k, n in _MONTHS.items() if k.startswith(m.group(1).lower()[:3]))
        return f"{m.group(3)}-{month:02d}-{int(m.group(2)):02d}"
    m = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+((?:19|20)\d\d)\b", text)
    if m and m.group(2).lower()[:3] in {k[:3] for k in _MONTHS}:
        month = next(n for k, n in _MONTHS.items() if k.startswith(m.group(2).lower()[:3]))
        return f"{m.group(3)}-{month:02d}-{int(m.group(1)):02d}"
    return ""


class _HTMLText(HTMLParser):
    """Block texts of an HTML page, skipping scripts, styles, navigation, forms and asides."""

    SKIP = {"script", "style", "nav", "footer", "aside", "form", "noscript", "template", "svg", "iframe", "button",
            "select", "textarea", "object", "embed", "figure", "figcaption"}  # fmt: skip
    BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "td", "th", "section", "article",
              "header", "main", "br", "tr", "dd", "dt", "pre"}  # fmt: skip

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[str, str]] = []
        self.skipping = 0
        self.current: list[str] = []
        self.kind = "p"
        self.title = ""
        self.in_title = False
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = (attrs.get("property") or attrs.get("name") or "").lower()
            if key and attrs.get("content"):
                self.meta[key] = attrs["content"]
        elif tag == "link" and (attrs.get("rel") or "").lower() == "canonical" and attrs.get("href"):
            self.meta.setdefault("og:url", attrs["href"])
        if tag in self.SKIP:
            self.skipping += 1
        elif tag == "title":
            self.in_title = True
        elif tag in self.BLOCKS:
            self._flush()
            self.kind = {"h1": "h1", "h2": "h2", "h3": "h2", "h4": "h2"}.get(tag, "p")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "title":
            self.in_title = False
        elif tag in self.BLOCKS:
            self._flush()
            self.kind = "p"

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        elif not self.skipping:
            self.current.append(data)

    def _flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.lines.append((self.kind, text))
        self.current = []


def _lines_from_html(text: str) -> tuple[list[tuple[str, str]], dict, str]:
    parser = _HTMLText()
    parser.feed(text)
    parser.close()
    parser._flush()
    return parser.lines, parser.meta, " ".join(parser.title.split())


def _lines_from_text(text: str, markdown: bool) -> list[tuple[str, str]]:
    """Blocks from plain text or Markdown: blank lines separate paragraphs; single lines that look like
    headings stand alone; '#' headings in Markdown."""
    out: list[tuple[str, str]] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if markdown:
            line = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", line)  # images: alt texts are clutter
            line = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", line)
            line = re.sub(r"(\*\*|__|\*|_|`)(\S.*?\S|\S)\1", r"\2", line)
            heading = re.match(r"^(#{1,6})\s+(.*)$", line)
            if heading:
                out.append(("h1" if len(heading.group(1)) == 1 else "h2", heading.group(2).strip("# ")))
                continue
            line = re.sub(r"^(?:[-*+]|\d+[.)])\s+", "", line)
            if re.fullmatch(r"[-*_=]{3,}", line):
                continue
        out.append(("p", line) if line else ("", ""))
    return out


_LABEL_LINE = re.compile(r"^[A-Z][\w ]{1,30}\s*[:：]\s*\S.{0,80}$")


def _looks_like_heading(text: str) -> bool:
    return 0 < len(text) <= 120 and not re.search(r"[.;:,]$", text) and len(text.split()) <= 16


_GLUED_CAMEL = re.compile(r"^(?P<head>[A-Z][^.!?]{3,80}?[a-z)])(?P<rest>[A-Z][a-z]+\s.*)$")
_GLUED_TITLE = re.compile(
    r"^(?P<head>(?:[A-Z][\w'’-]*\s+){1,7}[A-Z][\w'’-]*)\s+(?P<rest>(?:The|A|An|In|On|After|Since|When|She|He|It|"
    r"This|These|Our|Doctors|Patients|Researchers|According)\s.*)$"
)


def _split_glued_heading(text: str) -> tuple[str, str] | None:
    """'Treatment choicesThe team decided...' or 'Treatment Choices The team decided...' -> heading, text."""
    for pattern in (_GLUED_CAMEL, _GLUED_TITLE):
        m = pattern.match(text)
        if m and len(m.group("rest")) > 40 and not re.search(r"[.!?]", m.group("head")):
            head = m.group("head").strip()
            if pattern is _GLUED_TITLE and sum(w[:1].isupper() for w in head.split()) < len(head.split()):
                continue
            return head, m.group("rest").strip()
    return None


def parse_document(data: bytes | str, filename: str = "") -> ParsedDocument:
    if isinstance(data, bytes):
        text, encoding = decode(data)
    else:
        text, encoding = data.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff"), "utf-8"
        if not text.strip():
            raise UnreadableDocument("empty")
        if not any(ch.isalnum() for ch in text):
            raise UnreadableDocument("no readable text")
    name = filename.lower()
    is_html = name.endswith((".html", ".htm")) or re.match(r"\s*(?:<!doctype html|<html)", text, re.I)
    source = Source()
    html_title = ""
    if is_html:
        raw_lines, meta, html_title = _lines_from_html(text)
        source.publisher = meta.get("og:site_name", "")
        url = meta.get("og:url", "")
        source.url = url if url.startswith(("http://", "https://")) else ""
        source.date = _iso_date(meta.get("article:published_time", "") or meta.get("date", ""))
        source.author = meta.get("author", "")
    else:
        raw_lines = _lines_from_text(text, markdown=name.endswith((".md", ".markdown")))

    # Pass 1: clean, drop clutter, take source lines out of the text.
    lines: list[tuple[str, str]] = []
    dropped: list[str] = []
    expecting_source = False
    for kind, raw in raw_lines:
        line = _clean_line(raw)
        if not line:
            lines.append(("", ""))
            continue
        if expecting_source:
            expecting_source = False
            if len(line) <= 200 and not line.endswith("."):
                source.publisher = source.publisher or line
                dropped.append(line)
                continue
        if m := _SOURCE_LINE.match(line):
            rest = m.group("rest").strip()
            if rest.startswith(("http://", "https://", "www.")):
                source.url = source.url or (rest if rest.startswith("http") else f"https://{rest}")
            elif rest:
                source.publisher = source.publisher or rest[:200]
            else:
                expecting_source = True
            dropped.append(line)
            continue
        if (m := _PUBLISHED_LINE.match(line)) and len(line) < 80 and _iso_date(m.group("rest")):
            source.date = source.date or _iso_date(m.group("rest"))
            dropped.append(line)
            continue
        if (m := _BYLINE_LINE.match(line)) and len(line) < 80:
            source.author = source.author or (m.group("rest") or m.group("author") or "").strip()
            dropped.append(line)
            continue
        if _is_clutter(line):
            dropped.append(line)
            continue
        lines.append((kind, line))

    # Group lines into blocks: consecutive non-blank text lines in plain text are separate lines of
    # their own when short and heading-like, otherwise one paragraph per line.
    blocks: list[tuple[str, str]] = []
    for index, (kind, line) in enumerate(lines):
        if not line:
            continue
        following = next((t for k, t in lines[index + 1 :] if t), "")
        if kind in ("h1", "h2"):
            blocks.append((kind, line))
        elif (
            _looks_like_heading(line) and len(following) > 120 and not is_html and not _LABEL_LINE.match(line)
        ):
            blocks.append(("h2", line))
        elif (
            not is_html
            and len(line) <= 120
            and re.search(r"[.!?]$", line)
            and line.count(". ") == 0
            and len(following) > 200
            and index + 1 < len(lines)
            and lines[index + 1][1]
            and blocks
        ):
            blocks.append(("h2", line.rstrip(".")))  # a one-sentence line glued above its paragraph
        else:
            blocks.append(("p", line))

    # Related-article links and repeated summaries at the end: short, title-like lines.
    while blocks and blocks[-1][0] in ("h2", "p") and _looks_like_heading(blocks[-1][1]) and len(blocks) > 2:
        dropped.append(blocks.pop()[1])

    # Headline.
    title = ""
    h1 = next((i for i, (k, _) in enumerate(blocks) if k == "h1"), None)
    if h1 is not None:
        title = blocks.pop(h1)[1]
    elif html_title and is_html:
        title = re.split(r"\s+[|–—-]\s+", html_title)[0]
    elif (
        (
            blocks
            and len(blocks[0][1]) <= 200
            and len(blocks) > 1
            and not blocks[0][1].endswith((".", ",", ";"))
        )
        or blocks
        and len(blocks[0][1]) <= 200
        and len(blocks) > 1
        and blocks[0][0] == "h2"
    ):
        title = blocks.pop(0)[1]
    if not title:
        title = _title_from_lead(blocks)
    if not blocks and not title.strip(" .…"):
        raise UnreadableDocument("no readable text")
    blocks = [(k, t) for k, t in blocks if t.strip().casefold() != title.strip().casefold()]

    # An image alt or kicker right under the headline: a short fragment before the first paragraph.
    while (
        blocks
        and blocks[0][0] == "h2"
        and len(blocks[0][1]) <= 60
        and len(blocks) > 1
        and blocks[1][0] == "p"
    ):
        first_words = set(re.findall(r"\w+", blocks[0][1].lower()))
        if first_words & set(re.findall(r"\w+", title.lower())):
            dropped.append(blocks.pop(0)[1])
        else:
            break

    # Subheadings glued to the start of a paragraph.
    split: list[tuple[str, str]] = []
    for kind, text in blocks:
        glued = _split_glued_heading(text) if kind == "p" else None
        split += [("h2", glued[0]), ("p", glued[1])] if glued else [(kind, text)]
    blocks = split

    standfirst = _standfirst(blocks)
    if standfirst and blocks and blocks[0] == ("p", standfirst):
        blocks = blocks[1:]
    return ParsedDocument(
        title=title, standfirst=standfirst, blocks=blocks, source=source, dropped=dropped, encoding=encoding
    )


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"“(])", text) if s.strip()]


def _title_from_lead(blocks: list[tuple[str, str]]) -> str:
    lead = next((t for k, t in blocks if k == "p"), "")
    sentence = _sentences(lead)[0] if lead else "Untitled document"
    sentence = sentence.rstrip(".")
    if len(sentence) > 110:
        sentence = sentence[:110].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return sentence


def _standfirst(blocks: list[tuple[str, str]]) -> str:
    paragraphs = [t for k, t in blocks if k == "p" and not _LABEL_LINE.match(t)]
    if not paragraphs:
        return ""
    first = paragraphs[0]
    if len(first) <= 300 and len(paragraphs) > 1 and blocks[0] == ("p", first):
        return first
    summary = ""
    for sentence in _sentences(first):
        if len(summary) + len(sentence) > 280:
            break
        summary = f"{summary} {sentence}".strip()
    return summary or first[:280].rsplit(" ", 1)[0] + "…"


# --- Vocabulary terms ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    id: int
    name: str
    synonyms: list[str]
    abbreviations: list[str]
    parent: int | None = None

    def __hash__(self):
        return hash(self.id)


_SEP = r"[\s\-‐‑–]*"
# Abbreviations that are also English words ("ALL", "AS", "MS"): taken only where the text uses them
# as a diagnosis, never for "ALL of the medicines" or a shouted headline.
_WORDLIKE = {
    "all",
    "as",
    "ms",
    "it",
    "us",
    "am",
    "an",
    "or",
    "ra",
    "mg",
    "ln",
    "hl",
    "mm",
    "fl",
    "scd",
    "mds",
}
_ABBREVIATION_BEFORE = re.compile(
    r"(?:\(|\bwith|\bfor|\bof|\bhas|\bhad|\bfrom|\bchildhood|\badult|\bpaediatric|\bpediatric|\brelapsed|"
    r"\brefractory|\bhigh-risk|\bdiagnosed|\bcalled|\btreat(?:s|ed|ing)?|\bagainst)\s*$",
    re.IGNORECASE,
)
_ABBREVIATION_AFTER = re.compile(
    r"^\s*(?:of|the|these|those|our|their|other|its|his|her|patients|people|children|adults|are|is|were|was|"
    r"and|you|we|they|in|at|to)\b",
    re.IGNORECASE,
)


def _abbreviation_in_context(text: str, start: int, end: int) -> bool:
    if text[end : end + 1] == ")" or text[max(0, start - 1) : start] == "(":
        return True
    before, after = text[max(0, start - 25) : start], text[end : end + 20]
    return bool(_ABBREVIATION_BEFORE.search(before)) and not _ABBREVIATION_AFTER.match(after)


_VACCINE_CONTEXT = re.compile(r"\bvaccin|\bimmuni[sz]ation|\bjabs?\b", re.IGNORECASE)


def _alias_pattern(alias: str, case_sensitive: bool) -> re.Pattern:
    words = re.split(r"[\s\-‐‑–]+", alias.strip())
    body = _SEP.join(re.escape(w) for w in words if w)
    plural = "" if case_sensitive or len(alias) < 5 else r"(?:s|es)?"
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.compile(rf"(?<![\w\-]){body}{plural}(?![\w]|-\w)", flags)


_compiled: dict[tuple, list] = {}


def _patterns(terms: list[Term]):
    key = tuple((t.id, t.name, tuple(t.synonyms), tuple(t.abbreviations)) for t in terms)
    if key not in _compiled:
        patterns = []
        for term in terms:
            for alias in {term.name, *term.synonyms}:
                if alias.strip():
                    patterns.append((term.id, _alias_pattern(alias, case_sensitive=False), False))
            for abbreviation in term.abbreviations:
                if abbreviation.strip():
                    wordlike = abbreviation.strip().lower() in _WORDLIKE
                    patterns.append((term.id, _alias_pattern(abbreviation, case_sensitive=True), wordlike))
        _compiled.clear()
        _compiled[key] = patterns
    return _compiled[key]


def match_terms(text: str, terms: list[Term]) -> list[int]:
    """Ids of the terms `text` names, in order of first mention. Whole words only; names and synonyms
    ignore case, abbreviations do not ("ALL" is leukemia, "all" is not); where two terms match the same
    words the longer match wins. A broader term gives way to a narrower one that is also named (B-cell
    ALL, not also leukemia). A disease named only as something vaccinated against is not tagged."""
    hits = []
    for term_id, pattern, wordlike in _patterns(terms):
        for m in pattern.finditer(text):
            if wordlike and not _abbreviation_in_context(text, m.start(), m.end()):
                continue
            hits.append((m.start(), m.end(), term_id))
    hits.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
    taken: list[tuple[int, int]] = []
    first_seen: dict[int, int] = {}
    counts: dict[int, int] = {}
    for start, end, term_id in hits:
        if any(start < e and s < end for s, e in taken):
            continue
        sentence_start = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
        sentence_end = min(i for i in (text.find(". ", end), text.find("\n", end), len(text)) if i >= 0)
        if _VACCINE_CONTEXT.search(text[sentence_start:sentence_end]) and not _VACCINE_CONTEXT.search(
            text[start:end]
        ):
            continue
        taken.append((start, end))
        first_seen[term_id] = min(first_seen.get(term_id, start), start)
        counts[term_id] = counts.get(term_id, 0) + 1
    parents = {t.id: t.parent for t in terms}
    broader = set()
    for term_id in first_seen:
        parent = parents.get(term_id)
        while parent is not None:
            if parent in counts and counts[term_id] >= counts[parent]:
                broader.add(parent)  # the narrower term carries the topic at least as often
            parent = parents.get(parent)
    return sorted((t for t in first_seen if t not in broader), key=first_seen.get)


# --- Patient stories -------------------------------------------------------------------------------


@dataclass
class PatientFacts:
    age: int | None = None
    age_band: str | None = None
    sex: str | None = None
    treatment_year: int | None = None
    outcome: str = ""


_FEMALE = (
    r"woman|female|girl|lady|mother|grandmother|grandma|granny|wife|daughter|aunt|auntie|Ms\.?|Mrs\.?|Miss"
)
_MALE = r"man|male|boy|gentleman|father|grandfather|grandpa|husband|son|uncle|Mr\.?"
_INDIVIDUAL = re.compile(
    rf"\b(?:[Aa]n?|[Tt]he)\s+(?P<age>\d{{1,3}})[\s-]year[\s-]old\s+(?:(?:\w+\s+){{0,2}})?(?P<who>{_FEMALE}|{_MALE}|patient|child)\b"
    rf"|\b(?P<named>(?:Ms|Mrs|Mr|Miss)\.?\s+[A-Z]\w*|[A-Z][a-z]+),\s+an?\s+(?P<age4>\d{{1,3}})[\s-]year[\s-]old\b"
    rf"|\b(?P<age2>\d{{1,3}})[\s-]year[\s-]old\s+(?P<honorific>(?:Ms|Mrs|Miss|Mr)\.?\s+[A-Z]\w*)"
    rf"|\b(?P<kin>Grandma|Grandpa|Granny|Uncle|Auntie|Aunt|Little)\s+[A-Z][a-z]+"
    rf"|\b(?P<hon>(?:Ms|Mrs|Miss|Mr)\.?\s+[A-Z]\w*)\b"
    rf"|^\s*Age\s*[:：]\s*(?P<age3>\d{{1,3}})",
    re.MULTILINE,
)
_AGGREGATE = re.compile(
    r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|dozens of|hundreds of)\s+(?:\w+\s+){0,2}"
    r"(?:patients|participants|children|adults|people|subjects|women|men)\b|\bcohort\b|\baged between\b",
    re.IGNORECASE,
)
_GENDER_LABEL = re.compile(r"^\s*(?:gender|sex)\s*[:：]\s*(female|male|f|m)\b", re.IGNORECASE | re.MULTILINE)
_OUTCOME_WORDS = re.compile(
    r"\b(?:remission|relapse[sd]?|recurrence|recurred|disease[- ]free|cured|recovered|normal|no longer|"
    r"stopped|off (?:all )?(?:steroids|medication)|discharged|improved|disappeared|resolved|survived)\b",
    re.IGNORECASE,
)
_THERAPY_WORDS = re.compile(
    r"CAR[\s-]?T|transplant|chemotherapy|infusion|immunotherapy|radiotherapy|surgery|therapy|treatment", re.I
)


def patient_story(text: str) -> PatientFacts | None:
    """The facts of the one patient `text` follows, or None for explainers, trials and cohorts."""
    individuals = list(_INDIVIDUAL.finditer(text))
    aggregate = _AGGREGATE.findall(text)
    singular_mentions = len(re.findall(r"\b(?:she|her|he|his|him)\b", text, re.IGNORECASE))
    named = [
        m for m in individuals if m.group("kin") or m.group("hon") or m.group("honorific") or m.group("named")
    ]
    if not individuals or (aggregate and not named and len(individuals) < 2):
        return None
    if singular_mentions < 3 and len(individuals) < 2:
        return None
    facts = PatientFacts()
    for m in individuals:
        age = m.group("age") or m.group("age2") or m.group("age3") or m.group("age4")
        if age and facts.age is None:
            facts.age = int(age)
    if facts.age is not None:
        facts.age_band = "90+" if facts.age >= 90 else f"{facts.age // 10 * 10}-{facts.age // 10 * 10 + 9}"
    facts.sex = _sex(text, individuals)
    facts.treatment_year = _treatment_year(text)
    facts.outcome = _outcome(text)
    return facts


def _sex(text, individuals) -> str | None:
    if label := _GENDER_LABEL.search(text):
        return "female" if label.group(1).lower().startswith("f") else "male"
    for m in individuals:
        word = (
            m.group("who")
            or m.group("kin")
            or m.group("hon")
            or m.group("honorific")
            or m.group("named")
            or "-"
        )
        word = word.split()[0]
        if re.fullmatch(_FEMALE, word, re.IGNORECASE):
            return "female"
        if re.fullmatch(_MALE, word, re.IGNORECASE):
            return "male"
    she = len(re.findall(r"\b(?:she|her|hers)\b", text, re.IGNORECASE))
    he = len(re.findall(r"\b(?:he|his|him)\b", text, re.IGNORECASE))
    if max(she, he) >= 3 and max(she, he) >= 2 * min(she, he):
        return "female" if she > he else "male"
    return None


_PERSON_IN_SENTENCE = re.compile(
    r"\b(?:[Ss]he|[Hh]er|[Hh]e|[Hh]is|[Hh]im|the patient)\b"
    r"|\b(?:Grandma|Grandpa|Granny|Uncle|Aunt|Auntie|Ms|Mrs|Mr|Miss)\.?\s+[A-Z]"
)


def _treatment_year(text) -> int | None:
    """The year the patient received the key treatment: a year in a sentence that names both the
    patient and a therapy; failing that, the latest year the story mentions."""
    years = []
    for sentence in _sentences(text.replace("\n", " ")):
        found = [(m.start(), int(m.group(0))) for m in re.finditer(r"\b(?:19|20)\d\d\b", sentence)]
        if not found or not _PERSON_IN_SENTENCE.search(sentence):
            continue
        for therapy in _THERAPY_WORDS.finditer(sentence):
            after = [year for at, year in found if at > therapy.start()]
            before = [year for at, year in found if at < therapy.start()]
            years += after[:1] or before[-1:]
    if years:
        return min(years)
    every = [int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", text)]
    return max(every) if every else None


def _outcome(text) -> str:
    candidates = [
        s for s in _sentences(text.replace("\n", " ")) if _OUTCOME_WORDS.search(s) and len(s) <= 300
    ]
    if not candidates:
        return ""
    later = [s for s in candidates if not _THERAPY_WORDS.search(s)] or candidates
    return later[-1].strip(' "“”')
