"""Raw source documents (press texts, scraped pages) into the parts of a draft: pure Python, no database.

    decode(bytes)            -> text, whatever the encoding, with LF line ends (Word and PDF: their text)
    parse_document(data)     -> ParsedDocument: title, standfirst, body blocks, source, dropped clutter
    match_terms(text, terms) -> ids of the vocabulary terms the text names

Whether a text is about one patient is for another app to judge.

Everything here is rules over lines and sentences, written for the genre (hospital press releases,
machine-translated news, scraped pages) rather than for any one document.
"""

import html
import io
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser

import charset_normalizer
import nh3
from defusedxml import ElementTree

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
            try:
                text, encoding = data.decode(name, errors="strict"), name
            except UnicodeDecodeError:
                raise UnreadableDocument(
                    f"marked as {name.upper()} text but damaged or cut short; save it again as UTF-8"
                ) from None
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


# "Systemic Lupus Erythematosus (SLE)-03", "蝶友故事｜狼疮性肾炎（LN）-07", "Case 14": a file's label, not a headline
_LABEL_HEADLINE = re.compile(
    r"^(?:[\w'’ |｜-]{2,60}[(（][A-Z]{2,16}[)）]\s*[-–_]?\s*\d{1,4}|(?:case|patient|file)\s*[#-]?\s*\d{1,4})$",
    re.I,
)
_CLICKBAIT = re.compile(
    r"you won['’]t believe|doctors? (?:are )?(?:stunned|shocked|baffled)|what happened next|this one (?:simple|weird)|"
    r"\bshocking\b|\bmiracle\b|^\d{1,2} (?:signs|things|ways|reasons|foods|secrets)\b|will blow your mind|"
    r"竟然|震惊|万万没想到|萬萬沒想到|看完.{0,6}(?:哭|沉默)|必看|速看|注意了",
    re.IGNORECASE,
)


def han_count(text: str) -> int:
    """How many Chinese characters `text` holds."""
    return sum("\u4e00" <= ch <= "\u9fff" for ch in text)


def is_chinese(text: str) -> bool:
    """Whether Chinese characters are at least half as many as Latin letters in `text`."""
    han = han_count(text)
    return han > 0 and han * 2 >= sum(ch.isascii() and ch.isalpha() for ch in text)


# --- Word and PDF ----------------------------------------------------------------------------------

MAX_PDF_PAGES = 60
MAX_UNZIPPED_BYTES = 40 * 1024 * 1024  # a Word file is a zip: what it unpacks to, images included


def document_format(data: bytes, filename: str = "") -> str:
    """ "pdf", "docx", "html", "md" or "txt", by the bytes first and the name after."""
    name = filename.lower()
    if data[:5] == b"%PDF-":
        return "pdf"
    if data[:4] == b"PK\x03\x04" and (name.endswith(".docx") or b"word/" in data[:2000]):
        return "docx"
    if name.endswith((".html", ".htm")):
        return "html"
    if name.endswith((".md", ".markdown")):
        return "md"
    if not name.endswith(".txt") and re.match(rb"\s*(?:<!doctype html|<html)", data[:200], re.I):
        return "html"
    return "txt"


def _text_of_pdf(data: bytes) -> str:
    """The text layer of a PDF, page by page. A scan has none: the editor is told to run OCR first."""
    from pypdf import PdfReader  # noqa: PLC0415 - readers' web workers never load it (scaling.md)

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument(
                "the PDF is password-protected; save it without a password and import that"
            )
        if len(reader.pages) > MAX_PDF_PAGES:
            raise UnreadableDocument(
                f"the PDF has more than {MAX_PDF_PAGES} pages; import the press release alone"
            )
        text = "\n\n".join(_reflowed((page.extract_text() or "").strip()) for page in reader.pages)
    except UnreadableDocument:
        raise
    except Exception as error:  # noqa: BLE001 - pypdf raises many kinds on a damaged or hostile file
        raise UnreadableDocument("the PDF is damaged and cannot be read") from error
    if sum(ch.isalnum() for ch in text) < 40:
        raise UnreadableDocument(
            "the PDF has no text layer (a scan or a photo); run it through OCR, or paste its text into a "
            ".txt file, and import that"
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


_LINE_ENDS = (".", "!", "?", ":", '"', "”", "。", "！", "？", "：", "」")


def _cjk(ch: str) -> bool:
    """A Chinese character or Chinese punctuation ("，" "、" "“")."""
    return bool(ch) and (
        "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef" or ch in "“”"
    )


def _cells(line: str) -> int:
    """The width of a line in a monospace sense: a Chinese character takes two cells."""
    return len(line) + sum(1 for ch in line if "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")


def _reflowed(page: str) -> str:
    """A PDF page's lines as paragraphs. An English line goes on in the next when that starts in lower case
    or the line stops at a comma or hyphen; a Chinese line as wide as the page's widest goes on in the next
    Chinese line."""
    lines = [line.strip() for line in page.split("\n")]
    widths = sorted(_cells(line) for line in lines if _cells(line) >= 20)
    # the body's measure (the widest but one, so a stray wide line does not set it); too few lines, none
    width = widths[-2] if len(widths) >= 4 else 10**6
    out: list[str] = []
    last = 0  # the width of the line before, as printed
    for line in lines:
        if not line:
            continue
        previous = out[-1] if out else ""
        chinese = _cjk(previous[-1:]) and "\u4e00" <= line[:1] <= "\u9fff"
        full = last >= 0.88 * width and not previous.endswith(_LINE_ENDS)
        # a headline's last words wrapped alone: "…研究成果在国际" then "期刊发表"
        tail = chinese and len(line) <= 8 and last >= 16 and not re.search(r"[^\w\u4e00-\u9fff-]", line)
        last = _cells(line)
        if previous and (
            (chinese and (full or tail or previous.endswith(("，", "、", "；", "（", "“"))))
            or (
                not chinese
                and (
                    line[:1].islower()
                    or previous.endswith((",", ";", "(", "–"))
                    or re.search(r"[a-z]-$", previous)
                    or previous.rsplit(" ", 1)[-1] in _FUNCTION_WORDS  # "…young people with" / "Hodgkin …"
                    or (full and last > 40)
                )
            )
        ):
            out[-1] = previous + ("" if chinese or previous.endswith("-") else " ") + line
        else:
            out.append(line)
    return "\n\n".join(out)


def _lines_from_docx(data: bytes) -> list[tuple[str, str]]:
    """A Word document's paragraphs as blocks: its Title and Heading 1 style as the headline, other
    headings as subheads, list styles as list items."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
            raise UnreadableDocument(
                f"the Word file unpacks to more than {MAX_UNZIPPED_BYTES // (1024 * 1024)} MB; save it as text"
            )
        if "word/document.xml" not in archive.namelist():
            raise UnreadableDocument("not a Word document (.docx); save it as .docx, PDF or text")
        import docx  # noqa: PLC0415 - only the desk's imports need it

        document = docx.Document(io.BytesIO(data))
    except UnreadableDocument:
        raise
    except Exception as error:  # noqa: BLE001 - a damaged zip or XML raises many kinds
        raise UnreadableDocument("the Word file is damaged and cannot be read") from error
    lines: list[tuple[str, str]] = []
    for paragraph in document.paragraphs:
        text = " ".join(paragraph.text.split())
        if not text:
            lines.append(("", ""))
            continue
        style = (paragraph.style.name if paragraph.style is not None else "").lower()
        if style in ("title", "heading 1"):
            lines.append(("h1", text))
        elif style.startswith(("heading", "subtitle")):
            lines.append(("h2", text))
        else:
            lines.append(("li" if "list" in style else "p", text))
    if not any(text for _, text in lines):
        raise UnreadableDocument("the Word file holds no text")
    return lines


# --- Structure -------------------------------------------------------------------------------------


@dataclass
class Source:
    publisher: str = ""
    url: str = ""
    date: str = ""  # ISO yyyy-mm-dd, or ""
    author: str = ""
    title: str = ""  # the cited source's own headline, when a "Source:" block gives one


@dataclass
class ParsedDocument:
    title: str
    standfirst: str
    blocks: list[tuple[str, str]]  # ("h2" | "p" | "li", text); consecutive "li" blocks form one list
    source: Source = field(default_factory=Source)
    dropped: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    format: str = "txt"  # pdf, docx, html, md or txt
    raw_text: str = ""  # the whole text read from the document, clutter and all (for fact-checkers)

    @property
    def headline_problem(self) -> str:
        """Why the headline needs an editor's look ("a label", "clickbait"), or "" when it reads as one."""
        if _LABEL_HEADLINE.match(self.title):
            return "label"
        if _CLICKBAIT.search(self.title):
            return "clickbait"
        return ""

    @property
    def suggested_title(self) -> str:
        """A headline built from the lede, offered where the source's own needs a look."""
        return _title_from_lead([("p", self.standfirst), *self.blocks]) if self.headline_problem else ""

    @property
    def language(self) -> str:
        """ "zh" when Chinese characters outnumber Latin letters in the text, else "en"."""
        return "zh" if is_chinese(self.plain_text()) else "en"

    @property
    def paragraphs(self) -> list[str]:
        return [text for kind, text in self.blocks if kind == "p"]

    def body_html(self) -> str:
        parts, in_list = [], False
        for kind, text in self.blocks:
            if (kind == "li") != in_list:
                parts.append("<ul>" if kind == "li" else "</ul>")
                in_list = kind == "li"
            tag = kind if kind in ("h2", "h3", "p", "li") else "p"
            parts.append(f"<{tag}>{html.escape(text, quote=False)}</{tag}>")
        if in_list:
            parts.append("</ul>")
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
        r"^(?:advertisement|advertising|sponsored(?: content)?|paid (?:content|post|partnership)|promoted|ad|广告|廣告)"
        r"(?:\W+scroll to continue)?\W*$",
        r"^(?:🛡\s*)?powered by\b.*$",
        r"^(?:related|recommended|popular|trending|more) (?:articles?|stories|news|posts|reading|from .*)\W*$",
        r"^(?:read more|read next|see also|you may also like|you might also like|previous article|next article|"
        r"back to top)\b.*$",
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
        # A press release's header, reading times, counters and a news page's rails
        r"^(?:for immediate release|press release|news release|media release|embargo(?:ed)?\b.{0,80})"
        r"(?:\W+(?:\w+\W+){0,4}\d{4}|\s*[·|•–—]\s*(?:embargoed|for immediate release)\b[^.]{0,80})?\W*$",
        r"^(?:\d+\s*(?:min(?:ute)?s?|mins?)(?:\s+(?:read|listen))?|listen to (?:this|the) (?:article|story))"
        r"(?:\W*(?:\d{1,2}:\d{2}(?::\d{2})?|\d+\s*min(?:ute)?s?))?\W*$",
        # a letterhead's address: "Department of Communications - 2200 Linden Avenue, Northfield"
        r"^(?!.*[.!?]$).{0,60}\b\d{1,5}\s+(?:[A-Z][\w'’-]+\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|"
        r"Dr|Lane|Ln|Way|Place|Pl|Parkway|Square)\b.{0,80}$",
        r"^[\d.,]+\s*[kKmM万]?\s*(?:views?|reads?|shares?|likes?)\W*$",
        r"^(?:comments?|replies)\s*\(\d+\)\W*$",
        r"^(?:most read|most popular|up next|related|trending(?: now)?|editor'?s picks?|top stories|latest news)\W*$",
        r"^(?:阅读|浏览|阅读量|浏览量|阅读数)\s*[:：]?\s*[\d.,]+\s*[万wW]?\W*$|^[\d.,]+\s*[万]?\s*(?:阅读|浏览|人阅读)\W*$",
        r"^(?:点击蓝字|点击上方|长按识别|长按二维码|扫码关注|扫描二维码|往期推荐|往期回顾|推荐阅读|相关阅读|相关新闻|热门推荐|"
        r"猜你喜欢|精彩推荐|【?免责声明】?).*$",
        r"^(?:(?:分享|收藏|在看|点赞|转发|评论)\s*){2,}$",
        r"^(?:编辑|责编|责任编辑|审核|校对|初审|复审|终审|供稿|摄影|图片|文字|美编)\s*[:：|｜].{0,60}$",
        # Bylines, captions with their credit, page furniture, calls to action, share rails and paywalls
        r"^(?=.{0,60}$)(?:本报|本刊)?(?:记者|通讯员|實習生|实习生|文/图|文／图|文|图|撰文|作者|記者|通訊員)\s*[:：/／]?\s*"
        r"[\u4e00-\u9fff·]{2,4}(?:[\s、,，]{1,3}(?:(?:记者|通讯员|实习生|記者|通訊員)\s*)?[\u4e00-\u9fff·]{2,4}){0,4}$",
        r"^.{0,250}[(（]\s*(?:(?:staff|file|ap|reuters|getty|supplied|courtesy)\s+)?(?:photo|image|picture|photograph|"
        r"pic|courtesy)\b[^)）]{0,80}[)）]\s*$",
        r"^.{0,120}[(（]\s*[图圖]\s*[/／:：][^)）]{0,40}[)）]\s*$|^[^。！？]{0,60}(?:供图|供圖|(?<![拍摄])摄|(?<![拍攝])攝)$",
        r"^(?:图片来源|圖片來源|图源|圖源|来源：网络|題圖|题图)\s*[:：]?.*$",
        rf"^(?:(?:{_SOCIAL}|x|email|e-mail|sms|messenger|copy link|copy|print|share)\b\W*){{2,}}$",
        r"^(?:share (?:this|on)|分享到)\s*[:：]?.*$",
        r"^(?:subscribe|sign up|get)\b.{0,160}\b(?:newsletters?|inbox|e-?mail updates|alerts)\b.{0,60}$",
        r"^you have \d+ free (?:articles?|stories|reads?)\b.*$|^(?:already a subscriber|subscribe (?:now|today|for))\b.*$",
        r"^(?:page\s+)?\d{1,3}\s*(?:of|/)\s*\d{1,3}$|^第\s*\d{1,3}\s*页(?:\s*[/／,，]?\s*共\s*\d{1,3}\s*页)?$|^-\s*\d{1,3}\s*-$",
        r"^(?:media|press) (?:contacts?|enquiries|inquiries)\s*[:：].*$|^媒体联系\s*[:：].*$",
        r"^related\s*[:：].*$|^sort by\b.*$",
        r"^(?:learn|find out|read|discover) more\b.{0,80}$",
        r"^(?:call|phone|ring|contact us|email us)\b.{0,80}\b(?:appointment|book|more information|referral)\b.{0,40}$",
        r"^(?:(?:【[^】]{1,12}】)\s*){2,}$|^【?字号",
        r"^(?:版权声明|版權聲明|免责声明|免責聲明|转载声明|轉載聲明)\s*[:：].*$",
        r"^(?:skip (?:to|navigation)|jump to)\b.{0,40}$|^(?:跳到|跳至|跳过|跳轉|跳转到|跳轉到)(?:主要)?(?:内容|內容)\W*$",
        # Calls to action and asides a page sets apart, on their own line
        r"^(?:[^.!?]{0,80}\?\s+)?(?:(?:call|talk to|speak to|book)\b(?=.{0,60}\b(?:our|us)\b)|contact us|click here|"
        r"watch the|read our|find out more)\b.{0,140}(?<![:：])$",
        r"^[(\[]\s*(?:click|read|see|watch|listen|book)\b[^)\]]{0,120}[)\]]$|^\[\s*read\s*:.{0,120}\]$",
        r"^[(（]\s*(?:pictured|photo|above|below|left|right|centre|center)\b[^)）]{0,40}[)）]$",
        r"^[(]\s*(?:additional )?(?:reporting|writing|editing) by\b.{0,200}[)]$",
        r"^(?:our standards|all quotes delayed|suggested topics)\b.{0,120}$",
        r"^(?:[←‹«]\s*)?back to\b.{0,60}$",
        r"^(?:published|last reviewed|reviewed|review due|updated|last updated)\s*[:：].{0,140}$",
        r"^was this (?:page|information|article|leaflet) (?:helpful|useful)\b.*$",
        r"^this (?:leaflet|information|page|document|booklet) is (?:also )?available in (?:large print|braille|other "
        r"(?:languages|formats))\b.*$",
        r"^.{0,160}\bnewsletter\b.{0,100}\bsign up(?: here| now| today)?\W*$",
        r"^[^\w]{3,}$",  # a rule of asterisks or dashes
        r"^(?:x|facebook|twitter|linkedin|whatsapp|email|print)$",
        r"^(?:图为|圖為|▲|△).{0,100}$|^[（(][^)）]{0,20}(?:供图|供圖|提供)[)）]$|^[（(]\s*文末.{0,10}[)）]$",
        r"^(?:听全文|點擊收聽|点击收听|语音播报|語音播報)\W*$",
        # a forum thread's furniture
        r"^viewing \d+ (?:posts?|replies|topics?)\b.{0,60}$|^(?:author|posts|participant|keymaster|moderator)$",
        r"^.{0,40}\d{4},? at \d{1,2}:\d{2}\s*(?:[ap]m)?\s*#\d+$|^this (?:reply|topic|post) was (?:modified|edited)\b.*$",
        r"^reply to\s*:.{0,160}$|^you must be (?:logged|signed) in to (?:reply|post|comment)\b.*$",
        r"^community guidelines\s*:.*$|^.{0,120}\bis a registered charity\b.{0,80}$",
        # Reading times and counters in a meta line, paywalls and sign-up small print, contact lines,
        # disclaimers, appeals and acknowledgements
        r"^(?=.{0,90}$).*\b\d+\s*(?:min(?:ute)?s?)\s+read\b.*$|^reading time\s*[:：].{0,30}$",
        r"^you(?: are reading| have read| have|['’]ve read) \d+ (?:of (?:your )?\d+ )?free\b.*$|^(?:register|sign in|log in|subscribe)\b.{0,40}"
        r"\bto continue reading\b.*$|^continue reading\b.{0,30}$",
        r"^.{0,300}\b(?:unsubscribe at any time|you can unsubscribe)\b.{0,100}$",
        r"^[^\w]*+(?:[\d.,]++[kKmM]?|share|like|likes|comments?|reply)(?:[^\w]++(?:[\d.,]++[kKmM]?|share|like|likes|comments?|"
        r"reply))+[^\w]*$",
        r"^disclaimer\s*[:：].*$|^.{0,120}\bnot (?:a|intended (?:as|to be) a) substitute for (?:professional )?medical advice\b.*$",
        r"^(?:photos?|images?|pictures?)\s+(?:courtesy|credit|supplied)\b.{0,80}$",
        r"^(?:donate|give|support us)(?: now| today)?\W*$|^your (?:donation|gift|support)\b.{0,120}$",
        r"^.{0,80}\backnowledges? the traditional (?:custodians|owners)\b.*$",
        r"^(?:phone|tel|telephone|email|e-mail|mobile|fax)\s*[:：].{0,80}$",
        r"^(?=.{0,60}$)(?:[A-Za-z]+\s+){0,3}(?:updated|reviewed|modified)\s*(?:on\s*)?[:：]?\s*.{0,30}\d{4}$",
        r"^[（(〔\[【]\s*(?:摄影|攝影|记者|記者|图|圖|图片|圖片|照片|相片|本报|本報)[^)）〕\]】]{0,40}[)）〕\]】]$",
        r"^[（(]\s*(?:图片|照片|圖片|相片)由.{0,24}提供\s*[)）]$",
        r"^(?=.{0,60}$).{0,20}(?:扫一扫|扫码|掃碼|掃一掃|下载|下載|点我|點我).{0,30}(?:APP|app|客户端|客戶端|新闻|新聞)?.*$",
        r"^(?:发布单位|發布單位|来源单位|來源單位|供稿单位|供稿單位)\s*[:：].{0,30}$",
        r"^(?:点阅次数|點閱次數|阅读次数|閱讀次數|浏览次数|瀏覽次數|点击量|點擊量|阅读量|閱讀量)\s*[:：]?\s*[\d,]+$",
        r"^(?:审核专家|審核專家|审稿专家|医学审核|醫學審核|本文审核|指导专家|指導專家)\s*[:：].{0,60}$",
        r"^.{0,30}(?:原创|原創).{0,20}(?:转载|轉載).*$",
        r"^(?:热门标签|熱門標籤|标签|標籤|关键词|關鍵詞)\s*[:：].*$",
        r"^(?:字号|字號|字级|字級|字体|字體)(?:设置|設定)?\s*[:：]?.{0,12}$",
        # a blog's furniture, a video's teaser and transcript notes, relative times, a bare picture label
        r"^(?:cancel reply|leave a (?:reply|comment)|[«‹←]?\s*(?:previous|older|newer|next) (?:post|entry|story)\s*[»›→]?|"
        r"(?:create a free website or )?blog at wordpress\.com\.?|(?:proudly )?powered by wordpress\.?|like this:|"
        r"(?:like )?loading\W*|share this:?|follow (?:this )?blog via e-?mail)$",
        r"^\[\s*(?:advertisement|ad|sponsored)\s*\]$|^advertisement\s*[-–—:]\s*(?:continue|scroll) (?:reading|down)\b.*$",
        r"^(?:watch|video|listen)\s*:\s.{0,160}\(\d{1,2}:\d{2}\)$|^speech to text for\b.*$"
        r"|^below is the closed[- ]captioning text\b.*$|^(?:copy (?:link|url)|link copied|copied!?)$",
        r"^(?:(?:updated|posted|published)\s+)?\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago$",
        r"^privacy & cookies\s*:.*$|^.{0,80}\bthis (?:site|website) uses cookies\b.*$",
        r"^(?:图片|圖片|照片|image|photo|picture)$",
        # Taiwan and mainland bylines and captions, reading notes, disclaimers and series labels, an author's bio
        r"^(?=.{0,40}$)[^，。]{0,20}[／/]\s*(?:記者|记者)[\u4e00-\u9fff]{2,4}(?:\s*[／/].{0,10})?$",
        r"^.{0,120}[。！\s](?:圖|图)\s*[／/][^，。]{1,20}$",
        r"^(?:文|图|圖|撰文)\s*[｜|]\s*.{0,30}$",
        r"^本文(?:约|約|共)?\s*[\d,]+\s*字.{0,30}$",
        r"^(?:【[^】]{1,12}】\s*)?(?:[\u4e00-\u9fff]{0,8}提醒(?:您|你)?\s*[:：]\s*)?本文.{0,40}"
        r"(?:仅供|僅供|仅作|僅作|不能替代|不能取代|不可替代|請與|请与|经当事人同意|經當事人同意).{0,60}$",
        r"^(?=.{0,30}$).{2,20}(?:系列|專欄|专栏|专题|專題)\s*[·・|｜]\s*第\s*[\d一二三四五六七八九十]+\s*(?:期|篇|集)"
        r"(?:\s*[|｜].{0,30})?$|^(?:阅读提示|閱讀提示)\s*[:：].{0,60}$",
        r"^(?:save|saved|bookmark|gift (?:this )?article|複製連結|复制链接|分享至\s*\w+)$",
        r"^(?:story|article) continues (?:below|after (?:this )?(?:ad|advertisement))\W*$",
        r"^以下文章来源于.{0,40}$|^以下文章來源於.{0,40}$|^(?:阅读时长|閱讀時長)\s*[:：]?\s*约?\s*\d+\s*分钟.{0,10}$",
        r"^.{0,100}\bis not (?:medical advice|a substitute for (?:professional )?medical advice)\b.{0,60}$",
        r"^(?:request|book|make) an appointment\b.{0,60}$",
        r"^(?:更新日期|更新時間|更新时间|瀏覽人次|浏览人次|瀏覽次數)\s*[:：].{0,30}$",
        r"^[（(]\s*(?:圖片來源|图片来源|圖片提供|图片提供|圖／|图／)[^)）]{0,40}[)）]$",
        r"^.{0,40}(?:立即加入會員|立即加入会员|加入\s*LINE\s*好友).{0,20}$",
        # a page's previous and next links, a WeChat collection line, a lone share button, a Taiwan reporter's
        # credit line ("記者…／台北報導"), a picture's credit ("圖／…提供", "图：…（…摄）")
        r"^(?:上一篇|下一篇|上一則|下一則|上一条|下一条|上一頁|下一頁)(?:文章)?\s*[:：].{0,80}$",
        r"^(?:收录于|收錄於)(?:合集|话题|話題|专辑|專輯)\b.{0,60}$|^(?:分享|分享到|转发|轉發|收藏|在看|点赞|點讚|留言|加入好友)$",
        r"^(?=.{0,40}$)(?:記者|记者)\s*[\u4e00-\u9fff·]{2,4}(?:[、\s][\u4e00-\u9fff·]{2,4})*\s*[／/]\s*[\u4e00-\u9fff]{2,8}"
        r"(?:報導|报导|报道|報道)$",
        r"^(?:圖|图|圖片|图片|照片)\s*[／/]\s*[^。！？]{1,40}$|^(?:图|圖|图片|圖片)\s*[:：][^。！？]{0,100}"
        r"(?:摄|攝|供图|供圖|提供)\s*[)）]?$",
        # a leaflet's help line, its scope note and its review dates
        r"^(?:any )?questions\?\s+(?:please )?(?:call|ring|phone|contact|email|talk to|speak to)\b.{0,160}$",
        r"^this (?:leaflet|information|page|booklet|fact ?sheet|handout) (?:is|gives|provides) (?:for |only )?"
        r"general (?:information|guidance)\b.{0,160}$",
        r"^(?:(?:reviewed|approved|produced) by\b.{0,100}\b(?:19|20)\d{2}\b.{0,60}|.{0,160}\bnext review(?: date| due)?\b"
        r"\s*[:：]?.{0,30})$",
        r"^.{0,20}(?:使用\s*cookie|使用\s*Cookie|使用\s*COOKIE).{0,80}$",
        r"^(?:作者|撰文)\s*[:：]\s*[^。，]{0,30}$",
        # a forum's furniture, page controls, a site's copyright and ad labels, a photographer's credit
        r"^(?:write a (?:post|reply|comment)|reply|report|quote|edited)$|^(?:view |show |load )?\d+ (?:more )?"
        r"(?:replies|comments|answers)$|^not what you['’]re looking for\b.*$|^\[(?:link|image|content|post) removed\b.*\]$",
        r"^[\w.-]{2,30}\s*[•·]\s*\d{1,2} [A-Z][a-z]{2,8} \d{4}(?:\s*[•·]\s*edited)?$",
        r"^(?:展开全部|展開全部|收起全文|列印本頁|打印本页|回上一頁|返回上一页|返回顶部|回到頂端|回頂端|返回列表)$",
        r"^.{0,20}(?:版權所有|版权所有).{0,60}$|^[【\[]\s*(?:广告|廣告|推广|推廣|ad)\s*[】\]].*$",
        r"^[\w &'’-]{2,30}(?:\s[›»]\s[\w &'’-]{2,30}){1,5}$",
        r"^(?:photograph|photo|picture|image)s?\s*:\s*.{0,80}$|^page\s+\d{1,3}$",
        r"^[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){1,2} (?:covers|writes about|reports on|is an? (?:freelance |staff |"
        r"senior )?(?:health |medical |science )?(?:reporter|writer|correspondent))\b.{0,240}$",
        r"^(?=.{0,60}$).*(?:用|下载|下載|打开|打開|安装|安裝)\s*(?:APP|App|app|客户端|客戶端).*$",
        # a line of nothing but a press office's telephone numbers and e-mail addresses
        r"^(?:(?:tel\.?|phone|t|e|email|e-mail)\s*[:：]?\s*)?(?:\+?\(?\d[\d()\s.-]{6,}\d|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
        r"(?:\s*[|/,;·•]\s*(?:(?:tel\.?|phone|t|e|email|e-mail)\s*[:：]?\s*)?(?:\+?\(?\d[\d()\s.-]{6,}\d|"
        r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+))+$",
    ]
]
# A release's or a wire's dateline before its first sentence: "SINGAPORE, 14 August 2024 – ",
# "本报讯（记者 …）", "新华社北京3月5日电（记者 …）"
_DATELINE_LEAD = re.compile(
    r"^(?:[A-Z][A-Za-z.'’ -]{1,30}(?:,\s*[A-Z][A-Za-z. ]{1,25})?,\s*(?P<date>\d{1,2}\s+[A-Z][a-z]{2,8}\.?,?\s+\d{4}|"
    r"[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s*\d{4})\s*(?:\([A-Za-z .]{2,30}\)\s*)?[–—-]{1,2}\s*"
    r"|[A-Z][A-Za-z.'’ -]{1,30},\s*[A-Z][A-Za-z. ]{1,25}\s*\((?P<date2>[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s*\d{4})\)\s*[–—-]{1,2}\s*"
    r"|(?:本报讯|本報訊|本刊讯|本刊訊)\s*(?:[（(][^)）]{1,30}[)）])?\s*"
    r"|(?:新华社|新華社|中新社|中新网|中新網)[\u4e00-\u9fff]{1,8}\d{1,2}月\d{1,2}日[电電]\s*(?:[（(][^)）]{1,30}[)）])?\s*)"
)
# "About Harbor Valley Health" in a release's second half: the boilerplate about the sender follows
_ABOUT_US = re.compile(
    r"^#*\s*(?:About|ABOUT)\s+(?:[Tt]he\s+)?(?:[A-Z][\w&'’.-]*\s+|of\s+|and\s+|for\s+){0,6}"
    r"(?:Health|Hospitals?|Trust|University|Institute|Foundation|Cent(?:re|er)|Clinic|Society|Inc\.?|Ltd\.?|Group|"
    r"System|College|Association|Network|Council|Charity|Board|Authority|Company|Pharma\w*|Therapeutics|Bio\w*|"
    r"Medical|Research|[A-Z]{2,})\s*$"
)
# Where a reader's comments begin: what follows is the readers', not the article's
_COMMENTS_HEAD = re.compile(
    r"^(?:\d+\s+comments?|comments?\s*\(\d+\)|(?:reader )?comments|join the (?:conversation|discussion)|"
    r"comments are (?:moderated|closed)\b.*|show comments|load (?:more )?comments|网友评论|网友留言|精选留言|評論|评论区)\W*$",
    re.IGNORECASE,
)
# A sponsored teaser's label (an "Advertisement" marks a slot, and what follows it is the article's)
_SPONSORED = re.compile(r"^(?:sponsored(?: content)?|paid (?:content|post)|promoted|推广|贊助)\W*$", re.I)
_NAV_WORDS = frozenset(
    [
        "home",
        "news",
        "local",
        "health",
        "opinion",
        "sports",
        "sport",
        "obituaries",
        "e-edition",
        "weather",
        "business",
        "world",
        "politics",
        "entertainment",
        "lifestyle",
        "subscribe",
        "login",
        "log",
        "in",
        "sign",
        "donate",
        "careers",
        "jobs",
        "locations",
        "contact",
        "about",
        "us",
        "find",
        "a",
        "doctor",
        "mychart",
        "search",
        "menu",
        "events",
        "research",
        "patients",
        "visitors",
        "give",
        "newsroom",
        "services",
        "departments",
        "appointments",
        "giving",
        "volunteer",
    ]
)
_DATE_ONLY = re.compile(
    r"^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|"
    r"aug|sep|oct|nov|dec)[a-z]*\.?,?\s+\d{4}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}"
    r"(?:st|nd|rd|th)?,?\s+\d{4}|\d{4}-\d{2}-\d{2}|\d{4}年\d{1,2}月\d{1,2}日)"
    r"(?:(?:,|\s*[•·|])?\s+\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*(?:GMT|UTC|[A-Z]{2,4})(?:[+-]\d{1,2})?)?)?(?:\s+updated\b.{0,30})?$",
    re.IGNORECASE,
)


def _nav_line(line: str) -> bool:
    """A site's menu as one line: "News Local Health Opinion Sports", "Find a Doctor Locations Donate"."""
    if len(line) > 140 or re.search(r"[.,;!?。，]", line):
        return False
    words = [w.casefold() for w in re.split(r"[\s|｜/·•]+", line) if w]
    return len(words) >= 4 and sum(w in _NAV_WORDS for w in words) >= max(3, 0.6 * len(words))


def _pipe_line(line: str) -> bool:
    """ "Harbor Health Newsroom | Patient Stories": a site's name and section, not a sentence or a table row."""
    parts = [p.strip() for p in re.split(r"\s[|｜]\s", line)]
    parts = [_EMPHASIS_MARKS.sub("", p) for p in parts]
    return len(parts) >= 2 and all(
        _DATE_ONLY.match(p)
        or (0 < len(p.split()) <= 6 and p[:1].isupper() and not re.search(r"\d|[.!?]$", p))
        for p in parts
    )


# Where a press release or a post ends: what follows is notes to editors, contacts and the site's rails.
_END_MARKER = re.compile(
    r"^[-–—=\s]*(?:ends?|完|全文完)[-–—=\s]*$|^#{3}$|^[（(【\[]\s*完\s*[)）】\]]$"
    r"|^(?:notes? (?:to|for) editors?|editors?['’]? notes?|media (?:contacts?|enquiries|inquiries)|press contacts?"
    r"|about the (?:hospital|trust|foundation|university|company))\W*$",
    re.IGNORECASE,
)
_END_MARK = re.compile(
    r"^[-–—=\s]*(?:ends?|完|全文完)[-–—=\s]*$|^#{3}$|^[（(【\[]\s*完\s*[)）】\]]$", re.IGNORECASE
)
_TEMPLATE_TOKEN = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|%%[A-Z0-9_]+%%|\$\{[^}]*\}|<%.*?%>|\[/?(?:caption|embed|shortcode)[^\]]*\]"
)
_BARE_TOKEN = re.compile(r"^(?:[a-z]+[_-]?\d+|[a-z]+_[a-z_]+|[A-Z_]{3,}_[A-Z_]+)$")
_SOURCE_LINE = re.compile(
    r"^(?:source|original(?: link| article| source)?|from|via|reprinted from|来源|出处|原文|原文链接)\s*[:：]\s*(?P<rest>.*)$",
    re.I,
)
_PUBLISHED_LINE = re.compile(
    r"^(?:published|posted|updated|released|release date|date|first published)(?! by)(?: on| at)?\s*[:：]?\s*(?P<rest>.+)$"
    r"|^(?:发布日期|發布日期|发布时间|發布時間|发表时间|發表時間|日期|时间|時間)\s*[:：]\s*(?P<zh>.+)$"
    r"|^(?P<stamp>\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s*\d{1,2}:\d{2}(?::\d{2})?)(?:\s.{0,60})?$",
    re.I,
)
_BYLINE_LINE = re.compile(
    r"^(?i:(?:uploaded|posted|written|edited|reported) by)\s*[:：]?\s*(?P<rest>.+)$|^(?i:author)\s*[:：]\s*(?P<author>.+)$"
    # "By Colleen Marsh, Communications", "By Renee Castellano | Staff Writer": a name in capitals
    r"|^(?:By|BY)\s+(?P<by>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})(?:\s*(?:[,|–—]|\band\b)\s*[^.!?]{0,80})?$"
)


_SOURCE_TAIL = re.compile(  # "…王启明说。【来源：晨报健康】", "Principles., opens new tab", "〔記者…／嘉義報導〕…"
    r"\s*【(?:来源|來源)[:：][^】]{0,40}】\s*$|,? opens new tab\b|\s*\(opens in (?:a )?new (?:window|tab)\)"
    r"|^〔[^〕]{0,30}(?:报导|報導|报道|報道|电|電)〕"
)
_CAPTION = re.compile(r"\[(caption|embed|gallery)\b[^\]]*\].*?\[/\1\]", re.IGNORECASE)


def _clean_line(line: str) -> str:
    line = _CAPTION.sub("", line)
    line = _SOURCE_TAIL.sub("", line)
    line = _TEMPLATE_TOKEN.sub("", line)
    line = line.replace("\u00a0", " ").replace("\u200b", "")
    return re.sub(r"[ \t]+", " ", line).strip()


_EMPHASIS_MARKS = re.compile(r"[*_]{1,3}")
_EMPHASIS = re.compile(r"(\*{1,3}|_{1,3})(\S(?:.*?\S)?)\1")


def _is_clutter(line: str) -> bool:
    line = _EMPHASIS.sub(r"\2", line)  # "**For immediate release**" is furniture like the plain words
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


# Python's HTMLParser takes quadratic time on unclosed tags before 3.12.11 and 3.13.5 (docs/scaling.md).
# html5ever (through nh3) parses any markup in linear time into well-formed HTML holding only
# what the block reader needs; HTMLParser then reads that, which it does in linear time.
_KEPT_TAGS = _HTMLText.BLOCKS | {
    "title",
    "meta",
    "link",
    "span",
    "a",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "sub",
    "sup",
}
_KEPT_ATTRIBUTES = {"meta": {"property", "name", "content"}, "link": {"rel", "href"}, "*": {"class", "id"}}


# html5ever's time grows with nesting depth times tags (docs/scaling.md). A saved
# news page has a few thousand tags, nested a few dozen deep; more than MAX_TAGS tags, or elements that
# never auto-close nested deeper than MAX_DEPTH, is refused with advice.
MAX_TAGS = 15_000
MAX_DEPTH = 1_000
_CONTAINER_TAG = re.compile(
    r"<(/?)(div|section|article|aside|main|header|footer|nav|span|a|b|i|em|strong|font|center|table|"
    r"blockquote|ul|ol|dl|form|figure)\b[^>]{0,2000}?(/?)>",
    re.IGNORECASE,
)


def _too_deep(text: str) -> bool:
    depth = 0
    for m in _CONTAINER_TAG.finditer(text):
        if m.group(3):
            continue
        depth = max(0, depth - 1) if m.group(1) else depth + 1
        if depth > MAX_DEPTH:
            return True
    return False


def _well_formed(text: str) -> str:
    if text.count("<") > MAX_TAGS or _too_deep(text):
        raise UnreadableDocument(
            f"the page has more than {MAX_TAGS:,} HTML tags, or elements nested more than {MAX_DEPTH:,} "
            "deep; save it as text (or PDF) and import that"
        )
    return nh3.clean(
        text,
        tags=_KEPT_TAGS | {"ul", "ol"},
        clean_content_tags=_HTMLText.SKIP - _KEPT_TAGS,
        attributes=_KEPT_ATTRIBUTES,
        link_rel=None,
        strip_comments=True,
    )


def _lines_from_html(text: str) -> tuple[list[tuple[str, str]], dict, str]:
    """The page's block texts and metadata. trafilatura finds the article among the page's menus, teasers
    and comments (it reads the page after html5ever has made it well-formed and bounded); where it finds
    no article, every block of the page is read."""
    page = _well_formed(text)
    parser = _HTMLText()
    parser.feed(page)
    parser.close()
    parser._flush()
    lines, meta, title = parser.lines, parser.meta, " ".join(parser.title.split())
    main = _main_text(page)
    if main is not None:
        main_lines, main_meta = main
        h1 = next((line for line in lines if line[0] == "h1"), None)
        lines = ([h1] if h1 else []) + main_lines
        for key, value in main_meta.items():
            meta.setdefault(key, value)
    return lines, meta, title


_TRAFILATURA_BLOCKS = {"head": "h2", "p": "p", "item": "li", "quote": "p"}


def _main_text(page: str) -> tuple[list[tuple[str, str]], dict] | None:
    """The article's blocks and metadata by trafilatura, or None where it finds no article of two blocks."""
    import trafilatura  # noqa: PLC0415 - only the desk's imports need it (and lxml with it)

    xml = trafilatura.extract(
        page, output_format="xml", with_metadata=True, include_comments=False, include_tables=False
    )
    if not xml:
        return None
    root = ElementTree.fromstring(xml)
    lines = [
        (_TRAFILATURA_BLOCKS[element.tag], " ".join("".join(element.itertext()).split()))
        for element in root.iter()
        if element.tag in _TRAFILATURA_BLOCKS and "".join(element.itertext()).strip()
    ]
    if len(lines) < 2:
        return None
    meta = {
        key: root.get(attribute)
        for key, attribute in (
            ("author", "author"), ("article:published_time", "date"), ("og:site_name", "sitename"),
            ("og:url", "source"),
        )
        if root.get(attribute)
    }  # fmt: skip
    return lines, meta


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


# A "Label: value" line: a field of a case page ("Age: 20") or a lead-in list item ("Cost: The therapy...").
_LABEL_LINE = re.compile(r"^[A-Z][\w’' -]{1,40}\s*[:：]\s*\S.*$")
_SENTENCE_STARTERS = (
    "The|A|An|In|On|At|After|Before|During|Since|When|While|As|For|She|He|It|They|We|This|These|That|Those|"
    "Our|Her|His|Their|Doctors|Patients|Researchers|According|Today|Now|Last|Next|Once|Then|However|But|"
    "Although|Because|With|Without|Over|Under|Many|Most|Some|Each|Every|One|Two|Three|Until|By|From"
)
_GLUED_CAMEL = re.compile(
    rf"^(?P<head>[A-Z][^.!?:;]{{2,80}}?[a-z]{{3}}\)?)(?P<rest>(?:{_SENTENCE_STARTERS}|[A-Z][a-z]+(?=\s))\s.*)$"
)
_GLUED_SPACED = re.compile(
    rf"^(?P<head>[A-Z][\w’'-]*(?:\s+[\w’'-]+){{0,6}}?)\s+(?P<rest>(?:{_SENTENCE_STARTERS})\s+[a-z0-9].*)$"
)
_FUNCTION_WORDS = {
    "a", "an", "the", "of", "and", "or", "to", "in", "on", "for", "with", "by", "from", "at", "as", "is", "are",
    "was", "were", "that", "which", "who", "whose", "its", "their", "his", "her", "than", "into", "but",
}  # fmt: skip


def _words(text: str) -> list[str]:
    return re.findall(r"[\w’'-]+", text)


def _looks_like_heading(text: str) -> bool:
    if han_count(text) > 30 and re.search("[。，！？；]", text):
        return False  # Chinese prose, however it ends
    return (
        0 < len(text) <= 120
        and not re.search(r"[.;:,…。！？；：，]$", text.rstrip('"”’」』)）'))
        and len(text.split()) <= 16
        and not _LABEL_LINE.match(text)
    )


def _title_case(text: str) -> bool:
    """Most of the significant words capitalised, as in a headline or subheading."""
    significant = [w for w in _words(text) if w.lower() not in _FUNCTION_WORDS]
    return bool(significant) and sum(w[:1].isupper() or w[:1].isdigit() for w in significant) >= 0.75 * len(
        significant
    )


def _split_glued_heading(text: str) -> tuple[str, str] | None:
    """'Treatment choicesThe team decided...' or 'Treatment choices The team decided...' -> heading, text."""
    for pattern in (_GLUED_CAMEL, _GLUED_SPACED):
        m = pattern.match(text)
        if not m:
            continue
        head, rest = m.group("head").strip(), m.group("rest").strip()
        words = head.split()
        if len(rest) < 40 or not 1 <= len(words) <= 8 or re.search(r"[.!?,;:]", head):
            continue
        if pattern is _GLUED_SPACED and (len(words) < 2 or words[-1].lower() in _FUNCTION_WORDS):
            continue  # "Professor Lee The ..." is a name, "the results of The ..." a sentence
        if pattern is _GLUED_CAMEL and len(words) < 2 and len(head) < 8:
            continue  # "McDonald", "MacLeod": capitals inside one name
        return head, rest
    return None


def _text_of(data: bytes | str) -> tuple[str, str]:
    if isinstance(data, bytes):
        return decode(data)
    text = data.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not text.strip():
        raise UnreadableDocument("empty")
    if not any(ch.isalnum() for ch in text):
        raise UnreadableDocument("no readable text")
    return text, "utf-8"


def _site_name(text: str) -> bool:
    """'Reuters', 'City Hospital News', 'nature.com': a publisher rather than a cited headline."""
    words = text.split()
    return bool(re.search(r"\w\.(?:com|org|net|gov|edu|cn|de|uk|io|test)\b", text)) or (
        len(words) <= 4 and (_title_case(text) or len(words) <= 2)
    )


def _take_source(rest: str, source: Source) -> None:
    url = re.search(r"(?:https?://|www\.)\S+", rest)
    if url:
        found = url.group(0).rstrip(").,;")
        source.url = source.url or (found if found.startswith("http") else f"https://{found}")
        rest = (rest[: url.start()] + rest[url.end() :]).strip(" ,;|-–—()")
    if not rest:
        return
    if _site_name(rest):
        source.publisher = source.publisher or rest[:200]
    else:
        source.title = source.title or rest[:300]


_RELATED_MARKER = re.compile(
    r"^(?:related|recommended|popular|trending|more|latest|further)(?: \w+)? (?:articles?|stories|news|posts|"
    r"reading|links?|content|from .*)\W*$|^(?:read more|see also|you (?:may|might) also (?:like|enjoy)|"
    r"also (?:read|on)|more on this)\b.*$"
    r"|^(?:most read|most popular|top stories|trending now|editor'?s picks?|read next|suggested topics)\W*$"
    r"|^[▼▲■◆●►»\s]*(?:相关(?:新闻|阅读|文章|推荐|链接|報導|报道|疾病|问答|问题|科普)|推荐阅读|延伸阅读|延伸閱讀|"
    r"往期(?:推荐|回顾|精选)|热门(?:推荐|文章|新闻|问答)|猜你喜欢|精彩推荐|更多(?:新闻|阅读|精彩)|"
    r"相關(?:新聞|閱讀|報導|疾病|問答|問題|衛教文章|文章))\W*$",
    re.IGNORECASE,
)
# A list item of a rail of links: "1. Council votes to ...", "· 冬季来了，如何预防感染？"
_RAIL_ITEM = re.compile(r"^(?:\d{1,2}[.)、]|[·•▪►›»\-–])\s*\S.{0,120}$")


def _drop_clutter(
    raw_lines: list[tuple[str, str]], source: Source, keep: frozenset[str] = frozenset()
) -> tuple[list[tuple[str, str]], list[str]]:
    """Clean every line; take clutter out (keeping a record) and turn attribution lines into `source`.
    A line in `keep` (one an editor restored in the preview) stays where it stands."""
    lines: list[tuple[str, str]] = []
    dropped: list[str] = []
    source_lines = 0  # lines still expected after a bare "Source:" line
    in_related = ended = after_ad = datelined = False
    told = 0  # paragraphs of the article kept so far

    def keep_line(kind: str, line: str) -> None:
        nonlocal told
        lines.append((kind, line))
        told += len(line) >= 80 or han_count(line) >= 40

    for index, (kind, raw) in enumerate(raw_lines):
        line = _clean_line(raw)
        if not line:
            lines.append(("", ""))
            continue
        if line in keep:
            keep_line(kind, line)
            continue
        if ended:
            dropped.append(line)
            continue
        if in_related:
            if (
                _looks_like_heading(line)
                or _is_clutter(line)
                or _RELATED_MARKER.match(line)
                or (_RAIL_ITEM.match(line) and not line.endswith((".", "。")))
                or (len(line) <= 60 and line.endswith(("?", "？")))  # a rail of related questions
            ):
                dropped.append(line)
                continue
            in_related = False
        if source_lines:
            source_lines -= 1
            if (
                len(line) <= 300
                and (not _is_clutter(line) or re.match(r"^(?:https?://|www\.)\S+$", line))
                and (not line.endswith(".") or re.match(r"^(?:https?://|www\.)", line))
            ):
                _take_source(line, source)
                dropped.append(line)
                continue
            source_lines = 0
        if m := _SOURCE_LINE.match(line):
            rest = m.group("rest").strip()
            if rest:
                _take_source(rest, source)
            else:
                source_lines = 2
            dropped.append(line)
            continue
        published = (m := _PUBLISHED_LINE.match(line)) and (
            m.group("rest") or m.group("zh") or m.group("stamp")
        )
        if published and len(line) < 80 and _iso_date(published):
            source.date = source.date or _iso_date(published)
            dropped.append(line)
            continue
        if (m := _BYLINE_LINE.match(line)) and len(line) < 80:
            byline = (m.group("rest") or m.group("author") or m.group("by") or "").strip()
            if date := _iso_date(byline):
                source.date = source.date or date
                byline = re.split(r"\s+(?:on|at|[|,–—-])\s+", byline)[0]
            source.author = source.author or byline.strip(" ,|")[:100]
            dropped.append(line)
            continue
        if _RELATED_MARKER.match(line):
            in_related = True
            dropped.append(line)
            continue
        # the sender's "About ..." and the readers' comments end an article only in its second half; above,
        # "Comments (14)" is a counter
        tail = index >= len(raw_lines) / 2 and (_ABOUT_US.match(line) or _COMMENTS_HEAD.match(line))
        # a release ends only after some of its text: US releases put "Media contact:" above the headline
        ends = _END_MARK.match(line) and any(k for k, _ in lines)  # "ENDS", "###", "（完）"
        if ends or ((_END_MARKER.match(line) or tail) and told >= 2):
            dropped.append(line)
            ended = True  # what follows is the release's tail, or its readers' comments
            continue
        if after_ad and _looks_like_heading(line):
            after_ad = False
            dropped.append(line)  # the teaser under a "Sponsored" label
            continue
        after_ad = bool(_SPONSORED.match(line))
        if _DATE_ONLY.match(line):
            source.date = source.date or _iso_date(line)
            dropped.append(line)
            continue
        if _is_clutter(line) or _nav_line(line) or _pipe_line(line):
            dropped.append(line)
            continue
        if not datelined and (m := _DATELINE_LEAD.match(line)) and len(line) - m.end() >= 40:
            datelined = True  # a release has one, before its first sentence
            source.date = source.date or _iso_date(m.group("date") or m.group("date2") or "")
            dropped.append(line[: m.end()].strip())
            line = line[m.end() :]
        keep_line(kind, line)
    return lines, dropped


def _menu_under_headline(blocks: list[tuple[str, str]], keep: frozenset[str]) -> set[int]:
    """Indexes of a page's menu and share buttons copied between its headline and its first paragraph:
    three or more words standing alone ("新聞", "癌症", "登入", "分享", "LINE"), none a sentence."""
    lede = _lede_at(blocks)
    words = {
        i
        for i, (_, text) in enumerate(blocks[:lede])
        if text not in keep
        and not re.search(r"[.!?。！？，,]", text)
        and (han_count(text) <= 6 if han_count(text) else len(text.split()) <= 2)
    }
    return words if len(words) >= 3 else set()


def _repeated_lines(lines: list[tuple[str, str]]) -> set[str]:
    """Short lines a PDF prints on every page (a running header or footer): not the article's."""
    counts = Counter(line for line in map(_clean_line, (text for _, text in lines)) if 6 <= len(line) <= 80)
    return {line for line, n in counts.items() if n >= 2 and not split_sentences(line)[1:]}


def _join_broken_lines(lines: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A plain-text line that stops mid-sentence (ending 'the name of', then 'the drug is ...') joins the next."""
    out: list[tuple[str, str]] = []
    for kind, line in lines:
        if out and line and kind == "p" and out[-1][0] == "p" and out[-1][1]:
            previous = out[-1][1]
            last = previous.rsplit(" ", 1)[-1]
            if len(previous) > 60 and (previous.endswith(",") or last in _FUNCTION_WORDS):
                out[-1] = ("p", f"{previous} {line}")
                continue
        out.append((kind, line))
    return out


def _blocks(lines: list[tuple[str, str]], is_html: bool) -> list[tuple[str, str]]:
    """Blocks from the kept lines: headings stand alone, runs of 'Label: text' lines become a list, every other
    line is a paragraph."""
    texts = [(k, t) for k, t in lines if t]
    blocks: list[tuple[str, str]] = []
    for index, (kind, line) in enumerate(texts):
        following = texts[index + 1][1] if index + 1 < len(texts) else ""
        previous = texts[index - 1][1] if index else ""
        if kind in ("h1", "h2", "li"):
            blocks.append((kind, line))
        elif is_html:
            blocks.append(("p", line))
        elif (
            _LABEL_LINE.match(line)
            and len(line) <= 300
            and (_LABEL_LINE.match(following) or _LABEL_LINE.match(previous))
        ):
            blocks.append(("li", line))
        elif (
            _looks_like_heading(line)
            and following
            and (
                len(following) > 120
                or line.endswith("?")
                or _title_case(line)
                or _LABEL_LINE.match(following)
            )
        ):
            blocks.append(("h2", line))
        elif (
            len(line) <= 120
            and re.search(r"[.!?]$", line)
            and line.count(". ") == 0
            and len(following) > 200
            and blocks
            and _line_after(lines, line)
        ):
            blocks.append(("h2", line.rstrip(".")))  # a one-sentence line set directly above its paragraph
        else:
            blocks.append(("p", line))
    return blocks


def _line_after(lines: list[tuple[str, str]], line: str) -> bool:
    """Whether `line` is followed directly (no blank line) by another line."""
    for index, (_, text) in enumerate(lines[:-1]):
        if text == line:
            return bool(lines[index + 1][1])
    return False


def _capitalised(text: str) -> str:
    """'author team is a group...' (a scraped paragraph that lost its first word's capital) -> 'Author team...'."""
    first = text.split(" ", 1)[0]
    return text[0].upper() + text[1:] if first.isalpha() and first.islower() else text


def parse_document(data: bytes | str, filename: str = "", keep: Iterable[str] = ()) -> ParsedDocument:
    """The parts of a draft: headline, standfirst, body blocks, attribution and the clutter left out.
    Lines in `keep`, clutter an editor restored, stay in the body."""
    keep = frozenset(keep)
    name = filename.lower()
    fmt = document_format(data.encode() if isinstance(data, str) else data, filename)
    docx_lines: list[tuple[str, str]] = []
    if fmt == "pdf" and isinstance(data, bytes):
        text, encoding = _text_of_pdf(data), "pdf"
    elif fmt == "docx" and isinstance(data, bytes):
        docx_lines = _lines_from_docx(data)
        text, encoding = "\n".join(t for _, t in docx_lines), "docx"
    else:
        text, encoding = _text_of(data)
    is_html = fmt == "html"
    source = Source()
    html_title = ""
    if docx_lines:
        raw_lines = docx_lines
    elif is_html:
        raw_lines, meta, html_title = _lines_from_html(text)
        source.publisher = meta.get("og:site_name", "")
        url = meta.get("og:url", "")
        source.url = url if url.startswith(("http://", "https://")) else ""
        source.date = _iso_date(
            meta.get("article:published_time", "") or meta.get("date", "") or meta.get("pubdate", "")
        )
        source.author = meta.get("author", "") or meta.get("article:author", "")
        if not source.author.startswith(("http://", "https://")):
            source.author = source.author[:100]
        else:
            source.author = ""
    else:
        raw_lines = _lines_from_text(text, markdown=name.endswith((".md", ".markdown")))

    repeated = _repeated_lines(raw_lines) - keep if fmt == "pdf" else set()
    if repeated:
        raw_lines = [(k, t) for k, t in raw_lines if _clean_line(t) not in repeated]
    lines, dropped = _drop_clutter(raw_lines, source, keep)
    dropped[:0] = sorted(repeated)
    structured = is_html or bool(docx_lines)  # one block per element or paragraph
    if not structured:
        lines = _join_broken_lines(lines)
    blocks = _blocks(lines, structured)

    # Related-article links at the end: short, title-like lines after the last paragraph.
    while blocks and len(blocks) > 2 and _looks_like_heading(blocks[-1][1]) and blocks[-1][1] not in keep:
        dropped.append(blocks.pop()[1])

    before = blocks
    first = next((_clean_line(raw) for _, raw in raw_lines if _clean_line(raw)), "")
    opened_with_clutter = bool(first) and first in dropped  # a menu or a site's name, now left out
    title, blocks = _take_title(blocks, html_title if is_html else "", opened_with_clutter)
    remaining = set(blocks)  # what stood above the headline and was left out goes with the clutter
    above = [block for block in before if block not in remaining and block[1] != title]
    dropped += [text for _, text in above if text not in keep]
    restored_above = [block for block in above if block[1] in keep]
    if (m := _TITLE_AND_SITE.match(title)) and _site_seen(m.group("site"), [*dropped, source.publisher]):
        title = m.group("head")  # "Headline - NewsPulse Health" on a page whose masthead reads "NewsPulse"
    if not blocks and not title.strip(" .…"):
        raise UnreadableDocument("no readable text")
    folded = title.strip().casefold()
    blocks = [(k, t) for k, t in blocks if t.strip().casefold() != folded]
    menu = _menu_under_headline(blocks, keep)
    dropped += [blocks[i][1] for i in sorted(menu)]
    blocks = [block for i, block in enumerate(blocks) if i not in menu]

    # An image alt or kicker right under the headline: a short fragment sharing its words, before the lead.
    while blocks and blocks[0][0] in ("h2", "p") and len(blocks[0][1]) <= 60 and len(blocks) > 1:
        kicker = blocks[0][1]
        shared = set(re.findall(r"\w+", kicker.lower())) & set(re.findall(r"\w+", title.lower()))
        if _looks_like_heading(kicker) and blocks[1][0] == "p" and len(shared) >= 2 and kicker not in keep:
            dropped.append(blocks.pop(0)[1])
        else:
            break

    split: list[tuple[str, str]] = []
    for kind, block in blocks:
        glued = _split_glued_heading(block) if kind == "p" else None
        split += [("h2", glued[0]), ("p", glued[1])] if glued else [(kind, block)]
    blocks = [(kind, _capitalised(block)) for kind, block in split]

    standfirst, blocks = _take_standfirst(blocks)
    blocks = restored_above + blocks  # an editor's restored line from above the headline opens the body
    return ParsedDocument(
        title=title,
        standfirst=standfirst,
        blocks=blocks,
        source=source,
        dropped=dropped,
        encoding=encoding,
        format=fmt,
        raw_text=text,
    )


_TITLE_AND_SITE = re.compile(r"^(?P<head>.{12,}?)\s+[-|–—｜]\s+(?P<site>[^-|–—｜.!?]{2,40})$")


def _site_seen(site: str, lines: list[str]) -> bool:
    """Whether `site` (a headline's suffix) names a masthead, a menu line or the publisher seen in the page."""
    first = site.split()[0].casefold()
    return any(first in line.casefold().split() for line in lines if line and len(line) <= 60)


_SKIP_LINK = re.compile(r"^(?:skip (?:to|navigation)|jump to|跳到|跳至|跳过|跳轉|跳转)", re.IGNORECASE)
_MENU_LINE = re.compile(r"\s[|｜]\s|[|｜].*[|｜]|[>›»].*[>›»]|^[^.!?。>›»]{2,40}\s[>›»]\s[^.!?。>›»]{2,40}$")
# a label and its short value ("作者：张三", "Source: AP Photo"); "专家提醒：…" with a headline after it is one
_DATELINE = re.compile(
    r"^\s*(?:\d{4}[-/.年]\d{1,2}|\d{1,2}:\d{2})|来源[:：]|阅读量|^[^\s:：]{1,6}[:：](?=.{0,16}$|[^\u4e00-\u9fff]{0,40}$)"
)
_SITE_SUFFIX = re.compile(r"\s*(?:\s[|｜–—-]\s|[｜_]|(?<=[\u4e00-\u9fff”」])-)\s*[^|｜–—_-]{1,30}$")


def _headline_like(text: str) -> bool:
    """A line that could be a headline: long enough, one sentence at most, no menu, letterhead, skip link
    or site name."""
    if _SKIP_LINK.match(text) or _MENU_LINE.search(text) or _DATELINE.search(text) or _is_clutter(text):
        return False
    if re.search(r"<\s*/?[A-Za-z]|\{|\}", text) or _LETTERHEAD.search(text):
        return False  # markup or a template's text is never a headline
    if _LABEL_HEADLINE.match(text):
        return True  # a label stands where the headline does: kept, and the preview asks for a better one
    tokens = text.split()
    if len(text) > 220 or _menu_of_words(tokens):
        return False  # "首頁 即時 熱門 醫療新知": a menu of words
    sentences = split_sentences(text)
    asked = all(sentence.endswith(("?", "？", "!", "！")) for sentence in sentences[:-1])
    one_thought = len(sentences) <= 1 or (
        (len(sentences) <= 3 and asked) or (len(sentences) == 2 and len(text) <= 140 and not han_count(text))
    )  # "I couldn't walk to the end of my road. You won't believe what I did next", "是什么？哪些…？一文读懂"
    return (
        han_count(text) >= 10 or len(text.split()) >= 5
    ) and one_thought  # "慢粒患者能停药吗？多中心研究：…"


_LETTERHEAD = re.compile(
    r"(?:press office|communications(?: office| team| department| unit)?|newsroom|media (?:centre|center|relations|office)|"
    r"news ?desk|press release|news release|public (?:affairs|relations)|corporate communications|"
    r"新闻中心|新聞中心|公共事务室|公共事務室|宣传科|宣傳科|宣传处|宣傳處|宣传部|宣傳部|新闻办|新聞辦)\W*$",
    re.IGNORECASE,
)
_ORGANISATION_END = re.compile(
    r"(?:医院|醫院|宣传部|宣傳部|中心|报|報|网|網|日报|日報|办公室|辦公室|新闻稿|新聞稿|通稿|局|署|委员会|委員會)$"
)


def _menu_of_words(words: list[str]) -> bool:
    """ "首頁 即時 熱門 醫療新知": four or more short words and no word that joins a sentence."""
    return (
        len(words) >= 4
        and sum(map(len, words)) <= 4 * len(words)
        and not any(w.lower() in _FUNCTION_WORDS for w in words)
    )


def _masthead(text: str) -> bool:
    """A line a page or a release opens with that is no headline: a skip link, a menu, a dateline, a site's
    or a publisher's name, a letterhead."""
    words = text.split()
    return bool(
        not any(ch.isalnum() for ch in text)
        or _SKIP_LINK.match(text)
        or _LETTERHEAD.search(text)
        or _MENU_LINE.search(text)
        or _DATELINE.search(text)
        or _is_clutter(text)
        or (
            len(words) <= 4
            and (text.isupper() or all(w[:1].isupper() for w in words))
            and not split_sentences(text)[1:]
            and han_count(text) < 4  # "PD-1抑制剂联合…" opens with a capital, but reads as Chinese
            and not _TOPIC_TITLE.match(text)  # "Neuroblastoma: Finley's Story" is a headline
        )
        or (len(text) <= 24 and _ORGANISATION_END.search(text))
        or _POSTAL_ADDRESS.search(text)
        or re.search(r"第\s*\d{1,3}\s*[页頁]$|\bpage \d{1,3}(?: of \d{1,3})?$", text, re.I)  # a page's header
        # "WESTBROOK INSTITUTE OF CANCER RESEARCH - Press Office", "康知健康网 - 您身边的健康顾问"
        or _publisher(re.split(r"\s[-–—|·]\s", text)[0])
        or (han_count(text) and _publisher(re.split(r"\s+(?=[A-Za-z])", text)[0]))  # "台灣健康報 HealthDaily"
        or _menu_of_words(words)
        or _department_line(text)
    )


_UNIT_END = re.compile(
    r"\b(?:Program(?:me)?|Education|Unit|Team|Division|Service|Department|Clinic|Cent(?:re|er))$"
)


def _department_line(text: str) -> bool:
    """ "Patient & Family Education - Blood and Marrow Transplant Program": a leaflet's or a page's series
    and department, short capitalised names joined by a dash or a bar, one of them a unit's."""
    parts = re.split(r"\s[-–—|·]\s", text)
    names = [
        p
        for p in parts
        if re.fullmatch(r"(?:(?:[A-Z][\w'’&.-]*|of|and|for|the|&)\s+){0,6}[A-Z][\w'’.-]*", p.strip())
    ]
    return len(parts) >= 2 and len(names) == len(parts) and any(_UNIT_END.search(p.strip()) for p in parts)


def _publisher(text: str) -> bool:
    """A publisher's or an office's name: "醫療服務管理局", "Northfield Hospital press office", capitals,
    "St Brennan's University Hospital NHS Foundation Trust"."""
    return bool(
        (len(text) <= 24 and _ORGANISATION_END.search(text))
        or _LETTERHEAD.search(text)
        or _capitals(text)
        or _ORGANISATION_NAME.match(text)
    )


# A name in capitalised words that ends as an organisation's does, no sentence and no figure in it
_ORGANISATION_NAME = re.compile(
    r"^(?:(?:[A-Z][\w'’&.-]*|of|and|for|the|&)\s+){1,9}(?:Trust|Hospitals?|University|Institute|Foundation|"
    r"Cent(?:re|er)|Clinic|Health(?:care)?|System|Board|Council|Services?|College|Department|Office|Network|"
    r"Society|Association|Group|Inc\.?|Ltd\.?|LLC|plc|Charity|Authority|Agency)$"
)
# A letterhead's address: "Aldric House, Lower Marsh Road, Northfield NF2 8QT", "… Springfield, IL 62701"
_POSTAL_ADDRESS = re.compile(
    r"^[^.!?]{0,100},[^.!?]{0,60}(?:\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|\b[A-Z]{2}\s\d{5}(?:-\d{4})?)$"
)
_TOPIC_TITLE = re.compile(r"^[\w'’ -]{3,40}:\s+\S.{2,}$")


def _capitals(text: str) -> bool:
    """A letterhead set in capitals, two words or more and no sentence."""
    return text.isupper() and 2 <= len(text.split()) <= 12 and not text.endswith((".", "!", "?"))


def _lede_at(blocks: list[tuple[str, str]]) -> int:
    """Where the article's first paragraph of running text stands."""
    for i, (kind, text) in enumerate(blocks):
        if kind == "p" and (
            len(text) >= 160
            or han_count(text) >= 60
            or (len(split_sentences(text)) >= 2 and len(text) >= 100 and text.endswith(_LINE_ENDS))
        ):
            return i
    return len(blocks)


def _take_title(
    blocks: list[tuple[str, str]], html_title: str, opened_with_clutter: bool = False
) -> tuple[str, list[tuple[str, str]]]:
    h1 = next((i for i, (k, _) in enumerate(blocks) if k == "h1"), None)
    if h1 is not None and (
        _headline_like(blocks[h1][1])
        or (_TOPIC_TITLE.match(blocks[h1][1]) and not _publisher(blocks[h1][1]))
        or not (_publisher(blocks[h1][1]) or any(map(_headline_like, (t for _, t in blocks[:3]))))
    ):
        kept = [block for block in blocks[:h1] if not _masthead(block[1])]  # not a menu above the headline
        return blocks[h1][1], kept + blocks[h1 + 1 :]
    if h1 is not None:
        blocks = blocks[:h1] + blocks[h1 + 1 :]  # a site's name set as the page's h1
        opened_with_clutter = True
    elif html_title:
        parts = re.split(r"\s+[|–—]\s+|\s+-\s+", html_title)
        title = max(parts, key=len)  # "Headline - Section - Site", "Site | Headline"
        return _SITE_SUFFIX.sub("", title) if len(_SITE_SUFFIX.sub("", title)) >= 8 else title, blocks
    # Before the lede stand letterheads, mastheads, menus, datelines and the headline. A first line that
    # is none of those is the headline; otherwise it is the longest line there that reads as one,
    # preferring lines that do not end as a sentence does.
    if blocks and (opened_with_clutter or _masthead(blocks[0][1])):
        head = [
            i
            for i in range(_lede_at(blocks))
            if _headline_like(blocks[i][1]) and not blocks[i][1].endswith((":", "：", ",", "，", ";", "；"))
        ]
        if head:
            plain = [i for i in head if not _masthead(blocks[i][1])]
            # the longest that does not end as a sentence does; failing that, the first
            best = max(
                plain or head,
                key=lambda i: (
                    (False, -i) if blocks[i][1].endswith((".", "。")) else (True, len(blocks[i][1]))
                ),
            )
            if len(plain) >= 2 and plain[1] == plain[0] + 1 and not blocks[plain[0]][1].endswith((".", "。")):
                best = plain[0]  # a headline, then its deck
            labels = [i for i in head if _LABEL_HEADLINE.match(blocks[i][1])]
            best = labels[0] if labels else best  # the source's label stands where its headline does
            # what stands above the headline and is no part of the article (a masthead, a menu) goes
            kept = [block for block in blocks[:best] if not _masthead(block[1])]
            return blocks[best][1], kept + blocks[best + 1 :]
    if blocks and len(blocks) > 1 and len(blocks[0][1]) <= 200 and blocks[0][0] in ("h2", "p"):
        first = blocks[0][1]
        if (
            blocks[0][0] == "h2"
            or not first.endswith((".", ",", ";", ":"))
            and len(split_sentences(first)) <= 1
        ):
            return first, blocks[1:]
    return _title_from_lead(blocks), blocks


def split_sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z\"“(])|(?<=[。！？])|\n+", text)
    return [s.strip() for s in parts if s.strip()]


_OPENERS = re.compile(
    r"^(?:(?:when it comes to|speaking of|as (?:we all|everyone|is well) know[sn]?|in recent years|recently|"
    r"however|meanwhile|today|generally speaking|it is (?:well )?known that)[^,]{0,60},\s*)+",
    re.IGNORECASE,
)


def _title_from_lead(blocks: list[tuple[str, str]]) -> str:
    """A short headline made from the first sentence of the lead, for texts that arrive without one."""
    lead = next((t for k, t in blocks if k == "p" and not _LABEL_LINE.match(t)), "")
    lead = lead or next((t for k, t in blocks if k == "p"), "")
    sentence = split_sentences(lead)[0] if lead else "Untitled document"
    shorter = _OPENERS.sub("", sentence)
    if len(shorter.split()) >= 5:
        sentence = shorter[0].upper() + shorter[1:]
    sentence = sentence.rstrip(".")
    if len(sentence) > 100:
        cut = sentence[:100]
        clause = max(cut.rfind(", "), cut.rfind("; "), cut.rfind(" – "))
        sentence = cut[:clause] if clause > 40 else cut.rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return sentence


def _take_standfirst(blocks: list[tuple[str, str]]) -> tuple[str, list[tuple[str, str]]]:
    """The first paragraph when it is short enough to read as a summary, else its first sentence or two.
    What becomes the standfirst leaves the body, so nothing is printed twice."""
    index = next((i for i, (k, t) in enumerate(blocks) if k == "p" and not _LABEL_LINE.match(t)), None)
    if index is None:
        return "", blocks
    first = blocks[index][1]
    more = any(k == "p" for k, _ in blocks[index + 1 :])
    if len(first) <= 300 and more:
        return first, blocks[:index] + blocks[index + 1 :]
    sentences = split_sentences(first)
    taken: list[str] = []
    for sentence in sentences:
        if taken and len(" ".join(taken)) + len(sentence) > 280:
            break
        taken.append(sentence)
    if len(taken) == len(sentences) and not more:
        taken = taken[:-1]  # keep a body: the only paragraph does not all go into the standfirst
    if not taken:
        return "", blocks
    standfirst = " ".join(taken)
    if len(standfirst) > 400:
        return standfirst[:390].rsplit(" ", 1)[0] + "…", blocks  # too long to move; shortened copy
    rest = " ".join(sentences[len(taken) :])
    remaining = [(blocks[index][0], rest)] if rest else []
    return standfirst, blocks[:index] + remaining + blocks[index + 1 :]


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


# A generic therapy class used as a description of another one: "is a new targeted therapy", "a type of
# immunotherapy". The class is then not a topic of its own.
_CLASS_WORD = re.compile(r"(?:therapy|therapies|treatment)$", re.IGNORECASE)
_CLASSIFYING = re.compile(
    r"(?:\b(?:is|was|are|as|being)\s+(?:a|an)\s+(?:[\w-]+\s+){0,2}|\b(?:type|form|kind|class)\s+of\s+)$",
    re.IGNORECASE,
)
_HEAD_NOUN_END = re.compile(r"\s*(?:$|[.,;:)!?]|(?:for|that|which|used|in|to|against|approved)\b)", re.I)
_VACCINE_CONTEXT = re.compile(r"\bvaccin|\bimmuni[sz]ation|\bjabs?\b", re.IGNORECASE)


_HAN = re.compile(r"[\u4e00-\u9fff]")


def _alias_pattern(alias: str, case_sensitive: bool) -> re.Pattern:
    if _HAN.search(alias):
        # Chinese has no spaces between words: a Chinese name matches wherever it stands, and only its
        # Latin ends ("CAR-T细胞疗法") need a boundary.
        before = r"(?<![A-Za-z0-9\-])" if alias[:1].isascii() and alias[:1].isalnum() else ""
        after = r"(?![A-Za-z0-9])" if alias[-1:].isascii() and alias[-1:].isalnum() else ""
        return re.compile(before + re.escape(alias.strip()) + after, 0 if case_sensitive else re.IGNORECASE)
    words = [w for w in re.split(r"[\s\-‐‑–]+", alias.strip()) if w]
    if not case_sensitive and len(alias) >= 6 and re.search(r"[^sui'’]s$", alias):
        words[-1] = re.escape(words[-1][:-1]) + "(?:s)?"  # "biologics" names "a biologic" too
        body = _SEP.join([*(re.escape(w) for w in words[:-1]), words[-1]])
        return re.compile(
            rf"(?<![^\W\u4e00-\u9fff]|-){body}(?![^\W\u4e00-\u9fff]|-(?!(?:based|containing)\b)\w)",
            re.IGNORECASE,
        )
    body = _SEP.join(re.escape(w) for w in words)
    plural = "" if case_sensitive or len(alias) < 5 else r"(?:s|es)?"
    flags = 0 if case_sensitive else re.IGNORECASE
    # a word character but a Chinese one bounds a Latin name ("CAR-T治疗" names CAR-T), and a hyphen
    # only before a regimen's suffix ("daratumumab-based" names daratumumab)
    return re.compile(
        rf"(?<![^\W\u4e00-\u9fff]|-){body}{plural}(?![^\W\u4e00-\u9fff]|-(?!(?:based|containing)\b)\w)", flags
    )


_compiled: dict[tuple, list] = {}


def _needle(alias: str, case_sensitive: bool) -> str:
    """A piece of text every match of `alias` holds: a text without it is not searched for the alias."""
    first = re.split(r"[\s\-‐‑–]+", alias.strip())[0]
    if _HAN.search(alias):
        first = alias.strip()
    first = first if case_sensitive else first.lower()
    return first[:-1] if not case_sensitive and len(first) >= 5 and first.endswith("s") else first


def _patterns(terms: list[Term]):
    key = tuple((t.id, t.name, tuple(t.synonyms), tuple(t.abbreviations)) for t in terms)
    if key not in _compiled:
        patterns = []
        for term in terms:
            for alias in {term.name, *term.synonyms}:
                if alias.strip():
                    pattern = _alias_pattern(alias, case_sensitive=False)
                    patterns.append((term.id, pattern, False, _needle(alias, False), False))
            for abbreviation in term.abbreviations:
                if abbreviation.strip():
                    wordlike = abbreviation.strip().lower() in _WORDLIKE
                    pattern = _alias_pattern(abbreviation, case_sensitive=True)
                    patterns.append((term.id, pattern, wordlike, _needle(abbreviation, True), True))
        if len(_compiled) >= 8:  # the desk's vocabularies, a few at a time (diseases, therapies)
            _compiled.clear()
        _compiled[key] = patterns
    return _compiled[key]


def match_terms(text: str, terms: list[Term]) -> list[int]:
    """Ids of the terms `text` names, in order of first mention. Whole words only; names and synonyms
    ignore case, abbreviations do not ("ALL" is leukemia, "all" is not); where two terms match the same
    words the longer match wins. A broader term gives way to a narrower one that is also named (B-cell
    ALL, not also leukemia). A disease named only as something vaccinated against is not tagged."""
    hits = []
    low = text.lower()
    for term_id, pattern, wordlike, needle, case_sensitive in _patterns(terms):
        if needle not in (text if case_sensitive else low):
            continue
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
        if (
            _CLASS_WORD.search(text[start:end])
            and _CLASSIFYING.search(text[max(0, start - 40) : start])
            and _HEAD_NOUN_END.match(text[end : end + 20])
        ):
            continue  # "CAR-T is a new targeted therapy": what kind of therapy it is, not a second topic
        taken.append((start, end))
        first_seen[term_id] = min(first_seen.get(term_id, start), start)
        counts[term_id] = counts.get(term_id, 0) + 1
    parents = {t.id: t.parent for t in terms}
    broader = set()
    for term_id in first_seen:
        parent = parents.get(term_id)
        while parent is not None:
            if parent in counts and 2 * counts[term_id] >= counts[parent]:
                broader.add(parent)  # the narrower term carries the topic, the broad name is its shorthand
            parent = parents.get(parent)
    return sorted((t for t in first_seen if t not in broader), key=first_seen.get)
