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


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL gathers statistics by itself")
def test_a_migrate_that_ran_a_migration_ends_with_fresh_statistics():
    """A migration that rebuilds the articles table drops SQLite's statistics for it; without them the
    related news of an article were read through the index of every public article, not by key
    (docs/scaling.md, stop 34)."""
    from articles.apps import _refresh_statistics

    common = DiseaseTag.objects.create(name="Common condition", slug="common-condition")
    _articles_with_one_rare_disease(common, common)

    def statistics_of_articles() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if not cursor.fetchone()[0]:
                return 0
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'articles_article'")
            return cursor.fetchone()[0]

    if statistics_of_articles():
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM sqlite_stat1 WHERE tbl = 'articles_article'"
            )  # as a rebuild leaves it
    _refresh_statistics(plan=[])  # a migrate with nothing to run leaves them be
    assert statistics_of_articles() == 0
    _refresh_statistics(plan=[("a migration", False)])
    assert statistics_of_articles() > 0
