"""The restamping triggers (lifecycle migrations 0004, 0006, 0007) as the database has them.

On SQLite a migration that rebuilds a table (most column changes do) drops the table's
triggers: such a migration must create them again, and the tests that compare these two sets
fail until it does."""

from collections.abc import Iterable

from django.db import connection


def installed_triggers() -> set[str]:
    """Every trigger in the database, as "table.name"."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute(
                "SELECT event_object_table, trigger_name FROM information_schema.triggers"
            )
        return {f"{table}.{name}" for table, name in cursor.fetchall()}


def restamp_triggers(tables: Iterable[str], events: Iterable[str]) -> set[str]:
    """The names the restamping migrations give their triggers on `tables`: one per table and
    event on SQLite, one per table (a constraint trigger for every event) on PostgreSQL."""
    if connection.vendor == "sqlite":
        return {f"{t}.exocheck_restamp_{t}_{event.lower()}" for t in tables for event in events}
    return {f"{table}.exocheck_restamp_register" for table in tables}
