"""The desk's clock, on the task worker. Each `tick` queues the next one a minute on, then sweeps up
scheduled articles whose go-live task was lost, runs the jobs in NEWSDESK_CLOCK_JOBS (reminders, expiries and
clean-ups, each app's own), and refreshes the planner's statistics once a day.
`manage.py start_clock` (run by `make run` and the worker's service) queues the first tick."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django.utils.module_loading import import_string

from articles.database import refresh_planner_statistics
from articles.workflow import publish_due

log = logging.getLogger("newsdesk.clock")
STATISTICS_KEY = "newsdesk:planner-statistics-refreshed"


@task
def tick() -> dict:
    start_clock(after=timedelta(seconds=settings.NEWSDESK_CLOCK_SECONDS))
    result = publish_due()
    for job in settings.NEWSDESK_CLOCK_JOBS:
        try:
            import_string(job)()
        except Exception:  # one failing job must not starve the others; it runs again next tick
            log.exception("clock job %s failed", job)
    if cache.add(STATISTICS_KEY, True, timeout=24 * 60 * 60):
        refresh_planner_statistics()
    return {name: len(articles) for name, articles in result.items()}


def start_clock(after: timedelta = timedelta(0)) -> bool:
    """Queue a tick `after` from now, unless one is already waiting. Returns whether it queued one."""
    if _tick_waiting():
        return False
    tick.using(run_after=timezone.now() + after if after else None).enqueue()
    return True


def _tick_waiting() -> bool:
    if not type(tick.get_backend()).__module__.startswith("django_tasks_db"):
        return False  # only the database backend keeps a queue to look in
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=tick.module_path).exists()
