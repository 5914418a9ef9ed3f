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
| eighth | 22 (8) | 92.0% | 87.1% | 75.8% | never: the result |

The goals, on a batch never tuned to: recall 95% overall, 90% for every kind and for Chinese, precision
60% or more.
"""

import pytest

from cases.tests.corpus import load, score

RESULT = "eighth"
# What the result batch showed when first scored (stop 22, never tuned to): the floors hold it, so a
# change that loses recall fails; raising them to the goals is the open work.
# It gave 92.0% overall (English 95.6%, Chinese 87.1%), and below 90%: age 86.3%, id_number 82.1%,
# nickname 81.0%, place 89.9%.
RESULT_RECALL, RESULT_CHINESE, RESULT_KIND = 0.919, 0.87, 0.80

# Tuned batches: (recall, Chinese recall, precision) each must keep, a little under what tuning gave.
TUNED = {
    "blind": (0.98, 0.98, 0.78),
    "final": (0.95, 0.92, 0.76),
    "third": (0.96, 0.96, 0.83),
    "fourth": (0.95, 0.93, 0.80),
    "fifth": (0.98, 0.97, 0.75),
    "sixth": (0.95, 0.93, 0.75),
    "seventh": (0.955, 0.935, 0.70),
}


@pytest.fixture(scope="module")
def result():
    return score(load(RESULT))


@pytest.mark.parametrize("batch", [*TUNED, RESULT])
def test_every_batch_is_large_enough_one_third_chinese_and_labelled_from_its_own_text(batch):
    docs = load(batch)
    assert len(docs) >= (40 if batch == "blind" else 20)
    assert sum(doc["lang"] == "zh" for doc in docs) >= (12 if batch == "blind" else 6)
    assert all(label["text"] in doc["text"] for doc in docs for label in doc["identifiers"])


@pytest.mark.parametrize("batch", TUNED)
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
