"""Scores the scanner on corpora written blind: documents and labels by helpers who never read it.

    python -m cases.tests.corpus blind     # the first batch (scored before the scanner was redesigned)
    python -m cases.tests.corpus eighth    # the newest batch, never tuned to: the result
    python -m cases.tests.corpus sixth -v  # with every miss and false alarm

The batches and their blind figures are listed in cases/tests/test_corpus.py.

Each document is a JSON file with its text and the distinct identifier strings in it, by kind; every
occurrence of a labelled string counts (a shorter label inside a longer one counts once, as the longer).
A labelled occurrence is found when any finding overlaps it: the privacy officer is shown it either way.
A finding is right when it overlaps a labelled occurrence.
"""

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from cases.scanner import find_identifiers

CORPORA = Path(__file__).resolve().parent / "corpora"
KIND_OF_LABEL = {"address": "place"}


def load(batch: str) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((CORPORA / batch).glob("*.json"))]


def labelled_spans(doc: dict) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, text) of every labelled occurrence, a label inside a longer one left out."""
    text, spans = doc["text"], []
    for label in doc["identifiers"]:
        needle = label["text"]
        word = re.escape(needle)
        if needle[:1].isalnum() and needle[:1].isascii():
            word = r"(?<![\w])" + word
        if needle[-1:].isalnum() and needle[-1:].isascii():
            word += r"(?![\w])"
        for m in re.finditer(word, text):
            spans.append((m.start(), m.end(), KIND_OF_LABEL.get(label["kind"], label["kind"]), needle))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    kept: list = []
    for span in spans:
        if any(k[0] <= span[0] and span[1] <= k[1] for k in kept):
            continue
        kept.append(span)
    return kept


@dataclass
class Score:
    labelled: Counter = field(default_factory=Counter)
    found: Counter = field(default_factory=Counter)
    by_lang: Counter = field(default_factory=Counter)
    found_by_lang: Counter = field(default_factory=Counter)
    findings: int = 0
    right: int = 0
    missed: list = field(default_factory=list)
    false_alarms: list = field(default_factory=list)

    def recall(self, kind=None, lang=None):
        if lang:
            return self.found_by_lang[lang] / self.by_lang[lang] if self.by_lang[lang] else 1.0
        labelled = self.labelled[kind] if kind else sum(self.labelled.values())
        found = self.found[kind] if kind else sum(self.found.values())
        return found / labelled if labelled else 1.0

    def precision(self):
        return self.right / self.findings if self.findings else 1.0

    def report(self) -> str:
        lines = [
            f"recall {self.recall():.1%} ({sum(self.found.values())}/{sum(self.labelled.values())}), "
            f"precision {self.precision():.1%} ({self.right}/{self.findings})",
            "by language: "
            + ", ".join(
                f"{lang} {self.recall(lang=lang):.1%} of {self.by_lang[lang]}"
                for lang in sorted(self.by_lang)
            ),
        ]
        lines += [
            f"  {kind:15} {self.recall(kind):6.1%} of {self.labelled[kind]}" for kind in sorted(self.labelled)
        ]
        return "\n".join(lines)


def score(docs: list[dict], scan=find_identifiers) -> Score:
    result = Score()
    for doc in docs:
        text, lang = doc["text"], doc["lang"]
        findings = scan(text)
        spans = labelled_spans(doc)
        for start, end, kind, needle in spans:
            result.labelled[kind] += 1
            result.by_lang[lang] += 1
            if any(f.start < end and start < f.end for f in findings):
                result.found[kind] += 1
                result.found_by_lang[lang] += 1
            else:
                result.missed.append((doc["id"], kind, needle, text[max(0, start - 40) : end + 40]))
        for f in findings:
            result.findings += 1
            if any(f.start < end and start < f.end for start, end, *_ in spans):
                result.right += 1
            else:
                result.false_alarms.append((doc["id"], f.kind, f.text))
    return result


if __name__ == "__main__":
    batch = sys.argv[1] if len(sys.argv) > 1 else "blind"
    verbose = "-v" in sys.argv
    result = score(load(batch))
    print(f"{batch}: {len(load(batch))} documents")
    print(result.report())
    if verbose:
        for miss in result.missed:
            print("MISS", miss)
        for alarm in result.false_alarms:
            print("FALSE", alarm)
