"""The public search measured on corpora written blind (cases/tests/search_corpus.py): for each query, the
share of the items a reader wants that the first page shows (recall), and the share of what it shows that
the reader wants (precision).

| batch | articles (Chinese) | stories | queries | recall | precision | nothing-queries answered | tuned to |
| --- | --- | --- | --- | --- | --- | --- | --- |
| blind | 32 (8) | 8 | 47 | 63.5% | 67.6% | 0 of 4 | stop 33 |
| final | 33 (8) | 8 | 44 | 88.0% | 66.4% | 1 of 3 | never: the result |

The blind batch was scored on the search as it stood (no stories in results, no spellings over the
text); the search was then built and tuned on it (97.4%, 67.1%). The final batch, written meanwhile and
never tuned to, is the result. It found one plain bug, fixed after: in Chinese queries the database's
substring match counted "ms" inside "symptoms" for multiple sclerosis; with the fix it gives 88.0% at
70.9%. Precision is held down by what the helpers judged off-topic rather than wrong: English articles
tagged with the term a Chinese query names (and the reverse), and every story of a topic for a
question about one of them. A two-word query that no text holds whole falls back to either word ("knee
replacement" found "replacement").
"""

import pytest

from cases.tests.search_corpus import score

pytestmark = pytest.mark.django_db

# Each batch as it scores now: a change that loses any of it fails.
FLOORS = {"blind": {"recall": 0.97, "precision": 0.67}, "final": {"recall": 0.87, "precision": 0.70}}


@pytest.mark.parametrize("batch", list(FLOORS))
def test_the_search_holds_what_each_batch_showed(batch, vocabulary):
    found = score(batch)
    assert found["recall"] >= FLOORS[batch]["recall"], found["lines"]
    assert found["precision"] >= FLOORS[batch]["precision"], found["lines"]
