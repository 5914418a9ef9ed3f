"""History the database itself protects (issue 23, item 1), for stories: the privacy events (clearances
among them), the consent records and the privacy officer's decisions. A consent is never edited: the
database lets its withdrawal fill in three fields once, and refuses everything else."""

import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from articles.database import guards_lifted
from articles.models import ArticleEvent
from articles.models.history import first_break, history_guards
from cases.models import CaseEvent, Consent, FindingDecision, PrivacyStatus
from cases.privacy import stored_findings
from cases.services import case_clear, case_withdraw_consent, decide_finding

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(users, make_case):
    """A story with a consent, a decision on a finding and a clearance."""
    case = make_case(cleared=False, narrative="<p>Treated in 2016, Odalys Brennecke has stayed well.</p>")
    name = next(f for f in stored_findings(case) if f["kind"] == "person_name")
    decide_finding(case, kind=name["kind"], text=name["text"], choice=FindingDecision.Choice.REPLACED,
                   replacement="the patient", by=users["privacy_officer"])  # fmt: skip
    case_clear(case, by=users["privacy_officer"], justification="Checked against the consent form.")
    case.refresh_from_db()
    return case


@pytest.mark.parametrize("model", [CaseEvent, Consent, FindingDecision], ids=lambda m: m.__name__)
def test_the_database_refuses_to_rewrite_or_erase_a_story_s_history(story, model):
    entry = model.objects.filter(case=story).first()
    with pytest.raises(IntegrityError, match="is history"), transaction.atomic():
        model.objects.filter(pk=entry.pk).update(previous_hash="0" * 64)
    with pytest.raises(IntegrityError, match="is history"), transaction.atomic():
        model.objects.filter(pk=entry.pk)._raw_delete(connection.alias)
    assert model.objects.filter(pk=entry.pk, previous_hash=entry.previous_hash).exists()


def test_a_consent_s_terms_never_change_after_it_is_recorded(story):
    consent = story.consents.get()
    for change in ({"scope_social": True}, {"identifiable": True}, {"expires_on": timezone.localdate()}):
        with pytest.raises(IntegrityError, match="is history"), transaction.atomic():
            Consent.objects.filter(pk=consent.pk).update(**change)
    assert Consent.objects.get(pk=consent.pk).identifiable is False


def test_a_consent_is_withdrawn_once_and_the_withdrawal_is_not_rewritten(story, users):
    case_withdraw_consent(story, by=users["privacy_officer"], reason="The patient's request by phone.")
    consent = story.consents.get()
    assert consent.withdrawn_at and consent.withdrawn_by == users["privacy_officer"]
    with pytest.raises(IntegrityError, match="is history"), transaction.atomic():
        Consent.objects.filter(pk=consent.pk).update(withdrawal_reason="Never withdrawn.")
    with pytest.raises(IntegrityError, match="is history"), transaction.atomic():
        Consent.objects.filter(pk=consent.pk).update(
            withdrawn_at=None, withdrawn_by=None, withdrawal_reason=""
        )
    assert first_break(Consent) is None, "the withdrawal is outside the hash; its event is in the chain"


def test_a_story_s_events_have_the_shape_and_enum_of_an_article_s(story, users):
    shared = {"actor", "action", "from_status", "to_status", "comment", "text_hash", "created_at"}
    assert shared <= {f.name for f in CaseEvent._meta.fields}
    assert shared <= {f.name for f in ArticleEvent._meta.fields}
    cleared = story.events.get(action=CaseEvent.Action.CLEARED)
    assert (cleared.from_status, cleared.to_status) == (PrivacyStatus.PENDING, PrivacyStatus.CLEARED)
    assert (
        cleared.text_hash == story.fingerprint() and cleared.get_action_display() == "Cleared for publication"
    )
    case_withdraw_consent(story, by=users["privacy_officer"], reason="The patient's request by phone.")
    withdrawn = story.events.get(action=CaseEvent.Action.CONSENT_WITHDRAWN)
    assert (withdrawn.from_status, withdrawn.to_status) == (PrivacyStatus.CLEARED, PrivacyStatus.WITHDRAWN)


def test_a_clearance_rewritten_behind_the_guards_is_reported(story, users):
    cleared = story.events.get(action=CaseEvent.Action.CLEARED)
    with guards_lifted(connection, history_guards(apps.get_models())):
        CaseEvent.objects.filter(pk=cleared.pk).update(comment="Cleared without checking.")
    with pytest.raises(
        CommandError, match=f"cases.CaseEvent entry {cleared.pk} \\(case {story.pk}\\): changed"
    ):
        call_command("verify_history", stdout=io.StringIO())


def test_a_consent_slipped_in_behind_the_guards_is_reported(story):
    """An insider adds an older-looking consent that names the patient, with no hashes."""
    with guards_lifted(connection, history_guards(apps.get_models())):
        forged = Consent.objects.bulk_create([Consent(case=story, signed_on=timezone.localdate(),
                                                      identifiable=True, form="consent/x/forged.pdf")])  # fmt: skip
        Consent.objects.filter(pk=forged[0].pk).update(previous_hash="", entry_hash="")
    assert first_break(Consent).startswith(f"cases.Consent entry {forged[0].pk} (case {story.pk})")


def test_a_privacy_decision_on_an_article_chains_with_that_article(users, make_article):
    article = make_article(title="Odalys Brennecke goes home", body="<p>Odalys Brennecke thanked us.</p>")
    name = next(f for f in stored_findings(article) if f["kind"] == "person_name")
    decision = decide_finding(article, kind=name["kind"], text=name["text"], by=users["privacy_officer"],
                              choice=FindingDecision.Choice.REPLACED, replacement="a patient")  # fmt: skip
    assert decision.previous_hash == "" and decision.entry_hash == decision.expected_hash()
    assert first_break(FindingDecision) is None
