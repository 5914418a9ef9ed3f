"""Regular expressions that cannot backtrack without bound.

Every pattern of the scanner is compiled through `bounded()`, which caps each open-ended repeat
(`+`, `*`, `{n,}`) at LIMIT characters. With the scanner's windows (see `cases.scanner.WINDOW`) that
bounds the work of any match attempt, so no text, however hostile, costs more than a fixed multiple of
ordinary text of the same length.
"""

import re

LIMIT = 40


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


def bounded(pattern: str, flags: int = 0) -> re.Pattern:
    if pattern.startswith(r"\b") and not pattern.startswith(r"\b\W"):
        # The same pattern, but the engine can skip positions before a non-word character at once
        # instead of trying every branch there: about twice as fast on prose (see docs/scaling.md).
        pattern = r"(?=\w)" + pattern
    return re.compile(bound(pattern), flags)
