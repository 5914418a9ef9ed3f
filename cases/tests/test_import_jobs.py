"""Document imports run as jobs on the task worker (issue 30, item 2): the upload request only stores the
files and queues the work; the worker reads each document within its time budget; the page shows the
progress, then the preview, which only its uploader can confirm."""

import time

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, ImportJob
from cases import import_jobs

DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
STORY = b"New clinic opens for lupus\n\nThe rheumatology clinic opens in spring for patients with lupus."


def upload(client, *files, follow=False):
    return client.post(reverse("admin:import_documents"), {"files": list(files)}, follow=follow)


@pytest.mark.django_db
def test_the_upload_request_reads_nothing_and_the_page_says_the_worker_has_it(
    client, users, settings, monkeypatch
):
    settings.TASKS = DUMMY  # a backend that never runs anything
    monkeypatch.setattr(import_jobs, "import_document", lambda *a, **k: pytest.fail("read in the request"))
    client.force_login(users["editor"])
    response = upload(client, SimpleUploadedFile("clinic.txt", STORY))
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert (job.state, job.total, job.read) == (ImportJob.State.QUEUED, 1, 0)
    page = client.get(response["Location"]).content.decode()
    assert "Waiting for the task worker" in page and 'role="status"' in page
    assert client.get(response["Location"] + "?format=json").json() == {
        "state": "queued",
        "read": 0,
        "total": 1,
        "finished": False,
    }


@pytest.mark.django_db
def test_documents_wait_under_numbers_and_the_report_keeps_no_identifier(client, users, settings):
    settings.TASKS = DUMMY
    client.force_login(users["editor"])
    upload(client, SimpleUploadedFile("Mrs Ada Quell bed 12.txt", STORY + b" Call 07700 900123."))
    job = ImportJob.objects.get()
    stored = storages["private"].listdir(job.folder)[1]
    assert stored == ["0000.txt"]
    import_jobs.read_documents.call(job.pk)
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE and job.read == 1
    assert job.rows[0]["findings"] >= 1 and "07700" not in str(job.rows)


@pytest.mark.django_db
def test_a_document_over_its_time_budget_is_left_out_with_a_reason_and_the_rest_still_read(
    client, users, settings, monkeypatch
):
    settings.TASKS = DUMMY
    settings.NEWSDESK_IMPORT_SECONDS = 1
    client.force_login(users["editor"])
    upload(client, SimpleUploadedFile("slow.txt", b"slow\n\n" + STORY), SimpleUploadedFile("ok.txt", STORY))
    job = ImportJob.objects.get()
    real = import_jobs.import_document

    def sometimes_slow(name, data, **kwargs):
        if data.startswith(b"slow"):
            time.sleep(5)
        return real(name, data, **kwargs)

    monkeypatch.setattr(import_jobs, "import_document", sometimes_slow)
    started = time.monotonic()
    import_jobs.read_documents.call(job.pk)
    assert time.monotonic() - started < 4
    job.refresh_from_db()
    slow, ok = job.rows
    assert "took longer than 1 seconds" in slow["error"] and "Split it" in slow["error"]
    assert ok["error"] is None and ok["title"]


@pytest.mark.django_db
def test_preview_then_confirm_runs_both_steps_as_jobs(client, users):
    client.force_login(users["editor"])
    preview = upload(client, SimpleUploadedFile("clinic.txt", STORY), follow=True)
    page = preview.content.decode()
    assert "Preview: nothing has been saved yet" in page and "New clinic opens for lupus" in page
    assert not Article.objects.exists()
    done = client.post(preview.redirect_chain[-1][0], follow=True).content.decode()
    assert "1 document(s) imported as drafts" in done
    assert Article.objects.count() == 1
    assert ImportJob.objects.get().step == ImportJob.Step.IMPORT


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_a_queued_import(client, users, settings):
    settings.TASKS = DATABASE
    client.force_login(users["editor"])
    location = upload(client, SimpleUploadedFile("clinic.txt", STORY))["Location"]
    assert ImportJob.objects.get().state == ImportJob.State.QUEUED
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.DONE and job.read == 1
    assert client.get(location + "?format=json").json()["finished"] is True


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_the_progress_page_follows_the_worker_and_passes_axe(browser, live_server, users, settings, width):
    """In Chromium: a queued job's page says so in a live region, passes axe (at 390 and 1280 px), and
    turns into the preview by itself once the worker has read the documents."""
    from articles.tests.browser import WIDTHS, check, log_in

    settings.TASKS = DATABASE
    page = browser.new_context(viewport=WIDTHS[width]).new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server, "editor")
    page.goto(live_server.url + reverse("admin:import_documents"))
    page.set_input_files(
        "input[type=file]", files=[{"name": "clinic.txt", "mimeType": "text/plain", "buffer": STORY}]
    )
    page.click("input[type=submit]")
    assert "Waiting for the task worker" in page.inner_text("#import-progress")
    failures = check(page, "import-progress", width)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    page.wait_for_selector("table.import-preview", timeout=10_000)
    assert page.input_value("input[name=doc-0-title]") == "New clinic opens for lupus"
    failures += check(page, "import-preview", width)

    page.fill("input[name=doc-0-title]", "Lupus clinic opens in spring")  # corrected in the preview
    page.click("input[type=submit][value='Confirm import']")
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    page.wait_for_selector("table.import-preview a", timeout=10_000)
    assert page.inner_text("table.import-preview a") == "Lupus clinic opens in spring"
    failures += check(page, "import-done", width)
    assert not failures, "\n".join(failures)


RELEASE = (
    b"Share this page\n\n"
    b"CAR-T brings remission in lupus\n\n"
    b"A woman in her thirties with lupus is in remission after CAR-T cell therapy, her doctors said.\n\n"
    b"She had lupus nephritis for years before the treatment. Lupus no longer troubles her.\n"
)


def previewed(client, *files):
    """Upload `files`, and return the preview page's address and its rows."""
    response = upload(client, *files, follow=True)
    return response.redirect_chain[-1][0], ImportJob.objects.get().rows


def as_posted(rows, **changes):
    """The preview form as the browser posts it untouched, then `changes` (field name: value)."""
    data = {}
    for n, row in enumerate(rows):
        if row["error"]:
            continue
        data |= {f"doc-{n}-include": "on", f"doc-{n}-title": row["title"]}
        data |= {f"doc-{n}-diseases": row["diseases"], f"doc-{n}-therapies": row["therapies"]}
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


@pytest.mark.django_db
def test_an_editor_corrects_the_preview_before_confirming(client, users, vocabulary):
    """Issue 21, item 8: leave a document out, edit a headline, untick a tag, add one by its synonym, and
    put a left-out line back; the drafts are what the corrected preview said, and the result links them."""
    client.force_login(users["editor"])
    location, rows = previewed(
        client, SimpleUploadedFile("a-clinic.txt", STORY), SimpleUploadedFile("b-release.txt", RELEASE)
    )
    clinic, release = rows
    assert "Share this page" in release["dropped"] and "Lupus nephritis" in release["diseases"]
    page = client.get(location).content.decode()
    assert (
        'name="doc-1-title"' in page and 'name="doc-1-restore"' in page and 'list="import-therapies"' in page
    )

    data = as_posted(
        rows,
        **{
            "doc-0-include": None,
            "doc-1-title": "Lupus in remission after CAR-T",
            "doc-1-diseases": ["Systemic lupus erythematosus"],
            "doc-1-more_therapies": "immunosuppressive therapy",
            "doc-1-restore": [str(release["dropped"].index("Share this page"))],
        },
    )
    done = client.post(location, data, follow=True).content.decode()

    article = Article.objects.get()
    assert article.title == "Lupus in remission after CAR-T"
    assert list(article.diseases.names()) == ["Systemic lupus erythematosus"]
    assert set(article.therapies.names()) == {"CAR-T cell therapy", "Immunosuppressive therapy"}
    assert "Share this page" in article.body
    assert "1 document(s) imported as drafts" in done and "Left out in the preview" in done
    assert reverse("admin:articles_article_change", args=[article.pk]) in done


@pytest.mark.django_db
def test_a_correction_the_desk_cannot_use_is_refused_and_nothing_is_imported(client, users, vocabulary):
    client.force_login(users["editor"])
    location, rows = previewed(client, SimpleUploadedFile("release.txt", RELEASE))
    data = as_posted(rows, **{"doc-0-title": "  ", "doc-0-more_diseases": "Lupus, Moonpox"})
    page = client.post(location, data).content.decode()
    assert "Give the draft a headline, or untick Import to leave it out." in page
    assert "“Moonpox”: not in the vocabulary" in page and "Lupus" not in page.split("Moonpox")[0][-40:]
    assert not Article.objects.exists()
    assert ImportJob.objects.get().step == ImportJob.Step.PREVIEW
