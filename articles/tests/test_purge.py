"""A CDN or proxy cache in front is told to drop its pages whenever the site's own cached pages retire."""

import pytest

from articles.models import Status

pytestmark = pytest.mark.django_db
purged = []


def record_purge():
    purged.append("purge")


def failing_purge():
    raise ConnectionError("the CDN did not answer")


@pytest.fixture(autouse=True)
def hooks(settings):
    purged.clear()
    settings.NEWSDESK_PURGE_HOOKS = ["articles.tests.test_purge.record_purge"]


def test_a_change_readers_can_see_purges_the_cache_in_front(make_article):
    article = make_article(title="Before", status=Status.PUBLISHED)
    purged.clear()
    article.title = "After"
    article.save()
    assert purged


def test_a_purge_that_fails_is_logged_and_does_not_stop_the_save(settings, make_article, caplog):
    settings.NEWSDESK_PURGE_HOOKS = ["articles.tests.test_purge.failing_purge"]
    article = make_article(title="Saved anyway", status=Status.PUBLISHED)
    article.refresh_from_db()
    assert article.title == "Saved anyway"
    assert "Purging the cache in front failed" in caplog.text
