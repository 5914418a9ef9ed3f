"""The proxy in front (Varnish with xkey) is told, once a change is committed, to drop the pages that
show what changed, and only those."""

import urllib.request

import pytest

from articles import cache, workflow
from articles.models import DiseaseTag, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def purges(settings, monkeypatch):
    """Each PURGE the proxy at NEWSDESK_PURGE_URLS receives, as the set of keys it names: those to drop at
    once (xkey-purge), and those to render again while serving them as they were, marked "~"."""
    settings.NEWSDESK_PURGE_URLS = ["http://varnish.test:6081/"]
    cache._waiting.keys = (
        set(),
        set(),
    )  # an earlier test's transaction, rolled back, never committed its keys
    sent = []

    class Answer:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def urlopen(request, timeout):
        assert request.get_method() == "PURGE" and request.full_url == "http://varnish.test:6081/"
        gone = (request.get_header("Xkey-purge") or "").split()
        stale = (request.get_header("Xkey-softpurge") or "").split()
        sent.append({*gone, *(f"~{key}" for key in stale)})
        return Answer()

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    return sent


def test_a_committed_change_purges_the_keys_of_what_it_changed_in_one_request(
    purges, make_article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        lupus = DiseaseTag.objects.create(name="Lupus", slug="lupus")
        article = make_article(title="Before", status=Status.PUBLISHED, diseases=[lupus])
    purges.clear()
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "After"
        article.save()
        assert purges == [], "not before the commit: a reader in between would put the old page back"
    assert purges == [{article.cache_key, "articles", lupus.list_key}]


@pytest.fixture
def signed_off(purges, users, make_article, django_capture_on_commit_callbacks):
    """An article in review with its medical sign-off, and no purge recorded yet."""
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(status=Status.IN_REVIEW, author=users["writer"])
        workflow.sign_off(article, by=users["medical_reviewer"])
    purges.clear()
    return article


def test_a_transaction_that_changes_many_rows_sends_one_purge(
    purges, users, signed_off, django_capture_on_commit_callbacks
):
    article = signed_off
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(article, to=Status.PUBLISHED, by=users["editor"])  # the row, its event
    assert len(purges) == 1 and f"~{article.cache_key}" in purges[0]


def test_a_publish_only_adds_so_pages_are_rendered_again_behind_their_old_copies(
    purges, users, signed_off, django_capture_on_commit_callbacks
):
    article = signed_off
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(article, to=Status.PUBLISHED, by=users["editor"])
    assert purges and all(key.startswith("~") for key in purges[0]), purges


def test_anything_that_may_take_something_away_drops_the_pages_at_once(
    purges, users, make_article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(title="Live", status=Status.PUBLISHED)
    for change in (
        lambda: setattr(article, "body", "<p>A name taken out.</p>") or article.save(),
        lambda: workflow.transition(article, to=Status.DRAFT, by=users["editor"], comment="Taken down."),
    ):
        purges.clear()
        with django_capture_on_commit_callbacks(execute=True):
            change()
        assert {article.cache_key, "articles"} <= purges[0], purges


def test_a_draft_being_written_purges_nothing(
    purges, users, make_article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = make_article(status=Status.DRAFT, author=users["writer"])
        draft.title = "Still being written"
        draft.save()
    assert purges == []


def test_a_purge_that_fails_is_logged_and_does_not_stop_the_save(
    settings, monkeypatch, make_article, caplog, django_capture_on_commit_callbacks
):
    settings.NEWSDESK_PURGE_URLS = ["http://varnish.test:6081/"]

    def down(request, timeout):
        raise ConnectionRefusedError("the proxy did not answer")

    monkeypatch.setattr(urllib.request, "urlopen", down)
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(title="Saved anyway", status=Status.PUBLISHED)
    article.refresh_from_db()
    assert article.title == "Saved anyway"
    assert "from the proxy at http://varnish.test:6081/ failed" in caplog.text
