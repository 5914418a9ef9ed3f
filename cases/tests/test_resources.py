"""Patient stories as spreadsheets: anonymised fields only, always pending, tags by any name."""

import pytest
import tablib

from articles.intake.spreadsheets import row_errors_as_text
from cases.models import Case, PrivacyStatus
from cases.resources import CaseResource

pytestmark = pytest.mark.django_db
HEADERS = ["reference", "label", "age_band", "sex", "treatment_year", "diseases", "therapies", "articles"]


def test_imported_stories_start_pending_with_their_tags_and_articles(vocabulary, make_article):
    article = make_article(slug="lupus-news")
    data = tablib.Dataset(
        ["", "Woman in her 20s with lupus", "20-29", "female", "2023", "SLE", "CAR-T", "lupus-news"],
        headers=HEADERS,
    )
    result = CaseResource().import_data(data)
    assert not row_errors_as_text(result)
    case = Case.objects.get()
    assert case.reference.startswith("CASE-")
    assert case.privacy_status == PrivacyStatus.PENDING
    assert list(case.diseases.names()) == ["Systemic lupus erythematosus"]
    assert list(case.articles.all()) == [article]


def test_a_bad_row_is_reported_and_nothing_is_imported(vocabulary):
    data = tablib.Dataset(
        ["", "Fine", "20-29", "female", "2023", "", "", ""],
        ["", "Bad age", "twenty", "female", "2023", "", "", "no-such-article"],
        headers=HEADERS,
    )
    errors = row_errors_as_text(CaseResource().import_data(data))
    assert any(e.startswith("Row 2:") for e in errors), errors
    assert Case.objects.count() == 0


def test_export_carries_only_anonymised_fields_and_round_trips(vocabulary, make_article, make_case):
    article = make_article(slug="story-article")
    make_case(
        articles=[article],
        label="=Adult with myeloma",
        age_band="60-69",
        sex="male",
        treatment_year=2021,
        consent=False,
    )
    exported = CaseResource().export()
    assert set(exported.headers) == set(HEADERS) | {"follow_up", "outcome", "narrative", "privacy_status"}
    assert exported.dict[0]["label"] == "'=Adult with myeloma"
    Case.objects.all().delete()
    result = CaseResource().import_data(tablib.Dataset().load(exported.export("csv"), format="csv"))
    assert not row_errors_as_text(result)
    case = Case.objects.get()
    assert (case.label, case.age_band, case.treatment_year) == ("=Adult with myeloma", "60-69", 2021)
    assert case.privacy_status == PrivacyStatus.PENDING
