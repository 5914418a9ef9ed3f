"""The stories' queries go through indexes whatever the size of the archive (SQLite's plans; the
bench desk is seeded with `seed_bench`)."""

import pytest
from django.core.management import call_command
from django.db import connection

from articles.tests.sampling import every_nth
from articles.tests.test_database import _plan

pytestmark = pytest.mark.django_db


def test_seeding_the_bench_desk_leaves_fresh_statistics(vocabulary):

    call_command("seed_bench", articles=50, cases=5, stdout=open("/dev/null", "w"))  # noqa: SIM115
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'articles_article'")
        else:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_user_tables WHERE relname = 'articles_article' "
                "AND last_analyze IS NOT NULL"
            )
        assert cursor.fetchone()[0] > 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan")
@pytest.mark.parametrize("page", every_nth(["a topic's stories", "a story", "an article's stories"], 3))
def test_the_story_gate_asks_about_each_story_rather_than_reading_every_public_articles_links(
    page, vocabulary
):
    """A story page or a topic's dozen stories cost the same whatever the size of the archive."""

    from cases.models import Case

    call_command("seed_bench", articles=600, cases=300, stdout=open("/dev/null", "w"))  # noqa: SIM115
    story = Case.objects.public().filter(diseases__isnull=False).first()
    stories = {
        "a story": Case.objects.public().filter(reference=story.reference),
        "a topic's stories": Case.objects.public().filter(diseases=story.diseases.first()),
        "an article's stories": Case.objects.public(told_in=story.articles.first()),
    }[page]
    assert story in stories
    plan = _plan(stories)
    assert "SCAN" not in plan, plan  # every table is entered through an index, by the story at hand


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan")
def test_the_sitemap_dates_its_sections_from_an_index_by_update_without_sorting(vocabulary):
    from django.test.utils import CaptureQueriesContext

    from articles.public.sitemaps import ArticleSitemap
    from cases.sitemaps import CaseSitemap

    call_command("seed_bench", articles=600, cases=300, stdout=open("/dev/null", "w"))  # noqa: SIM115
    for sitemap, index in ((ArticleSitemap(), "article_by_update"), (CaseSitemap(), "case_by_update")):
        with CaptureQueriesContext(connection) as captured:
            assert sitemap.get_latest_lastmod() is not None
        plan = _plan(sql=captured.captured_queries[-1]["sql"])
        assert index in plan and "TEMP B-TREE" not in plan, plan


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's plan; PostgreSQL chooses by its own statistics"
)
def test_the_stories_index_reads_its_page_off_an_index_in_its_order_without_sorting_every_story(
    client, vocabulary
):
    from django.core.cache import cache
    from django.test.utils import CaptureQueriesContext

    call_command("seed_bench", articles=300, cases=300, stdout=open("/dev/null", "w"))  # noqa: SIM115
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/stories/").status_code == 200
    (page,) = [
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "cases_case"' in q["sql"] and "ORDER BY" in q["sql"]
    ]
    plan = _plan(sql=page)
    assert "case_story_order" in plan and "TEMP B-TREE" not in plan, plan
