"""Document imports as jobs on the task worker: the request stores the uploads and returns at once, the
worker reads them one by one (each within NEWSDESK_IMPORT_SECONDS, so no document can hold the worker),
and the desk follows the progress on the import page."""

import logging
from dataclasses import asdict
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.budget import TooSlow, time_budget
from articles.models import ImportJob
from cases.importer import Corrections, ImportResult, Vocabularies, import_document

log = logging.getLogger("newsdesk.import")


def start(uploader, documents: list[tuple[str, bytes]]) -> ImportJob:
    """Store `documents` for `uploader` and queue their preview. Returns the job to follow."""
    job = ImportJob.objects.create(
        uploader=uploader, total=len(documents), names=[name for name, _data in documents]
    )
    storage = storages["private"]
    for n, (name, data) in enumerate(documents):
        storage.save(f"{job.folder}/{n:04d}{PurePosixPath(name).suffix.lower()}", ContentFile(data))
    read_documents.enqueue(job.pk)  # the task's row commits with the job's, so the worker sees both
    return job


def confirm(job: ImportJob, corrections: dict[int, Corrections | None] | None = None) -> None:
    """Queue the import of a previewed job's documents, as the editor corrected them: by the preview's
    row number, a `Corrections` or None for a document left out."""
    if corrections is not None:
        job.source = {
            "left_out": [n for n, c in corrections.items() if c is None],
            "corrections": {str(n): asdict(c) for n, c in corrections.items() if c is not None},
        }
        job.save(update_fields=["source"])
    job.queue_import()
    read_documents.enqueue(job.pk)


@task
def read_documents(job_id: int) -> None:
    """Preview or import the documents of job `job_id`, saving the report after each one."""
    job = ImportJob.objects.select_related("uploader").get(pk=job_id)
    storage = storages["private"]
    names = sorted(storage.listdir(job.folder)[1]) if storage.exists(job.folder) else []
    dry_run = job.step == ImportJob.Step.PREVIEW
    job.state, job.rows, job.read, job.total = ImportJob.State.RUNNING, [], 0, len(names)
    job.save(update_fields=["state", "rows", "read", "total"])
    vocabularies = Vocabularies()
    left_out = set(job.source.get("left_out", ())) if not dry_run else set()
    corrections = job.source.get("corrections", {}) if not dry_run else {}
    try:
        for row, name in enumerate(names):
            path = f"{job.folder}/{name}"
            shown = job.names[int(PurePosixPath(name).stem)]
            if row in left_out:
                result = ImportResult(file=shown, note=_("Left out in the preview; nothing was saved."))
            else:
                with storage.open(path, "rb") as handle:
                    data = handle.read()
                corrected = Corrections(**corrections[str(row)]) if str(row) in corrections else None
                result = read_one(shown, data, vocabularies, job, dry_run, corrected)
            job.rows.append(_report(result))
            job.read += 1
            if not dry_run:
                storage.delete(path)
            job.save(update_fields=["rows", "read"])
    except Exception:
        log.exception("import job %s failed", job.pk)
        job.state = ImportJob.State.FAILED
    else:
        job.state = ImportJob.State.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "finished_at"])


def read_one(
    name: str,
    data: bytes,
    vocabularies: Vocabularies,
    job: ImportJob,
    dry_run: bool,
    corrections: Corrections | None = None,
) -> ImportResult:
    seconds = settings.NEWSDESK_IMPORT_SECONDS
    try:
        with time_budget(seconds), transaction.atomic():
            return import_document(
                name,
                data,
                vocabularies=vocabularies,
                by=job.uploader,
                dry_run=dry_run,
                corrections=corrections,
            )
    except TooSlow:
        log.warning("import job %s: a document took over %s s and was left out", job.pk, seconds)
        return ImportResult(
            file=name,
            error=_(
                "Reading this document took longer than %(seconds)d seconds, so it was left out. "
                "Split it into smaller files, or paste its text into a new article."
            )
            % {"seconds": seconds},
        )


def _report(result: ImportResult) -> dict:
    """A report row to keep: everything shown on the page, the findings only as a count."""
    row = asdict(result)
    row["findings"] = len(row.pop("findings"))
    return row
