import sys

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from articles import access, signals  # noqa: F401  (access registers the object permissions)

        post_migrate.connect(_ensure_search_index, sender=self)
        post_migrate.connect(_guard_history, sender=self)


def _ensure_search_index(using="default", **_ignored):
    from articles.public.search import ensure_sqlite_index

    ensure_sqlite_index(using)


def _guard_history(using="default", verbosity=1, stdout=None, **_ignored):
    """After every migrate, put back any history guard that is missing or out of date (a restore into a
    database made by hand, a trigger someone dropped), and say so."""
    from django.apps import apps
    from django.db import connections

    from articles.database import guard_names, guards_in_place, install_guards
    from articles.models.history import history_guards

    connection = connections[using]
    tables = set(connection.introspection.table_names())
    guards = [guard for guard in history_guards(apps.get_models()) if guard.table in tables]
    missing = guard_names(guards, connection) - guards_in_place(connection)
    install_guards(connection, guards)
    if missing and verbosity:
        (stdout or sys.stdout).write(f"History guards put back: {', '.join(sorted(missing))}\n")
