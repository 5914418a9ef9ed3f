"""Walk every history chain (of every app's history models) in the order written and
report the first break; check that the database's guards are all in place. Exit status 1 on either."""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from articles.database import guard_names, guards_in_place
from articles.models.history import first_break, history_guards, history_models


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, database, **options):
        connection = connections[database]
        problems = []
        missing = guard_names(history_guards(apps.get_models()), connection) - guards_in_place(connection)
        if missing:
            problems.append(
                f"Guards missing: {', '.join(sorted(missing))}. Run `manage.py migrate` to put them back, "
                "then find out who removed them."
            )
        for model in history_models(apps.get_models()):
            entries = model._base_manager.using(database).count()
            broken = first_break(model, using=database)
            if broken:
                problems.append(f"Chain broken: {broken}.")
            elif options["verbosity"]:
                self.stdout.write(f"{model._meta.label}: {entries} entries, every chain intact")
        if problems:
            raise CommandError(
                "\n".join(problems)
                + "\nCompare with the last backup whose history verified (docs/operations.md)."
            )
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS("History verified: nothing changed or removed."))
