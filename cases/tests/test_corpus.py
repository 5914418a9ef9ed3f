"""The scanner measured on corpora written blind, by helpers who never read it (see cases/tests/corpus.py).

- `blind`: the first batch, 42 documents (14 in Chinese). Scored before the redesign (recall 38.6%), then
  the scanner was tuned on it, so its figures here guard against regressions and are not results.
- `final`: the second fresh batch, written after that tuning and never tuned to (stop 20's result:
  recall 94.6%, Chinese 90.7%).
- `third`: the third fresh batch, 24 documents (8 in Chinese), scored blind first (recall 88.1%, Chinese
  76.5%), then tuned to; its figures guard against regressions.
- `fourth`: the fourth fresh batch, written after that tuning and never tuned to. Its figures are the
  result.
"""

import pytest

from cases.tests.corpus import load, score


@pytest.fixture(scope="module")
def blind():
    return score(load("blind"))


@pytest.fixture(scope="module")
def final():
    """The newest fresh batch, never tuned to: its figures are the result."""
    return score(load("fourth"))


def test_the_corpora_are_large_enough_and_one_third_chinese():
    for batch, size, chinese in (("blind", 40, 12), ("final", 20, 6), ("third", 20, 6), ("fourth", 20, 6)):
        docs = load(batch)
        assert len(docs) >= size, batch
        assert sum(doc["lang"] == "zh" for doc in docs) >= chinese, batch
        assert all(label["text"] in doc["text"] for doc in docs for label in doc["identifiers"])


def test_the_tuned_batch_keeps_its_recall_and_precision(blind):
    assert blind.recall() >= 0.97, blind.missed
    assert blind.recall(lang="zh") >= 0.95
    assert blind.precision() >= 0.80


def test_the_second_batch_keeps_its_figures():
    second = score(load("final"))
    assert second.recall() >= 0.94 and second.recall(lang="zh") >= 0.90, second.missed


def test_the_third_batch_keeps_what_tuning_gave_it():
    third = score(load("third"))
    assert third.recall() >= 0.95, third.missed
    assert third.recall(lang="zh") >= 0.93
    assert third.precision() >= 0.85


def test_the_fresh_batch_finds_at_least_92_percent_of_identifiers(final):
    print("\n[scanner, fourth fresh batch]\n" + final.report())
    assert final.recall() >= FINAL_RECALL, final.missed


def test_chinese_identifiers_in_the_fresh_batch_are_found(final):
    assert final.recall(lang="zh") >= FINAL_CHINESE, [m for m in final.missed if m[0].startswith("zh")]


def test_no_kind_in_the_fresh_batch_falls_below_its_floor(final):
    assert {kind: final.recall(kind) for kind in final.labelled if final.recall(kind) < FINAL_KIND} == {}


def test_precision_on_the_fresh_batch_stays_at_60_percent_or_more(final):
    assert final.precision() >= 0.60, final.false_alarms


# The goals are 95% overall and 90% for every kind and for Chinese. The fourth batch (2026-12-05, never
# tuned to) gave 92.6% overall, 88.1% in Chinese, and age 71.9%, nickname 85.4%, date 88.4%, url 88.4%:
# these floors hold what it showed, so a regression fails; raising them to the goals is the open work.
FINAL_RECALL, FINAL_CHINESE, FINAL_KIND = 0.92, 0.88, 0.71
