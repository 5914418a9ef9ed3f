from django.core.management.base import BaseCommand, CommandError

from newsdesk.backup import write_backup


class Command(BaseCommand):
    help = (
        "Write the whole installation into one archive (.tar.gz): every database row as portable JSON from "
        "one consistent snapshot, all public media, the private consent forms, and a manifest with row "
        "counts and a SHA-256 for every file. Restore it with `manage.py restore PATH`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help="Where to write the archive, e.g. /var/backups/newsdesk-2026-11-23.tar.gz"
        )

    def handle(self, *args, path, **options):
        try:
            manifest = write_backup(path)
        except OSError as error:
            raise CommandError(
                f"Could not write the backup to {path}: {error.strerror or error}. "
                "Check that the folder exists and that this user may write there."
            ) from error
        rows = sum(manifest["rows"].values())
        files = len(manifest["files"]) - 1  # the database dump is listed too
        self.stdout.write(self.style.SUCCESS(f"Backed up {rows} rows and {files} files to {path}."))
