"""The exports page is kept whole (exports/views.py), its recent background exports included,
so an export job restamps its clinic (clinics/kept.py): requested, started, moving on (the
worker writes its progress at most once a second), finished, failed or deleted.

The same triggers as lifecycle 0007's (row triggers on SQLite, deferred constraint triggers
calling lifecycle 0004's function on PostgreSQL). On SQLite a later migration that rebuilds
this table drops its triggers and must create them again (tests/exports/test_exports_page.py
fails until it does).
"""

from django.db import migrations

PER_CLINIC = ("exports_exportjob",)
EVENTS = {"INSERT": ("NEW",), "UPDATE": ("OLD", "NEW"), "DELETE": ("OLD",)}
SQLITE_STAMP = "lower(hex(randomblob(16)))"


def _sqlite_install() -> list[str]:
    statements = []
    for event, rows in EVENTS.items():
        upserts = "".join(
            f"INSERT INTO lifecycle_registerstamp (clinic_id, stamp) "
            f"VALUES ({row}.clinic_id, {SQLITE_STAMP}) "
            f"ON CONFLICT (clinic_id) DO UPDATE SET stamp = excluded.stamp; "
            for row in rows
        )
        for table in PER_CLINIC:
            statements.append(
                f"CREATE TRIGGER exocheck_restamp_{table}_{event.lower()} AFTER {event} "
                f"ON {table} FOR EACH ROW BEGIN {upserts} END"
            )
    return statements


def _sqlite_remove() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS exocheck_restamp_{table}_{event.lower()}"
        for table in PER_CLINIC
        for event in EVENTS
    ]


def _postgresql_install() -> list[str]:
    statements = []
    for table in PER_CLINIC:
        statements += [
            f"DROP TRIGGER IF EXISTS exocheck_restamp_register ON {table}",
            f"CREATE CONSTRAINT TRIGGER exocheck_restamp_register "
            f"AFTER INSERT OR UPDATE OR DELETE ON {table} DEFERRABLE INITIALLY DEFERRED "
            f"FOR EACH ROW EXECUTE FUNCTION exocheck_restamp_register('clinic_id')",
        ]
    return statements


def _postgresql_remove() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS exocheck_restamp_register ON {table}" for table in PER_CLINIC]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    installs = {"sqlite": _sqlite_install, "postgresql": _postgresql_install}
    for statement in installs[vendor]() if vendor in installs else ():
        schema_editor.execute(statement, params=None)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    removes = {"sqlite": _sqlite_remove, "postgresql": _postgresql_remove}
    for statement in removes[vendor]() if vendor in removes else ():
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("exports", "0002_register_jobs"),
        ("lifecycle", "0007_restamp_portal"),
    ]

    operations = [migrations.RunPython(install, remove, elidable=False)]
