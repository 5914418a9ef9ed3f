from django.core.management.base import BaseCommand

from articles.tasks import start_clock


class Command(BaseCommand):
    help = (
        "Queue the desk's clock on the task worker (the go-live sweep and NEWSDESK_CLOCK_JOBS), unless it "
        "is already queued. Run it before or beside `db_worker`; running it again is harmless."
    )

    def handle(self, *args, **options):
        queued = start_clock()
        self.stdout.write("The desk's clock is queued." if queued else "The desk's clock was already queued.")
