import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from articles.database import refresh_planner_statistics
from articles.workflow import publish_due

DAY = 24 * 60 * 60


class Command(BaseCommand):
    help = (
        "Record the go-live of scheduled articles whose time has come, re-checking the publish gates. "
        "Readers see a scheduled article from its time on whether or not this runs; this keeps the "
        "history and the owner informed, and holds back what is no longer safe to show."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, metavar="SECONDS", help="Keep running, checking this often.")

    def handle(self, *args, every=None, **options):
        statistics_refreshed = None
        while True:
            result = publish_due()
            self.stdout.write(f"{len(result['went_live'])} went live, {len(result['held_back'])} held back")
            if every:  # the long-running worker is also the desk's clock: reminders, consent expiry
                for job in settings.NEWSDESK_CLOCK_JOBS:
                    import_string(job)()
                if statistics_refreshed is None or time.monotonic() - statistics_refreshed > DAY:
                    refresh_planner_statistics()
                    statistics_refreshed = time.monotonic()
            if not every:
                return
            time.sleep(every)
