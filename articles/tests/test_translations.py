"""Articles in two languages (#27, item 2): each has a language; a translation is an article of its own in
the other language, linked to it, with its own workflow, sign-off and privacy clearance. Readers find one
from the other, and so do search engines (hreflang, sitemap alternates, JSON-LD) and feed readers."""

import json
import re

import feedparser
import pytest
from django.core.cache import cache
from django.urls import reverse

from articles import services
from articles.models import Article, ArticleEvent, Language, Reference, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(users, make_article):
    english = make_article(
        title="CAR-T brings lupus remission in a small study", status=Status.PUBLISHED, author=users["writer"]
    )
    Reference.objects.create(article=english, title="CD19 CAR T cells in lupus", venue="A journal", year=2024)
    chinese = services.make_translation(english, by=users["writer"])
    Article.objects.filter(pk=chinese.pk).update(title="CAR-T让小样本研究中的狼疮患者缓解")
    chinese.refresh_from_db()
    english.refresh_from_db()
    return english, chinese


def publish(article):
    Article.objects.filter(pk=article.pk).update(status=Status.PUBLISHED, published_at=article.created_at)
    article.refresh_from_db()
    article.save()  # the signals of a real publication: the pages that link it are retired


class TestStartingATranslation:
    def test_it_is_a_draft_of_its_own_in_the_other_language(self, pair, users):
        english, chinese = pair
        assert chinese.language == Language.CHINESE and chinese.status == Status.DRAFT
        assert chinese.translation_key == english.translation_key is not None
        assert chinese.author == users["writer"] and chinese.slug == f"{english.slug}-zh-hans"
        assert list(chinese.diseases.all()) == list(english.diseases.all())
        assert [r.title for r in chinese.reference_list] == ["CD19 CAR T cells in lupus"]

    def test_it_inherits_no_sign_off_and_no_history(self, pair):
        _english, chinese = pair
        assert chinese.current_sign_off() is None
        assert not ArticleEvent.objects.filter(article=chinese).exists()

    def test_an_article_has_one_translation(self, pair, users):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError, match="already has a translation"):
            services.make_translation(pair[0], by=users["editor"])

    def test_the_desk_starts_one_from_the_article_form(self, client, users, make_article):
        article = make_article(author=users["writer"])
        client.force_login(users["writer"])
        form = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
        assert "Start the Chinese translation" in form
        response = client.post(reverse("admin:articles_article_translate", args=[article.pk]))
        copy = Article.objects.get(language=Language.CHINESE)
        assert response["Location"] == reverse("admin:articles_article_change", args=[copy.pk])
        assert "Translation:" in client.get(response["Location"]).content.decode()

    def test_a_medical_reviewer_cannot_start_one(self, client, users, make_article):
        article = make_article(author=users["writer"])
        client.force_login(users["medical_reviewer"])
        client.post(reverse("admin:articles_article_translate", args=[article.pk]))
        assert not Article.objects.filter(language=Language.CHINESE).exists()


class TestReadersFindOneFromTheOther:
    def test_no_link_until_the_translation_is_public(self, client, pair):
        english, _chinese = pair
        page = client.get(english.get_absolute_url()).content.decode()
        assert "阅读中文版" not in page and "hreflang" not in page

    def test_both_pages_link_each_other_with_hreflang_and_their_language(self, client, pair):
        english, chinese = pair
        client.get(english.get_absolute_url())  # cached without the link
        publish(chinese)
        page = client.get(english.get_absolute_url()).content.decode()
        assert (
            f'<a href="{chinese.get_absolute_url()}" hreflang="zh-Hans" lang="zh-Hans">阅读中文版</a>' in page
        )
        assert f'hreflang="zh-Hans" href="http://testserver{chinese.get_absolute_url()}"' in page
        assert f'hreflang="x-default" href="http://testserver{english.get_absolute_url()}"' in page
        chinese_page = client.get(chinese.get_absolute_url()).content.decode()
        assert chinese_page.startswith('<!doctype html>\n<html lang="zh-Hans">')
        assert "Read this in English" in chinese_page

    def test_structured_data_names_the_language_and_the_translation(self, client, pair):
        english, chinese = pair
        publish(chinese)
        page = client.get(english.get_absolute_url()).content.decode()
        data = json.loads(
            re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
        )
        assert data["inLanguage"] == "en" and data["mainEntity"]["inLanguage"] == "en"
        assert data["mainEntity"]["workTranslation"][0]["inLanguage"] == "zh-Hans"

    def test_the_sitemap_lists_each_with_its_alternates(self, client, pair):
        english, chinese = pair
        publish(chinese)
        xml = client.get("/sitemap-articles.xml").content.decode()
        assert 'xmlns:xhtml="http://www.w3.org/1999/xhtml"' in xml
        assert xml.count(f'hreflang="zh-Hans" href="http://testserver{chinese.get_absolute_url()}"') == 2

    def test_each_language_has_its_feed(self, client, pair):
        english, chinese = pair
        publish(chinese)
        feed = feedparser.parse(client.get("/feeds/zh-hans/rss/").content)
        assert [e.title for e in feed.entries] == [chinese.title] and feed.feed.language == "zh-Hans"
        assert [e.title for e in feedparser.parse(client.get("/feeds/en/atom/").content).entries] == [
            english.title
        ]
        assert client.get("/feeds/fr/rss/").status_code == 404

    def test_a_reader_walks_from_the_english_home_to_the_chinese_version_and_back(self, client, pair):
        english, chinese = pair
        publish(chinese)
        cache.clear()
        home = client.get("/").content.decode()
        assert english.get_absolute_url() in home
        article = client.get(english.get_absolute_url()).content.decode()
        chinese_url = re.search(r'<a href="([^"]+)" hreflang="zh-Hans"', article).group(1)
        back = client.get(chinese_url).content.decode()
        assert chinese.title in back
        english_url = re.search(r'<a href="([^"]+)" hreflang="en"', back).group(1)
        assert english_url == english.get_absolute_url()
