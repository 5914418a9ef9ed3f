"""The Host header never reaches a shared response: public absolute addresses come from
NEWSDESK_BASE_URL, and the page cache keys on scheme and host as well as the path."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Status
from articles.tests.test_hostile_images import small_jpeg

pytestmark = pytest.mark.django_db
BASE = "https://news.hospital.example"
HOSTILE_HOSTS = ["testserver:1", "testserver.", "TESTSERVER:8443"]


@pytest.fixture(autouse=True)
def canonical(settings):
    settings.NEWSDESK_BASE_URL = BASE
    settings.ALLOWED_HOSTS = ["testserver", "testserver."]


@pytest.fixture
def live(make_article):
    return make_article(
        title="Clinic opens", status=Status.PUBLISHED, hero_image=SimpleUploadedFile("x.jpg", small_jpeg()),
        hero_alt="The new clinic",
    )  # fmt: skip


def absolute_addresses(html: str) -> set[str]:
    return set(re.findall(r"https?://[^\s\"'<>]+", html)) - {"https://schema.org"}


@pytest.mark.parametrize("host", HOSTILE_HOSTS)
@pytest.mark.parametrize(
    "url",
    ["/", "/news/", "/feeds/rss/", "/feeds/atom/", "/sitemap.xml", "/sitemap-articles.xml", "/robots.txt"],
)
def test_every_public_absolute_address_comes_from_the_base_url(client, live, host, url):
    response = client.get(url, HTTP_HOST=host)
    assert response.status_code == 200, (url, host)
    addresses = absolute_addresses(response.content.decode())
    ours = {a for a in addresses if "testserver" in a.lower() or "hospital.example" in a}
    assert ours and all(a.startswith(BASE + "/") for a in ours), (url, host, sorted(ours)[:5])


@pytest.mark.parametrize("host", HOSTILE_HOSTS)
def test_an_article_page_names_only_the_base_url(client, live, host):
    html = client.get(live.get_absolute_url(), HTTP_HOST=host).content.decode()
    for tag in ('rel="canonical" href="', 'property="og:url" content="', 'property="og:image" content="',
                '"mainEntityOfPage": "'):  # fmt: skip
        assert f"{tag}{BASE}/" in html, tag
    assert "testserver" not in html.lower()


def test_a_page_cached_for_one_host_is_never_served_for_another(client, live):
    client.get("/news/", HTTP_HOST="testserver:1")
    first = client.get("/news/", HTTP_HOST="testserver")
    assert first.status_code == 200 and "testserver:1" not in first.content.decode()
