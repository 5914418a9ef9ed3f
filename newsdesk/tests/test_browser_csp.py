"""The Content Security Policy holds in a real browser: a crawl of the demo site, public pages and admin,
records 0 violations. And user media is sent with `X-Content-Type-Options: nosniff`."""

from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from articles.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Runs before any page script: records each violation the browser reports.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""

#: Links a crawl must not follow: they change state or leave the page types we check.
SKIP = (
    "/admin/logout/",
    "/delete/",
    "/admin/r/",
    "?_popup",
    "/export/",
    "/export.",
    "/import/",
    "/password/",
)


def crawl(page, base, start, *, prefix, limit):
    """Visit up to `limit` same-site pages under `prefix`, breadth first; return {url: [problems]}."""
    seen, queue, problems, console = set(), deque([start]), {}, []
    page.on("console", lambda message: console.append(message.text))
    while queue and len(seen) < limit:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        console.clear()
        response = page.goto(base + path, wait_until="load")
        page.wait_for_timeout(50)
        content_type = (response.headers.get("content-type", "") if response else "") or ""
        found = page.evaluate("window.__csp || []") + [m for m in console if "Content Security Policy" in m]
        if "html" not in content_type:
            # Feeds and sitemaps: Chromium shows XML in its own viewer, which styles itself inline and so
            # trips the policy with markup that is the browser's, not ours. Only errors count here.
            found = []
        if response is None or response.status >= 500:
            found.append(f"status {response and response.status}")
        if found:
            problems[path] = found
        if "html" not in content_type:
            continue
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            target = urlsplit(urljoin(base + path, href))
            if target.netloc != urlsplit(base).netloc or not target.path.startswith(prefix):
                continue
            link = target.path + (f"?{target.query}" if target.query else "")
            if any(s in link for s in SKIP) or link in seen:
                continue
            queue.append(link)
    return seen, problems


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("privacy_sweep", stdout=open("/dev/null", "w"))  # noqa: SIM115 - as `make install` does


@pytest.mark.slow
def test_a_crawl_of_the_public_site_and_the_admin_finds_no_csp_violations(
    browser, live_server, demo, admin_user
):
    context = browser.new_context()  # CSP enforced, as readers get it
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(15_000)
    public_seen, public_problems = crawl(page, live_server.url, "/", prefix="/", limit=60)
    for extra in ("/search/?q=lupus", "/news/no-such-page/", "/feeds/rss/", "/sitemap.xml"):
        seen, problems = crawl(page, live_server.url, extra, prefix="/__none__", limit=1)
        public_seen |= seen
        public_problems |= problems

    editor = Client()
    editor.force_login(admin_user)
    context.add_cookies(
        [{"name": "sessionid", "value": editor.cookies["sessionid"].value, "url": live_server.url}]
    )
    admin_seen, admin_problems = crawl(page, live_server.url, "/admin/", prefix="/admin/", limit=100)
    editor_form = reverse("admin:articles_article_change", args=[Article.objects.first().pk])
    for extra in (reverse("admin:articles_article_add"), editor_form):
        seen, problems = crawl(page, live_server.url, extra, prefix="/__none__", limit=1)
        admin_seen |= seen
        admin_problems |= problems
    context.close()

    kinds = {p.split("/")[1] for p in public_seen if p.count("/") >= 2}
    assert {"news", "diseases", "therapies", "stories", "search"} <= kinds, kinds
    assert any("/change/" in p for p in admin_seen) and any(p.endswith("/add/") for p in admin_seen)
    assert public_problems == {}
    assert admin_problems == {}
    print(f"CSP crawl: {len(public_seen)} public and {len(admin_seen)} admin pages, 0 violations")


def test_the_crawl_sees_a_violation_when_there_is_one(browser, live_server):
    """The check can fail: an inline script without the nonce is reported."""
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.route(
        "http://csp.test/",
        lambda route: route.fulfill(
            content_type="text/html",
            headers={"Content-Security-Policy": "script-src 'self'"},
            body="<p>x</p><script>document.title = 'ran'</script>",
        ),
    )
    page.goto("http://csp.test/")
    page.wait_for_timeout(50)
    assert page.evaluate("window.__csp")
    context.close()
