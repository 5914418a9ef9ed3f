"""The sitemaps the project's URLs put together (articles, topics, stories and pages) read as Django's own
sitemap template would write them."""

import re

import pytest

from articles.models import DiseaseTag, Status


@pytest.fixture
def sle(vocabulary):
    return DiseaseTag.objects.get(slug="systemic-lupus-erythematosus")


@pytest.mark.parametrize("section", ["articles", "topics", "stories", "pages"])
def test_sections_say_what_django_s_own_sitemap_would(rf, make_article, sle, section):
    """Our sections are written without Django's template loop; readers of the XML see no difference."""
    from django.contrib.sitemaps import views as sitemaps

    from newsdesk.urls import SITEMAPS

    make_article(title="Ünïcode headline", slug="plain-slug", status=Status.PUBLISHED, diseases=[sle])
    make_article(status=Status.PUBLISHED, diseases=[sle])

    def entries(**template):
        response = sitemaps.sitemap(rf.get(f"/sitemap-{section}.xml"), SITEMAPS, section=section, **template)
        xml = response.render().content.decode()
        return re.findall(r"<loc>(.*?)</loc>(?:<lastmod>(.*?)</lastmod>)?", re.sub(r">\s+<", "><", xml))

    ours = entries(template_name="sitemap_section.xml")
    assert ours == entries()
    assert ours or section == "stories"  # no story is public in this test


def test_the_sitemap_index_dates_each_section_without_loading_its_items(client, make_article, monkeypatch):
    from articles.public.sitemaps import ArticleSitemap
    from cases.sitemaps import CaseSitemap

    for _ in range(3):
        newest = make_article(status=Status.PUBLISHED)
    for sitemap in (ArticleSitemap, CaseSitemap):
        monkeypatch.setattr(sitemap, "lastmod", lambda self, item: pytest.fail("loaded every item"))
    index = client.get("/sitemap.xml").content.decode()
    newest.refresh_from_db()
    assert f"<lastmod>{newest.updated_at.date().isoformat()}" in index


def test_sitemap_lists_public_pages_with_lastmod(client, make_article, sle):
    public = make_article(title="In the sitemap", status=Status.PUBLISHED, diseases=[sle])
    draft = make_article(title="Not in the sitemap", status=Status.DRAFT)
    index = client.get("/sitemap.xml").content.decode()
    sections = re.findall(r"<loc>http://testserver(/sitemap-\w+\.xml)</loc>", index)
    assert sorted(sections) == [
        "/sitemap-about.xml",  # the newsroom's own pages
        "/sitemap-articles.xml",
        "/sitemap-pages.xml",
        "/sitemap-stories.xml",
        "/sitemap-topics.xml",
    ]
    xml = "".join(client.get(section).content.decode() for section in sections)
    assert f"http://testserver{public.get_absolute_url()}" in xml
    assert draft.slug not in xml
    assert "<lastmod>" in xml
    assert f"http://testserver{sle.get_absolute_url()}" in xml
