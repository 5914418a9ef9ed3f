from django.core.management.base import BaseCommand

from articles.models import Article, Status
from articles.workflow import transition
from cases.models import Case
from cases.privacy import count_undecided, desk_safe_names, refresh_scan


class Command(BaseCommand):
    help = (
        "Scan every article and story whose text changed without a save (a restore, a raw load, a new "
        "scanner), and list what readers can see with findings that have no decision. With --take-down, "
        "take those articles down to draft (logged), for the privacy officer to decide on."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--take-down", action="store_true", help="Take live articles with open findings down."
        )

    def handle(self, *args, take_down=False, **options):
        safe = desk_safe_names()
        live_open = []
        for subject in [*Article.objects.order_by("pk"), *Case.objects.order_by("pk")]:
            refresh_scan(subject, safe_names=safe)
            undecided = count_undecided(subject)
            if undecided and isinstance(subject, Article) and subject.status == Status.PUBLISHED:
                live_open.append((subject, undecided))
        for article, undecided in live_open:
            self.stdout.write(f"article {article.pk} is live with {undecided} undecided finding(s)")
            if take_down:
                transition(article, to=Status.DRAFT, by=None, move_name="take_down",
                           comment="Taken down by the privacy sweep: findings with no decision.")  # fmt: skip
        self.stdout.write(self.style.SUCCESS(f"{len(live_open)} live article(s) with undecided findings."))
