"""The review loop closed (#25, item 4): each role's "needs your action" holds exactly what waits for that
person, buttons are offered only when they apply, the writer sees why an article came back, and the
admin's History shows the workflow's moves."""

import re

import pytest
from django.urls import reverse

from articles import services, workflow
from articles.desk.admin import needs_action_q
from articles.models import Article, DiseaseTag, Status
from articles.tests.test_admin import change_url, form_data

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:articles_article_changelist") + "?queue=mine"


def waiting_for(user) -> set[str]:
    return set(Article.objects.filter(needs_action_q(user)).values_list("title", flat=True))


@pytest.fixture
def in_review(make_article, users):
    article = make_article(title="Waiting for a reviewer", author=users["writer"])
    services.record_revision(article, users["writer"])
    workflow.transition(article, to=Status.IN_REVIEW, by=users["writer"])
    return article


class TestEachQueueHoldsWhatWaitsForThatPerson:
    def test_an_article_in_review_waits_for_reviewers_until_its_text_is_signed_off(self, users, in_review):
        assert waiting_for(users["medical_reviewer"]) == {"Waiting for a reviewer"}
        assert waiting_for(users["editor"]) == set()

        workflow.sign_off(in_review, by=users["medical_reviewer"])

        assert waiting_for(users["medical_reviewer"]) == set()
        assert waiting_for(users["editor"]) == {"Waiting for a reviewer"}

    def test_a_change_to_the_signed_off_text_sends_it_back_to_the_reviewers(self, client, users, in_review):
        workflow.sign_off(in_review, by=users["medical_reviewer"])
        in_review.refresh_from_db()
        client.force_login(users["writer"])
        saved = client.post(change_url(in_review), form_data(in_review, standfirst="A new standfirst."))
        assert saved.status_code == 302, saved.content.decode()[:2000]

        assert waiting_for(users["medical_reviewer"]) == {"Waiting for a reviewer"}
        assert waiting_for(users["editor"]) == set()

    def test_a_change_of_tags_keeps_the_sign_off_and_the_queues(self, users, in_review, vocabulary):
        workflow.sign_off(in_review, by=users["medical_reviewer"])
        in_review.refresh_from_db()
        in_review.diseases.add(DiseaseTag.objects.first())
        in_review.save()
        assert waiting_for(users["medical_reviewer"]) == set()
        assert waiting_for(users["editor"]) == {"Waiting for a reviewer"}

    def test_a_draft_sent_back_waits_for_its_writer_until_resubmitted(self, users, in_review):
        assert waiting_for(users["writer"]) == set()
        workflow.transition(
            in_review, to=Status.DRAFT, by=users["medical_reviewer"], comment="Give the trial's size."
        )
        assert waiting_for(users["writer"]) == {"Waiting for a reviewer"}
        assert waiting_for(users["other_writer"]) == set()

        workflow.transition(in_review, to=Status.IN_REVIEW, by=users["writer"])
        assert waiting_for(users["writer"]) == set()

    def test_the_home_page_counts_what_the_list_filter_lists(self, client, users, in_review, make_article):
        signed = make_article(title="Already signed", author=users["writer"], status=Status.IN_REVIEW)
        workflow.sign_off(signed, by=users["medical_reviewer"])
        client.force_login(users["medical_reviewer"])
        home = client.get(reverse("admin:index")).content.decode()
        listed = client.get(QUEUE).content.decode()
        assert "1 article needs your action" in home
        assert "Waiting for a reviewer" in listed and "Already signed" not in listed

    def test_the_privacy_officer_s_queue_lists_articles_with_undecided_findings(
        self, client, users, make_article
    ):
        make_article(
            title="Names a patient",
            status=Status.IN_REVIEW,
            body="<p>Tobiah Wrenfield-Osei, 58, rang 07700 900318 from ward 7.</p>",
        )
        make_article(title="Names nobody", status=Status.IN_REVIEW)
        assert waiting_for(users["privacy_officer"]) == {"Names a patient"}
        client.force_login(users["privacy_officer"])
        listed = client.get(QUEUE).content.decode()
        assert "Names a patient" in listed and "Names nobody" not in listed


class TestButtonsOnlyWhenTheyApply:
    def test_sign_off_is_offered_until_the_text_is_signed_off_and_again_once_it_changes(
        self, client, users, in_review
    ):
        client.force_login(users["medical_reviewer"])
        assert "Sign off medical accuracy" in client.get(change_url(in_review)).content.decode()

        workflow.sign_off(in_review, by=users["medical_reviewer"])
        page = client.get(change_url(in_review)).content.decode()
        assert "Sign off medical accuracy" not in page
        assert "for exactly this text" in page

        in_review.refresh_from_db()
        in_review.title = "A changed headline"
        in_review.save()
        assert "Sign off medical accuracy" in client.get(change_url(in_review)).content.decode()


class TestTheWriterSeesWhyItCameBack:
    def test_the_workflow_panel_shows_the_latest_request_its_comment_and_who_made_it(
        self, client, users, in_review
    ):
        users["medical_reviewer"].first_name, users["medical_reviewer"].last_name = "Ines", "Marlow"
        users["medical_reviewer"].save()
        workflow.transition(
            in_review,
            to=Status.DRAFT,
            by=users["medical_reviewer"],
            comment="Say how many patients took part.",
        )
        client.force_login(users["writer"])
        page = client.get(change_url(in_review)).content.decode()
        assert "Sent back for changes by Ines Marlow" in page
        assert "Say how many patients took part." in page

    def test_the_notice_goes_once_it_is_resubmitted(self, client, users, in_review):
        workflow.transition(in_review, to=Status.DRAFT, by=users["medical_reviewer"], comment="Too long.")
        workflow.transition(in_review, to=Status.IN_REVIEW, by=users["writer"])
        client.force_login(users["writer"])
        assert "Sent back for changes" not in client.get(change_url(in_review)).content.decode()


def test_the_admin_history_shows_the_workflow_moves_with_their_comments(client, users, in_review):
    workflow.transition(in_review, to=Status.DRAFT, by=users["medical_reviewer"], comment="Cite the trial.")
    client.force_login(users["editor"])
    page = client.get(reverse("admin:articles_article_history", args=[in_review.pk])).content.decode()
    assert "Workflow moves and reviews" in page
    assert "Submitted for review" in page and "Changes requested" in page and "Cite the trial." in page
    assert "In review → Draft" in page


class TestSafeControls:
    """#25, item 6: a permanent move asks first, and statuses are named as the desk means them."""

    @pytest.fixture
    def live(self, make_article, users):
        return make_article(title="Live article", status=Status.PUBLISHED, author=users["writer"])

    def test_retract_asks_for_confirmation_with_the_reason_before_it_happens(self, client, users, live):
        client.force_login(users["editor"])
        url = reverse("admin:articles_article_move", args=[live.pk, "retract"])
        asked = client.post(url, {"comment": "The trial was withdrawn."}).content.decode()

        assert Article.objects.get(pk=live.pk).status == Status.PUBLISHED
        assert "This cannot be undone." in asked and "The trial was withdrawn.</textarea>" in asked
        assert 'class="button danger"' in asked and "Cancel and keep it published" in asked

        client.post(url, {"comment": "The trial was withdrawn.", "confirmed": "yes"})
        assert Article.objects.get(pk=live.pk).status == Status.RETRACTED

    def test_the_confirmation_is_not_shown_to_someone_who_may_not_retract(self, client, users, live):
        client.force_login(users["writer"])
        url = reverse("admin:articles_article_move", args=[live.pk, "retract"])
        assert client.post(url, {"comment": "Mine."}).status_code == 403

    def test_retract_is_styled_apart_from_unpublish(self, client, users, live):
        client.force_login(users["editor"])
        page = client.get(change_url(live)).content.decode()
        assert 'class="button danger" name="move" value="retract"' in page
        assert 'class="button" name="move" value="unpublish"' in page

    def test_the_calendar_and_the_queue_call_a_scheduled_article_scheduled(self, client, users, make_article):
        from datetime import timedelta

        from django.utils import timezone

        soon = timezone.now() + timedelta(days=2)
        make_article(title="Coming soon", status=Status.PUBLISHED, published_at=soon, author=users["writer"])
        client.force_login(users["editor"])
        calendar = client.get(
            reverse("admin:articles_article_calendar"), {"day": timezone.localdate(soon).isoformat()}
        ).content.decode()
        assert "Coming soon" in calendar
        badge = calendar[calendar.index("Coming soon") :]
        assert "Scheduled</span>" in badge[:400] and "Published</span>" not in badge[:400]


def test_schedule_times_are_entered_and_shown_in_the_desk_s_named_time_zone(
    client, users, settings, in_review
):
    settings.TIME_ZONE = "Asia/Shanghai"
    workflow.sign_off(in_review, by=users["medical_reviewer"])
    client.force_login(users["editor"])
    page = client.get(change_url(in_review)).content.decode()
    assert "Publish at (Asia/Shanghai time)" in page
    assert "Date and time in Asia/Shanghai." in page

    client.post(
        reverse("admin:articles_article_move", args=[in_review.pk, "schedule"]),
        {"published_at": "2031-03-04T09:30", "comment": ""},
    )
    in_review.refresh_from_db()
    assert in_review.published_at.isoformat() == "2031-03-04T01:30:00+00:00"  # 09:30 in Shanghai
    page = client.get(change_url(in_review)).content.decode()
    assert "Scheduled for 4 Mar 2031 09:30 CST" in page


class TestAStaleSaveIsResolvedFieldByField:
    """#25, item 2: a stale save names the fields the other save changed, shows both versions and lets the
    person take theirs or keep theirs own for each, then save again."""

    @pytest.fixture
    def opened(self, make_article, users):
        article = make_article(
            title="Original headline", standfirst="Original standfirst.", author=users["writer"]
        )
        services.record_revision(article, users["writer"])
        return article, form_data(article)

    def save_then_go_stale(self, client, users, article, stale, theirs, mine, by="editor"):
        client.force_login(users[by])
        assert client.post(change_url(article), form_data(article, **theirs)).status_code == 302
        client.force_login(users["writer"])
        return client.post(change_url(article), {**stale, **mine}).content.decode()

    def test_it_names_only_what_the_other_save_changed_and_offers_theirs_for_it(self, client, users, opened):
        article, stale = opened
        page = self.save_then_go_stale(
            client,
            users,
            article,
            stale,
            {"title": "Editor's headline"},
            {"standfirst": "Writer's standfirst."},
        )
        assert "That save changed: Headline." in page
        assert 'name="resolve-title" value="theirs" checked' in page
        assert "Editor&#x27;s headline" in page and "resolve-standfirst" not in page

        version = re.search(r'name="base_version" value="(\d+)"', page).group(1)
        again = {
            **stale,
            "standfirst": "Writer's standfirst.",
            "base_version": version,
            "resolve-title": "theirs",
        }
        assert client.post(change_url(article), again).status_code == 302
        article.refresh_from_db()
        assert (article.title, article.standfirst) == ("Editor's headline", "Writer's standfirst.")

    def test_when_both_changed_a_field_the_page_keeps_yours_unless_you_take_theirs(
        self, client, users, opened
    ):
        article, stale = opened
        page = self.save_then_go_stale(
            client, users, article, stale, {"title": "Editor's headline"}, {"title": "Writer's headline"}
        )
        assert 'name="resolve-title" value="mine" checked' in page
        version = re.search(r'name="base_version" value="(\d+)"', page).group(1)
        client.post(change_url(article), {**stale, "title": "Writer's headline", "base_version": version})
        article.refresh_from_db()
        assert article.title == "Writer's headline"

    def test_your_own_save_in_another_tab_is_named_as_yours(self, client, users, opened):
        article, stale = opened
        page = self.save_then_go_stale(
            client,
            users,
            article,
            stale,
            {"title": "From my other tab"},
            {"standfirst": "Here."},
            by="writer",
        )
        assert "You saved this article in another tab or window" in page
        assert "someone else" not in page.lower()


class TestTheWritingSurface:
    """#25, item 3 (in part): tables within the allow-list, and an editor that checks spelling."""

    def test_a_table_survives_with_merged_cells_and_nothing_else(self):
        from articles.richtext import sanitize_html

        html = (
            '<table style="color:red" onclick="x()"><tbody><tr><th colspan="2" class="x">Arm</th></tr>'
            '<tr><td rowspan="2">CAR-T</td><td><script>alert(1)</script>42</td></tr></tbody></table>'
        )
        assert sanitize_html(html) == (
            '<table><tbody><tr><th colspan="2">Arm</th></tr><tr><td rowspan="2">CAR-T</td><td>42</td></tr>'
            "</tbody></table>"
        )

    def test_the_privacy_gate_reads_each_cell_apart(self):
        from articles.richtext import plain_text

        assert plain_text("<table><tr><td>Li</td><td>Wei</td></tr></table>") == "Li\nWei"

    def test_a_published_table_reaches_the_page(self, client, make_article):
        article = make_article(
            status=Status.PUBLISHED,
            body="<table><tbody><tr><th>Patients</th><td>24</td></tr></tbody></table>",
        )
        assert "<th>Patients</th><td>24</td>" in client.get(article.get_absolute_url()).content.decode()

    def test_the_editor_keeps_the_browser_s_spelling_check_on(self):
        from articles.richtext import EDITOR_EXTENSIONS

        assert EDITOR_EXTENSIONS["NoSpellCheck"] is False and EDITOR_EXTENSIONS["Table"]


class TestListsAndTheDashboard:
    """#25, item 7 (in part): bulk actions a desk uses, and the home page's counts and recent activity."""

    CHANGELIST = reverse("admin:articles_article_changelist")

    def act(self, client, action, articles, **extra):
        return client.post(
            self.CHANGELIST,
            {"action": action, "_selected_action": [a.pk for a in articles], **extra},
            follow=True,
        )

    def test_a_writer_submits_several_drafts_at_once(self, client, users, make_article):
        drafts = [make_article(author=users["writer"]) for _ in range(3)]
        live = make_article(status=Status.PUBLISHED, author=users["writer"])
        client.force_login(users["writer"])
        page = self.act(client, "submit_selected", [*drafts, live]).content.decode()
        assert "3 submitted for review." in page and "1 not drafts, left as they were." in page
        assert {a.status for a in Article.objects.filter(pk__in=[d.pk for d in drafts])} == {Status.IN_REVIEW}

    def test_an_editor_hands_articles_to_another_owner_after_choosing_whom(self, client, users, make_article):
        articles = [make_article(author=users["writer"]) for _ in range(2)]
        client.force_login(users["editor"])
        chooser = self.act(client, "assign_owner", articles).content.decode()
        assert "New owner" in chooser and "other_writer" in chooser
        assert Article.objects.filter(author=users["writer"]).count() == 2

        done = self.act(client, "assign_owner", articles, apply="yes", owner=users["other_writer"].pk)
        assert "2 handed to other_writer." in done.content.decode()
        assert Article.objects.filter(author=users["other_writer"]).count() == 2
        assert articles[0].events.filter(action="owner_changed").exists()

    def test_a_writer_cannot_hand_articles_over(self, client, users, make_article):
        article = make_article(author=users["writer"])
        client.force_login(users["writer"])
        self.act(client, "assign_owner", [article], apply="yes", owner=users["other_writer"].pk)
        assert Article.objects.get(pk=article.pk).author == users["writer"]

    def test_an_editor_exports_just_the_selection(self, client, users, make_article):
        chosen = make_article(title="Chosen for export", author=users["writer"])
        make_article(title="Left out", author=users["writer"])
        client.force_login(users["editor"])
        page = self.act(client, "export_selected", [chosen]).content.decode()
        assert 'name="export_items"' in page and f'value="{chosen.pk}"' in page

    def test_the_home_page_counts_every_status_and_shows_recent_activity(
        self, client, users, in_review, make_article
    ):
        from datetime import timedelta

        from django.utils import timezone

        make_article(status=Status.PUBLISHED)
        make_article(status=Status.PUBLISHED, published_at=timezone.now() + timedelta(days=3))
        client.force_login(users["editor"])
        home = client.get(reverse("admin:index")).content.decode()
        found = re.findall(r'<span class="count">(\d+)</span> <span class="label">([^<]+)</span>', home)
        assert {label: int(n) for n, label in found} == {
            "Draft": 0, "In review": 1, "Scheduled": 1, "Published": 1, "Retracted": 0
        }  # fmt: skip
        assert "Recent activity" in home and "submitted for review" in home
