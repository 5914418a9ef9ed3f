"""The scanner measured on corpora written blind, by helpers who never read it (see cases/tests/corpus.py).

Each batch was scored before the scanner was tuned to it; that first figure is the batch's result, and
after tuning its figures only guard against regressions. In order:

| batch | documents (Chinese) | blind recall | Chinese | precision | tuned to since |
| --- | --- | --- | --- | --- | --- |
| blind | 42 (14) | 38.6% | | | stop 19 |
| final | 20 (6) | 94.6% | 90.7% | | stop 21 |
| third | 24 (8) | 88.1% | 76.5% | 88.4% | stop 21 |
| fourth | 22 (8) | 92.6% | 88.1% | 86.2% | stop 22 |
| fifth | 24 (8) | 94.2% | 89.9% | 78.6% | stop 22 |
| sixth | 24 (8) | 92.7% | 90.1% | 78.6% | stop 22 |
| seventh | 22 (8) | 92.6% | 87.4% | 74.2% | stop 22 |
| eighth | 22 (8) | 92.0% | 87.1% | 75.8% | stop 23 |
| ninth | 24 (12) | 85.1% (92.0%) | 77.2% (89.6%) | 75.8% (77.2%) | stop 23 |
| tenth | 22 (9) | 95.2% | 93.3% | 75.0% | stop 23 |
| eleventh | 22 (9) | 92.8% | 88.1% | 75.7% | stop 23 |
| twelfth | 22 (9) | 91.9% | 86.9% | 73.8% | stop 23 |
| thirteenth | 22 (9) | 93.1% | 90.7% | 72.4% | stop 23 |
| fourteenth | 22 (9) | 88.3% | 84.6% | 75.0% | stop 24 |
| fifteenth | 24 (10) | 97.1% | 97.1% | 73.3% | stop 24 |
| sixteenth | 14 (6) | 98.2% | 98.3% | 66.5% | stop 24 |
| seventeenth | 24 (10) | 95.8% | 92.6% | 65.9% | stop 24 |
| eighteenth | 24 (10) | 95.8% | 95.2% | 72.8% | stop 24 |
| nineteenth | 24 (10) | 96.4% | 94.2% | 69.5% | stop 24 |
| twentieth | 24 (10) | 97.1% | 96.4% | 67.9% | stop 25 (ages only) |
| twenty-first | 24 (10) | 97.3% | 97.0% | 73.5% | never: the result |

The ninth batch was scored on the scanner of stop 22 and, in brackets, on the one with stop 23's gazetteer,
traditional-Chinese reading and minority names, which were built on the eighth before the ninth was seen.
The fourteenth's helper labelled bare kinship words as names ("我爸", "Dad", "外公": 26 labels, 91
occurrences), which the others did not and which identify no one; without them it gives 91.9% (English
93.6%, Chinese 90.1%).

Stop 24 tuned to the fourteenth, then scored each new batch before tuning to it (the sixteenth, a reserve of
14 documents, only after tuning to the fifteenth). From the fifteenth on, every batch meets the goals for
recall and for Chinese; one kind falls short in each, ages most often (85.5%, 88.0%, 98.5%, 85.7%, 89.5%,
85.7% from the fifteenth to the twentieth; in the seventeenth ID numbers 88.4% and nicknames 89.4%). Some
age misses are the scoring's, not the scanner's: every occurrence of a labelled string counts, so a
labelled "66" also counts in a class year "'66" and a "41" in "41 days left".

Stop 25 tuned ages to the twentieth (obituaries, alumni notes, birthday lists: 85.7% to 95.2%, and not
one new false alarm on any batch), then scored the twenty-first, written blind meanwhile: 97.3% overall
(English 97.5%, Chinese 97.0%) at 73.5% precision, and every kind at 90% or more (ages 93.9%, ID numbers
90.0%, dates 96.5%, places 96.0%, nicknames 95.1%). It is the first fresh batch to meet every goal.

The goals, on a batch never tuned to: recall 95% overall, 90% for every kind and for Chinese, precision
60% or more.
"""

import pytest

from cases.tests.corpus import load, score

RESULT = "twentyfirst"
# What the result batch showed when first scored (stop 25, never tuned to): the floors hold it, so a
# change that loses recall fails. It gave 97.3% overall (English 97.5%, Chinese 97.0%) at 73.5% precision,
# every kind 90.0% or more.
RESULT_RECALL, RESULT_CHINESE, RESULT_KIND = 0.97, 0.965, 0.90

# Tuned batches: (recall, Chinese recall, precision) each must keep, a little under what tuning gave.
TUNED = {
    "blind": (0.985, 0.985, 0.775),
    "final": (0.975, 0.965, 0.765),
    "third": (0.965, 0.965, 0.835),
    "fourth": (0.965, 0.96, 0.805),
    "fifth": (0.985, 0.985, 0.75),
    "sixth": (0.97, 0.975, 0.745),
    "seventh": (0.97, 0.955, 0.70),
    "eighth": (0.975, 0.965, 0.74),
    "ninth": (0.98, 0.975, 0.73),
    "tenth": (0.98, 0.97, 0.725),
    "eleventh": (0.97, 0.96, 0.74),
    "twelfth": (0.95, 0.925, 0.71),
    "thirteenth": (0.955, 0.94, 0.72),
    "fourteenth": (0.925, 0.885, 0.75),
    "fifteenth": (0.98, 0.985, 0.73),
    "sixteenth": (0.98, 0.98, 0.665),
    "seventeenth": (0.975, 0.965, 0.66),
    "eighteenth": (0.975, 0.97, 0.725),
    "nineteenth": (0.975, 0.97, 0.69),
    "twentieth": (0.975, 0.96, 0.675),
}


@pytest.fixture(scope="module")
def result():
    return score(load(RESULT))


@pytest.mark.parametrize("batch", [*TUNED, RESULT])
def test_every_batch_is_large_enough_one_third_chinese_and_labelled_from_its_own_text(batch):
    docs = load(batch)
    assert len(docs) >= (40 if batch == "blind" else 20 if batch == RESULT else 14)
    assert sum(doc["lang"] == "zh" for doc in docs) >= (12 if batch == "blind" else 6)
    assert all(label["text"] in doc["text"] for doc in docs for label in doc["identifiers"])


@pytest.mark.parametrize(  # `make test` scores the latest batch; `make test-full` all, the blind one included
    "batch",
    [pytest.param(b, marks=() if b == list(TUNED)[-1] else pytest.mark.slow) for b in TUNED],
)
def test_a_tuned_batch_keeps_what_tuning_gave_it(batch):
    figures = score(load(batch))
    recall, chinese, precision = TUNED[batch]
    assert figures.recall() >= recall, figures.missed
    assert figures.recall(lang="zh") >= chinese, [m for m in figures.missed if m[0].startswith("zh")]
    assert figures.precision() >= precision


def test_the_fresh_batch_keeps_its_recall(result):
    print(f"\n[scanner, {RESULT} batch, never tuned to]\n" + result.report())
    assert result.recall() >= RESULT_RECALL, result.missed


def test_chinese_identifiers_in_the_fresh_batch_are_found(result):
    assert result.recall(lang="zh") >= RESULT_CHINESE, [m for m in result.missed if m[0].startswith("zh")]


def test_no_kind_in_the_fresh_batch_falls_below_its_floor(result):
    assert {kind: result.recall(kind) for kind in result.labelled if result.recall(kind) < RESULT_KIND} == {}


def test_precision_on_the_fresh_batch_stays_at_60_percent_or_more(result):
    assert result.precision() >= 0.60, result.false_alarms
