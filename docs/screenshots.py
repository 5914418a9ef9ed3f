"""Take the editor's guide's pictures from the real admin, with the demo content (`make screenshots`).

It builds a throwaway installation (SQLite and media in a temporary folder), loads the demo desk, serves
it, and walks headless Chromium through each job as the role that does it. Pictures land in
docs/editors/img/ under the names the guide's pages use, so they never go stale.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "editors" / "img"
SITE_OUT = ROOT / "docs" / "design"  # the public site at a phone's and a desktop's width (docs/design.md)
SITE_PAGES = {
    "home": "/",
    "article": "/news/car-t-brings-lupus-remission-without-medication-in-small-study/",
    "story-list": "/stories/",
    "topic": "/diseases/systemic-lupus-erythematosus/",
    "about": "/editorial-policy/",
}
PASSWORD = "newsdesk-demo"
SAMPLE_DOCUMENT = ROOT / "cases" / "tests" / "documents" / "myeloma-story-cp1252.txt"  # synthetic
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def serve(env, port):
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the demo server did not start")


class Desk:
    def __init__(self, browser, base):
        self.browser, self.base, self.pages = browser, base, {}

    def as_(self, username):
        """A signed-in page for `username` (one browser context per role)."""
        if username not in self.pages:
            context = self.browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
            page = context.new_page()
            page.goto(f"{self.base}/admin/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.click("input[type=submit]")
            self.pages[username] = page
        return self.pages[username]

    def shot(self, page, name, *, selector=None, full_page=False):
        path = OUT / f"{name}.png"
        if selector:
            page.locator(selector).first.screenshot(path=path)
        else:
            page.screenshot(path=path, full_page=full_page)
        print(f"  {path.relative_to(ROOT)}")


def take(desk: Desk):
    base = desk.base
    writer, reviewer = desk.as_("writer"), desk.as_("reviewer")
    editor, privacy = desk.as_("editor"), desk.as_("privacy")

    # Write and submit
    writer.goto(f"{base}/admin/articles/article/?queue=mine")
    desk.shot(writer, "write-list")
    writer.goto(f"{base}/admin/articles/article/6/change/")
    desk.shot(writer, "write-form")
    desk.shot(writer, "write-submit", selector=".workflow-panel")

    # Review and sign off
    reviewer.goto(f"{base}/admin/")
    desk.shot(reviewer, "review-queue", selector="#desk-queue")
    reviewer.goto(f"{base}/admin/articles/article/7/change/")
    desk.shot(reviewer, "review-sign-off", selector=".workflow-panel")
    reviewer.goto(f"{base}/admin/articles/article/reviews-due/")
    desk.shot(reviewer, "review-due")

    # Import documents (this also gives the privacy officer a story to clear)
    editor.goto(f"{base}/admin/cases/case/import-documents/")
    desk.shot(editor, "import-upload")
    editor.set_input_files("input[type=file]", str(SAMPLE_DOCUMENT))
    editor.locator(
        "#content-main form button[type=submit], #content-main form input[type=submit]"
    ).first.click()
    editor.wait_for_load_state()
    desk.shot(editor, "import-preview", full_page=True)
    confirm = editor.locator("#content-main form button[type=submit], #content-main form input[type=submit]")
    if confirm.count():
        confirm.first.click()
        editor.wait_for_load_state()
    editor.goto(f"{base}/admin/articles/article/import/")
    desk.shot(editor, "import-spreadsheet")

    # Privacy findings and clearing a story
    privacy.goto(f"{base}/admin/cases/case/?privacy_status__exact=pending")
    pending = privacy.locator("#result_list tbody tr th a").first
    if pending.count():
        pending.click()
        privacy.wait_for_load_state()
        desk.shot(privacy, "privacy-findings", full_page=True)
    privacy.goto(f"{base}/admin/cases/case/1/change/")
    desk.shot(privacy, "case-consent", full_page=True)
    privacy.goto(f"{base}/admin/cases/case/1/clear/")
    desk.shot(privacy, "case-clear", full_page=True)

    # Schedule and publish
    editor.goto(f"{base}/admin/articles/article/7/change/")
    desk.shot(editor, "publish-panel", selector=".workflow-panel")
    editor.goto(f"{base}/admin/articles/article/calendar/?view=month")
    desk.shot(editor, "publish-calendar")

    # Retract or correct
    editor.goto(f"{base}/admin/articles/article/1/change/")
    editor.locator("details.corrections-form summary").first.click()
    desk.shot(editor, "retract-panel", selector=".workflow-panel")

    # The public site and the admin home, for the README
    editor.goto(f"{base}/admin/")
    desk.shot(editor, "admin-home")
    public = desk.browser.new_page(viewport={"width": 1280, "height": 900})
    public.goto(f"{base}/")
    desk.shot(public, "public-home")


def public_site(browser, base):
    """Each public page type at 390 and 1280 pixels wide: the first 1,600 pixels of the page."""
    SITE_OUT.mkdir(parents=True, exist_ok=True)
    for width in (390, 1280):
        page = browser.new_page(viewport={"width": width, "height": 1600})
        for name, path in SITE_PAGES.items():
            page.goto(f"{base}{path}")
            page.screenshot(path=SITE_OUT / f"{name}-{width}.png")
            print(f"  docs/design/{name}-{width}.png")
        page.close()


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="newsdesk-shots-") as tmp:
        env = {
            **os.environ,
            "DEBUG": "true",
            "DATABASE_URL": f"sqlite:///{tmp}/desk.sqlite3",
            "CACHE_URL": "locmemcache://shots",
            "MEDIA_ROOT": f"{tmp}/media",
            "PRIVATE_MEDIA_ROOT": f"{tmp}/private",
            "EMAIL_URL": "consolemail://",
        }
        for command in (
            ["migrate", "--noinput"],
            ["setup_roles"],
            ["load_demo"],
            ["demo_accounts", "--password", PASSWORD],
        ):
            manage(env, *command)
        port = free_port()
        server = serve(env, port)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                print(f"Screenshots into {OUT.relative_to(ROOT)}:")
                take(Desk(browser, f"http://127.0.0.1:{port}"))
                public_site(browser, f"http://127.0.0.1:{port}")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
