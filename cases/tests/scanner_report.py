"""Recall and precision of the scanner against the labelled set and the client's source documents.

    python -m cases.tests.scanner_report

A labelled identifier is found when a finding of an acceptable kind overlaps it. Precision counts a
finding as right when it overlaps any labelled identifier; the negative sentences hold none.
"""

import json
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from cases.scanner import find_identifiers
from cases.tests.scanner_cases import CASES, NEGATIVES
from cases.tests.scanner_heldout import HELDOUT, HELDOUT_NEGATIVES  # written blind; see its docstring

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
# Which finding kinds satisfy a label. Names and nicknames are interchangeable; an age over 89 must be
# reported as such; everything else needs its own kind.
ACCEPT = {
    "person_name": {"person_name", "nickname", "proper_noun"},
    "nickname": {"nickname", "person_name"},
    "place": {"place", "address", "proper_noun"},
    "hospital": {"hospital", "proper_noun"},
}
# The client's labels (expected.json) use their own type names. They also label a quoted professor as a
# plain person_name; a clinician_name finding is at least as strict a flag, so it is accepted there.
SEED_ACCEPT = {
    "person_name": {"person_name", "nickname", "clinician_name"},
    "pseudonym": {"person_name", "nickname"},
    "nickname": {"nickname", "person_name"},
    "doctor_name": {"clinician_name"},
}
SEED_KIND = {"pseudonym": "person_name", "doctor_name": "clinician_name"}


@dataclass
class Score:
    labelled: Counter = field(default_factory=Counter)
    found: Counter = field(default_factory=Counter)
    flagged: Counter = field(default_factory=Counter)  # findings per kind
    right: Counter = field(default_factory=Counter)  # of which overlap a labelled identifier
    missed: list = field(default_factory=list)
    false_alarms: list = field(default_factory=list)

    def recall(self, kind=None):
        labelled = self.labelled[kind] if kind else sum(self.labelled.values())
        found = self.found[kind] if kind else sum(self.found.values())
        return found / labelled if labelled else 1.0

    def precision(self, kind=None):
        flagged = self.flagged[kind] if kind else sum(self.flagged.values())
        right = self.right[kind] if kind else sum(self.right.values())
        return right / flagged if flagged else 1.0

    @property
    def findings(self):
        return sum(self.flagged.values())

    @property
    def true_findings(self):
        return sum(self.right.values())


def seed_documents():
    """(name, text, [(type, text)]) for each client document, decoded as expected.json says."""
    if not (SEEDS / "expected.json").exists():
        return []
    docs = json.loads((SEEDS / "expected.json").read_text(encoding="utf-8"))["docs"]
    out = []
    for name, doc in docs.items():
        raw = (SEEDS / name).read_bytes().decode(doc["encoding"]).lstrip("\ufeff").replace("\r\n", "\n")
        out.append((name, raw, [(flag["type"], flag["text"]) for flag in doc["privacy_flags"]]))
    return out


def score(samples, score=None, accept=ACCEPT) -> Score:
    score = score or Score()
    for text, labels in samples:
        findings = find_identifiers(text)
        spans = []
        for kind, labelled in labels:
            for m in re.finditer(re.escape(labelled), text):
                spans.append((m.start(), m.end()))
                counted_as = SEED_KIND.get(kind, kind)
                score.labelled[counted_as] += 1
                ok = any(
                    f.start < m.end() and m.start() < f.end and f.kind in accept.get(kind, {kind})
                    for f in findings
                )
                if ok:
                    score.found[counted_as] += 1
                else:
                    score.missed.append((counted_as, labelled, text[:80]))
        for f in findings:
            score.flagged[f.kind] += 1
            if any(f.start < end and start < f.end for start, end in spans):
                score.right[f.kind] += 1
            else:
                score.false_alarms.append((f.kind, f.text, text[:80]))
    return score


def full_score() -> Score:
    """Recall over our table and the client's flags; precision over our table and the negatives, which
    are labelled exhaustively (the client's lists name what must be flagged, not everything that may)."""
    result = score(CASES + HELDOUT)
    result = score([(text, []) for text in NEGATIVES + HELDOUT_NEGATIVES], result)
    seeds = score([(text, labels) for _, text, labels in seed_documents()], accept=SEED_ACCEPT)
    result.labelled.update(seeds.labelled)
    result.found.update(seeds.found)
    result.missed += seeds.missed
    result.seed_extra = seeds.false_alarms
    return result


def scan_speed(size: int = 50_000) -> tuple[int, float]:
    """Seconds to scan `size` characters of labelled sentences run together (the best of three)."""
    sample = " ".join([text for text, _ in CASES] + NEGATIVES)
    text = (sample * (size // len(sample) + 1))[:size]
    times = []
    for _ in range(3):
        began = time.perf_counter()
        find_identifiers(text)
        times.append(time.perf_counter() - began)
    return len(text), min(times)


def main():
    result = full_score()
    print(f"{'kind':<16}{'labelled':>9}{'found':>7}{'recall':>8}{'flagged':>9}{'right':>7}{'precision':>10}")
    for kind in sorted(set(result.labelled) | set(result.flagged)):
        print(
            f"{kind:<16}{result.labelled[kind]:>9}{result.found[kind]:>7}{result.recall(kind):>8.1%}"
            f"{result.flagged[kind]:>9}{result.right[kind]:>7}{result.precision(kind):>10.1%}"
        )
    print(
        f"{'all':<16}{sum(result.labelled.values()):>9}{sum(result.found.values()):>7}{result.recall():>8.1%}"
        f"{result.findings:>9}{result.true_findings:>7}{result.precision():>10.1%}"
    )
    table = sum(len(labels) for _, labels in CASES + HELDOUT)
    print(
        f"(labels: {table} in {len(CASES) + len(HELDOUT)} sentences (table and held-out set) + the client's "
        f"flags; {len(NEGATIVES) + len(HELDOUT_NEGATIVES)} negatives;"
    )
    print(" precision over the table and the negatives only, as the client's lists are not exhaustive)")
    for missed in result.missed:
        print("missed:", missed)
    for alarm in result.false_alarms:
        print("false alarm:", alarm)
    for extra in getattr(result, "seed_extra", []):
        print("also flagged in a client document:", extra[:2])
    size, seconds = scan_speed()
    print(f"speed: {size} characters in {seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
