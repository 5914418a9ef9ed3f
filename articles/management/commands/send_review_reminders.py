from django.core.management.base import BaseCommand

from articles.desk.reminders import send_review_reminders


class Command(BaseCommand):
    help = (
        "E-mail each article's owner and reviewers when its medical review falls due "
        "(NEWSDESK_REVIEW_NOTICE_DAYS before the date) and again once it is overdue. Run it daily; "
        "each reminder goes out once, however often it runs. The task worker's clock runs it too."
    )

    def handle(self, *args, **options):
        sent = send_review_reminders()
        self.stdout.write(f"{len(sent)} review reminder(s) sent")
