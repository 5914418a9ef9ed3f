import pytest

from articles.models import Status
from cases.models import AgeBand, Case, PrivacyStatus

pytestmark = pytest.mark.django_db


def test_cases_get_sequential_stable_references(make_case):
    first, second = make_case(), make_case()
    assert (first.reference, second.reference) == ("CASE-0001", "CASE-0002")
    second.label = "Renamed"
    second.save()
    second.refresh_from_db()
    assert second.reference == "CASE-0002"


def test_reference_numbers_keep_counting_past_four_digits(make_case):
    Case.objects.create(label="x", reference="CASE-9999")
    assert make_case().reference == "CASE-10000"
    assert make_case().reference == "CASE-10001"


@pytest.mark.parametrize(
    "age, band",
    [(0, "0-9"), (9, "0-9"), (20, "20-29"), (80, "80-89"), (89, "80-89"), (90, "90+"), (104, "90+")],
)
def test_ages_are_stored_as_bands_and_nobody_over_89_gets_an_exact_decade(age, band):
    assert AgeBand.for_age(age) == band


class TestPublicCases:
    """A case is public only when cleared and linked to a public article."""

    def test_cleared_case_of_a_public_article_is_public(self, make_article, make_case):
        case = make_case(articles=[make_article(status=Status.PUBLISHED)])
        assert list(Case.objects.public()) == [case]

    def test_uncleared_case_is_not_public_even_on_a_public_article(self, make_article, make_case):
        make_case(articles=[make_article(status=Status.PUBLISHED)], cleared=False)
        assert not Case.objects.public().exists()

    def test_cleared_case_without_a_public_article_is_not_public(self, make_article, make_case):
        make_case(articles=[make_article(status=Status.DRAFT)])
        make_case(articles=[])
        assert not Case.objects.public().exists()

    def test_withdrawn_case_is_not_public(self, make_article, make_case):
        case = make_case(articles=[make_article(status=Status.PUBLISHED)])
        Case.objects.filter(pk=case.pk).update(privacy_status=PrivacyStatus.WITHDRAWN)
        assert not Case.objects.public().exists()

    def test_a_case_told_by_two_public_articles_appears_once(self, make_article, make_case):
        make_case(articles=[make_article(status=Status.PUBLISHED), make_article(status=Status.PUBLISHED)])
        assert Case.objects.public().count() == 1

    def test_told_in_keeps_the_same_rule_for_one_articles_stories(self, make_article, make_case):
        article, other, draft = (
            make_article(status=s) for s in (Status.PUBLISHED, Status.PUBLISHED, Status.DRAFT)
        )
        told = make_case(articles=[article, draft])
        make_case(articles=[other])  # public, but told elsewhere
        make_case(articles=[article], cleared=False)
        make_case(articles=[article], consent=False)
        make_case(articles=[draft])
        assert list(Case.objects.public(told_in=article)) == [told]
        assert not Case.objects.public(told_in=draft).exists()  # a draft's stories wait for the draft


def test_narrative_is_sanitized_on_save(make_case):
    case = make_case(narrative='<p onclick="x()">Story</p><script>alert(1)</script>')
    assert case.narrative == "<p>Story</p>"
