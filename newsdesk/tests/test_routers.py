"""Read replicas: which database each read and write goes to (newsdesk/routers.py)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.signals import request_started

from articles.models import Article, ArticleEvent, DiseaseTag
from cases.models import Case, Consent
from newsdesk.routers import PrimaryReplicaRouter
from newsdesk.tests.test_settings import settings_from

pytestmark = pytest.mark.django_db  # a request_started signal also closes stale database connections


@pytest.fixture
def router():
    request_started.send(sender=None)  # a fresh request: nothing written yet
    return PrimaryReplicaRouter()


def test_article_reads_go_to_the_replica(router):
    for model in (Article, ArticleEvent, DiseaseTag):
        assert router.db_for_read(model) == "replica"


def test_stories_consents_users_and_sessions_are_read_from_the_primary(router):
    # Withdrawing consent hides a story in the same request: a lagging replica must never answer that.
    for model in (Case, Consent, get_user_model(), Session):
        assert router.db_for_read(model) == "default"


def test_a_request_that_wrote_reads_its_own_writes_until_the_next_request(router):
    assert router.db_for_write(Article) == "default"
    assert router.db_for_read(Article) == "default"
    request_started.send(sender=None)
    assert router.db_for_read(Article) == "replica"


def test_only_the_primary_is_migrated(router):
    assert router.allow_migrate("default", "articles")
    assert not router.allow_migrate("replica", "articles")


def test_the_replica_and_the_router_come_with_database_replica_url():
    def databases(**extra):
        read = settings_from({"DEBUG": "true", **extra})
        routers = getattr(read, "DATABASE_ROUTERS", [])  # Django's default when the module sets none
        return [sorted(read.DATABASES), routers, read.DATABASES.get("replica", {}).get("NAME")]

    assert databases() == [["default"], [], None]
    replica = "postgres://reader@replica.internal:5432/newsdesk"
    assert databases(DATABASE_REPLICA_URL=replica) == [
        ["default", "replica"],
        ["newsdesk.routers.PrimaryReplicaRouter"],
        "newsdesk",
    ]
