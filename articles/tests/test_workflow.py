"""The editorial workflow: who may move an article where, sign-off of the exact text, gates and history."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db.models import ProtectedError
from django.tasks import task_backends
from django.utils import timezone

from articles import workflow
from articles.models import Article, ArticleEvent, Status
from articles.roles import ROLES
from articles.tasks import tick
from articles.tests.gates import always_blocked  # noqa: F401  (used by dotted path)
from conftest import ROLE_USERS

Action = ArticleEvent.Action
PRINCIPALS = [*ROLE_USERS, "no_role", "author_editor"]


def expected_allowed(move: workflow.Move, principal: str) -> bool:
    """What the policy table and the roles table say, read independently of `move_refusal`."""
    if principal == "no_role":
        return False
    role = ROLE_USERS.get(principal) or ROLE_USERS["editor"]
    perms = ROLES[role]
    if move.permission not in perms:
        return False
    is_author = principal in ("writer", "author_editor")
    if move.not_by_author and is_author:
        return False
    return (
        not move.author_or_reviewer
        or is_author
        or "articles.review_article" in perms
        or workflow.TAKE_DOWN_PERMISSION in perms
    )


@pytest.fixture
def scene(users, make_article, django_user_model):
    """An article by `writer` in a move's source state, ready for it (signed off when it is in review)."""
    from django.contrib.auth.models import Group

    author_editor = django_user_model.objects.create_user(
        "author_editor", "ae@example.test", "pw", is_staff=True
    )
    author_editor.groups.add(Group.objects.get(name="Editor"))
    everyone = {**users, "author_editor": author_editor}

    def make(move, principal):
        author = everyone["author_editor"] if principal == "author_editor" else users["writer"]
        article = make_article(status=move.source, author=author)
        if move.source == Status.IN_REVIEW:
            workflow.sign_off(article, by=users["medical_reviewer"])
        return article, everyone[principal]

    return make


MATRIX = [(name, principal) for name in workflow.MOVES for principal in PRINCIPALS]


@pytest.mark.django_db
@pytest.mark.parametrize(("move_name", "principal"), MATRIX, ids=[f"{m}-{p}" for m, p in MATRIX])
def test_the_policy_matrix(scene, move_name, principal):
    move = workflow.MOVES[move_name]
    article, user = scene(move, principal)
    events_before = article.events.count()
    published_at = timezone.now() + timedelta(days=2) if move.scheduled else None
    allowed = expected_allowed(move, principal)

    assert (move in workflow.available_moves(article, user)) == allowed  # the buttons
    if allowed:
        workflow.transition(
            article,
            to=move.target,
            by=user,
            comment="Because.",
            published_at=published_at,
            move_name=move_name,
        )
        article.refresh_from_db()
        assert article.status == move.target
        assert article.events.first().action == move.action
    else:
        with pytest.raises(PermissionDenied):
            workflow.transition(
                article,
                to=move.target,
                by=user,
                comment="Because.",
                published_at=published_at,
                move_name=move_name,
            )
        article.refresh_from_db()
        assert article.status == move.source
        assert article.events.count() == events_before


@pytest.mark.django_db
class TestTransition:
    def test_a_move_that_does_not_exist_is_refused(self, users, make_article):
        article = make_article(status=Status.DRAFT, author=users["writer"])
        with pytest.raises(workflow.TransitionNotAllowed, match="cannot become published"):
            workflow.transition(article, to=Status.PUBLISHED, by=users["editor"])

    @pytest.mark.parametrize("move_name", ["request_changes", "unpublish"])
    def test_sending_back_and_retracting_need_a_reason(self, users, make_article, move_name):
        move = workflow.MOVES[move_name]
        article = make_article(status=move.source, author=users["writer"])
        with pytest.raises(ValidationError, match="Say what needs to change"):
            workflow.transition(article, to=move.target, by=users["editor"], comment="  ")
        article.refresh_from_db()
        assert article.status == move.source

    def test_a_deactivated_user_can_move_nothing(self, users, make_article):
        article = make_article(author=users["writer"])
        users["writer"].is_active = False
        users["writer"].save()
        with pytest.raises(workflow.TransitionNotAllowed):
            workflow.transition(article, to=Status.IN_REVIEW, by=users["writer"])

    def test_unpublishing_takes_the_article_off_the_site_at_once(self, users, make_article):
        article = make_article(status=Status.PUBLISHED, author=users["writer"])
        workflow.transition(article, to=Status.DRAFT, by=users["editor"], comment="Retracted: wrong dose.")
        assert not Article.objects.public().filter(pk=article.pk).exists()
        event = article.events.first()
        assert (event.action, event.from_status, event.to_status) == (
            Action.UNPUBLISHED,
            "published",
            "draft",
        )
        assert event.comment == "Retracted: wrong dose."


@pytest.mark.django_db
class TestMedicalSignOff:
    def test_records_a_hash_of_the_exact_text(self, users, make_article):
        article = make_article(status=Status.IN_REVIEW, author=users["writer"])
        event = workflow.sign_off(article, by=users["medical_reviewer"])
        assert event.text_hash == article.text_hash()
        assert article.current_sign_off() == event

    @pytest.mark.parametrize("field", ["title", "standfirst", "body"])
    def test_any_later_edit_voids_it(self, users, make_article, field):
        article = make_article(status=Status.IN_REVIEW, author=users["writer"])
        workflow.sign_off(article, by=users["medical_reviewer"])
        setattr(article, field, getattr(article, field) + " Edited.")
        article.save()
        assert article.current_sign_off() is None
        assert workflow.sign_off_is_current(article) == [
            "The text changed after its medical sign-off. Ask a medical reviewer to sign it again."
        ]

    def test_publishing_needs_a_current_sign_off(self, users, make_article):
        article = make_article(status=Status.IN_REVIEW, author=users["writer"])
        with pytest.raises(ValidationError) as refused:
            workflow.transition(article, to=Status.PUBLISHED, by=users["editor"])
        assert "No medical reviewer has signed off this text yet" in refused.value.messages[0]
        workflow.sign_off(article, by=users["medical_reviewer"])
        workflow.transition(article, to=Status.PUBLISHED, by=users["editor"])
        assert Article.objects.public().filter(pk=article.pk).exists()

    def test_nobody_signs_off_their_own_article(self, users, make_article, django_user_model):
        from django.contrib.auth.models import Group

        reviewer_writer = users["medical_reviewer"]
        reviewer_writer.groups.add(Group.objects.get(name="Writer"))
        article = make_article(status=Status.IN_REVIEW, author=reviewer_writer)
        with pytest.raises(workflow.TransitionNotAllowed, match="another reviewer"):
            workflow.sign_off(article, by=reviewer_writer)

    def test_only_medical_reviewers_sign_off(self, users, make_article):
        article = make_article(status=Status.IN_REVIEW, author=users["writer"])
        for key in ("writer", "other_writer", "editor", "privacy_officer", "no_role"):
            with pytest.raises(workflow.TransitionNotAllowed):
                workflow.sign_off(article, by=users[key])
        assert not article.events.exists()

    def test_a_draft_cannot_be_signed_off(self, users, make_article):
        article = make_article(status=Status.DRAFT, author=users["writer"])
        with pytest.raises(workflow.TransitionNotAllowed, match="Submit it first"):
            workflow.sign_off(article, by=users["medical_reviewer"])


@pytest.mark.django_db
class TestPublishGates:
    def test_gates_come_from_the_setting_and_speak_plainly(self, settings, users, make_article):
        settings.NEWSDESK_PUBLISH_GATES = [
            *settings.NEWSDESK_PUBLISH_GATES,
            "articles.tests.gates.always_blocked",
        ]
        article = make_article(status=Status.IN_REVIEW, author=users["writer"])
        workflow.sign_off(article, by=users["medical_reviewer"])
        with pytest.raises(ValidationError) as refused:
            workflow.transition(article, to=Status.PUBLISHED, by=users["editor"])
        assert refused.value.messages == ["The legal team has not seen this yet."]
        article.refresh_from_db()
        assert article.status == Status.IN_REVIEW

    def test_articles_never_imports_cases(self):
        import ast
        from pathlib import Path

        import articles

        for path in Path(articles.__file__).parent.rglob("*.py"):
            if "tests" in path.parts:
                continue
            tree = ast.parse(path.read_text())
            imported = [
                getattr(node, "module", None) or node.names[0].name
                for node in ast.walk(tree)
                if isinstance(node, ast.Import | ast.ImportFrom)
            ]
            assert not [m for m in imported if m and m.split(".")[0] == "cases"], path


@pytest.mark.django_db
class TestAuditTrail:
    def test_every_move_is_recorded_with_actor_states_comment_and_text(self, users, make_article):
        article = make_article(author=users["writer"])
        workflow.transition(article, to=Status.IN_REVIEW, by=users["writer"], comment="Ready.")
        workflow.transition(article, to=Status.DRAFT, by=users["medical_reviewer"], comment="Cite the trial.")
        events = list(article.events.order_by("created_at", "pk"))
        assert [(e.actor, e.action, e.from_status, e.to_status, e.comment) for e in events] == [
            (users["writer"], Action.SUBMITTED, "draft", "in_review", "Ready."),
            (users["medical_reviewer"], Action.CHANGES_REQUESTED, "in_review", "draft", "Cite the trial."),
        ]
        assert all(e.text_hash == article.text_hash() for e in events)

    def test_is_append_only(self, users, make_article):
        article = make_article(author=users["writer"])
        workflow.transition(article, to=Status.IN_REVIEW, by=users["writer"])
        event = article.events.get()
        event.comment = "rewritten history"
        with pytest.raises(ValidationError, match="append-only"):
            event.save()
        with pytest.raises(ValidationError, match="append-only"):
            event.delete()

    def test_survives_deactivating_the_actor_and_refuses_deleting_them(self, users, make_article):
        article = make_article(author=users["writer"])
        workflow.transition(article, to=Status.IN_REVIEW, by=users["writer"])
        users["writer"].is_active = False
        users["writer"].save()
        assert article.events.get().actor == users["writer"]
        with pytest.raises(ProtectedError):
            users["writer"].delete()


@pytest.fixture
def schedule(users, make_article, django_capture_on_commit_callbacks):
    """An article signed off and scheduled by an editor at `start` for `hours` later, its go-live queued."""

    def schedule(start, hours):
        with time_machine.travel(start, tick=False):
            article = make_article(status=Status.IN_REVIEW, author=users["writer"])
            workflow.sign_off(article, by=users["medical_reviewer"])
            with django_capture_on_commit_callbacks(execute=True):
                workflow.transition(
                    article,
                    to=Status.PUBLISHED,
                    by=users["editor"],
                    published_at=start + timedelta(hours=hours),
                )
        return article

    return schedule


@pytest.mark.django_db
class TestScheduledPublishing:
    def test_a_scheduled_article_goes_public_when_its_go_live_task_has_checked_it(self, schedule):
        worker = task_backends["default"]
        start = timezone.now()
        article = schedule(start, hours=3)
        assert not Article.objects.public().filter(pk=article.pk).exists()
        assert article.events.first().action == Action.SCHEDULED
        assert [task.name for task, *_ in worker.deferred] == ["go_live"]
        assert worker.deferred[0][0].run_after == start + timedelta(hours=3)
        with time_machine.travel(start + timedelta(hours=3, seconds=1), tick=False):
            assert not Article.objects.public().filter(pk=article.pk).exists(), "not before the check"
            assert worker.run_due() == 1
            assert Article.objects.public().filter(pk=article.pk).exists()
            assert article.events.first().action == Action.WENT_LIVE
            assert workflow.publish_due() == {"went_live": [], "held_back": []}  # only once

    def test_the_clock_sweeps_up_a_go_live_whose_task_was_lost(self, schedule):
        start = timezone.now()
        article = schedule(start, hours=3)
        task_backends["default"].deferred.clear()  # the worker's queue lost it
        with time_machine.travel(start + timedelta(hours=3, seconds=1), tick=False):
            assert tick.call() == {"went_live": 1, "held_back": 0}
            assert Article.objects.public().filter(pk=article.pk).exists()

    def test_an_article_written_scheduled_without_the_workflow_is_checked_too(self, make_article):
        start = timezone.now()
        with time_machine.travel(start, tick=False):  # as a restore or a raw load writes it: no sign-off
            article = make_article(status=Status.PUBLISHED, published_at=start + timedelta(hours=1))
        with time_machine.travel(start + timedelta(hours=1, seconds=1), tick=False):
            assert article.awaiting_go_live and not Article.objects.public().filter(pk=article.pk).exists()
            assert tick.call() == {"went_live": 0, "held_back": 1}
            article.refresh_from_db()
            assert article.status == Status.DRAFT and article.events.first().action == Action.HELD_BACK

    def test_a_go_live_task_left_from_an_earlier_schedule_does_nothing(self, users, schedule):
        start = timezone.now()
        article = schedule(start, hours=1)
        workflow.transition(article, to=Status.DRAFT, by=users["editor"], comment="Hold for the embargo.")
        with time_machine.travel(start + timedelta(hours=2), tick=False):
            assert task_backends["default"].run_due() == 1
            article.refresh_from_db()
            assert article.status == Status.DRAFT
            assert article.events.first().action == Action.UNPUBLISHED

    def test_the_gates_run_again_at_go_live(self, settings, schedule):
        start = timezone.now()
        article = schedule(start, hours=1)
        settings.NEWSDESK_PUBLISH_GATES = ["articles.tests.gates.always_blocked"]
        with time_machine.travel(start + timedelta(hours=2), tick=False):
            assert workflow.publish_due()["held_back"] == [article]
        article.refresh_from_db()
        assert article.status == Status.DRAFT
        assert article.events.first().comment == "The legal team has not seen this yet."

    def test_publish_due_command(self, users, make_article, capsys):
        from django.core.management import call_command

        call_command("publish_due")
        assert "0 went live, 0 held back" in capsys.readouterr().out


@pytest.mark.django_db
class TestNotifications:
    def test_submitting_tells_the_medical_reviewers(self, users, make_article):
        article = make_article(author=users["writer"])
        with pytest.raises(AssertionError):  # nothing before the move
            assert mail.outbox
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            workflow.transition(article, to=Status.IN_REVIEW, by=users["writer"])
        assert [m.to for m in mail.outbox] == [[users["medical_reviewer"].email]]
        assert "waiting for your medical review" in mail.outbox[0].subject

    def test_sign_off_tells_the_editors_and_changes_tell_the_owner(self, users, make_article):
        from django.test import TestCase

        article = make_article(status=Status.IN_REVIEW, author=users["writer"])
        with TestCase.captureOnCommitCallbacks(execute=True):
            workflow.sign_off(article, by=users["medical_reviewer"])
            workflow.transition(
                article, to=Status.DRAFT, by=users["medical_reviewer"], comment="Add a source."
            )
        assert [m.to for m in mail.outbox] == [[users["editor"].email], [users["writer"].email]]
        assert "Add a source." in mail.outbox[1].body

    def test_mail_is_queued_for_the_worker_and_a_failing_server_loses_no_move(
        self, users, make_article, settings, monkeypatch, django_capture_on_commit_callbacks
    ):
        settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
        article = make_article(author=users["writer"])
        with django_capture_on_commit_callbacks(execute=True):
            workflow.transition(article, to=Status.IN_REVIEW, by=users["writer"])
        queued = task_backends["default"].results
        assert [r.task.name for r in queued] == ["deliver"] and not mail.outbox, "not sent in the request"

        def refuse(*args, **kwargs):
            raise ConnectionRefusedError("mail server down")

        monkeypatch.setattr("articles.notifications.send_mail", refuse)
        assert queued[0].task.call(*queued[0].args) is False  # logged, and the move stands
        assert Article.objects.get(pk=article.pk).status == Status.IN_REVIEW


@pytest.mark.django_db(transaction=True)
def test_the_clock_is_queued_once_and_each_tick_queues_the_next(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("start_clock")
    call_command("start_clock")  # a second worker starting, or a restart
    waiting = DBTaskResult.objects.filter(task_path="articles.tasks.tick", status="READY")
    assert waiting.count() == 1
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert waiting.count() == 1, "the tick that ran queued the next"
    assert waiting.get().run_after > timezone.now() + timedelta(seconds=settings.NEWSDESK_CLOCK_SECONDS - 5)


# --- Four eyes on the people who wrote the text, not on the owner field (issue 23, item 3) ---------


@pytest.fixture
def second_editor(users, django_user_model):
    from django.contrib.auth.models import Group

    from articles.roles import EDITOR

    editor = django_user_model.objects.create_user("second_editor", "e2@example.test", "pw", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR))
    return editor


def write(client, article, user, **changes):
    """Save the article through its admin form as `user` would, changing `changes`."""
    from django.urls import reverse

    from articles.tests.test_admin import form_data

    client.force_login(user)
    article.refresh_from_db()
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(
        url, form_data(article, **{"author": article.author_id, "_continue": "1"} | changes)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    return article


class TestFourEyesOnThePeople:
    def test_an_editor_who_wrote_the_text_cannot_publish_it_by_handing_the_article_to_a_writer(
        self, client, users, make_article, second_editor
    ):
        """The attack from the issue: write, get it signed off, make a writer the owner, then publish."""
        editor, writer = users["editor"], users["writer"]
        article = make_article(author=editor, status=Status.DRAFT)
        write(client, article, editor, body="<p>Twelve adults responded.</p>")
        workflow.transition(article, to=Status.IN_REVIEW, by=editor)
        workflow.sign_off(article, by=users["medical_reviewer"])
        write(client, article, editor, author=str(writer.pk))  # the owner changes; the text does not

        assert article.author == writer
        owner_change = article.events.get(action=ArticleEvent.Action.OWNER_CHANGED)
        assert owner_change.actor == editor and "editor" in owner_change.comment
        assert article.current_sign_off() is not None  # changing the owner voids nothing by itself
        with pytest.raises(workflow.TransitionNotAllowed, match="four-eyes"):
            workflow.transition(article, to=Status.PUBLISHED, by=editor)
        assert "publish" not in [m.name for m in workflow.available_moves(article, editor)]
        workflow.transition(article, to=Status.PUBLISHED, by=second_editor)  # another editor may

    def test_a_reviewer_who_edited_the_text_cannot_sign_it_off_though_she_does_not_own_it(
        self, client, users, make_article, django_user_model
    ):
        from django.contrib.auth.models import Group

        from articles.roles import EDITOR

        reviewer = users["medical_reviewer"]
        reviewer.groups.add(Group.objects.get(name=EDITOR))  # a reviewer who may also edit
        article = make_article(author=users["writer"], status=Status.IN_REVIEW)
        write(client, article, reviewer, body="<p>Her own wording of the dose.</p>")
        assert article.author == users["writer"]
        with pytest.raises(workflow.TransitionNotAllowed, match="another reviewer"):
            workflow.sign_off(article, by=reviewer)

    def test_the_writers_are_those_who_changed_the_text_since_it_was_signed_off_as_another_text(
        self, client, users, make_article, second_editor
    ):
        writer, editor = users["writer"], users["editor"]
        article = make_article(author=writer, status=Status.DRAFT)
        write(client, article, writer, body="<p>First text.</p>")
        assert article.writer_ids() == {writer.pk}
        workflow.transition(article, to=Status.IN_REVIEW, by=writer)
        workflow.sign_off(article, by=users["medical_reviewer"])
        assert article.writer_ids() == {writer.pk}  # the signed text is still hers
        write(client, article, editor, body="<p>The editor's second text.</p>")  # voids the sign-off
        write(client, article, second_editor, author=str(editor.pk))  # an owner change writes nothing
        assert article.writer_ids() == {editor.pk}
        assert article.current_sign_off() is None

    def test_an_article_made_outside_the_desk_counts_its_owner_as_its_writer(self, users, make_article):
        from articles.services import record_revision

        article = make_article(author=users["editor"])
        assert article.writer_ids() == {users["editor"].pk}
        record_revision(article, by=None)  # an import that names nobody
        assert article.writer_ids() == {users["editor"].pk}
