"""Gone means gone (#26, item 4): what readers could read and no longer may answers 410 with a plain
notice, so search engines drop it; only an address that never had a public page answers 404."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import workflow
from articles.models import Article, Status
from articles.tests.test_admin import ANSWERED

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(users, make_article, make_case):
    """An article that went live through the desk, as readers saw it."""

    def make(**fields):
        article = make_article(author=users["writer"], **fields)
        workflow.transition(article, to=Status.IN_REVIEW, by=users["writer"])
        workflow.sign_off(article, by=users["medical_reviewer"], answers=ANSWERED)
        return workflow.transition(article, to=Status.PUBLISHED, by=users["editor"])

    return make


def test_an_address_that_never_had_a_page_answers_404(client):
    assert client.get("/news/no-such-article/").status_code == 404


def test_a_scheduled_article_not_yet_live_answers_404(client, users, make_article):
    article = make_article(
        title="Embargoed", status=Status.PUBLISHED, published_at=timezone.now() + timedelta(days=1)
    )
    assert client.get(article.get_absolute_url()).status_code == 404


def test_an_unpublished_article_answers_410_naming_nothing(client, users, live):
    article = live(title="A recovery from lupus")
    assert client.get(article.get_absolute_url()).status_code == 200
    workflow.transition(article, to=Status.DRAFT, by=users["editor"], comment="Figures to check.")
    page = client.get(article.get_absolute_url())
    assert page.status_code == 410
    assert b"no longer available" in page.content and article.title.encode() not in page.content
    assert b'name="robots" content="noindex' in page.content


def test_an_expired_article_answers_410(client, live):
    article = live()
    now = timezone.now()
    Article.objects.filter(pk=article.pk).update(
        published_at=now - timedelta(days=2), expires_at=now - timedelta(minutes=1)
    )
    assert client.get(article.get_absolute_url()).status_code == 410


def test_a_retracted_article_answers_410_with_its_notice(client, users, live):
    article = live()
    workflow.transition(article, to=Status.RETRACTED, by=users["editor"], comment="The study was withdrawn.")
    page = client.get(article.get_absolute_url())
    assert page.status_code == 410 and b"The study was withdrawn." in page.content


def test_the_notice_is_cached_and_retired_when_the_article_comes_back(client, users, live):
    article = live()
    workflow.transition(article, to=Status.DRAFT, by=users["editor"], comment="Hold.")
    assert client.get(article.get_absolute_url()).status_code == 410
    assert client.get(article.get_absolute_url()).status_code == 410  # from the page cache
    article.refresh_from_db()
    workflow.transition(article, to=Status.IN_REVIEW, by=users["writer"])
    workflow.transition(article, to=Status.PUBLISHED, by=users["editor"])
    assert client.get(article.get_absolute_url()).status_code == 200
