"""Comments and the editorial calendar in headless Chromium: post, reply, open an item from the calendar,
and the calendar passes axe-core's WCAG 2.2 A/AA rules at phone and desktop widths."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from articles.models import Article, Comment
from articles.tests.browser import SCREENSHOTS, WCAG, WIDTHS, log_in, open_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.slow
def test_a_comment_and_a_reply_in_the_admin(page, live_server, users, make_article):
    article = make_article(title="Gene therapy trial opens", author=users["writer"])

    log_in(page, live_server, "medical_reviewer")
    open_article(page, live_server, article)
    page.fill("#new-comment-body", "Which trial registry number?")
    page.click("text=Post comment")
    page.wait_for_selector(".messagelist")
    assert "Comment posted." in page.inner_text(".messagelist")
    thread = Comment.objects.get()

    log_in(page, live_server, "writer")
    open_article(page, live_server, article)
    page.fill(f"#reply-{thread.pk}", "NCT-0001, added to the text.")
    page.click(f"#comment-{thread.pk} >> text=Post reply")
    page.wait_for_selector(".messagelist")
    panel = page.inner_text("#comments")
    assert "Which trial registry number?" in panel and "NCT-0001, added to the text." in panel

    page.screenshot(path=str(SCREENSHOTS / "comments-panel.png"), full_page=True)
    page.click(f"#comment-{thread.pk} >> text=Resolve thread")
    page.wait_for_selector(".messagelist")
    assert page.locator(f"details#comment-{thread.pk}").count() == 1  # collapsed once resolved


@pytest.mark.slow
@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_the_calendar_opens_an_item_and_passes_axe(browser, live_server, users, make_article, width):
    article = make_article(
        title="Planned for today", planned_for=timezone.localdate(), author=users["writer"]
    )
    context = browser.new_context(viewport=WIDTHS[width])
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server, "editor")
    failures = []
    for view in ("week", "month"):
        page.goto(f"{live_server.url}/admin/articles/article/calendar/?view={view}")
        page.wait_for_load_state("networkidle")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"calendar-{view}-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"]
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
        if results.violations_count:
            failures.append(f"{view}:\n{results.generate_report()}")
    assert not failures, "\n".join(failures)

    page.click("text=Planned for today")
    page.wait_for_selector(".workflow-panel")
    assert page.url.endswith(f"/admin/articles/article/{article.pk}/change/")
    context.close()


@pytest.mark.slow
def test_the_preview_share_form_passes_axe_and_carries_its_maximum(page, live_server, users, make_article):
    from articles.tests.browser import check

    article = make_article(title="Shared for checking", author=users["writer"], status="in_review")
    page.set_viewport_size(WIDTHS["desktop"])
    log_in(page, live_server, "editor")
    open_article(page, live_server, article)
    page.locator(".preview-links summary").click()
    failures = check(page, "preview-share", "desktop", part=".preview-links")
    assert page.get_attribute("#preview-days", "max") == "30"
    assert not failures, "\n".join(failures)


def test_the_content_checks_follow_the_text_as_it_is_typed(page, live_server, users, make_article):
    """#25, item 5: the panel answers for the text on the page, without a save."""
    article = make_article(title="Cell therapy for lupus", author=users["writer"], plain_summary="")
    log_in(page, live_server, "writer")
    open_article(page, live_server, article)
    panel = page.locator("#content-checks")
    assert "To fix before review" in panel.inner_text()
    page.fill("#id_plain_summary", "Doctors changed patients' own immune cells. Most felt better in a month.")
    page.fill("#id_standfirst", "A miracle for lupus patients, say the doctors who ran the trial.")
    page.wait_for_function(
        "() => document.querySelector('#content-checks').innerText.includes('“miracle”')", timeout=10_000
    )
    assert "To fix before review" not in panel.inner_text()
    assert Article.objects.get(pk=article.pk).plain_summary == ""  # checked, not saved


def test_a_picture_is_placed_in_the_text_and_readers_get_it_as_a_picture(
    page, live_server, users, make_article
):
    """#25, item 3: upload beside the text, place it at the cursor, save; the preview shows a <picture>."""
    from articles.tests.test_images import jpeg_with_everything

    article = make_article(title="The day unit", author=users["writer"], body="<p>Before.</p>")
    log_in(page, live_server, "writer")
    open_article(page, live_server, article)
    page.click("#images-group .add-row a")
    page.set_input_files(
        "#id_images-0-image",
        files=[{"name": "IMG_1.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_everything()}],
    )
    page.fill("#id_images-0-alt", "A nurse checks the infusion pump")
    page.fill("#id_images-0-credit", "Hospital photo unit")
    page.click("input[name=_continue]")
    page.wait_for_selector("button.place-image")
    page.locator(".ProseMirror").first.focus()
    page.keyboard.press("Control+End")
    page.click("button.place-image")
    page.click("input[name=_continue]")
    page.wait_for_selector(".workflow-panel")
    assert "[image 1]" in Article.objects.get(pk=article.pk).body
    page.goto(f"{live_server.url}/news/preview/{article.pk}/")
    figure = page.locator("figure.inline-image picture img")
    assert figure.get_attribute("alt") == "A nurse checks the infusion pump"
