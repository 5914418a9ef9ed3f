"""The identifier scanner's speed: 50 KB of English and of Chinese news (budget: 150 ms each), and each
hostile shape of 100,000 characters as a multiple of ordinary text (bound: 10x), for the scanner and for
the document importer (as text and as HTML, plus markup built to slow HTML parsers). Writes
bench/scanner.md.

    python bench/scanner.py
"""

import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cases.scanner import find_identifiers, load_all  # noqa: E402
from cases.tests.corpus import load  # noqa: E402
from cases.tests.hostile_text import ordinary, shapes  # noqa: E402


def seconds(text: str, runs: int = 5) -> float:
    return statistics.median(timings(text, runs))


def timings(text: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        find_identifiers(text)
        times.append(time.perf_counter() - start)
    return times


def best_and_median(text: str, runs: int = 11) -> tuple[float, float]:
    """The fastest of `runs` scans (what the code costs; a shared machine only ever adds to it, as timeit's
    documentation says) and their median."""
    times = timings(text, runs)
    return min(times), statistics.median(times)


def fifty_kb(texts: list[str]) -> str:
    text = "\n\n".join(texts)
    while len(text.encode()) < 50_000:
        text += "\n\n" + text
    return text.encode()[:50_000].decode(errors="ignore")


def main():
    started = time.perf_counter()
    load_all()
    loaded = time.perf_counter() - started
    docs = load("final") + load("blind")
    english = fifty_kb([d["text"] for d in docs if d["lang"] == "en"])
    chinese = fifty_kb([d["text"] for d in docs if d["lang"] == "zh"])
    (en, en_median), (zh, zh_median) = best_and_median(english), best_and_median(chinese)
    base = seconds(ordinary(english[:5000], chinese[:3000]), runs=3)
    ratios = {name: seconds(text, runs=1) / base for name, text in shapes().items()}
    worst = sorted(ratios.items(), key=lambda item: -item[1])[:5]
    lines = [
        f"# Scanner bench ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"Word lists loaded once per process in {loaded * 1000:.0f} ms.",
        "",
        "| text | size | best of 11 | median | budget |",
        "| --- | --- | --- | --- | --- |",
        f"| English news | 50 KB ({len(english):,} characters) | {en * 1000:.0f} ms | {en_median * 1000:.0f} ms | 150 ms {'met' if en <= 0.15 else '**missed**'} |",
        f"| Chinese news | 50 KB ({len(chinese):,} characters) | {zh * 1000:.0f} ms | {zh_median * 1000:.0f} ms | 150 ms {'met' if zh <= 0.15 else '**missed**'} |",
        "",
        f"Hostile shapes ({len(ratios)}, 100,000 characters each) against 100,000 characters of ordinary text "
        f"({base * 1000:.0f} ms): the slowest is {worst[0][1]:.1f}x (bound 10x).",
        "",
        *[f"- {name}: {ratio:.1f}x" for name, ratio in worst],
        "",
    ]
    lines += importer_ratios()
    (ROOT / "bench" / "scanner.md").write_text("\n".join(lines))
    print("\n".join(lines))


def importer_ratios() -> list[str]:
    """The document importer (parse_document and patient_story) on the same hostile shapes."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    django.setup()
    from cases.tests.test_importer_bounds import MARKUP, SHAPES, parse_or_refuse, read

    docs = load("blind")
    text = ordinary(
        next(d["text"] for d in docs if d["lang"] == "en"), next(d["text"] for d in docs if d["lang"] == "zh")
    )

    def timed(call, runs=1):
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    base = timed(lambda: (read(text, html=False), read(text, html=True)), runs=3)
    ratios = {
        name: timed(lambda t=t: (read(t, html=False), read(t, html=True))) / base
        for name, t in SHAPES.items()
    }
    ratios |= {f"markup: {name}": timed(lambda t=t: parse_or_refuse(t)) / base for name, t in MARKUP.items()}
    worst = sorted(ratios.items(), key=lambda item: -item[1])[:5]
    return [
        f"Document importer: the same {len(SHAPES)} shapes as text and as HTML, and {len(MARKUP)} markup shapes, "
        f"against ordinary text ({base * 1000:.0f} ms): the slowest is {worst[0][1]:.1f}x (bound 10x).",
        "",
        *[f"- {name}: {ratio:.1f}x" for name, ratio in worst],
        "",
    ]


if __name__ == "__main__":
    main()
