"""Imports as jobs on the task worker: what an upload became, and how far the worker got."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_hex(16)


class ImportJob(models.Model):
    """An upload read by the task worker, not in the request: first a preview (a dry run), then, once
    its uploader confirms, the import. Documents wait in private storage under `folder`, under numbers
    rather than their names; a spreadsheet (`articles.intake.spreadsheet_jobs`) waits in import-export's
    own storage, named in `source`. The app that reads documents removes jobs and their files after a
    day. `rows` holds the report, with counts of privacy findings and never the findings."""

    class Kind(models.TextChoices):
        DOCUMENTS = "documents", _("documents")
        SPREADSHEET = "spreadsheet", _("spreadsheet")

    class Step(models.TextChoices):
        PREVIEW = "preview", _("preview")
        IMPORT = "import", _("import")

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting for the task worker")
        RUNNING = "running", _("reading")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    uploader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind, default=Kind.DOCUMENTS)
    source = models.JSONField(default=dict, blank=True)  # a spreadsheet's model, format, resource, file
    step = models.CharField(max_length=10, choices=Step, default=Step.PREVIEW)
    state = models.CharField(max_length=10, choices=State, default=State.QUEUED)
    names = models.JSONField(default=list, blank=True)  # the uploads' own names, shown to the uploader only
    total = models.PositiveIntegerField(default=0)
    read = models.PositiveIntegerField(default=0)
    rows = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_step_display()} {self.token[:8]} ({self.get_state_display()})"

    @property
    def folder(self) -> str:
        return f"imports/{self.uploader_id}-{self.token}"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    def queue_import(self) -> None:
        """Turn a finished preview into a queued import (its task is enqueued by the caller)."""
        ImportJob.objects.filter(pk=self.pk).update(
            step=self.Step.IMPORT, state=self.State.QUEUED, read=0, rows=[], finished_at=None
        )

    def progress(self) -> dict:
        """What the job page asks every two seconds (static/newsdesk/import-progress.js)."""
        return {"state": self.state, "read": self.read, "total": self.total, "finished": self.finished}
