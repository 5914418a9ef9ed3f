"""The public site in headless Chromium: every page type passes axe-core's WCAG 2.2 A/AA rules at phone
and desktop widths, the keyboard works, and screenshots are kept for a human to look at."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.uploadedfile import SimpleUploadedFile

from articles import workflow
from articles.models import (
    Article,
    ArticleEvent,
    ArticleImage,
    DiseaseTag,
    Page,
    Reference,
    StaffProfile,
    Status,
    StudyPhase,
    StudyType,
    TherapyTag,
)
from articles.tests.browser import SCREENSHOTS, WCAG, WIDTHS
from articles.tests.test_images import jpeg_with_everything

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(make_article, make_case, vocabulary, users):
    sle = DiseaseTag.objects.get(slug="systemic-lupus-erythematosus")
    car_t = TherapyTag.objects.get(slug="car-t-cell-therapy")
    featured = make_article(
        title="Engineered immune cells bring lasting lupus remission",
        standfirst="A small study follows adults whose lupus had resisted every other treatment.",
        body="<p>Doctors treated the patients with a single infusion.</p><p>[image 1]</p>"
        "<h2>What happened next</h2><p>None needed their usual medicines a year later (NCT05930314).</p>",
        study_type=StudyType.FEW_PATIENTS,
        study_size=5,
        study_phase=StudyPhase.NONE,
        byline="The news team",
        author=users["writer"],
        status=Status.PUBLISHED,
        diseases=[sle],
        therapies=[car_t],
        hero_image=SimpleUploadedFile("clinic.jpg", jpeg_with_everything()),
        hero_alt="A nurse preparing an infusion bag",
        hero_caption="Cell therapy is given as a single infusion.",
    )
    ArticleImage.objects.create(
        article=featured, image=SimpleUploadedFile("ward.jpg", jpeg_with_everything()),
        alt="The day unit's infusion chairs by a window", caption="The day unit.", credit="Photo unit",
    )  # fmt: skip
    Reference.objects.create(
        article=featured, title="CD19 CAR T cells in refractory lupus", authors="Halvorsen, Ingrid\nQiao, Lan",
        venue="Journal of Example Immunology", year=2024, volume="31", pages="412-423", doi="10.5555/cart.2024.0117",
    )  # fmt: skip
    Reference.objects.create(
        article=featured, kind="trial", title="CAR-T cells for refractory lupus", venue="ClinicalTrials.gov",
        registry_id="NCT05930314", year=2023,
    )  # fmt: skip
    from articles.services import save_page

    about = save_page(Page(
        title="About the newsroom", slug="about", summary="Who writes the news.", footer_position=1, is_live=True,
        body="<p>The communications team writes the news.</p><h2>How we check it</h2><ul><li>A reviewer signs off.</li></ul>",
    ))  # fmt: skip
    for n in range(3):
        pictured = {
            "hero_image": SimpleUploadedFile("lab.jpg", jpeg_with_everything()),
            "hero_alt": "A laboratory bench",
        }
        make_article(
            title=f"Research update {n}", status=Status.PUBLISHED, diseases=[sle], therapies=[car_t],
            **(pictured if n == 0 else {}),
        )  # fmt: skip
    case = make_case(
        articles=[featured], label="Woman in her 20s with lupus", age_band="20-29", sex="female",
        treatment_year=2023, follow_up="2 years", outcome="In remission without medicines",
        narrative="<p>After years of flares she joined a trial.</p>",
    )  # fmt: skip
    case.diseases.add(sle)
    gone = make_article(title="Taken off the site", status=Status.PUBLISHED)
    ArticleEvent.record(gone, by=None, action=ArticleEvent.Action.PUBLISHED)  # it was live,
    Article.objects.filter(pk=gone.pk).update(status=Status.DRAFT, published_at=None)  # and is no more
    return {
        "home": "/",
        "news": "/news/",
        "article": featured.get_absolute_url(),
        "story": case.get_absolute_url(),
        "stories": "/stories/",
        "diseases": "/diseases/",
        "disease": sle.get_absolute_url(),
        "therapy": car_t.get_absolute_url(),
        "search": "/search/?q=lupus",
        "person": StaffProfile.objects.create(
            user=users["writer"], public_name="Wren Writer", credentials="Health reporter", shows_page=True
        ).get_absolute_url(),
        "search_nothing": "/search/?q=" + "x" * 400,  # a long unbroken query, and nothing found
        "gone": gone.get_absolute_url(),
        "page": about.get_absolute_url(),
        "not_found": "/news/no-such-page/",
    }


@pytest.mark.parametrize("width", ["phone", pytest.param("desktop", marks=pytest.mark.slow)])
def test_every_page_type_passes_axe_at_phone_and_desktop_widths(browser, live_server, site, width):
    context = browser.new_context(viewport=WIDTHS[width], bypass_csp=True)
    page = context.new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    failures = {}
    for name, path in site.items():
        page.goto(live_server.url + path)  # public pages run no script: loaded is finished
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
        if results.violations_count:
            failures[name] = results.generate_report()
        if page.evaluate("document.documentElement.scrollWidth > innerWidth"):
            failures[name] = "wider than the screen"
    context.close()
    assert not failures, "\n".join(f"{name}:\n{report}" for name, report in failures.items())


def test_desktop_pages_use_the_width_with_a_side_column_and_cards_with_pictures(browser, live_server, site):
    page = browser.new_page(viewport=WIDTHS["desktop"])
    page.goto(live_server.url + site["article"])
    article, side = (page.locator(sel).bounding_box() for sel in ("article.article", "aside.side"))
    assert side["x"] > article["x"] + article["width"]  # beside it, not under it
    assert side["x"] + side["width"] - article["x"] > 0.8 * WIDTHS["desktop"]["width"]
    assert (
        page.locator("aside.side .evidence").is_visible()
        and page.locator("section.references ol li").count() == 2
    )
    page.goto(live_server.url + site["home"])
    featured = page.locator(".featured").bounding_box()
    assert featured["width"] > 0.85 * WIDTHS["desktop"]["width"]
    assert page.locator(".card .card-image img").count() >= 1
    assert page.locator("footer a[href='/about/']").is_visible()
    page.close()


def test_print_keeps_the_references_and_drops_the_navigation(browser, live_server, site):
    page = browser.new_page()
    page.emulate_media(media="print")
    page.goto(live_server.url + site["article"])
    assert page.locator("section.references").is_visible()
    assert not page.locator(".site-header nav").is_visible() and not page.locator("nav.share").is_visible()
    page.close()


def test_the_keyboard_reaches_the_skip_link_first_and_it_moves_focus_to_the_content(page, live_server, site):
    page.goto(live_server.url + site["article"])
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"
    assert page.evaluate("document.activeElement.getBoundingClientRect().left") >= 0  # visible when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.slow
def test_no_layout_shift_from_images(page, live_server, site):
    page.goto(live_server.url + site["article"])
    sizes = page.evaluate(
        "Array.from(document.querySelectorAll('main img'))"
        ".map(i => [i.getAttribute('width'), i.getAttribute('height')])"
    )
    assert sizes and all(w and h for w, h in sizes)


def test_the_page_works_without_javascript_and_under_the_strict_policy(browser, live_server, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(live_server.url + site["search"])
    page.fill("#q", "remission")
    page.press("#q", "Enter")
    page.wait_for_load_state()
    assert "article" in page.inner_text(".result-count")
    context.close()
    assert not [e for e in errors if "Content Security Policy" in e]


@pytest.mark.slow
def test_a_returning_reader_s_browser_never_shows_an_article_after_it_is_unpublished(
    page, live_server, make_article, users
):
    """A browser keeps no fresh copy of a page: it asks again on every visit (a 304 while nothing has
    changed), so an article withdrawn for a patient's sake leaves every screen at once, not a minute on."""
    article = make_article(title="Soon to be withdrawn", status=Status.PUBLISHED)
    url = live_server.url + article.get_absolute_url()
    assert page.goto(url).status == 200
    page.goto(live_server.url + "/")
    assert page.goto(url).status == 200  # asked again; unchanged, so the copy is confirmed, not resent

    workflow.transition(article, to=Status.DRAFT, by=users["editor"], comment="Consent withdrawn.")
    page.goto(live_server.url + "/")
    assert page.goto(url).status == 404
    assert "Soon to be withdrawn" not in page.content()


def test_a_reader_goes_from_the_english_home_to_the_chinese_version_and_back(
    browser, live_server, site, users
):
    """#27: the link between an article and its translation, followed in the browser; the Chinese page
    says its language and passes axe."""
    from articles import services

    english = Article.objects.get(slug=site["article"].strip("/").split("/")[-1])
    chinese = services.make_translation(english, by=users["writer"])
    Article.objects.filter(pk=chinese.pk).update(
        title="工程化免疫细胞让狼疮长期缓解", status=Status.PUBLISHED, published_at=english.published_at
    )
    Article.objects.get(pk=chinese.pk).save()  # as publishing does: the English page now links it
    page = browser.new_page(viewport=WIDTHS["phone"])
    page.goto(live_server.url + "/")
    page.click(f"a[href='{english.get_absolute_url()}']")
    page.click("a[hreflang='zh-Hans']")
    assert page.locator("h1").inner_text() == "工程化免疫细胞让狼疮长期缓解"
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    assert not results.violations_count, results.generate_report()
    page.click("a[hreflang='en']")
    assert page.url.endswith(english.get_absolute_url())
    page.close()
