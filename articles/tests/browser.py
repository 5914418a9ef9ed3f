"""What the browser tests share: the widths, axe's WCAG 2.2 A/AA rules, signing in, and one check that
keeps a screenshot and runs axe on a page (or a part of it)."""

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests")
    page.click("input[type=submit]")
    page.wait_for_selector("#content")


def open_article(page, live_server, article):
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")


def check(page, name: str, width: str, part: str | None = None) -> list[str]:
    """A screenshot kept as `name`, then what is wrong: wider than the screen, or axe's violations."""
    page.wait_for_load_state("networkidle")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    failures = []
    if page.evaluate("document.documentElement.scrollWidth") > WIDTHS[width]["width"]:
        failures.append(f"{name}: wider than the screen")
    results = Axe().run(page, context=part, options={"runOnly": {"type": "tag", "values": WCAG}})
    if results.violations_count:
        failures.append(f"{name}:\n{results.generate_report()}")
    return failures
