import json
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from articles.images import renditions
from articles.models import Article, Page
from articles.services import count_every_term, save_page
from articles.workflow import keep_published_reviews

FILES = Path(settings.BASE_DIR) / "fixtures" / "files"
# The demo's unpublished articles are always planned for the coming days, so the editorial calendar shows
# a desk at work whenever the demo is loaded (the fixture's own dates are fixed in the past).
PLANNED_IN_DAYS = {
    "living-well-with-rheumatoid-arthritis-what-the-newest-medicines-change": 3,
    "bispecific-antibodies-widen-options-for-relapsed-myeloma": 6,
}


class Command(BaseCommand):
    help = "Load the vocabularies and the synthetic demo content with its files. Idempotent."

    def handle(self, *args, **options):
        call_command("loaddata", "vocabulary", "demo", verbosity=options["verbosity"])
        keep_published_reviews()
        count_every_term()  # loaddata writes the terms' rows whole, counts included
        # Files the demo rows point at: fixtures/files/<storage alias>/<name>, copied once.
        for alias_dir in sorted(p for p in FILES.iterdir() if p.is_dir()):
            storage = storages[alias_dir.name]
            for source in sorted(p for p in alias_dir.rglob("*") if p.is_file()):
                name = source.relative_to(alias_dir).as_posix()
                if not storage.exists(name):
                    with source.open("rb") as handle:
                        storage.save(name, File(handle))
        # The demo's pictures (drawn by `draw_demo_pictures`): their renditions, made once, as at upload.
        for article in Article.objects.exclude(hero_image=""):
            renditions(article.hero_image, make=True)
        for article in Article.objects.filter(references__isnull=False).distinct():
            article.note_references()  # loaddata writes rows raw, without the signal that keeps this
        # The newsroom's own pages go through the page gates, as an editor's save does.
        for fields in json.loads((Path(settings.BASE_DIR) / "fixtures" / "pages.json").read_text()):
            if not Page.objects.filter(slug=fields["slug"]).exists():
                save_page(Page(is_live=True, **fields))
        today = timezone.localdate()
        for slug, days in PLANNED_IN_DAYS.items():
            Article.objects.filter(slug=slug).update(planned_for=today + timedelta(days=days))
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
