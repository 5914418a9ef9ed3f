"""Scores the content checks on corpora written blind: texts and expected verdicts by helpers who never
read articles.standards.

    python -m articles.tests.content_corpus blind      # the first batch, scored before any tuning
    python -m articles.tests.content_corpus final -v   # the held-out batch, with every miss

Hype: an expected phrase is found when a flagged phrase overlaps it; a flagged phrase is right when it
overlaps an expected one. Items noted "borderline" are left out. Reading: "plain" must grade at or under
the desk's target, "hard" over it. Alt text: the verdict must match.
"""

import json
import re
import sys
from pathlib import Path

import django

CORPORA = Path(__file__).resolve().parent / "corpora" / "content_checks"


def load(batch: str) -> dict:
    return json.loads((CORPORA / batch / "corpus.json").read_text(encoding="utf-8"))


def _spans(text: str, phrases) -> list[tuple[int, int]]:
    spans = []
    for phrase in phrases:
        spans += [m.span() for m in re.finditer(re.escape(phrase), text, re.IGNORECASE)] or [(0, 0)]
    return spans


def _overlap(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score(batch: str, verbose: bool = False) -> dict:
    from django.conf import settings

    from articles.standards import alt_text_problem, hype_phrases, reading_grade

    corpus, out, lines = load(batch), {}, []
    hits = expected = right = flagged = 0
    for item in corpus["hype"]:
        if "borderline" in (item.get("note") or "").lower():
            continue
        want = _spans(item["text"], item["flag"])
        got = _spans(item["text"], hype_phrases(item["text"]))
        got = [g for g in got if g != (0, 0)]
        found = [w for w in want if any(_overlap(w, g) for g in got)]
        good = [g for g in got if any(_overlap(w, g) for w in want)]
        hits, expected, right, flagged = (
            hits + len(found),
            expected + len(want),
            right + len(good),
            flagged + len(got),
        )
        if verbose and (len(found) < len(want) or len(good) < len(got)):
            lines.append(
                f"hype {item['id']}: want {item['flag']} got {hype_phrases(item['text'])}: {item['text'][:160]}"
            )
    out["hype"] = {
        "recall": hits / max(expected, 1),
        "precision": right / max(flagged, 1),
        "expected": expected,
        "flagged": flagged,
    }
    for lang in ("en", "zh"):
        agree = total = unmeasured = 0
        for item in corpus["reading"]:
            if item["lang"] != lang:
                continue
            grade = reading_grade(item["text"])
            total += 1
            if grade is None:
                unmeasured += 1
                verdict = None
            else:
                verdict = "plain" if grade <= settings.NEWSDESK_READING_GRADE else "hard"
            agree += verdict == item["level"]
            if verbose and verdict != item["level"]:
                lines.append(f"reading {item['id']} ({item['level']}): grade {grade}")
        out[f"reading_{lang}"] = {"agree": agree / max(total, 1), "items": total, "unmeasured": unmeasured}
    agree = false_alarms = oks = 0
    for item in corpus["alt"]:
        ok = alt_text_problem(item["text"]) is None
        agree += ok == item["ok"]
        oks += item["ok"]
        false_alarms += item["ok"] and not ok
        if verbose and ok != item["ok"]:
            lines.append(f"alt {item['id']} (ok={item['ok']}): {item['text']!r}")
    out["alt"] = {
        "agree": agree / len(corpus["alt"]),
        "items": len(corpus["alt"]),
        "good_alt_refused": false_alarms,
        "good_alts": oks,
    }
    out["lines"] = lines
    return out


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    django.setup()
    result = score(sys.argv[1], "-v" in sys.argv)
    for line in result.pop("lines"):
        print(line)
    print(json.dumps(result, indent=1))
