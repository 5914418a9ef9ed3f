from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from newsdesk.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py backup` into this installation. Every checksum, the "
        "manifest and the migration state are checked before anything is touched; the rows load in one "
        "transaction. Refuses an installation that already holds data unless --replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The archive written by `manage.py backup`.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete every row and stored file of this installation first, then restore. Without it, "
            "restore only runs on a freshly migrated, empty installation.",
        )

    def handle(self, *args, path, replace, **options):
        try:
            result = restore_backup(path, replace=replace)
        except BackupError as error:
            raise CommandError(f"Nothing was restored: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {sum(result.rows.values())} rows and {result.files} files from {path}."
            )
        )
        # Restored rows were written without a save, so their findings are not stored yet: the privacy
        # sweep stores them, and reports any live text with findings that have no decision.
        call_command("privacy_sweep", stdout=self.stdout)
