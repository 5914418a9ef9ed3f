"""Hostile slugs: path traversal, the site's own words, look-alike letters, empty and overlong. None becomes
an address that works differently from how it looks; an editor who types one is told what to do."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import get_resolver

from articles.intake.resources import ArticleResource
from articles.models import Article, DiseaseTag, Status, TherapyTag
from articles.slugs import make_slug, reserved_words, slug_problem

HOSTILE_SLUGS = [
    "../", "..", "../../etc/passwd", "%2e%2e%2f", "..%2f", "a/b", "a\\b", ".", "-", "--", "a--b", "-a", "a-",
    "Admin", "аdmin",  # Cyrillic а
    "ａｄｍｉｎ",  # fullwidth
    "admin\u200b", "ad\u00admin", "x y", "x\x00y", "a_b", "é", "x" * 201,
]  # fmt: skip


def test_every_first_segment_of_the_urlconf_is_reserved():
    firsts = {str(p.pattern).split("/", 1)[0] for p in get_resolver().url_patterns if str(p.pattern)}
    firsts = {f for f in firsts if "<" not in f}
    assert {"admin", "stories", "sitemap.xml"} <= firsts
    assert firsts <= reserved_words()
    for word in ("admin", "feeds", "sitemap.xml", "sitemap", "static", "media", "search", "news", "preview"):
        assert word in reserved_words(), word


@pytest.mark.parametrize("slug", HOSTILE_SLUGS + sorted(reserved_words()))
def test_a_hostile_or_reserved_slug_is_refused_with_advice(slug):
    problem = slug_problem(slug)
    assert problem is not None, slug
    assert any(advice in problem for advice in ("Choose another slug", "Leave the slug empty", "Shorten"))


@pytest.mark.parametrize("slug", ["lupus-remission", "car-t-2026", "a", "x" * 200])
def test_ordinary_slugs_pass(slug):
    assert slug_problem(slug) is None


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Admin", "admin-news"),
        ("ａｄｍｉｎ", "admin-news"),  # fullwidth folds to ASCII, then is reserved
        ("аdmin", "dmin"),  # the Cyrillic look-alike is dropped, not turned into a Latin “a”
        ("../../etc/passwd", "etcpasswd"),
        ("sitemap.xml", "sitemapxml"),
        ("Müller_Ärztin", "muller-arztin"),
        ("<<>>", "untitled"),
        ("", "untitled"),
    ],
)
def test_generated_slugs_are_plain_ascii_and_never_reserved(text, slug):
    assert make_slug(text) == slug
    assert slug_problem(make_slug(text)) is None


@pytest.mark.django_db
class TestArticles:
    @pytest.mark.parametrize("slug", ["admin", "Admin", "аdmin", "ａｄｍｉｎ", "../x", "feeds", "a_b"])
    def test_an_editor_typing_a_hostile_slug_gets_an_error_on_the_slug(self, make_article, slug):
        article = make_article()
        article.slug = slug
        with pytest.raises(ValidationError) as refused:
            article.full_clean()
        assert "slug" in refused.value.message_dict

    @pytest.mark.parametrize(
        "title", ["Admin", "Search", "Feeds", "ａｄｍｉｎ", "аdmin", "../../", "Sitemap.xml"]
    )
    def test_a_headline_never_makes_a_reserved_or_odd_slug(self, make_article, client, title):
        article = make_article(title=title, status=Status.PUBLISHED)
        assert slug_problem(article.slug) is None, article.slug
        assert article.get_absolute_url().startswith("/news/")
        assert client.get(article.get_absolute_url()).status_code == 200

    def test_the_admin_form_shows_the_advice(self, admin_client):
        response = admin_client.post("/admin/articles/article/add/", {"title": "Admin news", "slug": "admin"})
        assert response.status_code == 200
        assert "one of the site&#x27;s own addresses" in response.content.decode()
        assert not Article.objects.exists()

    def test_an_import_row_with_a_hostile_slug_is_refused_by_row(self, vocabulary):
        import tablib

        data = tablib.Dataset(headers=["slug", "title", "standfirst", "body"])
        data.append(["../../admin", "Row one", "s", "<p>b</p>"])
        data.append(["admin", "Row two", "s", "<p>b</p>"])
        data.append(["fine-slug", "Row three", "s", "<p>b</p>"])
        result = ArticleResource().import_data(data, dry_run=False)
        assert result.has_validation_errors()
        assert {row.number for row in result.invalid_rows} == {1, 2}
        assert not Article.objects.exists()  # all or nothing


@pytest.mark.django_db
class TestTerms:
    @pytest.mark.parametrize("name", ["???", "<<>>", "Admin", "ａｄｍｉｎ", "..", "Search"])
    def test_a_term_name_always_makes_a_working_address(self, client, make_article, name):
        term = DiseaseTag.objects.create(name=name)
        assert slug_problem(term.slug) is None, term.slug
        make_article(status=Status.PUBLISHED, diseases=[term])
        assert client.get(term.get_absolute_url()).status_code == 200
        assert client.get("/diseases/").status_code == 200

    def test_two_names_without_letters_get_two_addresses(self):
        first, second = TherapyTag.objects.create(name="???"), TherapyTag.objects.create(name="!!!")
        assert first.slug != second.slug
        assert slug_problem(second.slug) is None, second.slug

    def test_an_editor_typing_a_hostile_term_slug_is_told_what_to_do(self):
        term = DiseaseTag(name="Made-up disease", slug="admin")
        with pytest.raises(ValidationError) as refused:
            term.full_clean()
        assert "slug" in refused.value.message_dict


class TestChineseHeadlines:
    """#27: a Chinese headline gets an address a reader can say, in pinyin a word at a time."""

    @pytest.mark.parametrize(
        "headline, slug",
        [
            ("CAR-T细胞疗法让狼疮患者停药", "car-t-xibao-liaofa-rang-langchuang-huanzhe-tingyao"),
            (
                "嵌合抗原受體T細胞",
                "qianhe-kangyuan-shouti-t-xibao",
            ),  # traditional characters read as they are
            ("管理", "guanli"),
        ],
    )
    def test_in_pinyin(self, headline, slug):
        from articles.slugs import make_slug

        assert make_slug(headline) == slug
