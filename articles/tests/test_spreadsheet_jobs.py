"""Spreadsheet imports run as jobs on the task worker (issue 30, item 2): the upload request checks the
caps and stores the file; the worker runs the preview, and after confirmation the import, all or nothing;
only the uploader sees the job, and import-export's in-request confirm step is closed."""

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from articles.intake.resources import ArticleResource
from articles.models import Article, ImportJob

DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
HEADER = "slug,title,standfirst,body,diseases,therapies\n"


def upload(client, text, follow=False):
    data = {"import_file": SimpleUploadedFile("sheet.csv", text.encode()), "format": "0", "resource": "0"}
    return client.post(reverse("admin:articles_article_import"), data, follow=follow)


@pytest.mark.django_db
def test_the_upload_request_only_stores_the_file_and_queues_the_preview(client, users, settings, monkeypatch):
    settings.TASKS = DUMMY
    monkeypatch.setattr(ArticleResource, "import_data", lambda *a, **k: pytest.fail("read in the request"))
    client.force_login(users["editor"])
    response = upload(client, HEADER + ",A queued row,,,lupus,\n")
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert (job.kind, job.state) == (ImportJob.Kind.SPREADSHEET, ImportJob.State.QUEUED)
    assert storages["private"].listdir(job.folder)[1] == ["sheet"]
    assert "Waiting for the task worker" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_a_file_over_the_caps_is_still_refused_at_once_on_the_form(client, users, settings):
    settings.TASKS = DUMMY
    client.force_login(users["editor"])
    page = upload(client, HEADER + ",Broken,row,with,too,many,cells\n").content.decode()
    assert "cells" in page and not ImportJob.objects.exists()


@pytest.mark.django_db
def test_rows_with_problems_are_listed_and_nothing_can_be_confirmed(client, users, vocabulary):
    client.force_login(users["editor"])
    page = upload(client, HEADER + ",Good row,,,lupus,\n,Bad row,,,no-such-disease,\n", follow=True)
    text = page.content.decode()
    assert "Problems" in text and "Confirm import" not in text
    assert client.post(page.redirect_chain[-1][0]).status_code == 200  # nothing to confirm
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_only_the_uploader_sees_the_job_and_the_in_request_confirm_is_closed(client, users, vocabulary):
    client.force_login(users["editor"])
    job_page = upload(client, HEADER + ",Mine,,,lupus,\n")["Location"]
    client.force_login(users["privacy_officer"])
    assert client.get(job_page).status_code in (403, 404)
    client.force_login(users["editor"])
    assert client.post(reverse("admin:articles_article_process_import"), {}).status_code == 405
    assert not Article.objects.exists()
    client.post(job_page)
    assert Article.objects.get().title == "Mine"


@pytest.mark.django_db
def test_a_spreadsheet_over_its_time_budget_imports_nothing_and_says_so(
    client, users, vocabulary, settings, monkeypatch
):
    import time

    from articles.intake import spreadsheet_jobs

    settings.TASKS = DUMMY
    settings.NEWSDESK_SPREADSHEET_SECONDS = 1
    client.force_login(users["editor"])
    job_page = upload(client, HEADER + ",Slow row,,,lupus,\n")["Location"]
    real = ArticleResource.import_row

    def slow_row(self, *args, **kwargs):
        time.sleep(5)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(ArticleResource, "import_row", slow_row)
    started = time.monotonic()
    spreadsheet_jobs.read_spreadsheet.call(ImportJob.objects.get().pk)
    assert time.monotonic() - started < 4
    page = client.get(job_page).content.decode()
    assert "took longer than 1 seconds" in page and "Confirm import" not in page
    assert not Article.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_the_preview_and_then_the_import(client, users, vocabulary, settings):
    settings.TASKS = DATABASE
    client.force_login(users["editor"])
    job_page = upload(client, HEADER + ",From the worker,,,lupus,\n")["Location"]
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert "Confirm import" in client.get(job_page).content.decode()
    client.post(job_page)
    assert not Article.objects.exists()  # queued, not done in the request
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert Article.objects.get().title == "From the worker"
    assert client.get(job_page + "?format=json").json()["finished"] is True


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_the_spreadsheet_job_page_passes_axe_while_waiting_and_with_its_preview(
    browser, live_server, users, vocabulary, settings, width
):
    from articles.tests.browser import WIDTHS, check, log_in

    settings.TASKS = DATABASE
    page = browser.new_context(viewport=WIDTHS[width]).new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server, "editor")
    page.goto(live_server.url + reverse("admin:articles_article_import"))
    sheet = (HEADER + ",Seen in Chromium,,,lupus,\n").encode()
    page.set_input_files(
        "input[type=file]", files=[{"name": "s.csv", "mimeType": "text/csv", "buffer": sheet}]
    )
    page.select_option("select[name=format]", "0")
    page.click("input[type=submit]")
    assert "Waiting for the task worker" in page.inner_text("#import-progress")
    failures = check(page, "spreadsheet-job-waiting", width)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    page.wait_for_selector("table.import-preview", timeout=10_000)
    assert "Seen in Chromium" in page.inner_text("table.import-preview")
    failures += check(page, "spreadsheet-job-preview", width)
    assert not failures, "\n".join(failures)
