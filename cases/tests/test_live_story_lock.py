"""A story that a published article tells stays cleared while readers can see it.

Found by the random walks (cases/tests/test_walks.py): a writer could edit such a story, or link an
uncleared story to a live article, and the article stayed public telling a story nobody had cleared.
"""

import pytest
from django.urls import reverse

from articles.models import Status
from cases.models import Case, PrivacyStatus
from cases.resources import CaseResource

pytestmark = pytest.mark.django_db


def story_form(case, **changes):
    data = {"label": case.label, "articles": [a.pk for a in case.articles.all()], "age_band": case.age_band,
            "sex": case.sex, "treatment_year": "", "follow_up": case.follow_up, "outcome": case.outcome,
            "narrative": case.narrative}  # fmt: skip
    for prefix in ("consents", "consents-2", "events"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data | changes


def test_editing_the_story_of_a_live_article_is_refused_and_says_what_to_do(client, users, make_article,
                                                                             make_case):  # fmt: skip
    live = make_article(status=Status.PUBLISHED)
    case = make_case(articles=[live], outcome="In remission.")
    client.force_login(users["writer"])
    response = client.post(
        reverse("admin:cases_case_change", args=[case.pk]), story_form(case, outcome="Back.")
    )
    assert response.status_code == 200
    assert "Unpublish the article first" in response.content.decode()
    case.refresh_from_db()
    assert (case.outcome, case.privacy_status) == ("In remission.", PrivacyStatus.CLEARED)


def test_linking_an_uncleared_story_to_a_live_article_is_refused(client, users, make_article, make_case):
    live = make_article(status=Status.PUBLISHED)
    case = make_case(cleared=False)
    client.force_login(users["writer"])
    response = client.post(
        reverse("admin:cases_case_change", args=[case.pk]), story_form(case, articles=[live.pk])
    )
    assert "Unpublish the article first" in response.content.decode()
    assert not live.cases.exists()


def test_a_story_of_a_draft_can_still_be_edited_and_linked(client, users, make_article, make_case):
    draft = make_article()
    case = make_case(articles=[draft])
    client.force_login(users["writer"])
    response = client.post(
        reverse("admin:cases_case_change", args=[case.pk]), story_form(case, outcome="Back.")
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.outcome, case.privacy_status) == ("Back.", PrivacyStatus.PENDING)


def test_an_import_cannot_link_a_story_to_a_live_article(make_article):
    import tablib

    live = make_article(status=Status.PUBLISHED, slug="live-article")
    data = tablib.Dataset(headers=["reference", "label", "articles"])
    data.append(["CASE-7001", "Adult with a blood cancer", live.slug])
    result = CaseResource().import_data(data, dry_run=False)
    assert result.has_validation_errors()
    assert not Case.objects.filter(reference="CASE-7001").exists()
