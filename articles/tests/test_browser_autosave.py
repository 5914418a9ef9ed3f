"""Nothing is lost, in headless Chromium (#25, item 1): type, close the tab, reopen, restore; and a warning
before leaving a form with changes not saved."""

import pytest

from articles.models import Article, FormDraft
from articles.tests.browser import SCREENSHOTS, check, log_in, open_article

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_type_close_the_tab_reopen_and_restore(browser, live_server, users, make_article):
    article = make_article(title="Old headline", author=users["writer"])
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server, "writer")
    open_article(page, live_server, article)
    page.click("#id_title")
    page.keyboard.press("Control+A")
    page.keyboard.type("A headline typed and never saved")
    page.locator(".autosave-status", has_text="Draft kept").wait_for()
    page.close(run_before_unload=False)  # the tab closed: nothing was submitted

    page = context.new_page()
    page.set_default_timeout(10_000)
    open_article(page, live_server, article)
    offer = page.locator(".autosave-offer")
    offer.wait_for()
    assert "never saved" in offer.inner_text()
    assert page.input_value("#id_title") == "Old headline"
    failures = check(page, "autosave-offer", "desktop", part=".autosave-offer")
    page.click("text=Restore them")
    assert page.input_value("#id_title") == "A headline typed and never saved"

    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    assert Article.objects.get(pk=article.pk).title == "A headline typed and never saved"
    assert not FormDraft.objects.exists()
    assert not failures, "\n".join(failures)
    context.close()


def test_leaving_a_changed_form_asks_first(page, live_server, users, make_article):
    article = make_article(author=users["writer"])
    log_in(page, live_server, "writer")
    open_article(page, live_server, article)
    page.click("#id_standfirst")
    page.keyboard.type(" One more sentence.")
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    page.context.close()


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_retract_asks_on_a_page_of_its_own_by_keyboard_alone(
    browser, live_server, users, make_article, width
):
    from articles.models import Status
    from articles.tests.browser import WIDTHS

    article = make_article(title="A study later withdrawn", status=Status.PUBLISHED, author=users["writer"])
    context = browser.new_context(viewport=WIDTHS[width])
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server, "editor")
    open_article(page, live_server, article)
    page.focus("#comment-retract")
    page.keyboard.type("The trial's authors withdrew the study.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the red "Retract…" button
    page.wait_for_selector(".permanent-warning")
    failures = check(page, "retract-confirm", width)
    assert page.input_value("#confirm-reason") == "The trial's authors withdrew the study."
    assert Article.objects.get(pk=article.pk).status == Status.PUBLISHED
    page.focus("#confirm-reason")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # "Retract for good"
    page.wait_for_selector(".messagelist")
    assert Article.objects.get(pk=article.pk).status == Status.RETRACTED
    assert not failures, "\n".join(failures)
    context.close()


def test_the_writing_surface_checks_spelling_and_counts_the_headline(page, live_server, users, make_article):
    article = make_article(title="Twelve chars", author=users["writer"])
    log_in(page, live_server, "writer")
    open_article(page, live_server, article)
    editor = page.locator(".prose-editor:has(#id_body) .tiptap.ProseMirror")
    editor.wait_for()
    assert editor.get_attribute("spellcheck") != "false"
    assert editor.bounding_box()["height"] >= 250  # room to write, not a one-line box
    assert page.inner_text("#id_title-length") == "12 of 200 characters"
    page.fill("#id_title", "A longer headline now")
    page.dispatch_event("#id_title", "input")
    assert page.inner_text("#id_title-length") == "21 of 200 characters"
    page.screenshot(
        path=str(SCREENSHOTS / "writing-surface.png"), clip={"x": 0, "y": 0, "width": 1280, "height": 1300}
    )
    page.context.close()


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_the_home_page_and_the_hand_over_page_pass_axe(browser, live_server, users, make_article, width):
    from articles.tests.browser import WIDTHS

    articles = [make_article(title=f"Draft {n}", author=users["writer"]) for n in range(2)]
    context = browser.new_context(viewport=WIDTHS[width])
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/admin/")
    failures = check(page, "desk-home", width, part="#desk-queue")
    page.goto(f"{live_server.url}/admin/articles/article/")
    for article in articles:
        page.check(f"input[name=_selected_action][value='{article.pk}']")
    page.select_option("select[name=action]", "assign_owner")
    page.click("button[name=index]")
    page.wait_for_selector("#new-owner")
    failures += check(page, "hand-over", width, part="#content-main")
    assert not failures, "\n".join(failures)
    context.close()
