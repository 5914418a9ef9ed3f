"""The query planner knows the tables' shape after bulk changes."""

import pytest
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from articles.database import refresh_planner_statistics
from articles.models import Article, ArticleDisease, DiseaseTag, Status

pytestmark = pytest.mark.django_db


def _articles_with_one_rare_disease(rare, common, count=400):
    articles = Article.objects.bulk_create(
        Article(title=f"Bulk {n}", slug=f"bulk-{n}", status=Status.PUBLISHED, published_at=timezone.now())
        for n in range(count)
    )
    ArticleDisease.objects.bulk_create(
        ArticleDisease(content_object=a, tag=rare if n < 3 else common) for n, a in enumerate(articles)
    )


def _plan(queryset=None, *, sql=None, params=()):
    """SQLite's plan for a queryset, or for SQL as it was run."""
    if queryset is not None:
        sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " | ".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL gathers statistics by itself")
def test_after_a_refresh_sqlite_reads_a_rare_disease_through_its_links_not_every_published_article():
    rare = DiseaseTag.objects.create(name="Rare condition", slug="rare-condition")
    common = DiseaseTag.objects.create(name="Common condition", slug="common-condition")
    _articles_with_one_rare_disease(rare, common)
    filtered = Article.objects.filter(
        Q(status=Status.PUBLISHED), pk__in=ArticleDisease.objects.filter(tag=rare).values("content_object")
    )
    assert "(status=?)" in _plan(filtered)  # without statistics: every published article is read

    refresh_planner_statistics()

    plan = _plan(filtered)
    assert "(status=?)" not in plan
    assert "INTEGER PRIMARY KEY" in plan


def test_seeding_the_bench_desk_leaves_fresh_statistics(vocabulary):
    from django.core.management import call_command

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


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's full-text index")
def test_with_statistics_sqlite_search_walks_the_date_index_instead_of_sorting_every_match():
    from django.test.utils import CaptureQueriesContext

    from articles.public import search
    from articles.public.search import ensure_sqlite_index

    ensure_sqlite_index()
    Article.objects.bulk_create(
        Article(title=f"News {n}", slug=f"news-{n}", body=f"<p>{'Lasting remission.' if n % 2 else 'Trial.'}</p>",
                status=Status.PUBLISHED, published_at=timezone.now())
        for n in range(4000)  # half of them match: enough for the planner to weigh its options
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO articles_article_fts(articles_article_fts) VALUES ('rebuild')")
    refresh_planner_statistics()
    with CaptureQueriesContext(connection) as captured:
        assert len(search.search("remission").articles) == search.MAX_RANKED  # the newest matches are ranked
    ranked = next(
        q["sql"] for q in captured.captured_queries if "MATCH" in q["sql"] and "ORDER BY" in q["sql"]
    )
    assert "TEMP B-TREE FOR ORDER BY" not in _plan(sql=ranked)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan")
@pytest.mark.parametrize("page", ["a story", "a topic's stories", "an article's stories"])
def test_the_story_gate_asks_about_each_story_rather_than_reading_every_public_articles_links(
    page, vocabulary
):
    """A story page or a topic's dozen stories cost the same whatever the size of the archive."""
    from django.core.management import call_command

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
    from django.core.management import call_command
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
    from django.core.management import call_command
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
