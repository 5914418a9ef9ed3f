"""XSS in a real browser: with alert, confirm and prompt hooked, no payload runs on any page that shows it.

The page's Content Security Policy would block most inline scripts anyway; these tests turn it off
(bypass_csp) so they prove the escaping and the sanitizer, not only the policy.
"""

import pytest
from django.test import Client

from newsdesk.tests.hostile import plant_payloads

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Runs before any page script, in every frame: records each dialog call instead of showing it.
HOOKS = """
window.__xss = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = function (...args) { window.__xss.push(name + "(" + args.map(String).join(",") + ")"); };
}
"""

#: Every URL the page ended up with, as the browser resolved it: none may be javascript:, data:, vbscript:.
UNSAFE_URLS = """
() => [...document.querySelectorAll("[href], [src], [action], [formaction]")]
  .map(e => e.href || e.src || e.action || e.formAction || "")
  .filter(u => typeof u === "string" && u && !/^(https?|mailto|about|blob):/i.test(u))
"""

#: `make test` checks the payloads on the server (test_hostile_xss); the browser runs them in `make test-full`.
SAMPLES = [
    pytest.param(slice(None, None, 48), id="sample", marks=pytest.mark.slow),
    pytest.param(slice(None), id="every-payload", marks=pytest.mark.slow),
]


@pytest.mark.parametrize("sample", SAMPLES)
def test_no_payload_runs_in_the_browser(browser, live_server, make_article, make_case, admin_user, sample):
    site = plant_payloads(make_article, make_case)
    editor = Client()
    editor.force_login(admin_user)
    context = browser.new_context(bypass_csp=True)
    context.add_init_script(HOOKS)
    page = context.new_page()
    page.set_default_timeout(15_000)
    dialogs, server_errors, ran, unsafe = [], [], {}, {}
    page.on("dialog", lambda dialog: (dialogs.append((page.url, dialog.message)), dialog.dismiss()))
    page.on("response", lambda r: r.status >= 500 and server_errors.append(r.url))

    def visit(place, url):
        page.goto(live_server.url + url, wait_until="load")
        page.wait_for_timeout(30)  # let autofocus, ontoggle and animation handlers fire
        if calls := page.evaluate("window.__xss"):
            ran[f"{place} {url}"] = calls
        if urls := page.evaluate(UNSAFE_URLS):
            unsafe[f"{place} {url}"] = urls

    public = site.public_pages(sample)
    for place, url in public:
        visit(place, url)
    context.add_cookies(
        [{"name": "sessionid", "value": editor.cookies["sessionid"].value, "url": live_server.url}]
    )
    admin = site.admin_pages(sample)
    for place, url in admin:
        visit(place, url)
    context.close()

    assert server_errors == []
    assert dialogs == []
    assert ran == {}
    assert unsafe == {}
    assert len(public) + len(admin) >= 10 * len(site.planted[sample])


def test_the_hooks_catch_a_payload_that_runs(browser):
    """The check can fail: markup that does run is seen, through the hook and the dialog listener."""
    context = browser.new_context()
    context.add_init_script(HOOKS)
    page = context.new_page()
    page.route(
        "http://hostile.test/",
        lambda route: route.fulfill(
            content_type="text/html", body='<img src=x onerror=alert(1)><a href="javascript:alert(2)">x</a>'
        ),
    )
    page.goto("http://hostile.test/")
    page.wait_for_timeout(50)
    assert page.evaluate("window.__xss") == ["alert(1)"]
    assert page.evaluate(UNSAFE_URLS) == ["javascript:alert(2)"]
    context.close()
