"""Regular expressions that cannot backtrack without bound.

Every pattern of the scanner is compiled through `bounded()`, which caps each open-ended repeat
(`+`, `*`, `{n,}`) at LIMIT characters. With the scanner's windows (see `cases.scanner.WINDOW`) that
bounds the work of any match attempt, so no text, however hostile, costs more than a fixed multiple of
ordinary text of the same length.
"""

import re
import re._constants as _c
import re._parser as _parser
from bisect import bisect_right
from functools import lru_cache

LIMIT = 40

# Letters that may start and continue a name in a Latin script: "Zoë", "Łukasz", "Whakatāne", "Ōrewa".
UPPER = "A-ZÀ-ÖØ-ÞĀĒĪŌŪŁŚŹŻĆŃŠŽČŘĐ"
LOWER = "a-zß-öø-ÿāēīōūłśźżćńąęóšžčřđ"


def bound(pattern: str, limit: int = LIMIT) -> str:
    """`pattern` with `+`, `*` and `{n,}` written as `{1,limit}`, `{0,limit}` and `{n,limit}`.

    Possessive and lazy suffixes are kept; character classes and escapes are copied as they are.
    """
    out, i, quantified = [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            quantified = False
            continue
        if c == "[":
            j = i + 1
            if j < len(pattern) and pattern[j] == "^":
                j += 1
            if j < len(pattern) and pattern[j] == "]":
                j += 1
            while j < len(pattern) and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            out.append(pattern[i : j + 1])
            i = j + 1
            quantified = False
            continue
        if c in "+*" and not quantified and not (out and out[-1] == "("):
            out.append(f"{{{1 if c == '+' else 0},{limit}}}")
            quantified = True
            i += 1
            continue
        if c == "{":
            m = re.match(r"\{(\d+),\}", pattern[i:])
            if m:
                out.append(f"{{{m.group(1)},{max(limit, int(m.group(1)))}}}")
                i += m.end()
                quantified = True
                continue
            m = re.match(r"\{\d+(?:,\d+)?\}", pattern[i:])
            if m:
                out.append(m.group(0))
                i += m.end()
                quantified = True
                continue
        out.append(c)
        quantified = c == "?" and quantified  # "+?" stays lazy; a "+" after it would be an error anyway
        if c in "+*" and quantified is False and out[-1] in "+*":
            quantified = True  # a possessive suffix
        i += 1
    return "".join(out)


_WORD_LIST = re.compile(r"\(\?(i?):((?:[^()\[\\|]|\\[.\-']|\|)+)\)")
_LITERAL = re.compile(r"(?:[\w '’&-]|\\[.\-'])+")


def trie(words: list[str]) -> str:
    """One pattern matching any of `words`, branching a letter at a time ("Jan|January|June" becomes
    "J(?:an(?:uary)?|une)"): the engine tests one letter per branch instead of every word in turn.
    Where several words match at one position, the longest is tried first."""
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            body = f"(?:{body})?" if len(branches) > 1 or len(body) > 1 else body + "?"
        return body

    return emit(tree)


def _as_tries(pattern: str) -> str:
    """`pattern` with each group that is only a list of words, "(?:a|b|c)" or "(?i:a|b|c)", as a trie."""

    def replace(m: re.Match) -> str:
        words = m.group(2).split("|")
        if len(words) < 3 or not all(_LITERAL.fullmatch(w) for w in words):
            return m.group(0)
        words = [re.sub(r"\\(.)", r"\1", w) for w in words]
        if m.group(1):
            words = [w.lower() for w in words]
        return f"(?{m.group(1)}:{trie(words)})"

    return _WORD_LIST.sub(replace, pattern)


def _walk(pattern: str, start: int = 0):
    """Each (index, character, depth in groups) of `pattern` from `start`, escapes and character classes
    stepped over."""
    depth, i = 0, start
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = pattern.index("]", i + 2 if pattern[i + 1 : i + 2] in ("]", "^") else i + 1) + 1
            continue
        yield i, c, depth
        depth += {"(": 1, ")": -1}.get(c, 0)
        i += 1


def _group_end(pattern: str, start: int) -> int:
    """The index just past the group that opens at `start` (a "(")."""
    for i, c, depth in _walk(pattern, start):
        if c == ")" and depth == 1:
            return i + 1
    raise ValueError(pattern)


def _alternatives(body: str) -> list[str]:
    """`body` split at its top-level "|"."""
    parts, at = [], 0
    for i, c, depth in _walk(body):
        if c == "|" and depth == 0:
            parts.append(body[at:i])
            at = i + 1
    return [*parts, body[at:]]


def _expanded(branches: list[str]) -> list[str]:
    """Branches that open with a plain word list written out, a branch per word, in order:
    "(?:he|she) is" becomes "he is" and "she is", "[Ss]ince" becomes "Since" and "since"; a branch that is
    only a group is opened up."""
    out = []
    for branch in branches:
        pair = re.match(r"\[([A-Za-z])([A-Za-z])\]", branch)
        if pair and pair.group(1).lower() == pair.group(2).lower() != pair.group(1):  # "[Ss]ince"
            out += [pair.group(1) + branch[4:], pair.group(2) + branch[4:]]
            continue
        if branch.startswith("(?:"):
            end = _group_end(branch, 0)
            inner, after = branch[3 : end - 1], branch[end:]
            if after[:1] not in ("?", "*", "+", "{"):
                words = _alternatives(inner)
                if not after or (all(_LITERAL.fullmatch(w) for w in words) and "(?P<" not in after):
                    out += _expanded([w + after for w in words])
                    continue
        out.append(branch)
    return out


_REPEATS = ("?", "*", "+", "{")
_CLASS = r"\[(?:\\.|[^\]\\])+\]"
_LED_CLASS = re.compile(rf"\\b({_CLASS})(?![?*+{{])")
_LED_WORD = re.compile(r"\\b([A-Za-z]+)(?![A-Za-z?*+{])")
_LED_LOOKBEHIND = re.compile(rf"\(\?<!({_CLASS}|\\w)\)({_CLASS}|[A-Za-z@#]|\\d)(\+|\{{1,(\d+)\}})?")


def _word_class(cls: str) -> bool:
    """True when every character class `cls` admits is a word character, so `\\b` before it means none
    stands before it."""
    admits = re.compile(cls)
    return all(re.match(r"\w", c) for c in map(chr, range(0x3000)) if admits.match(c))


def _led(pattern: str, flags: int) -> tuple[str, int]:
    """A pattern that opens with `\\b` and a group whose every branch starts with a letter, rewritten to
    open with the class of those letters, the boundary checked after it: "\\b(?:bed|ward)" reads
    "[bw](?<!\\w.)(?:(?<=b)(?:ed)|(?<=w)(?:ard))". It matches the same, but the engine can jump between
    those letters instead of trying every position, which a leading `\\b` or a case-blind flag prevents
    (docs/scaling.md has the figures). A named group keeps its name and its span."""
    # "\\b[A-Z]\\w+" reads "[A-Z](?<!\\w.)\\w+", "\\bthe" reads "the(?<!\\w...)", "(?<![\\w@.])@" reads
    # "@(?<![\\w@.].)" and "(?<![\\w.])\\w+@" reads "\\w(?<![\\w.].)\\w*@": what was checked before the first
    # character is checked after it, so the engine can jump to that character.
    if (m := _LED_CLASS.match(pattern)) and _word_class(m.group(1)):
        return f"{m.group(1)}(?<!\\w.){pattern[m.end() :]}", flags
    if m := _LED_WORD.match(pattern):
        return f"{m.group(1)}(?<!\\w{'.' * len(m.group(1))}){pattern[m.end() :]}", flags
    if m := _LED_LOOKBEHIND.match(pattern):
        after = pattern[m.end() :]
        if m.group(3):
            after = m.group(2) + ("*" if m.group(3) == "+" else f"{{0,{int(m.group(4)) - 1}}}") + after
        if after[:1] not in _REPEATS:
            return f"{m.group(2)}(?<!{m.group(1)}.){after}", flags
    digits = re.match(r"\\b(\(\?P<\w+>)?\\d\{(\d+),(\d+)\}", pattern)
    if digits and int(digits.group(2)) >= 1:  # "\\b(?P<n>\\d{1,3})" reads "(?P<n>\\d(?<!\\w\\d)\\d{0,2})"
        low, high = int(digits.group(2)) - 1, int(digits.group(3)) - 1
        return f"{digits.group(1) or ''}\\d(?<!\\w\\d)\\d{{{low},{high}}}{pattern[digits.end() :]}", flags
    opening = re.match(r"\\b\(\?(?:(i?):|P<(\w+)>)", pattern)
    if not opening:
        return pattern, flags
    end = _group_end(pattern, 2)
    if pattern[end : end + 1] in ("?", "*", "+", "{"):
        return pattern, flags
    branches = _expanded(_alternatives(pattern[opening.end() : end - 1]))
    if not all(
        b[:1].isalnum() and len(b[0].upper()) == 1 and b[1:2] not in ("?", "*", "+", "{") for b in branches
    ):
        return pattern, flags
    caseless = bool(opening.group(1) or flags & re.IGNORECASE)
    tails: dict[str, list[str]] = {}
    for branch in branches:
        tails.setdefault(branch[0].lower() if caseless else branch[0], []).append(branch[1:])
    firsts = "".join(sorted({c for first in tails for c in (first, first.upper()) if caseless or c == first}))
    lead = "|".join(f"(?<={re.escape(first)})(?:{'|'.join(rest)})" for first, rest in tails.items())
    lead = f"[{re.escape(firsts)}](?<!\\w.)" + (f"(?i:{lead})" if caseless else f"(?:{lead})")
    if opening.group(2):
        lead = f"(?P<{opening.group(2)}>{lead})"
    rest = pattern[end:]
    if flags & re.IGNORECASE:
        return f"{lead}(?i:{rest})" if rest else lead, flags & ~re.IGNORECASE
    return lead + rest, flags


def bounded(pattern: str, flags: int = 0) -> re.Pattern:
    """`pattern` compiled with its repeats capped and its word lists as tries (faster on prose than trying
    word after word; see docs/scaling.md)."""
    pattern, flags = _led(pattern, flags)
    return re.compile(bound(_as_tries(pattern)), flags)


def _consumes_digit(items) -> bool:
    """True when every match of the parsed pattern `items` consumes a digit (lookarounds never count)."""
    return any(_item_consumes_digit(op, av) for op, av in items)


def _item_consumes_digit(op, av) -> bool:
    if op is _c.LITERAL:
        return _DIGIT.match(chr(av)) is not None
    if op is _c.IN:
        if av and av[0][0] is _c.NEGATE:
            return False
        if len(av) == 1 and av[0][0] is _c.CATEGORY:
            return av[0][1] in (_c.CATEGORY_DIGIT, _c.CATEGORY_UNI_DIGIT)
        chars = []
        for kind, value in av:
            if kind is _c.LITERAL:
                chars.append(chr(value))
            elif kind is _c.RANGE and value[1] - value[0] < 64:
                chars += map(chr, range(value[0], value[1] + 1))
            else:
                return False
        return all(_DIGIT.match(c) for c in chars)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        return av[0] >= 1 and _consumes_digit(av[2])
    if op is _c.SUBPATTERN:
        return _consumes_digit(av[3])
    if op is _c.ATOMIC_GROUP:
        return _consumes_digit(av)
    if op is _c.BRANCH:
        return all(_consumes_digit(branch) for branch in av[1])
    return False


@lru_cache(maxsize=1024)
def needs_digit(pattern: re.Pattern) -> bool:
    """True when `pattern` cannot match without a digit, read off its parse tree."""
    try:
        return _consumes_digit(_parser.parse(pattern.pattern, pattern.flags))
    except Exception:  # a parser of another Python: read every pattern everywhere
        return False


_DIGIT = re.compile(r"\d")
_BLOCK_BREAK = re.compile(r"\n[ \t]*\n")


class _Moved:
    """A match found in a text's digit blocks, its positions those of the whole text."""

    __slots__ = ("_match", "_by")

    def __init__(self, match: re.Match, by: int):
        self._match, self._by = match, by

    def start(self, group=0):
        at = self._match.start(group)
        return at + self._by if at >= 0 else at

    def end(self, group=0):
        at = self._match.end(group)
        return at + self._by if at >= 0 else at

    def span(self, group=0):
        return self.start(group), self.end(group)

    def group(self, *groups):
        return self._match.group(*groups)

    def groupdict(self, default=None):
        return self._match.groupdict(default)

    def __getitem__(self, group):
        return self._match[group]


def reader(text: str):
    """`each(pattern)`: the matches of `pattern` in `text`. A pattern that cannot match without a digit
    reads only the blocks (between blank lines) that hold one, when they are a small part of the text; a
    match that would join two blocks is dropped, as one never could in the text itself."""
    blocks, at = [], 0
    for m in _BLOCK_BREAK.finditer(text):
        blocks.append((at, m.start()))
        at = m.end()
    blocks.append((at, len(text)))
    kept = [(start, end) for start, end in blocks if _DIGIT.search(text, start, end)]
    if sum(end - start for start, end in kept) > 0.8 * len(text):
        return lambda pattern: pattern.finditer(text)
    joined, starts, ends, moves, size = [], [], [], [], 0
    for start, end in kept:
        joined.append(text[start:end])
        starts.append(size)
        ends.append(size + end - start)
        moves.append(start - size)
        size += end - start + 2
    digits = "\n\n".join(joined)

    def each(pattern: re.Pattern):
        return moved(pattern.finditer(digits)) if needs_digit(pattern) else pattern.finditer(text)

    def moved(matches):
        for m in matches:
            i = bisect_right(starts, m.start()) - 1
            if m.end() <= ends[i]:
                yield _Moved(m, moves[i])

    return each
