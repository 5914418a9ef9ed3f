import pytest
from cases.tests.import_corpus import score
pytestmark = pytest.mark.django_db
def test_blind(vocabulary, users):
    r = score("blind", by=users["writer"])
    print("\n" + r.report())
    import collections
    c = collections.Counter(m[1] for m in r.misses)
    print(c)
    for m in r.misses: print("MISS", m)
