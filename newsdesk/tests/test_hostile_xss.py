"""XSS: every payload in every rendered text field, on every page that shows it, runs nowhere.

Checked twice: on the server, by reading each response for anything a browser would run (inline
scripts, event handlers, frames, `javascript:`-style URLs), and in headless Chromium with alert,
confirm and prompt hooked (test_browser_hostile.py).
"""

import pytest
from django.core.exceptions import ValidationError

from articles.models import Article
from articles.richtext import sanitize_html
from newsdesk.tests.hostile import feed_problems, plant_payloads, runnable_markup, url_is_safe, url_scheme
from newsdesk.tests.xss_payloads import PAYLOADS


class TestUrlScheme:
    """The test's own scheme reader sees URLs the way a browser does."""

    @pytest.mark.parametrize(
        ("url", "scheme"),
        [
            ("javascript:alert(1)", "javascript"),
            (" \x0e JaVa\tScRipt:alert(1)", "javascript"),
            ("java\nscript:x", "javascript"),
            ("https://example.org/", "https"),
            ("/news/a/", None),
            ("#top", None),
            ("page?x=javascript:1", None),
        ],
    )
    def test_reads_the_scheme_a_browser_would_use(self, url, scheme):
        assert url_scheme(url) == scheme

    def test_finds_what_would_run(self):
        assert runnable_markup('<a href="jav&#x09;ascript:alert(1)">x</a>')
        assert runnable_markup("<img src=x onerror=alert(1)>")
        assert runnable_markup("<script>alert(1)</script>")
        assert not runnable_markup('<a href="https://example.org/">x</a><script src="/static/a.js"></script>')


class TestSanitizer:
    def test_every_payload_leaves_only_allow_listed_markup_and_safe_urls(self):
        problems = {}
        for payload in PAYLOADS:
            clean = sanitize_html(payload)
            found = runnable_markup(clean)
            if found:
                problems[payload] = (clean, found)
        assert not problems, problems

    def test_every_stored_href_has_a_safe_scheme(self):
        """All payloads at once, as one body: each href left is http, https, mailto or relative."""
        from html.parser import HTMLParser

        hrefs = []

        class Links(HTMLParser):
            def handle_starttag(self, tag, attrs):
                hrefs.extend(v or "" for k, v in attrs if k in {"href", "src"})

        Links().feed(sanitize_html("".join(PAYLOADS)))
        assert hrefs, "the payloads include plain links that should survive"
        assert [h for h in hrefs if not url_is_safe(h)] == []


@pytest.mark.django_db
class TestSourceAddress:
    """The one URL field an editor types, shown as a link on the article page."""

    @pytest.mark.parametrize(
        "url",
        [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "ftp://files.example.org/paper.pdf",
        ],
    )
    def test_only_web_addresses_are_accepted(self, make_article, url):
        article = make_article()
        article.source_url = url
        with pytest.raises(ValidationError) as refused:
            article.full_clean()
        assert "source_url" in refused.value.message_dict

    def test_a_web_address_is_accepted(self, make_article):
        article = make_article()
        article.source_url = "https://www.nejm.org/doi/full/10.1056/NEJMoa2308917"
        article.full_clean()


@pytest.fixture
def hostile_site(make_article, make_case):
    return plant_payloads(make_article, make_case)


#: `make test` reads the pages about one item for every 32nd payload (and every list page for all of them);
#: `make test-full` reads them all.
SAMPLES = [
    pytest.param(slice(None, None, 32), id="sample"),
    pytest.param(slice(None), id="every-payload", marks=pytest.mark.slow),
]


@pytest.mark.django_db
@pytest.mark.parametrize("sample", SAMPLES)
def test_no_page_shows_a_payload_as_markup(client, admin_client, hostile_site, sample):
    """Each payload × each place × each page (public, feeds, admin), read on the server; 0 errors."""
    problems, server_errors, visited = {}, [], 0
    pages = [(client, p) for p in hostile_site.public_pages(sample)]
    pages += [(admin_client, p) for p in hostile_site.admin_pages(sample)]
    for http, (place, url) in pages:
        response = http.get(url)
        visited += 1
        if response.status_code >= 500:
            server_errors.append(url)
            continue
        assert response.status_code == 200, (place, url, response.status_code)
        found = runnable_markup(response.content.decode())
        if found:
            problems[f"{place} {url}"] = found
    for place, url in hostile_site.feeds(sample):
        response = client.get(url)
        visited += 1
        if response.status_code >= 500:
            server_errors.append(url)
            continue
        assert response.status_code == 200, (place, url, response.status_code)
        if found := feed_problems(response.content):
            problems[f"{place} {url}"] = found
    assert server_errors == []
    assert not problems, problems
    assert visited >= 10 * len(hostile_site.planted[sample])


@pytest.mark.django_db
def test_the_payloads_come_back_as_the_text_that_was_typed(client, hostile_site):
    """Escaped, not mangled or dropped: a reader sees exactly what the editor wrote."""
    import html

    item = hostile_site.planted[0]
    page = client.get(item.article.get_absolute_url()).content.decode()
    assert f"<h1>{html.escape(item.payload, quote=False)}</h1>" in page
    article = Article.objects.get(pk=item.article.pk)
    assert article.title == item.payload
