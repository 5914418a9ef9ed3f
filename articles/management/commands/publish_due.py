from django.core.management.base import BaseCommand

from articles.workflow import publish_due


class Command(BaseCommand):
    help = (
        "Make the go-live of scheduled articles whose time has come, re-checking the publish gates. "
        "Each has its own go-live task on the worker, and the worker's clock sweeps every minute; this "
        "is the same sweep by hand."
    )

    def handle(self, *args, **options):
        result = publish_due()
        self.stdout.write(f"{len(result['went_live'])} went live, {len(result['held_back'])} held back")
