"""Clearing, re-reviewing and withdrawing consent for patient stories."""

import logging
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import Article, ArticleEvent, DiseaseTag, Status, TherapyTag
from articles.services import merge_terms
from cases.models import Case, CaseEvent, Consent, PrivacyStatus
from cases.privacy import stored_findings
from cases.services import CaseActionNotAllowed, case_clear, case_save, case_withdraw_consent, decide_finding

pytestmark = pytest.mark.django_db

CLEAN_STORY = "<p>She was treated in 2016 and has stayed in remission since.</p>"


@pytest.fixture
def pending_case(make_case, make_article):
    article = make_article(status=Status.PUBLISHED, body="<p>A general article about the therapy.</p>")
    return make_case(
        articles=[article], cleared=False, narrative=CLEAN_STORY, label="Woman in her 80s with ALL"
    )


class TestClearing:
    def test_only_a_privacy_officer_may_clear(self, users, pending_case):
        for role in ["writer", "medical_reviewer", "editor", "no_role"]:
            with pytest.raises(CaseActionNotAllowed):
                case_clear(pending_case, by=users[role])
        assert Case.objects.get(pk=pending_case.pk).privacy_status == PrivacyStatus.PENDING

    def test_a_clean_story_with_consent_is_cleared_for_its_exact_text(self, users, pending_case):
        case = case_clear(pending_case, by=users["privacy_officer"])
        assert case.privacy_status == PrivacyStatus.CLEARED
        assert case.cleared_by == users["privacy_officer"] and case.cleared_at is not None
        assert case.cleared_fingerprint == case.fingerprint()
        assert CaseEvent.objects.filter(
            case=case, action="cases.cleared", actor=users["privacy_officer"]
        ).exists()
        assert list(Case.objects.public()) == [case]

    def test_clearing_needs_consent_on_file(self, users, make_case):
        case = make_case(cleared=False, consent=False, narrative=CLEAN_STORY)
        with pytest.raises(ValidationError) as error:
            case_clear(case, by=users["privacy_officer"])
        assert f"{case.reference} has no consent in force" in str(error.value)

    def test_clearing_needs_consent_that_covers_the_website(self, users, make_case):
        case = make_case(cleared=False, narrative=CLEAN_STORY, consent={"scope_web": False})
        with pytest.raises(ValidationError, match="does not cover the website"):
            case_clear(case, by=users["privacy_officer"])

    def test_an_expired_consent_is_no_consent(self, users, make_case):
        yesterday = timezone.localdate() - timedelta(days=1)
        case = make_case(cleared=False, narrative=CLEAN_STORY, consent={"expires_on": yesterday})
        with pytest.raises(ValidationError, match="no consent in force"):
            case_clear(case, by=users["privacy_officer"])

    def test_findings_must_each_have_a_decision_before_clearing(self, users, make_case):
        case = make_case(cleared=False, narrative="<p>Grandma Sun came back on 12/03/2021.</p>")
        with pytest.raises(ValidationError) as error:
            case_clear(case, by=users["privacy_officer"], justification="Pseudonym chosen by the family.")
        message = str(error.value)
        assert "have no decision yet" in message
        assert "Sun" not in message, "errors never repeat patient details"
        for finding in stored_findings(case):
            decide_finding(case, kind=finding["kind"], text=finding["text"], choice="replaced",
                           by=users["privacy_officer"])  # fmt: skip
        cleared = case_clear(case, by=users["privacy_officer"])
        assert cleared.privacy_status == PrivacyStatus.CLEARED


class TestClearanceCoversExactText:
    def test_editing_the_story_sends_it_back_to_pending(self, users, make_case):
        case = make_case(narrative=CLEAN_STORY)
        case.narrative = "<p>A changed story.</p>"
        case_save(case, by=users["writer"])
        assert Case.objects.get(pk=case.pk).privacy_status == PrivacyStatus.PENDING
        assert CaseEvent.objects.filter(case=case, action="cases.pending").exists()
        assert not Case.objects.public().exists()

    def test_saving_without_changes_keeps_the_clearance(self, users, make_case, make_article):
        case = make_case(articles=[make_article(status=Status.PUBLISHED)], narrative=CLEAN_STORY)
        case_save(case, by=users["writer"])
        assert Case.objects.get(pk=case.pk).privacy_status == PrivacyStatus.CLEARED

    def test_editing_a_linked_article_body_sends_the_case_back(self, make_case, make_article):
        article = make_article(status=Status.PUBLISHED)
        case = make_case(articles=[article], narrative=CLEAN_STORY)
        article.body = "<p>New paragraph that the privacy officer has not read.</p>"
        article.save()
        assert Case.objects.get(pk=case.pk).privacy_status == PrivacyStatus.PENDING

    def test_linking_the_story_to_another_article_sends_it_back(self, make_case, make_article):
        case = make_case(articles=[make_article(status=Status.PUBLISHED)], narrative=CLEAN_STORY)
        case.articles.add(make_article())
        assert Case.objects.get(pk=case.pk).privacy_status == PrivacyStatus.PENDING

    def test_linking_from_the_article_side_sends_it_back_too(self, make_case, make_article):
        case = make_case(narrative=CLEAN_STORY)
        make_article().cases.add(case)
        assert Case.objects.get(pk=case.pk).privacy_status == PrivacyStatus.PENDING


class TestWithdrawingConsent:
    def test_withdrawal_hides_the_case_and_every_article_that_tells_it(
        self, users, make_case, make_article, caplog
    ):
        published = make_article(status=Status.PUBLISHED)
        scheduled = make_article(status=Status.PUBLISHED, published_at=timezone.now() + timedelta(days=2))
        unrelated = make_article(status=Status.PUBLISHED)
        case = make_case(articles=[published, scheduled], narrative=CLEAN_STORY, label="Teenager with lupus")

        with caplog.at_level(logging.INFO):
            unpublished = case_withdraw_consent(
                case, by=users["privacy_officer"], reason="Phone call from the family"
            )

        assert {a.pk for a in unpublished} == {published.pk, scheduled.pk}
        assert list(Article.objects.public()) == [unrelated]
        assert not Case.objects.public().exists()
        assert Case.objects.get(pk=case.pk).privacy_status == PrivacyStatus.WITHDRAWN
        assert not Consent.objects.valid().filter(case=case).exists()
        events = ArticleEvent.objects.filter(article__in=[published, scheduled], to_status=Status.DRAFT)
        assert events.count() == 2 and all(case.reference in e.comment for e in events)
        assert CaseEvent.objects.filter(case=case, action="cases.consent_withdrawn").exists()
        assert case.reference in caplog.text and "lupus" not in caplog.text.lower()

    def test_withdrawal_needs_a_reason_and_the_privacy_role(self, users, make_case):
        case = make_case()
        with pytest.raises(ValidationError):
            case_withdraw_consent(case, by=users["privacy_officer"], reason=" ")
        with pytest.raises(CaseActionNotAllowed):
            case_withdraw_consent(case, by=users["editor"], reason="x")
        assert Case.objects.get(pk=case.pk).privacy_status == PrivacyStatus.CLEARED


class TestMergingTermsMovesStories:
    """articles.services.merge_terms finds links through the term's reverse relations, so a story tagged
    with a merged term moves to the survivor without the articles app knowing about stories."""

    @pytest.mark.parametrize(("vocabulary", "field"), [(DiseaseTag, "diseases"), (TherapyTag, "therapies")])
    def test_a_story_tagged_with_a_merged_term_moves_to_the_survivor(self, make_case, vocabulary, field):
        keep = vocabulary.objects.create(name="Systemic lupus X", slug="systemic-lupus-x")
        merge = vocabulary.objects.create(name="Lupus (systemic) X", slug="lupus-systemic-x")
        story = make_case()
        getattr(story, field).add(merge)
        merge_terms(keep, merge)
        assert list(getattr(story, field).all()) == [keep]


class TestWhatWasPublicIsNeverDeleted:
    """Issue 23, item 2, for stories: one that was ever cleared keeps its privacy history, so it is never
    deleted, by the model, a bulk delete, a superuser's admin or a cascade; withdrawal is the way out."""

    def test_a_cleared_story_cannot_be_deleted_by_any_path(self, users, pending_case, admin_client):
        from django.db import transaction
        from django.db.models import ProtectedError
        from django.urls import reverse

        case_clear(pending_case, by=users["privacy_officer"])
        with pytest.raises(ProtectedError), transaction.atomic():
            pending_case.delete()
        with pytest.raises(ProtectedError), transaction.atomic():
            Case.objects.filter(pk=pending_case.pk).delete()
        with pytest.raises(ProtectedError), transaction.atomic():
            users["privacy_officer"].delete()  # who cleared it
        changelist = admin_client.get(reverse("admin:cases_case_changelist")).content.decode()
        assert "delete_selected" not in changelist
        assert admin_client.get(reverse("admin:cases_case_delete", args=[pending_case.pk])).status_code == 403
        assert Case.objects.filter(pk=pending_case.pk).exists()


def test_a_crash_between_clearing_and_its_history_entry_leaves_neither(users, pending_case):
    """Issue 23, item 8, for stories: the clearance and its entry commit together or not at all."""
    from unittest import mock

    crash = mock.patch.object(CaseEvent.objects, "create", side_effect=SystemExit("worker killed"))
    with crash, pytest.raises(SystemExit):
        case_clear(pending_case, by=users["privacy_officer"])
    pending_case.refresh_from_db()
    assert pending_case.privacy_status == PrivacyStatus.PENDING and not pending_case.events.exists()
    case_clear(pending_case, by=users["privacy_officer"])  # nothing half-done is in the way
    assert pending_case.events.count() == 1


def test_a_story_s_history_is_append_only_with_its_actions_named_in_one_enum(users, pending_case):
    """Issue 23, item 1, in part: CaseEvent said "append-only" and could be saved and deleted freely."""
    case_clear(pending_case, by=users["privacy_officer"])
    entry = pending_case.events.get()
    assert (
        entry.action == CaseEvent.Action.CLEARED and entry.get_action_display() == "Cleared for publication"
    )
    entry.comment = "Rewritten later."
    with pytest.raises(ValidationError, match="append-only"):
        entry.save()
    with pytest.raises(ValidationError, match="append-only"):
        entry.delete()
