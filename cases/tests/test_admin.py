"""The privacy officer's desk in the admin: findings in place, the clearance checklist, consent files."""

import re
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Status
from cases.models import Case, Consent, PrivacyStatus
from cases.privacy import stored_findings
from cases.services import decide_finding

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_with_findings(make_case, make_article):
    article = make_article(status=Status.DRAFT, body="<p>Uncle Li was admitted on 3 March.</p>")
    return make_case(
        articles=[article], cleared=False, narrative="<p>Ms. Carter, 93, lives at 12 Elm Street.</p>"
    )


def test_case_page_highlights_findings_in_the_story_and_in_linked_articles(client, users, case_with_findings):
    client.force_login(users["privacy_officer"])
    html = client.get(reverse("admin:cases_case_change", args=[case_with_findings.pk])).content.decode()
    assert 'class="finding finding-' in html
    for flagged in ["Ms. Carter", "12 Elm Street", "Uncle Li", "3 March"]:
        assert f">{flagged}</mark>" in html, flagged


def test_the_review_panel_escapes_story_text(client, users, make_case):
    case = make_case(cleared=False, label="<img src=x onerror=alert(1)>")
    client.force_login(users["privacy_officer"])
    html = client.get(reverse("admin:cases_case_change", args=[case.pk])).content.decode()
    assert "<img src=x onerror" not in html


def test_privacy_officer_clears_a_case_through_the_checklist(client, users, case_with_findings):
    client.force_login(users["privacy_officer"])
    url = reverse("admin:cases_case_clear", args=[case_with_findings.pk])
    unticked = client.post(url, {"justification": ""})
    assert (
        unticked.status_code == 200 and Case.objects.get(pk=case_with_findings.pk).privacy_status == "pending"
    )
    undecided = client.post(url, {"consent_on_file": "on", "findings_reviewed": "on", "justification": ""})
    refusal = re.search(r"[^<>]*have no decision yet[^<>]*", undecided.content.decode()).group(0)
    assert "Carter" not in refusal and "Elm" not in refusal, "the refusal names kinds only"
    for finding in stored_findings(case_with_findings):
        decide_finding(case_with_findings, kind=finding["kind"], text=finding["text"], choice="replaced",
                       by=users["privacy_officer"])  # fmt: skip
    done = client.post(url, {"consent_on_file": "on", "findings_reviewed": "on", "justification": ""})
    assert done.status_code == 302
    assert Case.objects.get(pk=case_with_findings.pk).privacy_status == PrivacyStatus.CLEARED


@pytest.mark.parametrize("role", ["writer", "medical_reviewer", "editor"])
def test_other_roles_cannot_clear_or_withdraw(client, users, case_with_findings, role):
    client.force_login(users[role])
    for name in ["admin:cases_case_clear", "admin:cases_case_withdraw"]:
        response = client.post(reverse(name, args=[case_with_findings.pk]),
                               {"consent_on_file": "on", "findings_reviewed": "on", "justification": "x",
                                "reason": "x", "confirm": "on"})  # fmt: skip
        assert response.status_code == 403
    assert Case.objects.get(pk=case_with_findings.pk).privacy_status == PrivacyStatus.PENDING


def test_privacy_officer_withdraws_consent_from_the_admin(client, users, make_case, make_article):
    article = make_article(status=Status.PUBLISHED)
    case = make_case(articles=[article])
    client.force_login(users["privacy_officer"])
    response = client.post(
        reverse("admin:cases_case_withdraw", args=[case.pk]), {"reason": "Email", "confirm": "on"}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert Case.objects.get(pk=case.pk).privacy_status == PrivacyStatus.WITHDRAWN


class TestSignedConsentForms:
    """The signed form is stored privately and only privacy officers can open it."""

    @pytest.fixture
    def consent(self, make_case):
        case = make_case(consent=False)
        return Consent.objects.create(
            case=case, signed_on=date(2026, 1, 5), form=ContentFile(b"%PDF-1.4 synthetic", name="signed.pdf")
        )

    def test_the_form_is_not_under_the_public_media_root(self, consent, settings):
        path = storages["private"].path(consent.form.name)
        assert not str(path).startswith(str(settings.MEDIA_ROOT))
        with pytest.raises(ValueError):
            consent.form.url  # noqa: B018  (private storage has no URL)

    def test_the_privacy_officer_downloads_it_as_an_attachment(self, client, users, consent):
        client.force_login(users["privacy_officer"])
        response = client.get(reverse("admin:cases_consent_form", args=[consent.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 synthetic"
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]

    @pytest.mark.parametrize(
        "who", ["anonymous", "no_role", "writer", "other_writer", "medical_reviewer", "editor"]
    )
    def test_everyone_else_is_refused(self, client, users, consent, who):
        if who != "anonymous":
            client.force_login(users[who])
        response = client.get(reverse("admin:cases_consent_form", args=[consent.pk]))
        assert response.status_code in {302, 403}
        assert response.status_code == 302 or b"synthetic" not in response.content

    def test_no_public_url_serves_it(self, client, consent, settings):
        assert client.get(settings.MEDIA_URL + consent.form.name).status_code == 404


def test_recording_a_consent_stamps_who_recorded_it(client, users, make_case):
    case = make_case(consent=False, cleared=False)
    client.force_login(users["privacy_officer"])
    url = reverse("admin:cases_case_change", args=[case.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "label": case.label, "sex": case.sex, "age_band": "", "narrative": "", "outcome": "", "follow_up": "",
        "treatment_year": "", "diseases": [], "therapies": [],
        "consents-TOTAL_FORMS": "0", "consents-INITIAL_FORMS": "0",
        "consents-2-TOTAL_FORMS": "1", "consents-2-INITIAL_FORMS": "0",
        "consents-2-0-given_by": "patient", "consents-2-0-signed_on": "2025-01-10",
        "consents-2-0-scope_web": "on",
        "consents-2-0-form": SimpleUploadedFile("form.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
        "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    consent = Consent.objects.get(case=case)
    assert consent.recorded_by == users["privacy_officer"]
    assert storages["private"].exists(consent.form.name)


@pytest.mark.parametrize("model_admin", ["articles.Article", "cases.Case"])
def test_no_list_offers_a_bulk_delete_so_rows_carry_no_checkbox(
    admin_client, make_article, make_case, model_admin
):
    """Issue 23, item 2: articles are retracted and stories withdrawn, never deleted in bulk, not even by
    a superuser. Stories have no bulk action left, so a row has no checkbox to tick; articles have the
    desk's own (#25: submit, hand over, export)."""
    from django.apps import apps

    row = make_article(title='A "quoted" <headline> & more')
    if model_admin == "cases.Case":
        row = make_case(articles=[row], label='Adult <with> "quotes"')
    model = apps.get_model(model_admin)
    page = admin_client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
    html = page.content.decode()
    assert page.status_code == 200 and "delete_selected" not in html
    if model_admin == "cases.Case":
        assert 'class="action-select"' not in html
    else:
        assert {"submit_selected", "assign_owner", "export_selected"} <= set(
            re.findall(r'<option value="(\w+)"', html)
        )


class TestLinkingAStoryFromTheArticleForm:
    """#25, item 3: a writer links the stories an article tells from the article's own form."""

    def post(self, client, article, **changes):
        from articles.tests.test_admin import form_data

        article.refresh_from_db()
        url = reverse("admin:articles_article_change", args=[article.pk])
        return client.post(url, form_data(article, _continue="1", **changes))

    def test_the_form_offers_every_story_by_reference_and_label(self, client, users, make_article, make_case):
        article = make_article(author=users["writer"])
        case = make_case(label="Teenager with relapsed leukaemia")
        client.force_login(users["writer"])
        page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
        assert 'name="stories"' in page and f"{case.reference}: Teenager with relapsed leukaemia" in page

    def test_a_story_chosen_there_is_linked_and_its_clearance_checked_again(
        self, client, users, make_article, make_case
    ):
        article = make_article(author=users["writer"])
        case = make_case(cleared=False)
        client.force_login(users["writer"])
        assert self.post(client, article, stories=[case.pk]).status_code == 302
        assert list(article.cases.all()) == [case]
        assert self.post(client, article, stories=[]).status_code == 302
        assert not article.cases.exists()

    def test_linking_a_story_a_live_article_tells_is_refused_as_from_the_story_side(
        self, client, users, make_article, make_case
    ):
        live = make_article(status=Status.PUBLISHED)
        case = make_case(articles=[live])
        draft = make_article(author=users["writer"])
        client.force_login(users["writer"])
        response = self.post(client, draft, stories=[case.pk])
        assert response.status_code == 200
        assert "Unpublish the article first" in str(response.context["adminform"].form.errors["stories"])
        assert list(case.articles.all()) == [live]

    def test_who_may_not_edit_stories_is_not_offered_the_field(self, client, users, make_article):
        article = make_article(author=users["editor"])
        client.force_login(users["editor"])
        page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
        assert 'name="stories"' not in page


def test_the_editors_home_names_live_articles_whose_story_consent_runs_out(
    client, users, make_article, make_case
):
    """#25, item 7: consents expiring, on the desk's home, as what they mean for the desk."""
    from datetime import timedelta

    from django.utils import timezone

    live = make_article(title="Lupus in remission", status=Status.PUBLISHED)
    soon = timezone.localdate() + timedelta(days=12)
    make_case(articles=[live], consent={"expires_on": soon})
    make_case(
        articles=[make_article(status=Status.PUBLISHED)], consent={"expires_on": soon + timedelta(days=300)}
    )
    client.force_login(users["editor"])
    page = client.get(reverse("admin:index")).content.decode()
    assert (
        "1 story&#x27;s consent ends within 30 days" in page
        or "1 story's consent ends within 30 days" in page
    )
    assert "“Lupus in remission” leaves the site on" in page


def test_a_withdrawn_story_answers_410_and_one_never_public_404(client, users, make_article, make_case):
    """#26, item 4: the story's address, once public, is gone when consent is withdrawn."""
    from articles import workflow
    from articles.tests.test_admin import ANSWERED
    from cases import services

    article = make_article(author=users["writer"])
    case = make_case(articles=[article], cleared=False, label="Adult with lupus")
    services.case_clear(
        case, by=users["privacy_officer"], justification="Nothing identifies the patient here."
    )
    workflow.transition(article, to=Status.IN_REVIEW, by=users["writer"])
    workflow.sign_off(article, by=users["medical_reviewer"], answers=ANSWERED)
    workflow.transition(article, to=Status.PUBLISHED, by=users["editor"])
    assert client.get(case.get_absolute_url()).status_code == 200
    services.case_withdraw_consent(case, by=users["privacy_officer"], reason="The patient asked us to.")
    page = client.get(case.get_absolute_url())
    assert page.status_code == 410 and b"Adult with lupus" not in page.content
    never = make_case(cleared=False)
    assert client.get(never.get_absolute_url()).status_code == 404
