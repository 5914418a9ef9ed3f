"""/stories/: every public patient story, and nothing a reader may not see."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import DiseaseTag, Status, TherapyTag
from cases.services import case_withdraw_consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_article(make_article):
    return make_article(title="Told here", status=Status.PUBLISHED)


def labels_on(page: str) -> list[str]:
    return re.findall(r'<h2 class="card-title"><a href="/stories/[^"]+/">([^<]+)</a>', page)


def test_it_lists_every_public_story_most_recently_treated_first(
    client, make_article, make_case, public_article
):
    make_case(articles=[public_article], label="Treated in 2019", treatment_year=2019)
    make_case(articles=[public_article], label="Treated in 2023", treatment_year=2023)
    make_case(articles=[public_article], label="Not yet cleared", cleared=False)
    make_case(articles=[public_article], label="No consent on file", consent=False)
    make_case(articles=[make_article(status=Status.DRAFT)], label="Told only in a draft")
    make_case(label="Told nowhere")

    assert labels_on(client.get("/stories/").content.decode()) == ["Treated in 2023", "Treated in 2019"]


def test_a_story_leaves_the_index_when_its_consent_is_withdrawn(client, users, make_case, public_article):
    story = make_case(articles=[public_article], label="Woman in her 40s with lymphoma")
    assert "Woman in her 40s with lymphoma" in client.get("/stories/").content.decode()  # now cached

    case_withdraw_consent(story, by=users["privacy_officer"], reason="Her e-mail")

    assert "Woman in her 40s with lymphoma" not in client.get("/stories/").content.decode()


def test_each_story_shows_its_anonymised_summary_and_topics_only(
    client, make_case, public_article, vocabulary
):
    sle = DiseaseTag.objects.get(slug="systemic-lupus-erythematosus")
    car_t = TherapyTag.objects.get(slug="car-t-cell-therapy")
    story = make_case(
        articles=[public_article], label="Man in his 60s with lupus", treatment_year=2021,
        follow_up="3 years", outcome="In remission", narrative="<p>The whole of his story.</p>",
    )  # fmt: skip
    story.diseases.add(sle)
    story.therapies.add(car_t)

    page = client.get("/stories/").content.decode()

    for shown in ["Man in his 60s with lupus", "In remission", "Treated in 2021", "Follow-up: 3 years",
                  f'href="{story.get_absolute_url()}"', f'href="{sle.get_absolute_url()}"',
                  f'href="{car_t.get_absolute_url()}"']:  # fmt: skip
        assert shown in page, shown
    for hidden in ["The whole of his story.", "consent/test", "fixture_privacy_officer", "CASE-"]:
        assert hidden not in page, hidden


def test_it_pages_by_twenty(client, make_case, public_article):
    for n in range(21):
        make_case(articles=[public_article], label=f"Story {n:02}", treatment_year=2000 + n)

    first, second = client.get("/stories/"), client.get("/stories/?page=2")

    assert len(labels_on(first.content.decode())) == 20
    assert labels_on(second.content.decode()) == ["Story 00"]
    assert 'rel="next"' in first.content.decode() and "Page 2 of 2" in second.content.decode()
    assert client.get("/stories/?page=3").status_code == 404


def test_its_queries_do_not_grow_with_stories_or_their_topics(
    client, make_case, public_article, vocabulary, django_assert_max_num_queries
):
    diseases, therapies = list(DiseaseTag.objects.all()[:4]), list(TherapyTag.objects.all()[:4])

    def queries():
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/stories/").status_code == 200
        return len(captured)

    make_case(articles=[public_article]).diseases.add(diseases[0])
    few = queries()
    for _ in range(15):
        story = make_case(articles=[public_article])
        story.diseases.add(*diseases)
        story.therapies.add(*therapies)

    assert queries() == few
    cache.clear()
    with django_assert_max_num_queries(6):  # count, page, vocabularies, next go-live and expiry, footer
        client.get("/stories/")


def test_a_story_page_reads_the_story_its_topics_and_its_articles(
    client, make_case, public_article, vocabulary, django_assert_max_num_queries
):
    story = make_case(articles=[public_article])
    story.diseases.add(*DiseaseTag.objects.all()[:3])
    story.therapies.add(*TherapyTag.objects.all()[:3])
    cache.clear()
    with django_assert_max_num_queries(6):  # + the next go-live and expiry, and the footer's pages
        page = client.get(story.get_absolute_url()).content.decode()
    assert public_article.title in page
    assert all(term.name in page for term in story.diseases.all())


def test_the_main_menu_marks_patient_stories_as_the_current_page_and_nothing_else(client):
    page = client.get("/stories/").content.decode()

    assert re.findall(r'<a href="([^"]+)" aria-current="page">', page) == ["/stories/"]


def test_the_sitemap_lists_the_index(client):
    assert "<loc>http://testserver/stories/</loc>" in client.get("/sitemap-pages.xml").content.decode()


def test_a_chinese_story_page_says_its_language(client, make_case, public_article):
    story = make_case(articles=[public_article], label="二十多岁的狼疮患者", language="zh-hans")
    page = client.get(story.get_absolute_url()).content.decode()
    assert page.startswith('<!doctype html>\n<html lang="zh-Hans">')
