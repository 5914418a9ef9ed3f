"""The suite's task backend: Django's immediate backend, except that a task enqueued for later
(`run_after`) waits in `deferred` until a test runs what is due, as the worker would at that time."""

from django.tasks.backends.immediate import ImmediateBackend
from django.utils import timezone


class ImmediateUnlessDeferred(ImmediateBackend):
    supports_defer = True

    def __init__(self, alias, params):
        super().__init__(alias, params)
        self.deferred = []

    def enqueue(self, task, args, kwargs):
        if task.run_after is not None and task.run_after > timezone.now():
            self.validate_task(task)
            self.deferred.append((task, args, kwargs))
            return None
        return super().enqueue(task, args, kwargs)

    def run_due(self) -> int:
        """Run every deferred task whose time has come; returns how many ran."""
        now = timezone.now()
        due = [entry for entry in self.deferred if entry[0].run_after <= now]
        self.deferred = [entry for entry in self.deferred if entry[0].run_after > now]
        for task, args, kwargs in due:
            super().enqueue(task, args, kwargs)
        return len(due)
