"""The privacy gate, through the workflow: no article tells a story that is not cleared and consented."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from articles import workflow
from articles.models import Article, Status
from articles.tests.test_images import jpeg_with_everything

pytestmark = pytest.mark.django_db


def publish(article, users):
    return workflow.transition(article, to=Status.PUBLISHED, by=users["editor"])


def refusal(article, users) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        publish(article, users)
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    return refused.value.messages


def test_the_privacy_gate_is_a_listed_publish_gate(settings):
    assert "cases.privacy.linked_cases_are_cleared" in settings.NEWSDESK_PUBLISH_GATES


def test_a_cleared_story_with_consent_lets_the_article_go(users, ready, make_case):
    article = ready()
    make_case(articles=[article])
    publish(article, users)
    assert Article.objects.public().filter(pk=article.pk).exists()


def test_an_uncleared_story_stops_it_and_is_named_by_reference_only(users, ready, make_case):
    article = ready()
    case = make_case(articles=[article], cleared=False, label="Ms. Wong, 93, of Elm Street")
    messages = refusal(article, users)
    assert messages == [
        f"{case.reference} is not cleared by the privacy officer for this text. Ask them to review it."
    ]
    assert "Wong" not in " ".join(messages)


@pytest.mark.parametrize("state", ["missing", "expired", "withdrawn", "not_for_web"])
def test_consent_that_is_not_in_force_for_the_web_stops_it(users, ready, make_case, state):
    article = ready()
    consent = {
        "missing": False,
        "expired": {"expires_on": timezone.localdate() - timedelta(days=1)},
        "withdrawn": {"withdrawn_at": timezone.now()},
        "not_for_web": {"scope_web": False},
    }[state]
    case = make_case(articles=[article], consent=consent)
    messages = refusal(article, users)
    assert any(case.reference in m and "consent" in m for m in messages), messages


def test_editing_the_article_after_clearance_stops_it_until_cleared_again(users, ready, make_case):
    article = ready()
    case = make_case(articles=[article])
    article.body = "<p>New paragraph about the patient.</p>"
    article.save()
    workflow.sign_off(article, by=users["medical_reviewer"])
    case.refresh_from_db()
    assert case.privacy_status == "pending"
    assert any("not cleared" in m for m in refusal(article, users))


def test_a_photo_of_the_patient_needs_photo_consent(users, ready, make_case):
    article = ready(
        hero_image=SimpleUploadedFile("p.jpg", jpeg_with_everything()),
        hero_alt="The patient",
        hero_shows_patient=True,
    )
    make_case(articles=[article], photos=False)
    assert any("does not cover photos" in m for m in refusal(article, users))


def test_with_photo_consent_the_photo_may_go(users, ready, make_case):
    article = ready(
        hero_image=SimpleUploadedFile("p.jpg", jpeg_with_everything()),
        hero_alt="The patient",
        hero_shows_patient=True,
    )
    make_case(articles=[article], photos=True)
    publish(article, users)


def test_the_public_story_page_shows_only_the_anonymised_fields(client, make_article, make_case, vocabulary):
    article = make_article(title="Told here", status=Status.PUBLISHED)
    case = make_case(
        articles=[article], label="Man in his 60s with myeloma", age_band="60-69", sex="male",
        treatment_year=2021, follow_up="3 years", outcome="In remission", narrative="<p>His story.</p>",
    )  # fmt: skip
    page = client.get(case.get_absolute_url()).content.decode()
    for shown in ["Man in his 60s with myeloma", "In their 60s", "Male", "2021", "3 years", "In remission",
                  "His story.", "Told here"]:  # fmt: skip
        assert shown in page, shown
    for hidden in [
        "consent/test",
        "signed.pdf",
        "Consent for",
        "fixture_privacy_officer",
        case.cleared_fingerprint,
        "CASE-",
    ]:
        assert hidden not in page, hidden
