import sys

from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from articles import access, signals  # noqa: F401  (access registers the object permissions)

        post_migrate.connect(_ensure_search_index, sender=self)
        pre_migrate.connect(_lift_history_guards, sender=self)
        post_migrate.connect(_guard_history, sender=self)
        post_migrate.connect(_refresh_statistics, sender=self)


def _refresh_statistics(using="default", plan=None, **_ignored):
    """SQLite forgets its planner statistics for a table a migration rebuilds (adding a column with a
    default, a constraint): until the next ANALYZE it reads the related news of an article through the
    index of every public article instead of by key (docs/scaling.md, stop 34). So a migrate that ran a
    migration ends with one. PostgreSQL's autovacuum keeps its own."""
    from django.db import connections

    from articles.database import refresh_planner_statistics

    if plan and connections[using].vendor == "sqlite":
        refresh_planner_statistics(using)


def _ensure_search_index(using="default", **_ignored):
    from articles.public.search import ensure_sqlite_index

    ensure_sqlite_index(using)


# What each database held before the migrate now running: (guard trigger names, table names).
_BEFORE_MIGRATE = {}


def _lift_history_guards(using="default", **_ignored):
    """Migrations run with the guards down: on SQLite a migration that rebuilds a history table would
    otherwise trip over a guard naming it (the article's guard reads the article's history)."""
    from django.db import connections

    from articles.database import drop_guards, guards_in_place

    connection = connections[using]
    _BEFORE_MIGRATE[using] = (guards_in_place(connection), set(connection.introspection.table_names()))
    drop_guards(connection)


def _guard_history(using="default", verbosity=1, stdout=None, **_ignored):
    """After every migrate (and flush), put every history guard up again, as the models are now, and say
    which were missing before, where their table already existed (a trigger someone dropped)."""
    from django.apps import apps
    from django.db import connections

    from articles.database import guard_names, guards_in_place, install_guards
    from articles.models.history import history_guards

    connection = connections[using]
    tables = set(connection.introspection.table_names())
    before, tables_before = _BEFORE_MIGRATE.pop(using, None) or (guards_in_place(connection), tables)
    # Only where the table is as the models say: after `migrate` back to an older state, a guard naming
    # a column that is gone would break the next migration that alters its table.
    with connection.cursor() as cursor:
        guards = [
            guard
            for guard in history_guards(apps.get_models())
            if guard.table in tables
            and set(guard.columns)
            <= {c.name for c in connection.introspection.get_table_description(cursor, guard.table)}
        ]
    install_guards(connection, guards)
    missing = {
        name for guard in guards if guard.table in tables_before for name in guard_names([guard], connection)
    } - before
    if missing and verbosity:
        (stdout or sys.stdout).write(f"History guards put back: {', '.join(sorted(missing))}\n")
