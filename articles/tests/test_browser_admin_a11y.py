"""The admin passes WCAG 2.2 AA (#25, item 8): axe finds nothing on each page type of the desk, at phone
and desktop widths, with its target-size rule (2.5.8) included; and a long list filter folds, with a box
to find a choice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import REVIEW_QUESTIONS, Article, Embargo, Page, Reference, Status
from articles.tests.browser import SCREENSHOTS, WIDTHS, check, log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_every_desk_page_type_passes_axe(
    browser, live_server, users, make_article, make_case, vocabulary, width
):
    article = make_article(
        title="A long headline about CAR-T cell therapy for lupus, as writers really write them",
        status=Status.IN_REVIEW,
        author=users["writer"],
    )
    for _ in range(5):
        make_article(author=users["writer"])
    embargo = Embargo.objects.create(
        journal="Nature Medicine", paper="CAR-T in lupus", lifts_at=timezone.now() + timedelta(days=1)
    )
    Article.objects.filter(pk=article.pk).update(embargo=embargo)  # its note, and a lift on the calendar
    case = make_case(articles=[article])
    newsroom_page = Page.objects.create(title="About the newsroom", slug="about", body="<p>Who we are.</p>")
    context = browser.new_context(viewport=WIDTHS[width])
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server, "editor")
    failures = []
    for name, path in {
        "home": "/admin/",
        "changelist": "/admin/articles/article/",
        "change-form": f"/admin/articles/article/{article.pk}/change/",
        "story-form": f"/admin/cases/case/{case.pk}/change/",
        "calendar": "/admin/articles/article/calendar/",
        "import": "/admin/cases/case/import-documents/",
        "history": f"/admin/articles/article/{article.pk}/history/",
        "guide": "/admin/guide/",
        "my-page": "/admin/my-page/",
        "embargoes": "/admin/articles/embargo/",
        "embargo-form": f"/admin/articles/embargo/{embargo.pk}/change/",
        "pages": "/admin/articles/page/",
        "page-form": f"/admin/articles/page/{newsroom_page.pk}/change/",
    }.items():
        page.goto(live_server.url + path)
        failures += check(page, f"admin-{name}", width)
    draft = make_article(title="A draft with pictures and stories", author=users["writer"])
    Reference.objects.create(article=draft, title="CD19 CAR T cells in lupus", venue="A journal", year=2024)
    log_in(page, live_server, "writer")  # the writer's form: pictures, references and the story picker
    page.goto(f"{live_server.url}/admin/articles/article/{draft.pk}/change/")
    page.click("#images-group .add-row a")
    page.click("#references-group .add-row a")
    failures += check(page, "admin-writer-form", width)
    page.on("dialog", lambda dialog: dialog.accept())  # leave the form with its unsaved new rows
    log_in(page, live_server, "medical_reviewer")  # the sign-off form with its review questions
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    failures += check(page, "admin-sign-off-form", width)
    assert not failures, "\n".join(failures)
    context.close()


def test_a_long_filter_folds_and_finds_a_choice_by_typing(page, live_server, users, make_article, vocabulary):
    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/admin/articles/article/")
    diseases = page.locator("#changelist-filter details[data-filter-title='diseases']")
    assert diseases.get_attribute("open") is None  # folded: nothing chosen in it
    diseases.locator("summary").click()
    diseases.locator(".filter-search").fill("lupus")
    shown = [t.strip() for t in diseases.locator("li:visible").all_inner_texts()]
    assert shown and all("lupus" in t.lower() for t in shown)
    page.context.close()


def test_submit_sign_off_clear_and_publish_by_keyboard_alone(
    page, live_server, users, make_article, make_case
):
    """Each key move of the desk made with the keyboard only: focus the move's note, Tab to its button,
    press Enter (Space ticks a box)."""
    article = make_article(title="Keyboard path", author=users["writer"])
    case = make_case(articles=[article], cleared=False)

    def move(username, note_field, note, url):
        log_in(page, live_server, username)
        page.goto(live_server.url + url)
        page.focus(note_field)
        page.keyboard.type(note)
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_selector(".messagelist")

    change = f"/admin/articles/article/{article.pk}/change/"
    move("writer", "#comment-submit", "Ready.", change)
    assert Article.objects.get(pk=article.pk).status == Status.IN_REVIEW
    log_in(page, live_server, "medical_reviewer")
    page.goto(live_server.url + change)
    page.focus("#sign-off-benefits_0")
    for _ in REVIEW_QUESTIONS:  # Space answers "Yes"; Tab goes on to the next question
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
    page.keyboard.type("Doses checked.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector(".messagelist")
    review = Article.objects.get(pk=article.pk).medical_review
    assert review is not None and set(review.answers.values()) == {"yes"}

    log_in(page, live_server, "privacy_officer")
    page.goto(f"{live_server.url}/admin/cases/case/{case.pk}/clear/")
    page.focus("#id_consent_on_file")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.type("Read the whole story; nothing identifies the patient.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector(".messagelist")
    case.refresh_from_db()
    assert case.privacy_status == "cleared"

    move("editor", "#comment-publish", "", change)
    assert Article.objects.get(pk=article.pk).status == Status.PUBLISHED


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_the_article_list_reads_well_with_long_headlines(browser, live_server, users, make_article, width):
    """#25, item 7: no headline wraps over more than three lines, and no column is cut off."""
    for n in range(6):
        make_article(
            title=f"Engineered immune cells bring drug-free remission to adults with severe lupus, trial {n} finds",
            author=users["writer"],
            status=[Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED][n % 3],
        )
    context = browser.new_context(viewport=WIDTHS[width])
    page = context.new_page()
    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/admin/articles/article/")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"admin-list-long-headlines-{width}.png"), full_page=True)
    lines = page.eval_on_selector_all(  # the line boxes of each headline
        "#result_list .headline-text", "spans => spans.map(s => s.getClientRects().length)"
    )
    assert lines and max(lines) <= 3, lines
    cut = page.evaluate(
        "() => { const r = document.querySelector('#changelist .results');"
        " return [r.scrollWidth - r.clientWidth, document.documentElement.scrollWidth - innerWidth]; }"
    )
    assert cut == [0, 0], cut
    context.close()
