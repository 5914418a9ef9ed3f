import time

from django.core.management.base import BaseCommand

from articles.reminders import send_review_reminders
from articles.workflow import publish_due


class Command(BaseCommand):
    help = (
        "Record the go-live of scheduled articles whose time has come, re-checking the publish gates. "
        "Readers see a scheduled article from its time on whether or not this runs; this keeps the "
        "history and the owner informed, and holds back what is no longer safe to show."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, metavar="SECONDS", help="Keep running, checking this often.")

    def handle(self, *args, every=None, **options):
        while True:
            result = publish_due()
            self.stdout.write(f"{len(result['went_live'])} went live, {len(result['held_back'])} held back")
            if every:  # the long-running worker is also the desk's daily clock for review reminders
                send_review_reminders()
            if not every:
                return
            time.sleep(every)
