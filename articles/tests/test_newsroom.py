"""Newsroom depth: medical review cycles, public corrections, retraction, closed vocabularies, expiry and
redirects. (Comments and the editorial calendar have their own files.)"""

import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from tablib import Dataset

from articles import services, workflow
from articles.desk.admin import ArticleForm
from articles.desk.reminders import send_review_reminders
from articles.intake.resources import DiseaseTagResource, RedirectResource
from articles.models import (
    Article,
    ArticleEvent,
    Correction,
    DiseaseTag,
    Redirect,
    ReviewReminder,
    StaffProfile,
    Status,
    TherapyTag,
)

Action = ArticleEvent.Action
pytestmark = pytest.mark.django_db


@pytest.fixture
def live(users, make_article):
    """A live article by the writer, signed off by the medical reviewer and published by the editor."""

    def make(**fields):
        article = make_article(status=Status.IN_REVIEW, author=users["writer"], **fields)
        workflow.sign_off(article, by=users["medical_reviewer"])
        return workflow.transition(article, to=Status.PUBLISHED, by=users["editor"])

    return make


def json_ld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


# --- 1. Medical review as a record with a cycle ---------------------------------------------------


class TestReviewCycle:
    def test_a_sign_off_sets_the_next_review_one_cycle_later(self, settings, users, make_article):
        settings.NEWSDESK_REVIEW_CYCLE_DAYS = 180
        article = make_article(status=Status.IN_REVIEW, author=users["writer"])
        workflow.sign_off(article, by=users["medical_reviewer"])
        article.refresh_from_db()
        assert article.review_due == timezone.localdate() + timedelta(days=180)

    def test_the_page_names_the_reviewer_with_credentials_and_the_next_review(self, client, users, live):
        StaffProfile.objects.create(
            user=users["medical_reviewer"], public_name="Dr Ada Okafor", credentials="MD, haematologist"
        )
        article = live()
        page = client.get(article.get_absolute_url()).content.decode()
        today = timezone.localdate()
        assert "Medically reviewed by Dr Ada Okafor, MD, haematologist on" in page
        assert f'<time datetime="{today:%Y-%m-%d}">{today:%-d %B %Y}</time>' in page
        assert f'Next review due <time datetime="{article.review_due:%Y-%m-%d}">' in page

        data = json_ld(page)
        assert data["@type"] == "MedicalWebPage" and data["mainEntity"]["@type"] == "NewsArticle"
        assert data["reviewedBy"] == {
            "@type": "Person",
            "name": "Dr Ada Okafor",
            "jobTitle": "MD, haematologist",
        }
        assert data["lastReviewed"] == today.isoformat()

    def test_re_reviewing_unchanged_text_is_one_click_and_logged(self, client, users, live):
        article = live()
        Article.objects.filter(pk=article.pk).update(review_due=timezone.localdate() - timedelta(days=3))
        client.force_login(users["medical_reviewer"])
        response = client.post(
            reverse("admin:articles_article_confirm_review", args=[article.pk]), {"return_to": "queue"}
        )
        assert response.status_code == 302 and response["Location"].endswith("/reviews-due/")
        article.refresh_from_db()
        assert article.review_due == timezone.localdate() + timedelta(days=365)
        event = article.events.get(action=Action.RE_REVIEWED)
        assert event.actor == users["medical_reviewer"] and event.text_hash == article.text_hash()
        assert article.status == Status.PUBLISHED  # a review is not an edit: nothing else moved

    @pytest.mark.parametrize("who", ["writer", "other_writer", "editor", "privacy_officer"])
    def test_only_a_medical_reviewer_confirms_a_review(self, client, users, live, who):
        article = live()
        due = article.review_due
        client.force_login(users[who])
        client.post(reverse("admin:articles_article_confirm_review", args=[article.pk]))
        article.refresh_from_db()
        assert article.review_due == due and not article.events.filter(action=Action.RE_REVIEWED).exists()

    def test_the_review_queue_lists_what_is_due_soonest_first(self, client, users, live, make_article):
        today = timezone.localdate()
        later, overdue, far = live(title="Due in a fortnight"), live(title="Overdue"), live(title="Far off")
        for article, days in ((later, 14), (overdue, -10), (far, 200)):
            Article.objects.filter(pk=article.pk).update(review_due=today + timedelta(days=days))
        client.force_login(users["editor"])
        page = client.get(reverse("admin:articles_article_reviews_due")).content.decode()
        assert page.index("Overdue") < page.index("Due in a fortnight")
        assert "Far off" not in page

    def test_reminders_go_once_when_due_and_once_when_overdue(self, settings, users, live):
        settings.NEWSDESK_REVIEW_NOTICE_DAYS = 30
        with time_machine.travel(datetime(2026, 1, 10, 9, tzinfo=UTC), tick=False):
            article = live(title="Lupus remission update")
        assert article.review_due == date(2027, 1, 10)

        with time_machine.travel(datetime(2026, 12, 1, 6, tzinfo=UTC), tick=False):
            assert send_review_reminders() == []  # 40 days ahead: too early
        with time_machine.travel(datetime(2026, 12, 12, 6, tzinfo=UTC), tick=False):
            assert len(send_review_reminders()) == 1
            assert send_review_reminders() == []  # the daily run again: nothing new
        due_mail = {m.to[0]: m for m in mail.outbox if "Review due" in m.subject}
        assert set(due_mail) == {users["writer"].email, users["medical_reviewer"].email}
        assert "falls due on 10 January 2027" in due_mail[users["writer"].email].body

        with time_machine.travel(datetime(2027, 1, 11, 6, tzinfo=UTC), tick=False):
            assert len(send_review_reminders()) == 1
            assert send_review_reminders() == []
        overdue = [m for m in mail.outbox if "Review overdue" in m.subject]
        assert len(overdue) == 2 and "is overdue" in overdue[0].body
        assert ReviewReminder.objects.filter(article=article).count() == 2

    def test_a_new_review_starts_a_new_cycle_of_reminders(self, users, live):
        article = live()
        Article.objects.filter(pk=article.pk).update(review_due=timezone.localdate() - timedelta(days=1))
        assert len(send_review_reminders()) == 1
        workflow.confirm_review(article, by=users["medical_reviewer"])
        in_a_year = timezone.localdate() + timedelta(days=365)
        with time_machine.travel(timezone.now() + timedelta(days=366)):
            assert [r.due_on for r in send_review_reminders()] == [in_a_year]

    def test_the_page_shows_the_review_kept_at_publication_and_each_confirmed_review(
        self, client, users, live
    ):
        article = live()
        assert article.published_review == article.current_sign_off()
        later = timezone.now() + timedelta(days=200)
        with time_machine.travel(later, tick=False):
            confirmed = workflow.confirm_review(article, by=users["medical_reviewer"])
        article.refresh_from_db()
        assert article.published_review == confirmed
        page = client.get(article.get_absolute_url()).content.decode()
        assert json_ld(page)["lastReviewed"] == timezone.localdate(later).isoformat()

    def test_a_scheduled_article_keeps_its_review_when_it_goes_live(self, users, make_article):
        article = make_article(status=Status.IN_REVIEW, author=users["writer"])
        review = workflow.sign_off(article, by=users["medical_reviewer"])
        moment = timezone.now() + timedelta(hours=1)
        workflow.transition(article, to=Status.PUBLISHED, by=users["editor"], published_at=moment)
        Article.objects.filter(pk=article.pk).update(published_review=None)
        with time_machine.travel(moment + timedelta(minutes=1)):
            workflow.go_live_if_due(article.pk, moment)
        article.refresh_from_db()
        assert article.published_review == review

    def test_a_failing_mail_server_leaves_the_reminder_for_the_next_run(self, users, live, monkeypatch):
        article = live()
        Article.objects.filter(pk=article.pk).update(review_due=timezone.localdate())

        def broken(*args, **kwargs):
            raise ConnectionRefusedError("mail server down")

        monkeypatch.setattr("articles.notifications.send_mail", broken)
        assert send_review_reminders() == []
        assert not ReviewReminder.objects.exists()
        monkeypatch.undo()
        assert len(send_review_reminders()) == 1


# --- 2. Public corrections and retraction -----------------------------------------------------------


class TestCorrections:
    def test_an_editors_note_shows_on_the_page_in_the_feed_and_as_schema_org(self, client, users, live):
        article = live()
        client.force_login(users["editor"])
        client.post(
            reverse("admin:articles_article_add_correction", args=[article.pk]),
            {"kind": "correction", "note": "An earlier version gave the wrong number of patients."},
        )
        client.logout()
        note = article.corrections.get()
        assert note.created_by == users["editor"]

        page = client.get(article.get_absolute_url()).content.decode()
        assert "Corrections and updates" in page and "wrong number of patients" in page
        correction = json_ld(page)["mainEntity"]["correction"]
        assert correction == [
            {
                "@type": "CorrectionComment",
                "text": "An earlier version gave the wrong number of patients.",
                "datePublished": note.created_at.date().isoformat(),
            }
        ]
        feed = client.get(reverse("articles:rss")).content.decode()
        assert "Correction (" in feed and "wrong number of patients" in feed
        assert article.events.filter(action=Action.CORRECTED).exists()

    def test_notes_are_separate_from_the_private_revision_history(self, users, live):
        article = live()
        revisions = article.revisions.count()
        services.add_correction(article, by=users["editor"], kind="update", note="Trial now recruiting.")
        assert article.revisions.count() == revisions
        with pytest.raises(ValidationError):
            Correction.objects.get().delete()  # public and permanent

    @pytest.mark.parametrize("who", ["writer", "medical_reviewer", "privacy_officer"])
    def test_only_editors_add_notes(self, client, users, live, who):
        article = live()
        client.force_login(users[who])
        client.post(
            reverse("admin:articles_article_add_correction", args=[article.pk]),
            {"kind": "correction", "note": "x"},
        )
        assert not Correction.objects.exists()

    def test_a_note_needs_words_and_a_published_article(self, users, live, make_article):
        with pytest.raises(ValidationError, match="Say what changed"):
            services.add_correction(live(), by=users["editor"], kind="correction", note="  ")
        with pytest.raises(ValidationError, match="Publish the corrected text first"):
            services.add_correction(make_article(), by=users["editor"], kind="correction", note="Fixed.")


class TestRetraction:
    def test_a_retracted_article_keeps_its_address_with_a_notice_and_no_body(self, client, users, live):
        article = live(body="<p>Claims that did not hold up.</p>", title="A study we got wrong")
        workflow.transition(
            article,
            to=Status.RETRACTED,
            by=users["editor"],
            comment="The study was withdrawn by its authors.",
        )
        response = client.get(article.get_absolute_url())
        page = response.content.decode()
        assert response.status_code == 410  # gone for search engines, the notice for readers
        assert "This article has been retracted" in page and "withdrawn by its authors" in page
        assert "did not hold up" not in page
        assert '<meta name="robots" content="noindex' in page

        for url in ("articles:home", "articles:list", "articles:rss", "articles:atom"):
            assert "A study we got wrong" not in client.get(reverse(url)).content.decode(), url
        assert "A study we got wrong" not in client.get("/search/?q=study").content.decode()
        assert article.slug not in client.get("/sitemap-articles.xml").content.decode()

    def test_retracting_needs_a_reason_and_a_live_article(self, users, live, make_article):
        with pytest.raises(ValidationError):
            workflow.transition(live(), to=Status.RETRACTED, by=users["editor"], comment="")
        scheduled = make_article(status=Status.PUBLISHED, published_at=timezone.now() + timedelta(days=2))
        with pytest.raises(workflow.TransitionNotAllowed, match="Unpublish it instead"):
            workflow.transition(scheduled, to=Status.RETRACTED, by=users["editor"], comment="Wrong.")

    def test_a_retracted_article_is_locked(self, client, users, live):
        article = live()
        workflow.transition(article, to=Status.RETRACTED, by=users["editor"], comment="Withdrawn.")
        client.force_login(users["editor"])
        client.post(reverse("admin:articles_article_change", args=[article.pk]), {"title": "Sneaky edit"})
        article.refresh_from_db()
        assert article.title != "Sneaky edit"


# --- 5. Controlled vocabularies ----------------------------------------------------------------------


class TestClosedVocabularies:
    def test_writers_pick_terms_and_cannot_invent_them(self, vocabulary):
        form = ArticleForm(data={"title": "T", "slug": "t", "diseases": ["Made-up disease"]})
        assert not form.is_valid() and "diseases" in form.errors
        assert not DiseaseTag.objects.filter(name="Made-up disease").exists()

    def test_only_editors_add_terms(self, client, users):
        data = {
            "name": "Castleman disease",
            "slug": "castleman-disease",
            "synonyms": "[]",
            "abbreviations": "[]",
        }
        for who, allowed in (("writer", False), ("medical_reviewer", False), ("editor", True)):
            client.force_login(users[who])
            client.post(reverse("admin:articles_diseasetag_add"), data)
            assert DiseaseTag.objects.filter(slug="castleman-disease").exists() is allowed, who

    def test_duplicates_in_other_capitals_cannot_be_created(self, vocabulary):
        existing = DiseaseTag.objects.first()
        clash = DiseaseTag(name=existing.name.upper(), slug="shouting")
        with pytest.raises(ValidationError, match="already names"):
            clash.full_clean()
        with pytest.raises(IntegrityError), transaction.atomic():
            DiseaseTag.objects.create(name=existing.name.swapcase(), slug="shouting")

    def test_a_synonym_cannot_be_another_terms_name(self, vocabulary):
        lupus = DiseaseTag.objects.get(slug="systemic-lupus-erythematosus")
        term = DiseaseTag(name="Something new", slug="something-new", synonyms=[lupus.name.lower()])
        with pytest.raises(ValidationError, match="Already used by another term"):
            term.full_clean()

    def test_a_spreadsheet_row_with_a_duplicate_name_is_a_row_error(self, vocabulary):
        existing = DiseaseTag.objects.first()
        data = Dataset(headers=["slug", "name", "synonyms", "abbreviations", "code", "description", "parent"])
        data.append(["fresh-term", "Fresh term", "[]", "[]", "", "", ""])
        data.append(["dupe", existing.name.lower(), "[]", "[]", "", "", ""])
        result = DiseaseTagResource().import_data(
            data, dry_run=False, raise_errors=False, use_transactions=True
        )
        assert result.has_validation_errors() or result.has_errors()
        assert not DiseaseTag.objects.filter(slug__in=["fresh-term", "dupe"]).exists()  # all or nothing

    def test_terms_carry_codes_and_descriptions_shown_on_their_page(self, client, users, live, vocabulary):
        term = DiseaseTag.objects.get(slug="systemic-lupus-erythematosus")
        term.description = "An autoimmune disease that can affect the skin, joints and kidneys."
        term.save()
        live(diseases=[term])
        page = client.get(term.get_absolute_url()).content.decode()
        assert "affect the skin, joints and kidneys" in page
        assert term.code  # the vocabulary fixture ships ICD-10 codes

    @pytest.mark.parametrize(
        ("vocabulary", "code", "system", "error"),
        [
            (DiseaseTag, "C91.0", "ICD-10", None),
            (DiseaseTag, "55464009", "SNOMED CT", None),
            (DiseaseTag, "L01XL", "ATC", "Use one of"),
            (DiseaseTag, "C9", "ICD-10", "not a ICD-10 code"),
            (DiseaseTag, "C91.0", "", "both a code and its system"),
            (TherapyTag, "L01XL", "ATC", None),
            (TherapyTag, "CAR-T-2", "local", None),
            (TherapyTag, "l01", "ATC", "not a ATC code"),
            (TherapyTag, "55464009", "SNOMED CT", "Use one of"),
        ],
    )
    def test_codes_come_from_the_vocabularys_coding_systems(self, vocabulary, code, system, error):
        term = vocabulary(name="Coded term", slug="coded-term", code=code, code_system=system)
        if error is None:
            term.full_clean()
        else:
            with pytest.raises(ValidationError, match=error):
                term.full_clean()

    def test_structured_data_names_each_code_and_its_system(self, client, live, vocabulary):
        disease = DiseaseTag.objects.get(slug="systemic-lupus-erythematosus")
        therapy = TherapyTag.objects.exclude(code="").first()
        page = client.get(live(diseases=[disease], therapies=[therapy]).get_absolute_url()).content.decode()
        about = json_ld(page)["about"]
        assert {"@type": "MedicalCode", "codeValue": disease.code, "codingSystem": "ICD-10"} in [
            a.get("code") for a in about
        ]
        assert {"@type": "MedicalCode", "codeValue": therapy.code, "codingSystem": "ATC"} in [
            a.get("code") for a in about
        ]

    def test_a_disease_page_lists_the_articles_of_its_narrower_terms(self, client, live, vocabulary):
        broader = DiseaseTag.objects.create(name="Blood cancers", slug="blood-cancers")
        narrower = DiseaseTag.objects.create(name="Rare leukaemia X", slug="rare-leukaemia-x", parent=broader)
        narrowest = DiseaseTag.objects.create(
            name="Rare leukaemia X2", slug="rare-leukaemia-x2", parent=narrower
        )
        live(title="About the narrowest term", diseases=[narrowest])
        page = client.get(broader.get_absolute_url()).content.decode()
        assert "About the narrowest term" in page


class TestMergingTerms:
    def test_every_link_moves_names_become_synonyms_and_the_old_address_redirects(self, client, users, live):
        keep = DiseaseTag.objects.create(
            name="Systemic lupus", slug="systemic-lupus", synonyms=["SLE disease"]
        )
        merge = DiseaseTag.objects.create(
            name="Lupus (systemic)", slug="lupus-systemic", synonyms=["Lupus disease"], abbreviations=["LUP"]
        )
        child = DiseaseTag.objects.create(name="Lupus nephritis X", slug="lupus-nephritis-x", parent=merge)
        both = live(title="Tagged with both", diseases=[keep, merge])
        only_merged = live(title="Tagged with the merged term", diseases=[merge])
        old_address = merge.get_absolute_url()

        client.force_login(users["editor"])
        response = client.post(
            reverse("admin:articles_diseasetag_changelist"),
            {
                "action": "merge_terms",
                "_selected_action": [keep.pk, merge.pk],
                "survivor": keep.pk,
                "confirm": "yes",
            },
        )
        assert response.status_code == 302
        keep.refresh_from_db()
        assert not DiseaseTag.objects.filter(pk=merge.pk).exists()
        assert {"Lupus (systemic)", "Lupus disease", "SLE disease"} <= set(keep.synonyms)
        assert "LUP" in keep.abbreviations
        assert list(both.diseases.all()) == [keep] and list(only_merged.diseases.all()) == [keep]
        child.refresh_from_db()
        assert child.parent == keep

        client.logout()
        moved = client.get(old_address)
        assert moved.status_code == 301 and moved["Location"] == keep.get_absolute_url()

    def test_therapy_terms_merge_the_same_way(self, users, live):
        keep = TherapyTag.objects.create(name="CAR-T therapy X", slug="car-t-therapy-x")
        merge = TherapyTag.objects.create(name="CAR T-cell therapy X", slug="car-t-cell-therapy-x")
        article = live(therapies=[merge])
        services.merge_terms(keep, merge)
        assert list(article.therapies.all()) == [keep]
        assert (
            Redirect.objects.get(old_path="/therapies/car-t-cell-therapy-x/").new_path
            == keep.get_absolute_url()
        )

    def test_only_terms_of_one_vocabulary_merge(self):
        disease = DiseaseTag.objects.create(name="D1", slug="d1")
        therapy = TherapyTag.objects.create(name="T1", slug="t1")
        with pytest.raises(ValidationError):
            services.merge_terms(disease, therapy)
        with pytest.raises(ValidationError):
            services.merge_terms(disease, disease)

    def test_writers_cannot_merge(self, client, users):
        a = DiseaseTag.objects.create(name="A1", slug="a1")
        b = DiseaseTag.objects.create(name="B1", slug="b1")
        client.force_login(users["writer"])
        client.post(
            reverse("admin:articles_diseasetag_changelist"),
            {"action": "merge_terms", "_selected_action": [a.pk, b.pk], "survivor": a.pk, "confirm": "yes"},
        )
        assert DiseaseTag.objects.filter(pk__in=[a.pk, b.pk]).count() == 2


# --- 6. Expiry and redirects -------------------------------------------------------------------------


class TestExpiry:
    def test_an_article_leaves_every_public_surface_by_itself_at_its_expiry(self, client, live):
        article = live(title="Flu clinic opening hours for the season", standfirst="Winter clinic times.")
        Article.objects.filter(pk=article.pk).update(expires_at=timezone.now() + timedelta(hours=1))
        surfaces = ["/", "/news/", "/feeds/rss/", "/sitemap-articles.xml", "/search/?q=clinic"]
        assert client.get(article.get_absolute_url()).status_code == 200
        assert all(article.title in client.get(url).content.decode() for url in surfaces[:3])

        with time_machine.travel(timezone.now() + timedelta(hours=1, seconds=2)):
            assert (
                client.get(article.get_absolute_url()).status_code == 410
            )  # gone, and the cached copy not served
            for url in surfaces:
                body = client.get(url).content.decode()
                assert article.title not in body and article.slug not in body, url
            assert not Article.objects.public().filter(pk=article.pk).exists()

    def test_expiry_must_come_after_publication(self, make_article):
        article = make_article(status=Status.PUBLISHED)
        article.expires_at = article.published_at - timedelta(minutes=1)
        with pytest.raises(ValidationError, match="after the publication time"):
            article.full_clean()


class TestRedirects:
    def test_every_old_address_of_a_published_article_redirects_to_the_current_one(self, client, users, live):
        article = live(title="First headline")
        first = article.get_absolute_url()
        workflow.transition(article, to=Status.DRAFT, by=users["editor"], comment="Retitle.")
        article.refresh_from_db()
        for slug in ("second-headline", "third-headline"):
            article.slug = slug
            article.save()
        current = article.get_absolute_url()
        workflow.sign_off(workflow.transition(article, to=Status.IN_REVIEW, by=users["writer"]),
                          by=users["medical_reviewer"])  # fmt: skip
        workflow.transition(article, to=Status.PUBLISHED, by=users["editor"])

        for old in (first, "/news/second-headline/"):
            response = client.get(old + "?utm_source=feed")
            assert response.status_code == 301, old
            assert response["Location"] == current + "?utm_source=feed"  # straight there, no chain

    def test_a_draft_that_was_never_public_leaves_no_redirect(self, make_article):
        article = make_article(title="Working title")
        article.slug = "better-title"
        article.save()
        assert not Redirect.objects.exists()

    def test_returning_to_an_old_slug_drops_its_redirect(self, live):
        article = live()
        Article.objects.filter(pk=article.pk).update(status=Status.DRAFT, published_at=None)
        article.refresh_from_db()
        original = article.slug
        article.slug = "detour"
        article.save()
        article.slug = original
        article.save()
        assert list(Redirect.objects.values_list("old_path", "new_path")) == [
            ("/news/detour/", f"/news/{original}/")
        ]

    def test_editors_manage_redirects_in_the_admin(self, client, users):
        client.force_login(users["editor"])
        client.post(
            reverse("admin:articles_redirect_add"), {"old_path": "/old-campaign/", "new_path": "/news/"}
        )
        assert client.get("/old-campaign/").status_code == 301

    @pytest.mark.parametrize(
        "target", ["//evil.example/", "/\\evil.example/", "javascript:alert(1)", "evil.example", "/same/"]
    )
    def test_a_redirect_must_lead_somewhere_safe(self, target):
        with pytest.raises(ValidationError):
            Redirect(old_path="/same/", new_path=target).full_clean()

    def test_redirects_import_all_or_nothing_with_row_errors(self):
        data = Dataset(headers=["old_path", "new_path", "note"])
        data.append(["/campaign-2024/", "/news/", "old campaign"])
        data.append(["no-slash", "/news/", ""])
        result = RedirectResource().import_data(
            data, dry_run=False, raise_errors=False, use_transactions=True
        )
        assert result.has_validation_errors()
        assert [row.number for row in result.invalid_rows] == [2]
        assert not Redirect.objects.exists()

        good = Dataset(headers=["old_path", "new_path", "note"])
        good.append(["/campaign-2024/", "/news/", "old campaign"])
        assert not RedirectResource().import_data(good, dry_run=False, use_transactions=True).has_errors()
        assert Redirect.objects.get().new_path == "/news/"
