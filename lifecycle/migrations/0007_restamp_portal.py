"""The assessment page is kept whole (assessments/views/listing.py), supplier portal panel
included, so the portal's rows restamp their clinic too: a request sent, answered, withdrawn
or extended, an assessment added to a request, a document uploaded, opened or confirmed.

The same triggers as 0006's per-clinic tables (row triggers on SQLite, deferred constraint
triggers calling 0004's function on PostgreSQL). A link's expiry is not a write: the panel
says when it changes by the clock (`clinics.kept.changes_at`), and is kept only until then.
"""

from django.db import migrations

PER_CLINIC = ("portal_supplierrequest", "portal_requestedassessment", "portal_supplierdocument")
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
        ("lifecycle", "0006_restamp_people_and_reference"),
        ("portal", "0002_library_retirement_and_attachment"),
    ]

    operations = [migrations.RunPython(install, remove, elidable=False)]
