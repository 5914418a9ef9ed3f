"""Spreadsheet imports as jobs on the task worker: the upload request checks the file's caps, stores it
and queues its preview; the worker runs django-import-export's dry run, then, once the uploader confirms,
the import itself, all or nothing. The page follows the job (see `SpreadsheetMixin`)."""

import logging

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.budget import TooSlow, time_budget
from articles.intake.spreadsheets import read_failure_message
from articles.models import ImportJob

log = logging.getLogger("newsdesk.import")
TOO_SLOW = _(
    "Reading this file took longer than %(seconds)d seconds, so nothing was imported. "
    "Split it into smaller files and import them one by one."
)
SHOWN_ROWS = 200


# import-export's row actions as the desk reads them: a skipped row is one the file did not change
ACTIONS = {"new": "new", "update": "updated", "skip": "unchanged", "delete": "deleted", "error": "error"}


def start(uploader, model, cleaned: dict) -> ImportJob:
    """Store the checked upload of `cleaned` (the import form's data) and queue its preview."""
    upload = cleaned["import_file"]
    upload.seek(0)
    job = ImportJob.objects.create(
        uploader=uploader,
        kind=ImportJob.Kind.SPREADSHEET,
        names=[upload.name],
        total=1,
        source={
            "model": model._meta.label_lower,
            "format": int(cleaned["format"]),
            "resource": int(cleaned.get("resource") or 0),
        },
    )
    storages["private"].save(f"{job.folder}/sheet", ContentFile(upload.read()))
    read_spreadsheet.enqueue(job.pk)
    return job


def confirm(job: ImportJob) -> None:
    job.queue_import()
    read_spreadsheet.enqueue(job.pk)


@task
def read_spreadsheet(job_id: int) -> None:
    """The dry run (a preview) or the import of job `job_id`'s spreadsheet, with a summary kept on the
    job: totals by action, the rows' problems, and the first SHOWN_ROWS rows."""
    job = ImportJob.objects.select_related("uploader").get(pk=job_id)
    job.state = ImportJob.State.RUNNING
    job.save(update_fields=["state"])
    preview = job.step == ImportJob.Step.PREVIEW
    try:
        model_admin = admin.site._registry[apps.get_model(job.source["model"])]
        input_format = model_admin.get_import_formats()[job.source["format"]]()
        path = f"{job.folder}/sheet"
        with storages["private"].open(path, "rb") as handle:
            data = handle.read()
        try:
            dataset = input_format.create_dataset(data if input_format.is_binary() else data.decode("utf-8"))
        except Exception as error:  # a file its format's reader refuses: say why, as the form would
            job.source |= {"problems": [{"line": None, "text": str(read_failure_message(error))}]}
            job.state, job.read, job.finished_at = ImportJob.State.DONE, 1, timezone.now()
            storages["private"].delete(path)
            job.save(update_fields=["source", "read", "state", "finished_at"])
            return
        resource = model_admin.get_import_resource_classes(None)[job.source["resource"]]()
        with time_budget(settings.NEWSDESK_SPREADSHEET_SECONDS):
            result = resource.import_data(
                dataset,
                dry_run=preview,
                raise_errors=False,
                use_transactions=True,
                rollback_on_validation_errors=True,
                file_name=job.names[0],
                user=job.uploader,
            )
        job.rows = [
            {
                "line": n,
                "action": ACTIONS.get(row.import_type, row.import_type),
                "title": row.object_repr or "",
            }
            for n, row in enumerate(result.valid_rows()[:SHOWN_ROWS], start=1)
        ]
        job.source |= {
            "totals": {ACTIONS.get(kind, kind): count for kind, count in result.totals.items() if count},
            "problems": [
                {"line": number, "text": "; ".join(str(error.error) for error in errors)}
                for number, errors in result.row_errors()
            ]
            + [
                {
                    "line": row.number,
                    "text": "; ".join(
                        f"{field}: {' '.join(messages)}" for field, messages in row.error_dict.items()
                    ),
                }
                for row in result.invalid_rows
            ]
            + [{"line": None, "text": str(error.error)} for error in result.base_errors],
        }
        job.read = 1
        job.state = ImportJob.State.DONE
        if not preview or job.source["problems"]:
            storages["private"].delete(path)
    except TooSlow:
        log.warning("spreadsheet import job %s took over %s s", job.pk, settings.NEWSDESK_SPREADSHEET_SECONDS)
        job.source |= {
            "problems": [
                {"line": None, "text": str(TOO_SLOW) % {"seconds": settings.NEWSDESK_SPREADSHEET_SECONDS}}
            ]
        }
        job.state = ImportJob.State.DONE
    except Exception:
        log.exception("spreadsheet import job %s failed", job.pk)
        job.state = ImportJob.State.FAILED
    job.finished_at = timezone.now()
    job.save(update_fields=["rows", "source", "read", "state", "finished_at"])
