"""No text can stall the scanner: each pathological shape of 100,000 characters is scanned within 10 times
the scanner's time on 100,000 characters of ordinary news text. make test runs 32 of the shapes (every
run of one character class, and the keywords most likely to start a match); make test-full runs all."""

import signal
from pathlib import Path

import pytest

from cases.scanner import find_identifiers, load_all
from cases.tests.corpus import load
from cases.tests.hostile_text import SIZE, ordinary, shapes

ROOT = Path(__file__).resolve().parents[2]
SHAPES = shapes()
FAST = sorted(SHAPES)[:: max(1, len(SHAPES) // 32)][:32]


@pytest.fixture(scope="module")
def ordinary_seconds():
    import time

    load_all()
    docs = load("blind")
    text = ordinary(
        next(d["text"] for d in docs if d["lang"] == "en"), next(d["text"] for d in docs if d["lang"] == "zh")
    )
    assert len(text) == SIZE
    start = time.perf_counter()
    find_identifiers(text)
    return time.perf_counter() - start


def test_there_are_at_least_30_shapes_of_100_000_characters():
    assert len(SHAPES) >= 30
    assert all(len(text) >= SIZE - 10 for text in SHAPES.values())


@pytest.mark.parametrize(
    "name", [n if n in FAST else pytest.param(n, marks=pytest.mark.slow) for n in sorted(SHAPES)]
)
def test_a_hostile_text_is_scanned_within_10_times_ordinary_text(name, ordinary_seconds):
    import time

    budget = max(10 * ordinary_seconds, 1.0)

    def too_slow(*_):
        raise TimeoutError(f"{name}: still scanning after {budget:.1f} s")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.setitimer(signal.ITIMER_REAL, budget + 0.5)
    try:
        start = time.perf_counter()
        findings = find_identifiers(SHAPES[name])
        elapsed = time.perf_counter() - start
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert elapsed <= budget, name
    assert all(0 <= f.start < f.end <= len(SHAPES[name]) for f in findings)
