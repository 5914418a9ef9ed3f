"""Faults at the worst moment: a database error mid-publish, two editors saving at once, racing
publishes, and the scheduled-publishing worker dying mid-job. Nothing is half done and nothing is lost.

The interleavings here are deterministic (SQLite runs one writer at a time): both editors load the same
version before either saves, which is the race the optimistic lock exists for.
"""

import itertools
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import notifications, workflow
from articles.desk.admin import ArticleForm
from articles.models import Article, ArticleEvent, Status
from articles.roles import EDITOR

Action = ArticleEvent.Action
pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(users, make_article):
    """An article in review, signed off: one click from going live."""

    def make():
        article = make_article(status=Status.IN_REVIEW, author=users["writer"])
        workflow.sign_off(article, by=users["medical_reviewer"])
        return article

    return make


def publish(article, by):
    return workflow.transition(article, to=Status.PUBLISHED, by=by, move_name="publish")


def entirely_old_or_new(article) -> str:
    article.refresh_from_db()
    published = article.events.filter(action=Action.PUBLISHED).count()
    if article.status == Status.IN_REVIEW and article.published_at is None and published == 0:
        return "old"
    if article.status == Status.PUBLISHED and article.published_at is not None and published == 1:
        return "new"
    return f"half done: status {article.status}, {published} publish entries"


def _fail_at_statement(n):
    counter = itertools.count()

    def wrapper(execute, sql, params, many, context):
        if next(counter) == n:
            raise DatabaseError(f"injected failure at statement {n}")
        return execute(sql, params, many, context)

    return connection.execute_wrapper(wrapper)


class TestADatabaseErrorMidPublish:
    def test_at_every_statement_publishing_runs_the_article_is_entirely_old_or_new(self, ready, users):
        # Every SQL statement of a publish in turn: the permission and gate reads, the state change, the
        # audit entry, the savepoint's release; on PostgreSQL the search index too (a trigger on the
        # UPDATE). A fresh editor each time, so the permission reads are part of every run.
        def editor():
            return type(users["editor"]).objects.get(pk=users["editor"].pk)

        article = ready()
        with CaptureQueriesContext(connection) as captured:
            publish(article, editor())
        total = len(captured.captured_queries)
        assert total > 5
        refused = 0
        for n in range(total):
            article = ready()
            try:
                with _fail_at_statement(n):
                    publish(article, editor())
            except DatabaseError:
                refused += 1
                assert entirely_old_or_new(article) == "old", f"statement {n}: told it failed, yet it changed"
            else:
                assert entirely_old_or_new(article) == "new", f"statement {n} of {total}"
        assert refused >= total - 1  # only a failed savepoint release may be absorbed, with the work done

    @pytest.mark.parametrize(
        "step",
        [
            "articles.models.Article.save",
            "articles.models.ArticleEvent.record",
            "articles.cache._mark_retired",
        ],
    )
    def test_a_failing_step_leaves_it_entirely_old(self, ready, users, step):
        article = ready()
        with mock.patch(step, side_effect=DatabaseError("injected")), pytest.raises(DatabaseError):
            publish(article, users["editor"])
        assert entirely_old_or_new(article) == "old"

    def test_a_failing_notification_runs_after_the_commit_and_cannot_undo_or_break_it(
        self, ready, users, django_capture_on_commit_callbacks
    ):
        article = ready()
        mail_down = mock.patch.object(notifications, "article_moved", side_effect=DatabaseError("mail down"))
        with mail_down, django_capture_on_commit_callbacks(execute=True) as callbacks:
            publish(article, users["editor"])
            assert entirely_old_or_new(article) == "new"  # before the callbacks run
        assert callbacks, "the notification waits for the commit"
        assert entirely_old_or_new(article) == "new"

    def test_pages_are_retired_again_after_the_commit(self, ready, users, django_capture_on_commit_callbacks):
        from articles import cache

        article = ready()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            publish(article, users["editor"])
        before = cache.retired_at(article.cache_key)
        for callback in callbacks:
            callback()
        assert cache.retired_at(article.cache_key) > before


def test_a_drafts_saves_leave_the_cached_pages_alone_and_a_live_articles_do_not(users, make_article):
    from articles.cache import retired_at

    live = make_article(status=Status.PUBLISHED)
    draft = make_article(status=Status.DRAFT, author=users["writer"])
    before = retired_at("articles")
    draft.title = "Still being written"
    draft.save()
    workflow.transition(draft, to=Status.IN_REVIEW, by=users["writer"])
    assert retired_at("articles") == before
    assert retired_at(draft.cache_key) is None
    live.title = "A correction"
    live.save()
    assert retired_at("articles") > before
    before = retired_at(live.cache_key)
    workflow.transition(live, to=Status.DRAFT, by=users["editor"], comment="Taken down.")
    assert retired_at(live.cache_key) > before  # unpublishing changes what readers see


def _form_data(article, title, version):
    return {"title": title, "slug": article.slug, "standfirst": article.standfirst, "body": article.body,
            "byline": article.byline, "base_version": version}  # fmt: skip


@pytest.mark.parametrize("races", [100, pytest.param(1000, marks=pytest.mark.slow)])
def test_a_thousand_two_editor_save_races_lose_no_update(users, make_article, races):
    article = make_article(author=users["writer"])
    refused = 0
    for n in range(races):
        opened = Article.objects.get(pk=article.pk)  # both editors open the same version
        first = ArticleForm(_form_data(opened, f"First editor, round {n}", opened.version),
                            instance=Article.objects.get(pk=article.pk))  # fmt: skip
        second = ArticleForm(_form_data(opened, f"Second editor, round {n}", opened.version),
                             instance=Article.objects.get(pk=article.pk))  # fmt: skip
        winner, loser = (first, second) if n % 2 else (second, first)
        assert winner.is_valid(), winner.errors
        winner.save()
        if loser.is_valid():
            pytest.fail(f"round {n}: the second save would silently overwrite the first")
        assert loser.has_error("__all__", "stale")
        refused += 1
        assert Article.objects.get(pk=article.pk).title == winner.cleaned_data["title"]
    assert refused == races


@pytest.mark.parametrize("races", [20, pytest.param(200, marks=pytest.mark.slow)])
def test_racing_publishes_leave_exactly_one_audit_entry_each(users, ready, django_user_model, races):
    second_editor = django_user_model.objects.create_user("second_editor", is_staff=True)
    second_editor.groups.add(Group.objects.get(name=EDITOR))
    for n in range(races):
        article = ready()
        a, b = Article.objects.get(pk=article.pk), Article.objects.get(pk=article.pk)  # both see "in review"
        first, second = (users["editor"], second_editor) if n % 2 else (second_editor, users["editor"])
        publish(a, first)
        with pytest.raises(workflow.TransitionNotAllowed):
            publish(b, second)
        assert article.events.filter(action=Action.PUBLISHED).count() == 1


def test_the_scheduler_killed_mid_job_publishes_each_article_exactly_once(users, ready):
    articles = []
    for _ in range(5):
        article = ready()
        workflow.transition(article, to=Status.PUBLISHED, by=users["editor"], move_name="schedule",
                            published_at=timezone.now() + timedelta(minutes=5))  # fmt: skip
        articles.append(article)
    later = timezone.now() + timedelta(minutes=10)
    real_record = workflow._record
    calls = itertools.count()

    def dies_on_the_third(*args, **kwargs):
        if next(calls) == 2:
            raise SystemExit("worker killed")
        return real_record(*args, **kwargs)

    with mock.patch.object(workflow, "_record", dies_on_the_third), pytest.raises(SystemExit):
        workflow.publish_due(now=later)
    assert ArticleEvent.objects.filter(action=Action.WENT_LIVE).count() == 2
    workflow.publish_due(now=later)  # the worker restarts,
    workflow.publish_due(now=later)  # and a second one runs over the same minute
    for article in articles:
        assert article.events.filter(action=Action.WENT_LIVE).count() == 1


# --- A crash between a move and its history entry (issue 23, item 8) --------------------------------


@pytest.mark.parametrize("move", ["publish", "schedule", "sign_off"])
def test_a_crash_between_the_move_and_its_history_entry_leaves_neither(users, ready, move):
    """The move and its entry commit together or not at all: a process that dies while writing the
    entry leaves the article as it was, with no entry, and the move can simply be made again."""
    article = ready()
    before = (Article.objects.get(pk=article.pk).status, article.events.count())
    crash = mock.patch.object(ArticleEvent.objects, "create", side_effect=SystemExit("worker killed"))
    with crash, pytest.raises(SystemExit):
        if move == "sign_off":
            workflow.sign_off(article, by=users["medical_reviewer"], comment="Second look.")
        else:
            when = timezone.now() + timedelta(hours=2) if move == "schedule" else None
            workflow.transition(
                article, to=Status.PUBLISHED, by=users["editor"], move_name=move, published_at=when
            )
    article.refresh_from_db()
    assert (article.status, article.events.count(), article.awaiting_go_live) == (*before, False)
    publish(article, users["editor"])  # nothing half-done is in the way
    assert article.events.filter(action=Action.PUBLISHED).count() == 1
