"""The database's own part: keeping its query planner informed, and refusing changes to history."""

from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connections


def refresh_planner_statistics(using: str = "default") -> None:
    """Tell the query planner how the tables look now: run after a bulk change, and daily by the worker.

    PostgreSQL's autovacuum also does this on its own, in time. SQLite keeps no statistics until asked,
    and without them it takes `status = 'published'` for a selective filter: at 10,000 articles a
    changelist filtered by one disease scanned every published article (8.5 ms of SQL) instead of
    reading that disease's few links (2.7 ms), and the ANALYZE that fixes it takes 40 ms.
    """
    with connections[using].cursor() as cursor:
        cursor.execute("ANALYZE")


# --- History the database itself protects --------------------------------------------------------

GUARD_PREFIX = "newsdesk_guard_"
HISTORY_MESSAGE = "{table} is history: its rows are never changed or deleted. Record a new entry instead."


@dataclass(frozen=True)
class Guard:
    """What the database refuses on one table, whatever the code does: an UPDATE that changes a column,
    unless it only fills the `settable_once` columns from empty (a withdrawal); a DELETE while the row's
    item (its `parents`: column and table) still exists; or a DELETE when `delete_refused_when` holds."""

    table: str
    columns: tuple[str, ...] = ()
    parents: tuple[tuple[str, str], ...] = ()
    settable_once: tuple[str, ...] = ()
    delete_refused_when: str = ""
    refuse_update: bool = True
    message: str = ""

    def conditions(self, vendor: str, quote) -> dict[str, str]:
        same = "{new} IS {old}" if vendor == "sqlite" else "{new} IS NOT DISTINCT FROM {old}"
        found = {}
        if self.refuse_update:

            def unchanged(columns):
                return [same.format(new=f"NEW.{quote(c)}", old=f"OLD.{quote(c)}") for c in columns] or [
                    "1 = 1"
                ]

            kept = unchanged(c for c in self.columns if c not in self.settable_once)
            allowed = " AND ".join(kept)
            if self.settable_once:
                first = quote(self.settable_once[0])
                filled = f"OLD.{first} IS NULL AND NEW.{first} IS NOT NULL"
                allowed += f" AND (({' AND '.join(unchanged(self.settable_once))}) OR ({filled}))"
            found["update"] = f"NOT ({allowed})"  # an UPDATE that changes nothing (loaddata again) may pass
        refused = [
            f"EXISTS (SELECT 1 FROM {quote(table)} WHERE id = OLD.{quote(column)})"  # noqa: S608 (model names)
            for column, table in self.parents
        ]
        if self.delete_refused_when:
            refused.append(f"({self.delete_refused_when})")
        if refused:
            found["delete"] = " OR ".join(refused)
        return found


def _guard_sql(guard: Guard, connection) -> list[str]:
    quote = connection.ops.quote_name
    message = (guard.message or HISTORY_MESSAGE.format(table=guard.table)).replace("'", "''")
    statements = []
    for operation, condition in guard.conditions(connection.vendor, quote).items():
        name = quote(f"{GUARD_PREFIX}{guard.table}_{operation}")
        if connection.vendor == "sqlite":
            statements.append(
                f"CREATE TRIGGER {name} BEFORE {operation.upper()} ON {quote(guard.table)} FOR EACH ROW "
                f"WHEN {condition} BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )
        else:
            row = "OLD" if operation == "delete" else "NEW"
            statements += [
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"IF {condition} THEN RAISE EXCEPTION USING ERRCODE = 'restrict_violation', "
                f"MESSAGE = '{message}'; END IF; RETURN {row}; END $$",
                f"CREATE TRIGGER {name} BEFORE {operation.upper()} ON {quote(guard.table)} "
                f"FOR EACH ROW EXECUTE FUNCTION {name}()",
            ]
    return statements


def guards_in_place(connection) -> set[str]:
    """The names of the guard triggers the database holds now."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"{GUARD_PREFIX}%"]
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE %s",
                [f"{GUARD_PREFIX}%"],
            )
        return {name for (name,) in cursor.fetchall()}


def guard_names(guards, connection) -> set[str]:
    return {
        f"{GUARD_PREFIX}{guard.table}_{operation}"
        for guard in guards
        for operation in guard.conditions(connection.vendor, connection.ops.quote_name)
    }


def drop_guards(connection, names=None) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in guards_in_place(connection) if names is None else names:
                cursor.execute(f"DROP TRIGGER IF EXISTS {quote(name)}")
        else:
            cursor.execute(
                "SELECT tgname, relname FROM pg_trigger JOIN pg_class ON pg_class.oid = tgrelid "
                "WHERE NOT tgisinternal AND tgname LIKE %s",
                [f"{GUARD_PREFIX}%"],
            )
            for name, table in cursor.fetchall():
                if names is None or name in names:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {quote(name)} ON {quote(table)}")
                    cursor.execute(f"DROP FUNCTION IF EXISTS {quote(name)}()")


def install_guards(connection, guards) -> None:
    """Put these guards in place, replacing any of the same name (so a new column is covered too)."""
    drop_guards(connection, guard_names(guards, connection))
    with connection.cursor() as cursor:
        for guard in guards:
            for statement in _guard_sql(guard, connection):
                cursor.execute(statement)


@contextmanager
def guards_lifted(connection, guards):
    """For `flush` and `restore --replace` only, which empty every table: the guards come down for the
    length of it and go back up after, in the same transaction where the database allows it."""
    drop_guards(connection)
    try:
        yield
    finally:
        install_guards(connection, guards)
