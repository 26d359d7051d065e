"""The register stamp: database triggers give a clinic a new random stamp whenever a row the
register reads changes (lifecycle/register_cache.py keys its cached outline on it).

Triggers, not Python, so no write can forget it: a service, the admin, a bulk update and
raw SQL all restamp. Random, not a counter, so a stamp never comes back: a transaction that
rolls back takes its stamp with it, and a counter could later reach the same number with
other data.

- SQLite: AFTER row triggers, in the writing statement's transaction.
- PostgreSQL: deferred constraint triggers, so the stamp's row is locked only at commit,
  after every other lock the transaction takes (an immediate trigger would hold it from the
  first write and could deadlock two writers of one clinic). A transaction therefore sees
  its own writes before the new stamp; register_cache.py never uses the cache inside one.
- TRUNCATE (the PostgreSQL test runner's flush) fires no row trigger; it empties the stamps
  with everything else.

On SQLite, a later migration that rebuilds one of these tables (most column changes do)
drops its triggers with the old table: that migration must create them again
(tests/lifecycle/test_register_cache.py fails until it does).

Existing clinics get a stamp here, so their registers are cached from the start.
"""

from django.db import migrations, models

# Each watched table, and the column that holds its clinic's id.
WATCHED = {
    "clinics_clinic": "id",
    "suppliers_supplier": "clinic_id",
    "products_exosomeproduct": "clinic_id",
    "assessments_assessment": "clinic_id",
    "assessments_evidenceitem": "clinic_id",
}
EVENTS = {"INSERT": ("NEW",), "UPDATE": ("OLD", "NEW"), "DELETE": ("OLD",)}

SQLITE_STAMP = "lower(hex(randomblob(16)))"
POSTGRESQL_STAMP = "gen_random_uuid()::text"


def _sqlite_install():
    statements = []
    for table, column in WATCHED.items():
        for event, rows in EVENTS.items():
            upserts = "".join(
                f"INSERT INTO lifecycle_registerstamp (clinic_id, stamp) "
                f"VALUES ({row}.{column}, {SQLITE_STAMP}) "
                f"ON CONFLICT (clinic_id) DO UPDATE SET stamp = excluded.stamp; "
                for row in rows
            )
            statements.append(
                f"CREATE TRIGGER exocheck_restamp_{table}_{event.lower()} "
                f"AFTER {event} ON {table} FOR EACH ROW BEGIN {upserts}END"
            )
    return statements


def _sqlite_remove():
    return [
        f"DROP TRIGGER IF EXISTS exocheck_restamp_{table}_{event.lower()}"
        for table in WATCHED
        for event in EVENTS
    ]


POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION exocheck_restamp_register() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    clinic_ids bigint[] := '{{}}';
BEGIN
    -- TG_ARGV[0] names the column holding the row's clinic id.
    IF TG_OP <> 'INSERT' THEN
        clinic_ids := clinic_ids || (to_jsonb(OLD) ->> TG_ARGV[0])::bigint;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        clinic_ids := clinic_ids || (to_jsonb(NEW) ->> TG_ARGV[0])::bigint;
    END IF;
    INSERT INTO lifecycle_registerstamp (clinic_id, stamp)
    SELECT clinic_id, {POSTGRESQL_STAMP}
    FROM (SELECT DISTINCT unnest(clinic_ids) AS clinic_id) AS changed
    WHERE clinic_id IS NOT NULL
    ON CONFLICT (clinic_id) DO UPDATE SET stamp = EXCLUDED.stamp;
    RETURN NULL;
END;
$$;
"""


def _postgresql_install():
    statements = [POSTGRESQL_FUNCTION]
    for table, column in WATCHED.items():
        statements.append(f"DROP TRIGGER IF EXISTS exocheck_restamp_register ON {table}")
        statements.append(
            f"CREATE CONSTRAINT TRIGGER exocheck_restamp_register "
            f"AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
            f"EXECUTE FUNCTION exocheck_restamp_register('{column}')"
        )
    return statements


def _postgresql_remove():
    return [
        *(f"DROP TRIGGER IF EXISTS exocheck_restamp_register ON {table}" for table in WATCHED),
        "DROP FUNCTION IF EXISTS exocheck_restamp_register()",
    ]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements, stamp = _sqlite_install(), SQLITE_STAMP
    elif vendor == "postgresql":
        statements, stamp = _postgresql_install(), POSTGRESQL_STAMP
    else:  # no triggers: no stamps, and the register is always worked out afresh
        return
    for statement in statements:
        schema_editor.execute(statement, params=None)
    schema_editor.execute(
        f"INSERT INTO lifecycle_registerstamp (clinic_id, stamp) "
        f"SELECT id, {stamp} FROM clinics_clinic",
        params=None,
    )


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": _sqlite_remove, "postgresql": _postgresql_remove}.get(vendor)
    for statement in statements() if statements else ():
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("lifecycle", "0003_settings_history_and_bounds"),
        ("clinics", "0005_clinic_history"),
        ("suppliers", "0003_list_indexes"),
        ("products", "0006_list_indexes"),
        ("assessments", "0008_register_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="RegisterStamp",
            fields=[
                ("clinic_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("stamp", models.CharField(max_length=36)),
            ],
        ),
        migrations.RunPython(install, remove, elidable=False),
    ]
