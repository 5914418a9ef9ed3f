"""Pathological texts for every judge of text: each about SIZE characters of one hostile shape."""

import signal
import statistics
import time
from collections.abc import Callable

SIZE = 100_000

KEYWORDS = [
    "Mr ",
    "Dr. ",
    "Grandma ",
    "aged ",
    "bed ",
    "Ward ",
    "room ",
    "MRN ",
    "patient ID ",
    "record number ",
    "born on ",
    "St ",
    "Hospital ",
    "Street ",
    "tel ",
    "phone: ",
    "@",
    "http://",
    "www.",
    "said ",
    "the age of ",
    "in the spring of ",
    "named ",
    "her daughter, ",
    "住院号",
    "床号",
    "身份证号",
    "患者",
    "主任",
    "记者 ",
    "家住",
    "医院",
    "某",
    "岁",
    "年",
    "月",
    "阿姨",
    "老",
    "小",
    "微信号：",
    "简称“",
]


def shapes() -> dict[str, str]:
    """Name -> text. Runs of one character class, and each keyword repeated, padded or not."""
    out = {
        "spaces": " " * SIZE,
        "newlines": "\n" * SIZE,
        "tabs and spaces": " \t" * (SIZE // 2),
        "dots": "." * SIZE,
        "commas and spaces": ", " * (SIZE // 2),
        "hyphens": "-" * SIZE,
        "digits": "7" * SIZE,
        "digit groups": "12 " * (SIZE // 3),
        "dashed digits": "1-" * (SIZE // 2),
        "capitals": "A" * SIZE,
        "capitalised words": "Aaaa " * (SIZE // 5),
        "one long capitalised word": "A" + "a" * (SIZE - 1),
        "capitals and apostrophes": "O'A" * (SIZE // 3),
        "han": "王" * SIZE,
        "han and digits": "王1" * (SIZE // 2),
        "mixed scripts": "a王1 " * (SIZE // 4),
        "at signs": "a@" * (SIZE // 2),
        "url without end": "http://" + "a" * (SIZE - 7),
        "email-like": "a." * (SIZE // 2) + "@b",
    }
    for keyword in KEYWORDS:
        out[f"{keyword.strip()!r} repeated"] = (keyword * (SIZE // len(keyword) + 1))[:SIZE]
        out[f"{keyword.strip()!r} then spaces"] = keyword + " " * (SIZE - len(keyword))
    return out


def ordinary(english: str, chinese: str) -> str:
    """About SIZE characters of ordinary news text, from the two given samples."""
    text = english + "\n\n" + chinese
    return (text * (SIZE // max(1, len(text)) + 1))[:SIZE]


def ordinary_seconds(call: Callable[[], object]) -> float:
    """The median of three timed calls on ordinary text, after one to warm caches."""
    call()
    times = []
    for _ in range(3):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def seconds_within(budget: float, call: Callable[[], object], name: str, tries: int = 3) -> float:
    """The fastest of up to `tries` calls, stopping at the first within budget; each call is cut off
    by an alarm half a second past the budget, and then counts as too slow. A pattern that backtracks
    is slow on every try, while a busy machine (CI runs other jobs beside ours) is slow on one, so a
    retry tells the two apart."""

    def too_slow(*_):
        raise TimeoutError(f"{name}: still running after {budget:.1f} s")

    best = float("inf")
    for _ in range(tries):
        previous = signal.signal(signal.SIGALRM, too_slow)
        signal.setitimer(signal.ITIMER_REAL, budget + 0.5)
        start = time.perf_counter()
        try:
            call()
        except TimeoutError:
            pass  # over budget on this try; a stall will be over it on every try
        else:
            best = min(best, time.perf_counter() - start)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        if best <= budget:
            break
    return best
