"""History the database itself protects (issue 23, item 1), for articles: the audit trail (sign-offs and
publications among it), the revisions and the corrections. Tried as a careless superuser and a
determined insider would: a bulk update, a raw UPDATE or DELETE in a database shell, deleting the
article row underneath. Then with the guards dropped, where only the hash chains can tell."""

import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from articles import services, workflow
from articles.database import guard_names, guards_in_place, guards_lifted
from articles.models import Article, ArticleEvent, ArticleRevision, Correction, Status
from articles.models.history import first_break, history_guards

pytestmark = pytest.mark.django_db

HISTORY = [ArticleEvent, ArticleRevision, Correction]


@pytest.fixture
def history(users, make_article):
    """A published article with an entry in each history table."""
    article = make_article(title="Signed and published", status=Status.PUBLISHED, author=users["writer"])
    services.record_revision(article, users["writer"], note="First draft")
    ArticleEvent.record(article, by=users["medical_reviewer"], action=ArticleEvent.Action.SIGNED_OFF)
    ArticleEvent.record(article, by=users["editor"], action=ArticleEvent.Action.PUBLISHED)
    services.add_correction(
        article, by=users["editor"], kind="correction", note="The dose was 25 mg, not 2.5 mg."
    )
    return article


def refused(sql, params=()):
    with (
        pytest.raises(IntegrityError, match="is history|never deleted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


@pytest.mark.parametrize("model", HISTORY, ids=lambda m: m.__name__)
def test_the_database_refuses_to_rewrite_or_erase_history_whatever_the_code_does(history, model):
    table = connection.ops.quote_name(model._meta.db_table)
    entry = model.objects.filter(article=history).first()
    with pytest.raises(IntegrityError, match="is history"), transaction.atomic():
        model.objects.filter(pk=entry.pk).update(created_at=entry.created_at.replace(year=2020))
    with pytest.raises(IntegrityError, match="is history"), transaction.atomic():
        model.objects.filter(pk=entry.pk)._raw_delete(connection.alias)
    who = "actor_id" if model is ArticleEvent else "created_by_id"
    refused(f"UPDATE {table} SET {who} = NULL WHERE id = %s", [entry.pk])  # noqa: S608
    refused(f"DELETE FROM {table} WHERE id = %s", [entry.pk])  # noqa: S608
    assert model.objects.filter(pk=entry.pk).exists()


def test_a_bulk_update_of_a_sign_off_is_refused(history, users):
    """The first failure the issue found: `update()` rewrote an ArticleEvent."""
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleEvent.objects.filter(action=ArticleEvent.Action.SIGNED_OFF).update(actor=users["editor"])
    assert history.events.get(action=ArticleEvent.Action.SIGNED_OFF).actor == users["medical_reviewer"]


def test_an_article_that_was_public_keeps_its_row_even_in_a_database_shell(history):
    refused("DELETE FROM articles_article WHERE id = %s", [history.pk])
    assert Article.objects.filter(pk=history.pk).exists()


def test_a_draft_that_was_never_public_still_goes_with_its_history(users, make_article):
    draft = make_article(title="Never public", author=users["writer"])
    services.record_revision(draft, users["writer"])
    workflow.transition(draft, to=Status.IN_REVIEW, by=users["writer"])
    draft.delete()
    assert not ArticleEvent.objects.filter(article_id=draft.pk).exists()
    assert not ArticleRevision.objects.filter(article_id=draft.pk).exists()


def test_verify_history_reports_guards_that_are_missing(history):
    guards = history_guards(apps.get_models())
    with guards_lifted(connection, guards):
        assert not guards_in_place(connection)
        with pytest.raises(CommandError, match="Guards missing"):
            call_command("verify_history", stdout=io.StringIO())
    assert guard_names(guards, connection) <= guards_in_place(connection)


def test_migrate_puts_back_a_guard_someone_dropped(history):
    name = "newsdesk_guard_articles_articleevent_update"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f'DROP TRIGGER "{name}"')
        else:
            cursor.execute(f'DROP TRIGGER "{name}" ON articles_articleevent')
    assert name not in guards_in_place(connection)
    out = io.StringIO()
    call_command("migrate", verbosity=1, stdout=out)
    assert name in guards_in_place(connection) and "put back" in out.getvalue()


class TestChains:
    """Each entry carries the hash of the one before it for the same article; `verify_history` walks the
    chains. Here the guards are dropped first, as by someone with the database's owner password."""

    def test_an_untouched_history_verifies(self, history):
        out = io.StringIO()
        call_command("verify_history", stdout=out)
        assert "History verified" in out.getvalue()
        entries = list(history.events.order_by("pk"))
        assert entries[0].previous_hash == "" and entries[1].previous_hash == entries[0].entry_hash

    def test_a_sign_off_rewritten_behind_the_guards_is_reported(self, history, users):
        sign_off = history.events.get(action=ArticleEvent.Action.SIGNED_OFF)
        with guards_lifted(connection, history_guards(apps.get_models())):
            ArticleEvent.objects.filter(pk=sign_off.pk).update(actor=users["editor"])
        assert first_break(ArticleEvent) == (
            f"articles.ArticleEvent entry {sign_off.pk} (article {history.pk}): changed since it was written"
        )
        with pytest.raises(CommandError, match=f"Chain broken: articles.ArticleEvent entry {sign_off.pk}"):
            call_command("verify_history", stdout=io.StringIO())

    def test_an_entry_erased_behind_the_guards_is_reported_at_the_next_one(self, history):
        sign_off, published = history.events.order_by("pk")[:2]
        with guards_lifted(connection, history_guards(apps.get_models())):
            ArticleEvent.objects.filter(pk=sign_off.pk)._raw_delete(connection.alias)
        assert first_break(ArticleEvent).startswith(f"articles.ArticleEvent entry {published.pk} ")
        assert "changed, removed or put in later" in first_break(ArticleEvent)

    def test_a_correction_removed_with_raw_sql_is_reported(self, history, users):
        later = services.add_correction(
            history, by=users["editor"], kind="update", note="Trial results added."
        )
        first = history.corrections.order_by("pk").first()
        with guards_lifted(connection, history_guards(apps.get_models())), connection.cursor() as cursor:
            cursor.execute("DELETE FROM articles_correction WHERE id = %s", [first.pk])
        assert first_break(Correction).startswith(f"articles.Correction entry {later.pk} ")

    def test_each_article_has_its_own_chain(self, history, make_article, users):
        other = make_article(title="Another")
        services.record_revision(other, users["writer"])
        assert other.revisions.get().previous_hash == ""
        assert first_break(ArticleRevision) is None


def test_revisions_a_spreadsheet_writes_in_bulk_join_their_chains(vocabulary, users, make_article):
    from articles.tests.test_spreadsheets import import_rows

    existing = make_article(title="Already here", author=users["writer"])
    services.record_revision(existing, users["writer"])
    result = import_rows(
        [existing.slug, "Already here, updated", "", "<p>New text.</p>", "", ""],
        ["", "New from the sheet", "", "<p>Body.</p>", "", ""],
    )
    assert not result.has_errors()
    first, second = existing.revisions.order_by("pk")
    assert second.previous_hash == first.entry_hash
    assert first_break(ArticleRevision) is None


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_history_migrations_go_back_and_forth_with_history_in_place(users, make_article):
    """Migrating back past the chains and forward again keeps every chain verifiable: migrations run with
    the guards down (a guard naming a rebuilt table stopped SQLite), and none is put up for a column
    that is gone."""
    article = make_article(title="Back and forth", status=Status.PUBLISHED, author=users["writer"])
    ArticleEvent.record(article, by=users["editor"], action=ArticleEvent.Action.PUBLISHED)
    for target in (["cases", "0007"], ["articles", "0023"], []):
        call_command("migrate", *target, verbosity=0)
    out = io.StringIO()
    call_command("verify_history", stdout=out)
    assert "History verified" in out.getvalue()
    with pytest.raises(IntegrityError, match="is history"), transaction.atomic():
        ArticleEvent.objects.update(comment="After the round trip.")
