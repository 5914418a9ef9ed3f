import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.database import refresh_planner_statistics
from cases.importer import ImportResult, Vocabularies, document_paths, import_document


class Command(BaseCommand):
    help = (
        "Import source documents (.txt, .md, .html, .docx, .pdf; files or folders) as draft articles, with a "
        "draft patient story when a document tells one patient's course. Re-importing a file updates its "
        "draft."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be imported, save nothing."
        )
        parser.add_argument("--report", metavar="FILE.json", help="Write a JSON report, one object per file.")

    def handle(self, *args, paths, dry_run=False, report=None, **options):
        missing = [p for p in paths if not Path(p).exists()]
        if missing:
            raise CommandError(f"No such file or folder: {', '.join(missing)}")
        files = document_paths(paths)
        vocabularies = Vocabularies()
        results = []
        show_bar = self.stdout.isatty() and options["verbosity"] > 0
        for n, path in enumerate(files, 1):
            if show_bar:
                self._bar(n - 1, len(files), path.name)
            try:
                data = path.read_bytes()
            except OSError as error:
                results.append(_unreadable(path, error))
                continue
            results.append(import_document(str(path), data, vocabularies=vocabularies, dry_run=dry_run))
        if show_bar:
            self._bar(len(files), len(files), "done")
            self.stdout.write("")
        for result in results:
            if result.error:
                self.stderr.write(self.style.ERROR(result.error))
            elif options["verbosity"] > 0:
                case = f", story {result.case_label!r}" if result.case_label else ""
                note = f" ({result.note})" if result.note else ""
                tags = len(result.diseases) + len(result.therapies)
                self.stdout.write(
                    f"{Path(result.file).name}: {result.title!r}, {tags} tags{case}, "
                    f"{len(result.findings)} privacy findings{note}"
                )
        if report:
            rows = [r.as_report() for r in results]
            Path(report).write_text(json.dumps(rows, indent=2, ensure_ascii=False), encoding="utf-8")
        failed = [r for r in results if r.error]
        if not dry_run and len(results) > len(failed):
            refresh_planner_statistics()
        summary = f"{len(results) - len(failed)} of {len(results)} documents imported"
        summary += " (dry run)" if dry_run else ""
        if failed:
            raise CommandError(f"{summary}; {len(failed)} failed.")
        self.stdout.write(self.style.SUCCESS(summary + "."))

    def _bar(self, done, total, label):
        width = 30
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "." * (width - filled)
        self.stdout.write(f"\r[{bar}] {done}/{total} {label[:40]:<40}", ending="")
        self.stdout.flush()


def _unreadable(path, error):
    return ImportResult(file=str(path), error=f"{path.name}: cannot be read ({error.strerror or error})")
