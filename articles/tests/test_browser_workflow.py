"""A whole day on the desk, in headless Chromium: draft, review, changes, sign-off, schedule, go live."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import REVIEW_QUESTIONS, Article, Status
from articles.tasks import tick
from articles.tests.browser import log_in, open_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.slow
def test_a_day_on_the_desk(page, live_server, users):
    start = timezone.now()
    traveller = time_machine.travel(start, tick=True)
    traveller.start()
    try:
        # The writer drafts and submits.
        log_in(page, live_server, "writer")
        page.goto(f"{live_server.url}/admin/articles/article/add/")
        page.fill("#id_title", "CAR-T cells bring a second remission")
        page.fill("#id_standfirst", "A new trial result for adults with relapsed leukemia.")
        page.locator(".ProseMirror").first.focus()
        page.keyboard.type("Doctors report that twelve adults responded.")
        page.click("input[name=_continue]")
        page.wait_for_selector(".workflow-panel")
        article = Article.objects.get(title="CAR-T cells bring a second remission")
        page.click("button[value=submit]")  # refused at submission: the summary is missing
        page.wait_for_selector(".messagelist")
        assert "plain-language summary" in page.inner_text(".messagelist")
        assert Article.objects.get(pk=article.pk).status == Status.DRAFT
        page.fill(
            "#id_plain_summary",
            "Twelve adults whose leukemia came back are well again after a new treatment.",
        )
        page.click("input[name=_continue]")
        page.wait_for_selector(".workflow-panel")
        page.click("button[value=submit]")
        page.wait_for_selector(".messagelist")
        assert Article.objects.get(pk=article.pk).status == Status.IN_REVIEW

        # The medical reviewer asks for a change.
        log_in(page, live_server, "medical_reviewer")
        open_article(page, live_server, article)
        page.fill("#comment-request_changes", "Give the number of patients in the trial's own words.")
        page.click("button[value=request_changes]")
        page.wait_for_selector(".messagelist")
        assert Article.objects.get(pk=article.pk).status == Status.DRAFT

        # The writer revises and resubmits.
        log_in(page, live_server, "writer")
        open_article(page, live_server, article)
        page.fill("#id_standfirst", "Twelve adults with relapsed leukemia responded in a new trial.")
        page.click("input[name=_continue]")
        page.wait_for_selector(".workflow-panel")
        page.click("button[value=submit]")
        page.wait_for_selector(".messagelist")

        # The reviewer signs off the exact text.
        log_in(page, live_server, "medical_reviewer")
        open_article(page, live_server, article)
        for key in REVIEW_QUESTIONS:
            page.check(f"#sign-off-{key}_0")
        page.click(".move-sign_off button")
        page.wait_for_selector(".sign-off-state")
        assert "Medical sign-off by" in page.inner_text(".sign-off-state")

        # The editor schedules it for tomorrow morning.
        log_in(page, live_server, "editor")
        open_article(page, live_server, article)
        when = timezone.localtime(start + timedelta(days=1)).replace(second=0, microsecond=0)
        page.fill("#publish-at-schedule", when.strftime("%Y-%m-%dT%H:%M"))
        page.click("button[value=schedule]")
        page.wait_for_selector(".messagelist")
        assert Article.objects.get(pk=article.pk).is_scheduled

        # Readers cannot see it yet.
        page.context.clear_cookies()
        page.goto(live_server.url)
        assert "CAR-T cells bring a second remission" not in page.content()
        assert page.goto(f"{live_server.url}/news/{article.slug}/").status == 404
    finally:
        traveller.stop()

    # The clock passes the scheduled time, the task worker re-checks the gates; the reader sees it.
    with time_machine.travel(start + timedelta(days=1, minutes=5), tick=True):
        assert tick.call()["went_live"] == 1
        reader = page.context.browser.new_context().new_page()  # a reader whose browser has no cached copy
        reader.goto(live_server.url)
        reader.click("text=CAR-T cells bring a second remission")
        page = reader
        assert "Twelve adults with relapsed leukemia responded" in page.content()
        assert "Medically reviewed by" in page.inner_text("article header")
        reader.context.close()
