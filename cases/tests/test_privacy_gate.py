"""The privacy gate: every public text of an article or a story is scanned when saved, and nothing goes
out while a finding has no decision in force. Decisions mean something, file names carry no identity,
consent expiry acts as a withdrawal, and the privacy officer can act.

All people, places and numbers here are invented.
"""

import io
import logging
import re
from datetime import timedelta

import pytest
import tablib
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.tasks import task_backends
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles import services as article_services
from articles import workflow
from articles.intake.resources import ArticleResource
from articles.models import Article, ArticleEvent, ArticleRevision, Status
from cases.consents import expire_consents, expiring, send_consent_reminders
from cases.importer import Vocabularies, import_document
from cases.models import Case, Consent, FindingDecision, PrivacyScan, PrivacyStatus
from cases.privacy import open_findings, refresh_scan, stored_findings
from cases.services import case_clear, case_withdraw_consent, decide_finding, take_down_case
from cases.tests.test_gate import publish, refusal

pytestmark = pytest.mark.django_db
Choice, Reason = FindingDecision.Choice, FindingDecision.Reason

LEAKY_BODY = (
    "<p>Marguerite Oyelaran, 47, of 18 Quillon Street was admitted on 14 February 2025 under record "
    "MRN 5520193. Her family can be reached on 07700 900461.</p>"
)
IDENTIFIERS = ["Marguerite", "Oyelaran", "Quillon", "14 February", "5520193", "07700 900461"]


def decide_all(subject, by, choice=Choice.REPLACED):
    """Replace each finding in turn (a replacement may settle others that overlapped it)."""
    while undecided := open_findings(subject):
        finding = undecided[0]
        decide_finding(subject, kind=finding["kind"], text=finding["text"], choice=choice, by=by)
        subject.refresh_from_db()


# --- 1. Every public text goes through the gate ---------------------------------------------------


class TestEveryPublicText:
    def test_an_article_that_tells_no_story_is_still_held_back(self, users, ready):
        article = ready(body=LEAKY_BODY)
        messages = refusal(article, users)
        assert any(m.startswith("Body:") and "personal name" in m for m in messages), messages
        assert not Article.objects.public().filter(pk=article.pk).exists()

    def test_a_chinese_article_with_an_identifier_is_held_back_as_an_english_one_is(self, users, ready):
        """#27, item 6: the same gate, in either language (the name and the date are invented)."""
        article = ready(
            body="<p>患者欧阳婉清于2025年2月14日入院，住在朝阳区青年路18号。</p>", language="zh-hans"
        )
        messages = refusal(article, users)
        said = " ".join(messages)
        assert "personal name" in said and "date more precise than a year" in said, messages
        assert "欧阳" not in said and not Article.objects.public().filter(pk=article.pk).exists()

    def test_the_refusal_names_field_and_kind_never_the_identifier(self, users, ready):
        said = " ".join(refusal(ready(body=LEAKY_BODY), users))
        for identifier in IDENTIFIERS:
            assert identifier not in said
        for kind in ("personal name", "phone number", "date more precise than a year"):
            assert kind in said

    @pytest.mark.parametrize(
        ("field", "label"),
        [("title", "Headline"), ("standfirst", "Standfirst"), ("hero_alt", "Alt text"),
         ("hero_caption", "Caption"), ("hero_credit", "Image credit")],
    )  # fmt: skip
    def test_each_public_field_of_an_article_is_gated(self, users, ready, field, label):
        article = ready(**{field: "Photographed with Tobiah Quenneville on 3 May 2024"})
        assert any(m.startswith(f"{label}:") for m in refusal(article, users))

    @pytest.mark.parametrize("field", ["label", "narrative", "outcome", "follow_up"])
    def test_each_public_field_of_a_story_is_gated(self, users, make_case, field):
        value = "Ottoline Verhagen, seen on 9 June 2023"
        case = make_case(cleared=False, **{field: f"<p>{value}</p>" if field == "narrative" else value})
        with pytest.raises(ValidationError, match="have no decision yet"):
            case_clear(case, by=users["privacy_officer"])

    def test_a_correction_note_that_names_a_patient_is_refused(self, users, ready):
        article = publish(ready(), users)
        with pytest.raises(ValidationError) as refused:
            article_services.add_correction(
                article, by=users["editor"], kind="correction", note="We misspelt Ottoline Verhagen's name."
            )
        assert "Ottoline" not in str(refused.value)
        article_services.add_correction(
            article, by=users["editor"], kind="correction", note="An earlier version gave the wrong dose."
        )

    def test_findings_are_stored_when_the_text_is_saved(self, make_article):
        article = make_article(body=LEAKY_BODY)
        scan = PrivacyScan.objects.get(article=article)
        assert {"person_name", "phone", "id_number"} <= {f["kind"] for f in scan.findings}
        assert scan.undecided == len(scan.findings)

    def test_no_page_view_scans(self, client, users, make_article, make_case, monkeypatch):
        article = make_article(author=users["writer"], body=LEAKY_BODY)
        case = make_case(articles=[article], cleared=False, narrative="<p>Ottoline Verhagen rang.</p>")
        monkeypatch.setattr(
            "cases.privacy.find_identifiers", lambda *a, **k: pytest.fail("a page view scanned")
        )
        client.force_login(users["privacy_officer"])
        for url in [
            reverse("admin:articles_article_change", args=[article.pk]),
            reverse("admin:cases_case_change", args=[case.pk]),
            reverse("admin:cases_privacy_review", args=["article", article.pk]),
            reverse("admin:cases_privacy_review", args=["case", case.pk]),
            reverse("admin:cases_case_clear", args=[case.pk]),
            reverse("admin:index"),
        ]:
            assert client.get(url).status_code == 200, url

    def test_text_written_past_save_is_still_scanned_before_it_goes_out(self, users, ready):
        article = ready()
        Article.objects.filter(pk=article.pk).update(standfirst="Tobiah Quenneville, 91, went home.")
        article.refresh_from_db()
        assert any(m.startswith("Standfirst:") for m in refusal(article, users))

    def test_a_document_import_is_gated(self, users, vocabulary):
        text = (
            b"Hospital trial brings remission\n\nWinnifred Azikiwe, 52, was admitted on 2 March 2025 "
            b"and treated with CAR-T cell therapy. Call her daughter on 07700 900123.\n"
        )
        result = import_document("story.txt", text, vocabularies=Vocabularies(), by=users["writer"])
        article = Article.objects.get(pk=result.article_id)
        Article.objects.filter(pk=article.pk).update(status=Status.IN_REVIEW)
        workflow.sign_off(article, by=users["medical_reviewer"])
        assert any("personal name" in m or "phone" in m for m in refusal(article, users))

    def test_a_spreadsheet_import_is_gated(self, users):
        data = tablib.Dataset(headers=["slug", "title", "standfirst", "body"])
        data.append(["clinic-news", "Clinic news", "Dorothea Pemberton-Oakes went home.", "<p>Short.</p>"])
        assert not ArticleResource().import_data(data, dry_run=False).has_errors()
        article = Article.objects.get(slug="clinic-news")
        Article.objects.filter(pk=article.pk).update(status=Status.IN_REVIEW)
        workflow.sign_off(article, by=users["medical_reviewer"])
        assert any(m.startswith("Standfirst:") for m in refusal(article, users))

    def test_a_scheduled_article_whose_text_changed_unseen_is_held_back_at_go_live(self, users, ready):
        article = ready()
        workflow.transition(
            article, to=Status.PUBLISHED, by=users["editor"], published_at=timezone.now() + timedelta(hours=1)
        )
        Article.objects.filter(pk=article.pk).update(
            title="Leopold Wainwright-Asante home", published_at=timezone.now() - timedelta(minutes=1)
        )
        result = workflow.publish_due()
        assert [a.pk for a in result["held_back"]] == [article.pk]

    def test_a_restore_or_raw_load_is_swept_and_live_text_with_open_findings_taken_down(self, users, ready):
        article = publish(ready(), users)
        Article.objects.filter(pk=article.pk).update(body=LEAKY_BODY)  # as a restore writes rows
        out = io.StringIO()
        call_command("privacy_sweep", "--take-down", stdout=out)
        assert f"article {article.pk} is live with" in out.getvalue()
        article.refresh_from_db()
        assert article.status == Status.DRAFT
        assert article.events.first().action == ArticleEvent.Action.TAKEN_DOWN
        assert "Marguerite" not in out.getvalue()

    def test_a_new_scanner_reads_live_text_again_and_the_sweep_takes_down_what_it_now_finds(
        self, users, ready, monkeypatch
    ):
        article = publish(ready(), users)
        Article.objects.filter(pk=article.pk).update(body=LEAKY_BODY)
        article.refresh_from_db()
        refresh_scan(article)
        PrivacyScan.objects.filter(article=article).update(findings=[], undecided=0)  # an older scanner's
        assert stored_findings(article) == [], "the same scanner does not read the same text twice"
        monkeypatch.setattr("cases.scanner.VERSION", "a-better-scanner")
        call_command("privacy_sweep", "--take-down", stdout=io.StringIO())
        article.refresh_from_db()
        assert "Marguerite Oyelaran" in [f["text"] for f in stored_findings(article)]
        assert article.status == Status.DRAFT

    def test_a_decision_is_pinned_to_the_text_and_an_edit_reopens_it(self, users, ready):
        article = ready(body="<p>Dr Imogen Faraday-Ruiz leads the trial.</p>")
        [finding] = [f for f in stored_findings(article) if "Faraday" in f["text"]]
        decide_finding(
            article, kind=finding["kind"], text=finding["text"], choice=Choice.NOT_IDENTIFYING,
            reason=Reason.STAFF, note="Dr Faraday-Ruiz is our consultant and agreed to be named.",
            by=users["privacy_officer"],
        )  # fmt: skip
        assert not open_findings(article)
        article.body = "<p>Dr Imogen Faraday-Ruiz leads the new trial.</p>"
        article.save()
        assert open_findings(article), "the edit re-opens the decision"

    def test_writers_see_the_findings_highlighted_in_the_article_form(self, client, users, make_article):
        article = make_article(author=users["writer"], body=LEAKY_BODY)
        client.force_login(users["writer"])
        html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
        assert re.search(r'<mark class="finding finding-person_name"[^>]*>Marguerite Oyelaran</mark>', html)
        assert "no privacy decision" in html


# --- 2. Decisions that mean something -------------------------------------------------------------

NEVER_WAIVED_SAMPLES = {
    "person_name": "Marguerite Oyelaran",
    "nickname": "Granny Bess",
    "phone": "07700 900461",
    "email": "m.oyelaran@example.org",
    "id_number": "MRN 5520193",
    "address": "18 Quillon Street",
    "date": "14 February 2025",
    "age_over_89": "aged 93",
}


class TestDecisions:
    def finding(self, subject, kind):
        return next(f for f in stored_findings(subject) if f["kind"] == kind)

    def test_one_row_per_distinct_finding_with_its_count_and_where_it_occurs(self, make_article):
        article = make_article(
            title="Marguerite Oyelaran goes home", body="<p>Marguerite Oyelaran thanked the ward.</p>"
        )
        [row] = [f for f in stored_findings(article) if f["text"] == "Marguerite Oyelaran"]
        assert row["count"] == 2 and row["fields"] == ["title", "body"]

    @pytest.mark.parametrize("note", ["ok", "OK.", "", "   ", "fine by me"])
    def test_a_one_word_or_empty_waiver_is_refused(self, users, make_article, note):
        article = make_article(body="<p>Dr Imogen Faraday-Ruiz leads the trial.</p>")
        f = self.finding(article, "clinician_name")
        with pytest.raises(ValidationError, match="Say in a sentence"):
            decide_finding(article, kind=f["kind"], text=f["text"], choice=Choice.NOT_IDENTIFYING,
                           reason=Reason.STAFF, note=note, by=users["privacy_officer"])  # fmt: skip

    def test_a_waiver_without_a_reason_is_refused(self, users, make_article):
        article = make_article(body="<p>Dr Imogen Faraday-Ruiz leads the trial.</p>")
        f = self.finding(article, "clinician_name")
        with pytest.raises(ValidationError, match="Choose the reason"):
            decide_finding(article, kind=f["kind"], text=f["text"], choice=Choice.NOT_IDENTIFYING, reason="",
                           note="She is our consultant and agreed to be named.", by=users["privacy_officer"])  # fmt: skip

    def test_a_reason_must_fit_the_kind(self, users, make_article):
        article = make_article(body="<p>Dr Imogen Faraday-Ruiz leads the trial.</p>")
        f = self.finding(article, "clinician_name")
        with pytest.raises(ValidationError, match="does not explain"):
            decide_finding(article, kind=f["kind"], text=f["text"], choice=Choice.NOT_IDENTIFYING,
                           reason=Reason.DRUG_OR_TRIAL, note="It is the name of our flagship trial.",
                           by=users["privacy_officer"])  # fmt: skip

    @pytest.mark.parametrize("kind", list(NEVER_WAIVED_SAMPLES))
    def test_identifying_kinds_can_never_be_waived_as_not_identifying(self, users, make_article, kind):
        article = make_article(
            body=f"<p>Seen in clinic: {NEVER_WAIVED_SAMPLES[kind]}, who is recovering.</p>"
        )
        f = self.finding(article, kind)
        for reason in Reason.values:
            with pytest.raises(ValidationError, match="always identifies a patient"):
                decide_finding(article, kind=f["kind"], text=f["text"], choice=Choice.NOT_IDENTIFYING,
                               reason=reason, note="This is a long enough sentence to pass any length check.",
                               by=users["privacy_officer"])  # fmt: skip
        assert not FindingDecision.objects.exists()

    def test_a_season_is_not_an_exact_date_and_may_be_kept(self, users, make_article):
        article = make_article(title="Flu clinic opens this winter")
        f = self.finding(article, "date")
        decide_finding(article, kind=f["kind"], text=f["text"], choice=Choice.NOT_IDENTIFYING,
                       reason=Reason.PERIOD, note="The clinic's season, not a date in a patient's life.",
                       by=users["privacy_officer"])  # fmt: skip
        assert not open_findings(article)

    def test_only_the_privacy_officer_decides(self, users, make_article):
        article = make_article(body=LEAKY_BODY)
        f = self.finding(article, "person_name")
        for role in ("writer", "editor", "medical_reviewer"):
            with pytest.raises(PermissionDenied, match="privacy officer"):
                decide_finding(
                    article, kind=f["kind"], text=f["text"], choice=Choice.REPLACED, by=users[role]
                )

    def test_replace_changes_every_occurrence_in_one_click_with_a_new_revision(self, users, make_article):
        article = make_article(
            title="Marguerite Oyelaran goes home",
            body="<p>Marguerite Oyelaran thanked the ward. <strong>Marguerite Oyelaran</strong> is well.</p>",
            hero_caption="Marguerite Oyelaran in the garden",
        )
        revisions = ArticleRevision.objects.filter(article=article).count()
        f = next(f for f in stored_findings(article) if f["text"] == "Marguerite Oyelaran")
        decide_finding(article, kind=f["kind"], text=f["text"], choice=Choice.REPLACED,
                       replacement="A retired teacher", by=users["privacy_officer"])  # fmt: skip
        article.refresh_from_db()
        assert "Oyelaran" not in article.title + article.body + article.hero_caption
        assert article.body.count("A retired teacher") == 2
        assert ArticleRevision.objects.filter(article=article).count() == revisions + 1
        assert "oyelaran" not in article.slug

    def test_keeping_as_consented_needs_consent_to_be_identified(self, users, make_case):
        case = make_case(cleared=False, narrative="<p>Ottoline Verhagen, our patient, rang 07700 900461.</p>")
        f = self.finding(case, "person_name")
        with pytest.raises(ValidationError, match="agreed to be named or identified"):
            decide_finding(
                case, kind=f["kind"], text=f["text"], choice=Choice.CONSENTED, by=users["privacy_officer"]
            )
        Consent.objects.create(  # a new form, on which the patient agreed to be named
            case=case, signed_on=timezone.localdate(), identifiable=True, form="consent/test/named.pdf"
        )
        decide_finding(
            case, kind=f["kind"], text=f["text"], choice=Choice.CONSENTED, by=users["privacy_officer"]
        )
        assert (f["kind"], f["text"]) not in {(o["kind"], o["text"]) for o in open_findings(case)}
        case_withdraw_consent(case, by=users["privacy_officer"], reason="The patient's request by phone.")
        assert (f["kind"], f["text"]) in {(o["kind"], o["text"]) for o in open_findings(case)}, (
            "a consented decision lapses with the consent"
        )

    def test_with_every_finding_decided_the_article_is_published(self, users, ready):
        article = ready(body=LEAKY_BODY)
        Article.objects.filter(pk=article.pk).update(status=Status.DRAFT)
        decide_all(article, users["privacy_officer"])
        article.refresh_from_db()
        assert not open_findings(article)
        Article.objects.filter(pk=article.pk).update(status=Status.IN_REVIEW)
        workflow.sign_off(article, by=users["medical_reviewer"])  # the replacement changed the text
        publish(article, users)
        assert Article.objects.public().filter(pk=article.pk).exists()

    def test_a_name_on_the_desks_public_list_is_never_flagged(self, client, users, make_article):
        article = make_article(body="<p>Patients at Quarrendale Royal Infirmary can now join the trial.</p>")
        assert any("Quarrendale" in f["text"] for f in open_findings(article))
        client.force_login(users["editor"])
        assert client.get(reverse("admin:cases_publicname_add")).status_code == 403, (
            "the privacy officer's list"
        )
        client.force_login(users["privacy_officer"])
        client.post(
            reverse("admin:cases_publicname_add"),
            {
                "name": "Quarrendale Royal Infirmary",
                "kind": "institution",
                "note": "Our own hospital's name.",
            },
        )
        assert not any("Quarrendale" in f["text"] for f in open_findings(article))

    def test_the_review_page_decides_one_finding_per_form(self, client, users, make_article):
        article = make_article(body=LEAKY_BODY)
        url = reverse("admin:cases_privacy_review", args=["article", article.pk])
        client.force_login(users["privacy_officer"])
        page = client.get(url).content.decode()
        keys = re.findall(r'name="finding" value="(\w+)"', page)
        assert len(keys) == len(stored_findings(article))
        refused = client.post(url, {"finding": keys[0], "choice": Choice.NOT_IDENTIFYING, "reason": "",
                                    "note": "ok"})  # fmt: skip
        assert refused.status_code == 200 and not FindingDecision.objects.exists()
        client.post(url, {"finding": keys[0], "choice": Choice.REPLACED, "replacement": "[removed]"})
        assert FindingDecision.objects.filter(article=article, choice=Choice.REPLACED).count() == 1
        client.force_login(users["writer"])
        assert client.post(url, {"finding": keys[1], "choice": Choice.REPLACED}).status_code == 403


# --- 3. File names never carry identity -----------------------------------------------------------


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 60, 90)).save(out, "JPEG")
    return out.getvalue()


class TestFileNames:
    UPLOADED = "Mrs Li Wen bed12 ward5 MRN00451234.jpg"

    def test_the_uploaders_file_name_reaches_no_reader(self, client, users, ready):
        article = ready(hero_image=SimpleUploadedFile(self.UPLOADED, jpeg()), hero_alt="A hospital garden")
        publish(article, users)
        pages = [article.get_absolute_url(), "/", "/news/", "/feeds/rss/", "/feeds/atom/", "/sitemap.xml",
                 "/sitemap-articles.xml"]  # fmt: skip
        for url in pages:
            body = client.get(url).content.decode().lower()
            for part in ("li-wen", "li wen", "liwen", "bed12", "ward5", "mrn", "00451234"):
                assert part not in body, (url, part)
        assert re.fullmatch(r"articles/\d{4}/[0-9a-f]{16}\.jpg", article.hero_image.name)

    def test_a_consent_form_is_stored_under_a_random_name(self, make_case):
        case = make_case(consent=False)
        consent = Consent.objects.create(
            case=case, signed_on=timezone.localdate(),
            form=SimpleUploadedFile("Consent - Ottoline Verhagen.pdf", b"%PDF-1.4\n"),
        )  # fmt: skip
        assert re.fullmatch(r"consent/\d{4}/[0-9a-f]{16}\.pdf", consent.form.name), consent.form.name


# --- 4. Consent lifecycle ------------------------------------------------------------------------


class TestScheduledGoLive:
    """Issue 22, item 4: between scheduling and go-live no article is public with a failing gate."""

    def test_consent_lapsing_and_a_story_edited_after_scheduling_hold_it_back_unseen(
        self, client, users, make_case, ready, django_capture_on_commit_callbacks
    ):
        worker = task_backends["default"]
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            article = ready()
            # The consent runs out tonight, while the article waits for tomorrow (before the clock's
            # expiry job has seen it), and the story it tells is edited.
            case = make_case(articles=[article], consent={"expires_on": timezone.localdate()})
            with django_capture_on_commit_callbacks(execute=True):
                workflow.transition(
                    article, to=Status.PUBLISHED, by=users["editor"], published_at=start + timedelta(days=1)
                )
            case.outcome = "She is back at work and walks her dog every morning."
            case.save()
        with time_machine.travel(start + timedelta(days=1, seconds=1), tick=False):
            assert not Article.objects.public().filter(pk=article.pk).exists()
            assert client.get(article.get_absolute_url()).status_code == 404
            assert worker.run_due() == 1  # the worker's go-live
            article.refresh_from_db()
            assert article.status == Status.DRAFT
            held = article.events.first()
            assert held.action == ArticleEvent.Action.HELD_BACK
            assert "no consent in force" in held.comment and "not cleared" in held.comment
            assert client.get(article.get_absolute_url()).status_code == 404


class TestConsentLifecycle:
    def test_expiry_acts_exactly_like_withdrawal_by_itself(self, client, users, make_case, ready, caplog):
        article = publish(ready(), users)
        case = make_case(articles=[article], consent={"expires_on": timezone.localdate() - timedelta(days=1)})
        assert client.get(article.get_absolute_url()).status_code == 200
        with caplog.at_level(logging.WARNING):
            assert expire_consents() == [case]
        case.refresh_from_db()
        article.refresh_from_db()
        assert case.privacy_status == PrivacyStatus.WITHDRAWN
        assert article.status == Status.DRAFT
        event = article.events.first()
        assert event.action == ArticleEvent.Action.TAKEN_DOWN and "expired" in event.comment
        gone = client.get(article.get_absolute_url())
        assert gone.status_code == 410 and article.title.encode() not in gone.content
        assert f"Consent withdrawn for case {case.reference}" in caplog.text
        assert expire_consents() == [], "once"

    def test_a_renewed_consent_keeps_the_story(self, make_case):
        case = make_case(consent={"expires_on": timezone.localdate() - timedelta(days=1)})
        Consent.objects.create(
            case=case, signed_on=timezone.localdate(), scope_web=True, form="consent/x/y.pdf"
        )
        assert expire_consents() == []

    def test_reminders_go_60_30_and_7_days_before_each_once(self, users, make_case):
        today = timezone.localdate()
        case = make_case(consent={"expires_on": today + timedelta(days=60)})
        sent = []
        for day in range(61):
            sent += [(day, r.days_before) for r in send_consent_reminders(today + timedelta(days=day))]
            send_consent_reminders(today + timedelta(days=day))  # a second run the same day sends nothing
        assert sent == [(0, 60), (30, 30), (53, 7)]
        assert len(mail.outbox) == 3 and all(m.to == [users["privacy_officer"].email] for m in mail.outbox)
        assert all(case.reference in m.subject for m in mail.outbox)

    def test_the_queue_holds_consents_expiring_in_the_next_90_days(self, make_case):
        today = timezone.localdate()
        soon = make_case(consent={"expires_on": today + timedelta(days=89)})
        make_case(consent={"expires_on": today + timedelta(days=91)})
        assert [c.case for c in expiring()] == [soon]

    def test_a_picture_of_a_patient_needs_a_linked_story_with_photo_consent(self, users, ready, make_case):
        article = ready(
            hero_image=SimpleUploadedFile("x.jpg", jpeg()),
            hero_alt="A patient in the garden",
            hero_shows_patient=True,
        )
        assert any("shows a patient" in m for m in refusal(article, users))
        make_case(articles=[article], photos=False)
        assert any("does not cover photos" in m for m in refusal(article, users))


# --- 5. The privacy officer can act ---------------------------------------------------------------


class TestPrivacyOfficer:
    def test_her_home_shows_what_waits_for_her_with_counts(self, client, users, make_case, make_article):
        make_case(cleared=False)
        make_article(status=Status.IN_REVIEW, body=LEAKY_BODY)
        client.force_login(users["privacy_officer"])
        html = client.get(reverse("admin:index")).content.decode()
        assert "1 story to clear" in html
        assert "1 article in review or live with undecided findings" in html

    def test_she_takes_a_live_article_down_fixes_it_and_sends_it_back(self, client, users, ready):
        article = publish(ready(), users)
        Article.objects.filter(pk=article.pk).update(standfirst="Tobiah Quenneville went home.")
        officer = users["privacy_officer"]
        workflow.transition(article, to=Status.DRAFT, by=officer, move_name="take_down",
                            comment="The standfirst names the patient.")  # fmt: skip
        article.refresh_from_db()
        assert (
            article.status == Status.DRAFT and article.events.first().action == ArticleEvent.Action.TAKEN_DOWN
        )
        decide_all(article, officer)
        workflow.transition(article, to=Status.IN_REVIEW, by=officer)
        assert Article.objects.get(pk=article.pk).status == Status.IN_REVIEW

    def test_she_takes_a_live_story_down_with_the_articles_that_tell_it(self, users, ready, make_case):
        article = publish(ready(), users)
        case = make_case(articles=[article])
        assert Case.objects.public().filter(pk=case.pk).exists()
        with pytest.raises(ValidationError):
            take_down_case(case, by=users["privacy_officer"], reason="ok")
        taken = take_down_case(case, by=users["privacy_officer"], reason="The outcome names her town.")
        assert [a.pk for a in taken] == [article.pk]
        assert not Case.objects.public().exists() and not Article.objects.public().exists()
        assert case.events.filter(action="cases.taken_down").exists()


def test_the_plain_language_summary_is_a_public_text_the_gate_scans(make_article):
    """#25: the summary readers see as "In short" is held to the privacy gate like the headline."""
    from cases.privacy import article_text_is_cleared, public_texts, stored_findings

    article = make_article(plain_summary="Jane Smith went home to Cambridge on 4 March 2025.")
    assert ("plain_summary", article.plain_summary) in public_texts(article)
    assert any("plain_summary" in f["fields"] for f in stored_findings(article))
    assert article_text_is_cleared(article) != []  # publishing waits for the privacy officer


def test_the_texts_of_pictures_in_the_text_go_through_the_gate(make_article):
    """#25, item 3: a caption, alt text or credit of a picture in the text is public text like the headline."""
    from articles.models import ArticleImage
    from articles.tests.test_images import jpeg_with_everything
    from cases.privacy import article_text_is_cleared, field_label, stored_findings

    article = make_article(body="<p>[image 1]</p>")
    ArticleImage.objects.create(
        article=article,
        image=SimpleUploadedFile("a.jpg", jpeg_with_everything()),
        alt="A patient at the window",
        caption="Jane Smith went home to Cambridge on 4 March 2025.",
        credit="Photo unit",
        shows_patient=True,
    )
    found = [f for f in stored_findings(article) if "image-1-caption" in f["fields"]]
    assert found, stored_findings(article)
    assert field_label(article, "image-1-caption") == "Picture 1 in the text, caption"
    problems = " ".join(article_text_is_cleared(article))
    assert "Picture 1 in the text, caption" in problems
    assert "[image 1]: the picture shows a patient" in problems
    assert "Jane" not in problems  # the gate names the field and the kind, never the finding


def test_replacing_a_finding_reaches_the_caption_of_a_picture_in_the_text(make_article, users):
    from articles.models import ArticleImage
    from articles.tests.test_images import jpeg_with_everything
    from cases import services
    from cases.privacy import stored_findings

    article = make_article(body="<p>Jane Smith rang.</p><p>[image 1]</p>")
    image = ArticleImage.objects.create(
        article=article,
        image=SimpleUploadedFile("a.jpg", jpeg_with_everything()),
        alt="A ward at dusk",
        caption="Jane Smith at home.",
        credit="Photo unit",
    )
    finding = next(f for f in stored_findings(article) if f["text"] == "Jane Smith")
    services.decide_finding(
        article,
        kind=finding["kind"],
        text="Jane Smith",
        choice="replaced",
        replacement="the patient",
        by=users["privacy_officer"],
    )
    image.refresh_from_db()
    assert image.caption == "the patient at home."
