"""Regular expressions that cannot backtrack without bound.

Every pattern of the scanner is compiled through `bounded()`, which caps each open-ended repeat
(`+`, `*`, `{n,}`) at LIMIT characters. With the scanner's windows (see `cases.scanner.WINDOW`) that
bounds the work of any match attempt, so no text, however hostile, costs more than a fixed multiple of
ordinary text of the same length.
"""

import re

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


def bounded(pattern: str, flags: int = 0) -> re.Pattern:
    """`pattern` compiled with its repeats capped and its word lists as tries (several times faster on
    prose than trying word after word; see docs/scaling.md)."""
    return re.compile(bound(_as_tries(pattern)), flags)
