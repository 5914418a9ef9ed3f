"""Editorial comments: private threads on articles and stories, who may post and resolve, who hears."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from articles.desk import comments
from articles.intake.resources import ArticleResource
from articles.models import ArticleEvent, Comment, Status
from cases.models import CaseEvent
from cases.resources import CaseResource

pytestmark = pytest.mark.django_db

SECRET_NOTE = "Check the dose against the trial protocol, page 4."


@pytest.fixture
def article(users, make_article):
    return make_article(title="Gene therapy trial opens", author=users["writer"])


@pytest.fixture
def case(make_case, article):
    return make_case(articles=[article], label="Man in his 60s with myeloma", cleared=False)


@pytest.fixture
def outsider(django_user_model):
    """Staff, so the admin lets them in, but with no permission on articles or stories."""
    return django_user_model.objects.create_user("outsider", "outsider@example.test", "pw", is_staff=True)


def emails_to(user):
    return [m for m in mail.outbox if user.email in m.to]


class TestThreads:
    def test_a_comment_starts_a_thread_and_replies_join_it(self, users, article):
        first = comments.post_comment(article, by=users["medical_reviewer"], body="Source for the 40%?")
        reply = comments.post_comment(article, by=users["writer"], body="Added.", reply_to=first)

        assert first.parent is None and reply.parent == first
        [thread] = comments.threads(article)
        assert thread == first and thread.thread_replies == [reply]

    def test_replying_to_a_reply_attaches_to_the_thread_s_first_comment(self, users, article):
        first = comments.post_comment(article, by=users["medical_reviewer"], body="Question.")
        reply = comments.post_comment(article, by=users["writer"], body="Answer.", reply_to=first)
        again = comments.post_comment(article, by=users["editor"], body="Follow-up.", reply_to=reply)

        assert again.parent == first
        assert comments.threads(article)[0].thread_replies == [reply, again]

    def test_threads_are_listed_oldest_first_with_their_replies(self, users, article):
        one = comments.post_comment(article, by=users["editor"], body="One.")
        two = comments.post_comment(article, by=users["editor"], body="Two.")
        comments.post_comment(article, by=users["writer"], body="Re one.", reply_to=one)

        assert comments.threads(article) == [one, two]

    def test_a_thread_of_another_item_cannot_be_replied_to_from_here(self, users, article, make_article):
        other = make_article(author=users["writer"])
        elsewhere = comments.post_comment(other, by=users["editor"], body="Elsewhere.")

        with pytest.raises(ValidationError, match="another item"):
            comments.post_comment(article, by=users["editor"], body="Hi.", reply_to=elsewhere)
        assert not Comment.objects.on(article).exists()

    @pytest.mark.parametrize("body", ["", "   \n  ", "x" * 5001])
    def test_an_empty_or_overlong_comment_is_refused_with_what_to_do(self, users, article, body):
        with pytest.raises(ValidationError) as refused:
            comments.post_comment(article, by=users["editor"], body=body)
        assert "Write something" in str(refused.value) or "Shorten it" in str(refused.value)
        assert not Comment.objects.exists()

    def test_stories_take_comments_too(self, users, case):
        note = comments.post_comment(case, by=users["privacy_officer"], body="Consent form is unsigned.")
        assert note.item == case
        assert comments.threads(case) == [note]
        assert Comment.objects.on(case).count() == 1


class TestResolving:
    def test_resolving_a_reply_resolves_its_thread(self, users, article):
        first = comments.post_comment(article, by=users["medical_reviewer"], body="Question.")
        reply = comments.post_comment(article, by=users["writer"], body="Answer.", reply_to=first)

        comments.resolve_thread(reply, by=users["medical_reviewer"])

        first.refresh_from_db()
        reply.refresh_from_db()
        assert first.resolved_by == users["medical_reviewer"] and first.resolved_at is not None
        assert reply.resolved_at is None  # the state lives on the thread's first comment

    def test_a_reply_reopens_a_resolved_thread_and_it_can_be_reopened_by_hand(self, users, article):
        first = comments.post_comment(article, by=users["medical_reviewer"], body="Question.")
        comments.resolve_thread(first, by=users["medical_reviewer"])
        comments.post_comment(article, by=users["writer"], body="One more thing.", reply_to=first)
        first.refresh_from_db()
        assert first.resolved_at is None

        comments.resolve_thread(first, by=users["writer"])  # the owner
        comments.reopen_thread(first, by=users["medical_reviewer"])
        first.refresh_from_db()
        assert first.resolved_at is None and first.resolved_by is None

    @pytest.mark.parametrize(
        "who, may",
        [
            ("medical_reviewer", True),  # the thread's author
            ("writer", True),  # the article's owner
            ("editor", True),  # holds articles.review_article
            ("other_writer", False),  # may comment, but is none of those
            ("privacy_officer", False),  # cases.clear_case does not reach articles
        ],
    )
    def test_who_may_resolve_a_thread_on_an_article(self, users, article, who, may):
        thread = comments.post_comment(article, by=users["medical_reviewer"], body="Question.")
        assert comments.may_resolve(users[who], thread, article) is may
        if not may:
            with pytest.raises(PermissionDenied):
                comments.resolve_thread(thread, by=users[who])
            thread.refresh_from_db()
            assert thread.resolved_at is None

    @pytest.mark.parametrize(
        "who, may",
        [("writer", True), ("privacy_officer", True), ("editor", False), ("medical_reviewer", False)],
    )
    def test_who_may_resolve_a_thread_on_a_story(self, users, case, who, may):
        # A story has no owner: its author (here the writer) and the privacy officer may.
        thread = comments.post_comment(case, by=users["writer"], body="Is the age band right?")
        assert comments.may_resolve(users[who], thread, case) is may


class TestPermissions:
    def test_anyone_who_may_view_the_item_may_comment(self, users, article, case):
        for role in ["writer", "other_writer", "medical_reviewer", "editor", "privacy_officer"]:
            comments.post_comment(article, by=users[role], body=f"From {role}.")
            comments.post_comment(case, by=users[role], body=f"From {role}.")
        assert Comment.objects.on(article).count() == Comment.objects.on(case).count() == 5

    def test_someone_who_may_not_view_the_item_may_not_comment_and_nothing_is_written(
        self, users, article, case, outsider
    ):
        for item in (article, case):
            with pytest.raises(PermissionDenied):
                comments.post_comment(item, by=outsider, body="Let me in.")
        assert not Comment.objects.exists()
        assert not mail.outbox

    def test_only_articles_and_stories_take_comments(self, users):
        with pytest.raises(ValueError):
            comments.post_comment(users["editor"], by=users["editor"], body="On a user?")


class TestFollowersAndMail:
    def test_followers_are_the_owner_the_commenters_and_the_actors_of_the_history(
        self, users, article, django_user_model
    ):
        ArticleEvent.record(article, by=users["medical_reviewer"], action=ArticleEvent.Action.SUBMITTED)
        comments.post_comment(article, by=users["editor"], body="Tighten the headline.")

        assert set(comments.followers(article)) == {
            users["writer"],
            users["medical_reviewer"],
            users["editor"],
        }
        assert users["editor"] not in comments.followers(article, acting=users["editor"])

    def test_people_who_can_no_longer_see_the_item_or_left_do_not_follow_it(self, users, article):
        comments.post_comment(article, by=users["editor"], body="Tighten the headline.")
        comments.post_comment(article, by=users["other_writer"], body="Agreed.")
        users["editor"].is_active = False
        users["editor"].save()
        users["other_writer"].groups.clear()

        assert comments.followers(article) == [users["writer"]]

    def test_a_story_s_followers_include_its_history_and_whoever_cleared_it(self, users, make_case, article):
        story = make_case(articles=[article])  # cleared by the fixture's privacy officer (no e-mail)
        story.cleared_by.email = "cleared@example.test"
        story.cleared_by.is_staff = True
        story.cleared_by.save()
        story.cleared_by.user_permissions.add(Permission.objects.get(codename="view_case"))
        CaseEvent.objects.create(case=story, actor=users["privacy_officer"], action="cases.cleared")
        comments.post_comment(story, by=users["writer"], body="Photo consent?")

        assert set(comments.followers(story)) == {story.cleared_by, users["privacy_officer"], users["writer"]}

    def test_a_new_comment_mails_every_follower_but_the_author_after_commit(
        self, users, article, django_capture_on_commit_callbacks
    ):
        ArticleEvent.record(article, by=users["medical_reviewer"], action=ArticleEvent.Action.SUBMITTED)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            comments.post_comment(article, by=users["editor"], body=SECRET_NOTE)
        assert not mail.outbox  # nothing leaves before the comment is saved for good
        for callback in callbacks:
            callback()

        assert sorted(m.to[0] for m in mail.outbox) == sorted(
            [users["writer"].email, users["medical_reviewer"].email]
        )
        message = emails_to(users["writer"])[0]
        assert "Gene therapy trial opens" in message.subject
        assert SECRET_NOTE in message.body
        assert reverse("admin:articles_article_change", args=[article.pk]) in message.body
        assert not emails_to(users["editor"])

    def test_a_reply_and_a_resolve_mail_the_followers_too(
        self, users, article, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            thread = comments.post_comment(article, by=users["medical_reviewer"], body="Question.")
        with django_capture_on_commit_callbacks(execute=True):
            comments.post_comment(article, by=users["writer"], body="Answered.", reply_to=thread)
        with django_capture_on_commit_callbacks(execute=True):
            comments.resolve_thread(thread, by=users["medical_reviewer"])

        to_reviewer = emails_to(users["medical_reviewer"])
        assert [("replied" in m.subject, "resolved" in m.subject) for m in to_reviewer] == [(True, False)]
        assert [("resolved" in m.subject) for m in emails_to(users["writer"])] == [False, True]

    def test_mail_about_a_story_names_it_by_reference_never_by_its_label(
        self, users, case, django_capture_on_commit_callbacks
    ):
        comments.post_comment(case, by=users["privacy_officer"], body="First look.")
        with django_capture_on_commit_callbacks(execute=True):
            comments.post_comment(case, by=users["writer"], body="Age band fixed.")

        [message] = mail.outbox
        assert message.to == [users["privacy_officer"].email]
        assert case.reference in message.subject
        assert "myeloma" not in message.subject + message.body
        assert "Age band fixed." in message.body
        assert reverse("admin:cases_case_change", args=[case.pk]) in message.body

    def test_nobody_is_mailed_when_nobody_else_follows(
        self, users, make_article, django_capture_on_commit_callbacks
    ):
        lonely = make_article(author=users["editor"])
        with django_capture_on_commit_callbacks(execute=True):
            comment = comments.post_comment(lonely, by=users["editor"], body="Note to self.")
        assert comment.notified == 0 and not mail.outbox


class TestAdminPanel:
    def test_the_article_page_shows_threads_replies_and_the_forms(self, client, users, article):
        thread = comments.post_comment(article, by=users["medical_reviewer"], body=SECRET_NOTE)
        comments.post_comment(article, by=users["writer"], body="Checked.", reply_to=thread)
        done = comments.post_comment(article, by=users["editor"], body="Old question.")
        comments.resolve_thread(done, by=users["editor"])
        client.force_login(users["other_writer"])

        page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()

        assert 'id="comments"' in page and SECRET_NOTE in page and "Checked." in page
        assert f'action="{reverse("admin:articles_comment_reply", args=[thread.pk])}"' in page
        assert '<details class="comment-thread resolved"' in page  # resolved threads are collapsed
        assert page.index(SECRET_NOTE) < page.index("Old question.")
        assert 'id="new-comment"' in page
        # other_writer may not resolve the reviewer's thread, so no button is offered.
        assert reverse("admin:articles_comment_resolve", args=[thread.pk]) not in page

    def test_the_story_page_has_the_same_panel(self, client, users, case):
        comments.post_comment(case, by=users["writer"], body="Is the age band right?")
        client.force_login(users["privacy_officer"])
        page = client.get(reverse("admin:cases_case_change", args=[case.pk])).content.decode()
        assert 'id="comments"' in page and "Is the age band right?" in page
        assert reverse("admin:articles_comment_resolve", args=[Comment.objects.get().pk]) in page

    def test_posting_a_comment_and_a_reply_from_the_admin(self, client, users, article):
        client.force_login(users["medical_reviewer"])
        ct = ContentType.objects.get_for_model(article).pk
        response = client.post(
            reverse("admin:articles_comment_post", args=[ct, article.pk]),
            {"body": "Which trial?"},
            follow=True,
        )
        thread = Comment.objects.get()
        assert response.redirect_chain[-1][0].startswith(
            reverse("admin:articles_article_change", args=[article.pk])
        )
        assert "Comment posted. 1 follower was told by e-mail." in response.content.decode()

        client.force_login(users["writer"])
        client.post(reverse("admin:articles_comment_reply", args=[thread.pk]), {"body": "NCT-0001."})
        client.post(reverse("admin:articles_comment_resolve", args=[thread.pk]))
        thread.refresh_from_db()
        assert thread.replies.get().body == "NCT-0001." and thread.resolved_by == users["writer"]

    def test_an_empty_comment_is_refused_with_a_message(self, client, users, article):
        client.force_login(users["editor"])
        ct = ContentType.objects.get_for_model(article).pk
        response = client.post(
            reverse("admin:articles_comment_post", args=[ct, article.pk]), {"body": " "}, follow=True
        )
        assert "Write something before posting the comment." in response.content.decode()
        assert not Comment.objects.exists()

    def test_the_endpoints_take_posts_only(self, client, users, article):
        thread = comments.post_comment(article, by=users["editor"], body="Hi.")
        client.force_login(users["editor"])
        ct = ContentType.objects.get_for_model(article).pk
        for url in [
            reverse("admin:articles_comment_post", args=[ct, article.pk]),
            reverse("admin:articles_comment_reply", args=[thread.pk]),
            reverse("admin:articles_comment_resolve", args=[thread.pk]),
            reverse("admin:articles_comment_reopen", args=[thread.pk]),
        ]:
            assert client.get(url).status_code == 405

    def test_posts_need_the_csrf_token(self, users, article):
        csrf_client = Client(enforce_csrf_checks=True)
        csrf_client.force_login(users["editor"])
        ct = ContentType.objects.get_for_model(article).pk
        response = csrf_client.post(
            reverse("admin:articles_comment_post", args=[ct, article.pk]), {"body": "Hi."}
        )
        assert response.status_code == 403 and not Comment.objects.exists()

    def test_outsiders_are_refused_and_nothing_changes(self, client, users, article, case, outsider):
        thread = comments.post_comment(article, by=users["editor"], body="Hi.")
        client.force_login(outsider)
        article_ct = ContentType.objects.get_for_model(article).pk
        case_ct = ContentType.objects.get_for_model(case).pk
        for url in [
            reverse("admin:articles_comment_post", args=[article_ct, article.pk]),
            reverse("admin:articles_comment_post", args=[case_ct, case.pk]),
            reverse("admin:articles_comment_reply", args=[thread.pk]),
            reverse("admin:articles_comment_resolve", args=[thread.pk]),
        ]:
            assert client.post(url, {"body": "Let me in."}).status_code == 403, url
        assert Comment.objects.count() == 1
        thread.refresh_from_db()
        assert thread.resolved_at is None

    def test_resolving_is_refused_to_who_may_only_comment(self, client, users, article):
        thread = comments.post_comment(article, by=users["medical_reviewer"], body="Question.")
        client.force_login(users["other_writer"])
        assert client.post(reverse("admin:articles_comment_resolve", args=[thread.pk])).status_code == 403
        thread.refresh_from_db()
        assert thread.resolved_at is None

    def test_other_kinds_of_item_and_missing_ones_are_not_found(self, client, users, article):
        client.force_login(users["editor"])
        user_ct = ContentType.objects.get_for_model(users["editor"]).pk
        article_ct = ContentType.objects.get_for_model(article).pk
        assert (
            client.post(
                reverse("admin:articles_comment_post", args=[user_ct, users["editor"].pk]), {"body": "x"}
            ).status_code
            == 404
        )
        assert (
            client.post(
                reverse("admin:articles_comment_post", args=[article_ct, 99999]), {"body": "x"}
            ).status_code
            == 404
        )
        assert (
            client.post(reverse("admin:articles_comment_reply", args=[99999]), {"body": "x"}).status_code
            == 404
        )
        assert not Comment.objects.exists()

    def test_comments_are_not_listed_on_the_admin_index(self, client, users, article):
        client.force_login(users["editor"])
        assert "/admin/articles/comment/" not in client.get(reverse("admin:index")).content.decode()


class TestDeletion:
    def test_deleting_an_item_deletes_its_comments_and_nothing_else(self, users, make_article, case):
        draft = make_article(author=users["writer"])
        thread = comments.post_comment(draft, by=users["editor"], body="Drop this one.")
        comments.post_comment(draft, by=users["writer"], body="Agreed.", reply_to=thread)
        kept = comments.post_comment(case, by=users["writer"], body="Still here.")

        draft.delete()

        assert list(Comment.objects.all()) == [kept]


class TestNoExport:
    def test_article_and_story_exports_carry_no_comment(self, users, make_article, make_case):
        published = make_article(title="Published", status=Status.PUBLISHED, author=users["writer"])
        story = make_case(articles=[published])
        for item in (published, story):
            thread = comments.post_comment(item, by=users["editor"], body=SECRET_NOTE)
            comments.post_comment(item, by=users["writer"], body=SECRET_NOTE + " Reply.", reply_to=thread)

        for resource in (ArticleResource(), CaseResource()):
            dataset = resource.export()
            assert len(dataset) >= 1
            for fmt in ("csv", "json"):
                assert "trial protocol" not in dataset.export(fmt), (type(resource).__name__, fmt)
