"""Django's flush, which empties every table, with the history guards lifted for it and put back after:
the database refuses to delete history row by row (articles.database), and a flush is the one
operation, with `restore --replace`, that empties the whole desk at once."""

from django.apps import apps
from django.core.management.commands import flush
from django.db import connections

from articles.database import guards_lifted
from articles.models.history import history_guards


class Command(flush.Command):
    help = flush.Command.help + " History guards are lifted for it and put back after."

    def handle(self, **options):
        connection = connections[options["database"]]
        with guards_lifted(connection, history_guards(apps.get_models())):
            super().handle(**options)
