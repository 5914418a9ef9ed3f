"""The one place that decides which HTML a body of rich text (an article's, or another app's) may contain.

The admin's editor only offers these elements, and every save runs the body through `sanitize_html`,
so HTML that arrives another way (an import, the shell, an API) is held to the same allow-list.
"""

import re
from html import unescape

import nh3
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: What the rich-text editor offers, and therefore what the sanitizer keeps.
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Table": True,  # with its rows, header cells and cells; merged cells keep colspan and rowspan
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "NoSpellCheck": False,  # the browser's spelling check stays on
}

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "s", "sub", "sup", "h2", "h3",
    "ul", "ol", "li", "blockquote", "hr", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"}, "ol": {"start"}, "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"},
}  # fmt: skip
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
)


# Control characters other than tab, newline and carriage return: invisible, and they break exports.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def sanitize_html(html: str) -> str:
    """Keep only the allow-listed elements and attributes; drop scripts, event handlers and unsafe URLs.

    An editor-empty body (`<p></p>`) becomes the empty string, so "no body" is falsy everywhere.
    """
    cleaned = _cleaner.clean(CONTROL_CHARACTERS.sub("", html or "")).strip()
    return "" if cleaned in {"<p></p>", "<p><br></p>"} else cleaned


_BLOCK_END = re.compile(
    r"</(p|h[1-6]|li|blockquote|t[dh])>|<br\s*/?>|<hr\s*/?>", re.IGNORECASE
)  # a cell a line
_TAG = re.compile(r"<[^>]+>")


def plain_text(html: str) -> str:
    """Rich text as plain text: tags gone, entities decoded, one line per block."""
    text = unescape(_TAG.sub("", _BLOCK_END.sub("\n", html or "")))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def refuse_control_characters(value: str) -> None:
    """Validator: no invisible control characters (they break exports and feeds); tab and newline stay."""
    if value and CONTROL_CHARACTERS.search(value):
        raise ValidationError(
            _("This text holds an invisible control character (often pasted from another program). "
              "Retype the text around it, or paste it as plain text."),
            code="control_character",
        )  # fmt: skip
