"""The content checks measured on corpora written blind, by helpers who never read articles.standards (see
articles/tests/content_corpus.py). Each batch's first score is its result; after tuning to it, its figures
only guard against regressions.

| batch | hype items (Chinese) | hype recall | hype precision | reading grade agrees | alt text agrees | tuned to |
| --- | --- | --- | --- | --- | --- | --- |
| blind | 73 (25) | 88.9% | 80.0% | 30/30 | 41/41 | stop 33 |
| final | 77 (29) | 86.8% | 90.2% | 30/30 | 39/41 | stop 33 |
| third | 85 (32) | 54.7% | 87.2% | 30/30 | 38/42 | stop 33 |
| fourth | 90 (35) | 48.8% | 92.9% | 30/30 | 39/40 | stop 33 |
| fifth | 94 (37) | 52.4% | 89.8% | 30/30 | 37/40 | never: the result |

The first two batches' reading items sat far from the target (grade 2 to 4 against 25 and more), so they
show the grades run the right way, not where the line falls near grade 8; the third's sat nearer (grade
5 to 7 against 11 to 14). Its helper also counted overclaims as hype ("100% effective", "proves", "wipes
out", "零副作用"), which the word list of the first two did not hold: hence its recall. The checks now
name overclaims too (`OVERCLAIMS_EN`, and in `HYPE_ZH`). The fourth's helper went further still: causal
claims from surveys and mice ("prevents", "证实"), absolutes ("零风险", "没有之一") and clickbait; the
checks now flag a causal verb in a sentence that names a design unable to show cause (`WEAK_EVIDENCE`).

The fifth, written after all that and never tuned to, is the result: hype words and overclaims are found
at about half the rate a careful editor finds them (52.4%), nine in ten of the flags are right (89.8%);
every reading grade and every good alt text is judged right. Each fresh batch brings new ways to
oversell ("works for everyone", "catches every tumour", "老年痴呆患者有救了"), so a word list keeps up
with the vocabulary of hype, not its sentences. That is why hype only warns by default.
"""

import pytest

from articles.tests.content_corpus import score

# Each tuned batch as it scores now: a change that loses any of it fails.
FLOORS = {
    "blind": {"recall": 0.97, "precision": 0.95, "reading": 1.0, "alt": 1.0},
    "final": {"recall": 0.97, "precision": 0.97, "reading": 1.0, "alt": 1.0},
    "third": {"recall": 0.98, "precision": 0.96, "reading": 1.0, "alt": 1.0},
    "fourth": {"recall": 0.94, "precision": 0.97, "reading": 1.0, "alt": 1.0},
    "fifth": {"recall": 0.52, "precision": 0.89, "reading": 1.0, "alt": 0.92},
}


@pytest.mark.parametrize("batch", list(FLOORS))
def test_the_content_checks_hold_what_each_batch_showed(batch):
    floor, found = FLOORS[batch], score(batch)
    assert found["hype"]["recall"] >= floor["recall"], found["lines"]
    assert found["hype"]["precision"] >= floor["precision"], found["lines"]
    assert min(found["reading_en"]["agree"], found["reading_zh"]["agree"]) >= floor["reading"], found["lines"]
    assert found["alt"]["agree"] >= floor["alt"], found["lines"]
