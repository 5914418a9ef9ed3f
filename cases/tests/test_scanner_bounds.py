"""No text can stall the scanner: each pathological shape of 100,000 characters is scanned within 10 times
the scanner's time on 100,000 characters of ordinary news text. make test runs 32 of the shapes (every
run of one character class, and the keywords most likely to start a match); make test-full runs all."""

import re
from pathlib import Path

import pytest

from cases.scanner import find_identifiers, load_all
from cases.scanner.patterns import _as_tries, _led, bound, bounded, needs_digit, reader, trie
from cases.scanner.words import segment
from cases.tests.corpus import load
from cases.tests.hostile_text import SIZE, ordinary, seconds_within, shapes
from cases.tests.hostile_text import ordinary_seconds as timed

ROOT = Path(__file__).resolve().parents[2]
SHAPES = shapes()
FAST = sorted(SHAPES)[:: max(1, len(SHAPES) // 6)][:6]


@pytest.fixture(scope="module")
def ordinary_seconds():
    load_all()
    docs = load("blind")
    text = ordinary(
        next(d["text"] for d in docs if d["lang"] == "en"), next(d["text"] for d in docs if d["lang"] == "zh")
    )
    assert len(text) == SIZE
    return timed(lambda: find_identifiers(text))


def test_there_are_at_least_30_shapes_of_100_000_characters():
    assert len(SHAPES) >= 30
    assert all(len(text) >= SIZE - 10 for text in SHAPES.values())


@pytest.mark.parametrize(
    "name", [n if n in FAST else pytest.param(n, marks=pytest.mark.slow) for n in sorted(SHAPES)]
)
def test_a_hostile_text_is_scanned_within_10_times_ordinary_text(name, ordinary_seconds):
    budget = max(10 * ordinary_seconds, 1.0)
    findings = []
    elapsed = seconds_within(budget, lambda: findings.append(find_identifiers(SHAPES[name])), name)
    assert elapsed <= budget, name
    assert all(0 <= f.start < f.end <= len(SHAPES[name]) for f in findings[-1])


def test_a_word_list_written_as_a_trie_matches_exactly_the_same_words():
    words = ["Jan", "January", "June", "Sept.", "St John", "nurse", "nurses", "O'Neill"]
    pattern = re.compile(rf"(?:{trie(words)})\Z")
    assert all(pattern.match(word) for word in words)
    assert not any(pattern.match(word) for word in ["Ja", "Janu", "Sept", "St", "nurs", "O'Neil", "Jun"])


def test_only_groups_that_are_plain_word_lists_become_tries():
    assert _as_tries(r"\b(?:a|b|c)\s+(?i:Ward|bed|bay)") == r"\b(?:(?:a|b|c))\s+(?i:(?:b(?:ay|ed)|ward))"
    for kept in (r"(?:a|b)", r"(?:x|[ab]|c)", r"(?:was|is|\d)", r"(?:Jan|(?:Feb)|Mar)"):
        assert _as_tries(kept) == kept


LED = [
    (r"\b(?:bed|beds|ward|room|bed[\s-]space|side room)\s*(?:no\.?)?\s*\d{1,4}\b", re.IGNORECASE),
    (r"\b(?:MRN|medical record(?: number| no\.?)?|ID(?: card)?)\s*:?\s*\w+", re.IGNORECASE),
    (r"\b(?i:doctor|nurse|surgeon)\s+(?P<name>[A-Z][a-z]+)", 0),
    (r"\b(?:The|the|Her|her|His|his)\s+[a-z]{3,},\s+(?P<name>[A-Z][a-z]+)", 0),
    (r"\b(?:a|an|at|the|to)\s+\w+", 0),
    (r"\b(?P<n>\d{1,3})[\s-](?:year|month)s?[\s-]old\b", re.IGNORECASE),
    (r"\b\d{2,4}\s+[A-Z][a-z]+", 0),
    (
        r"\b(?P<w>(?:one|two|twenty|thirty)(?:[\s-](?:one|two))?|ten|(?:a|one) hundred)[\s-]years?\b",
        re.IGNORECASE,
    ),
    (r"\b(?:(?:he|she) is|now)\s+\d{1,3}", 0),
    (r"\b(?:[Ss]he|[Hh]e|I) (?:was|is) (?P<n>\d{1,3})\b", 0),
    (r"\b[A-Z][a-z]+ \((?P<n>\d{1,3})\)", 0),
    (r"\bthe\s+age\s+of\s+(?P<n>\d{1,3})\b", 0),
    (r"(?<![\w@.])@[A-Za-z0-9_.]{3,30}\b", 0),
    (r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b", 0),
    (r"(?<![\w/])u/[A-Za-z0-9_-]{3,20}\b", 0),
]


@pytest.mark.parametrize(("pattern", "flags"), LED)
def test_a_pattern_led_by_a_class_of_first_letters_finds_exactly_what_its_plain_form_finds(pattern, flags):
    """bounded() rewrites "\\b(?:bed|ward)" to open with "[BWbw]" and check the boundary after it, so
    the engine can skip between those letters; on every corpus it must find the very same matches."""
    from cases.tests.corpus import CORPORA

    led, plain = bounded(pattern, flags), re.compile(bound(_as_tries(pattern)), flags)
    assert led.pattern != plain.pattern
    texts = [doc["text"] for batch in CORPORA.iterdir() for doc in load(batch.name)]
    texts += [
        "Bed 12, BED 7, abed 3, Ward\n4; x12 year old; 7-YEAR-OLD; ID: A1; aID: B2; Twenty-One years, a hundred years",
        "she was 40. Ashe was 41; @ann_b, x@ann_b, a.b+c@x-y.org, .a@b.c, lieu/abc, u/abc; Kim (7) kKim (8) (9)",
    ]
    for text in texts:
        assert [(m.span(), m.groupdict()) for m in led.finditer(text)] == [
            (m.span(), m.groupdict()) for m in plain.finditer(text)
        ]


def test_a_pattern_whose_first_letter_is_not_certain_is_left_as_written():
    for pattern in (
        r"\b(?:a|b)?x",
        r"\b(?:[T-V]he|x)",
        r"\b(?:(?:a|\d)c|d)",
        r"\b\w+",
        r"(?:a|b|c)",
        r"\b[\w-]+x",  # "-" is no word character: the boundary before it means something else
        r"\bdays?",
        r"(?<![\w.])(?:a|b)",
    ):
        assert _led(pattern, 0) == (pattern, 0)


def test_a_pattern_skipped_for_want_of_its_cue_could_not_have_matched():
    """Every match of a cued pattern, on every corpus and in the hostile shapes, holds one of its cues
    (or has it within the reach of its look-arounds)."""
    from cases.scanner.english import _CUES
    from cases.tests.corpus import CORPORA

    texts = [doc["text"] for batch in CORPORA.iterdir() for doc in load(batch.name)]
    texts += list(SHAPES.values())[:20]
    for pattern, cues in _CUES.items():
        for text in texts:
            for m in pattern.finditer(text):
                low = text[max(0, m.start() - 20) : m.end() + 20].lower()  # look-arounds included
                assert any(cue in low for cue in cues), (pattern.pattern[:60], m.group(0))


@pytest.mark.parametrize(
    "pattern, needs",
    [
        (r"\d{3}-\d{4}", True),
        (r"[0-9]+ years", True),
        (r"(?:\d+|\d\d) ?[AP]M", True),
        (r"\d*x", False),  # no digit at all matches too
        (r"(?:\d|one) day", False),
        (r"(?<=\d)x", False),  # a look-behind reads a digit but never takes it
        (r"[\d.]+", False),
        (r"[^a-z]1?", False),
    ],
)
def test_a_pattern_needs_a_digit_only_when_every_match_takes_one(pattern, needs):
    assert needs_digit(re.compile(pattern)) is needs


def test_a_pattern_that_needs_a_digit_finds_in_the_digit_blocks_exactly_what_it_finds_in_the_text():
    from cases.scanner import english

    texts = [doc["text"] for doc in load("blind")]
    patterns = [p for p in (*english._DATES, *english._AGES) if needs_digit(p)]
    assert len(patterns) >= 20
    for text in texts:
        each = reader(text)
        for pattern in patterns:
            whole = [m.span() for m in pattern.finditer(text)]
            assert [m.span() for m in each(pattern)] == whole, pattern.pattern[:60]


def test_the_digit_blocks_are_read_only_when_they_are_a_small_part_of_the_text():
    text = "Born 3 May 1950.\n\n" + "No digits at all here, only words. " * 40 + "\n\nSeen on 4 June."
    pattern = re.compile(r"\d{1,2} (?:May|June)")
    matches = list(reader(text)(pattern))
    assert [type(m).__name__ for m in matches] == ["_Moved", "_Moved"]
    assert [text[m.start() : m.end()] for m in matches] == ["3 May", "4 June"]
    assert [m.group(0) for m in matches] == ["3 May", "4 June"]
    assert all(isinstance(m, re.Match) for m in reader("On 3 May.")(pattern))


def test_chinese_is_cut_into_the_words_jieba_itself_gives():
    load_all()
    texts = [doc["text"] for doc in load("blind") if doc["lang"] == "zh"]
    assert len(texts) >= 12
    assert all(_same_han_words(text) for text in texts)


def _same_han_words(text: str) -> bool:
    """jieba-rs keeps a hyphen, a dot or an underscore inside a Latin word ("DJ-ing"); the Chinese words
    and where they stand are what the scanner reads."""
    import jieba

    def han(words):
        out, at = [], 0
        for w in words:
            if re.search("[\u4e00-\u9fff]", w):
                out.append((at, w))
            at += len(w)
        return out

    return han(segment(text)) == han(jieba.dt.cut(text, HMM=True))
