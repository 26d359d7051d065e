"""More rows a clinic's kept pages show (clinics/kept.py), so more writes that restamp it.

Migration 0004 restamps a clinic when the clinic or one of its suppliers, products,
assessments or documents changes. Kept pages also show people's names (who submitted, who
changed what) and the reference data's names (a source category, a route, a document type),
so here:

- a membership added, changed or removed restamps its clinic, and so do a reviewer's
  "checked" mark on a document (the assessment page's history shows it) and a change of the
  clinic's own settings (the re-assessment interval decides the register's statuses);
- a user's name changed (first name, last name or username: what `User.__str__` shows)
  restamps every clinic the user belongs to; a log-in (`last_login` only) does not;
- a reference row changed (source categories, cell statuses, routes, document types, which
  staff edit in the admin) restamps every clinic: the names are shared by all of them.

As in 0004: row triggers in the writing transaction on SQLite; deferred constraint triggers
on PostgreSQL, which take the stamps' row locks only at commit; on SQLite a later migration
that rebuilds one of these tables must create its triggers again
(tests/core/test_kept_pages.py fails until it does).
"""

from django.db import migrations

MEMBERSHIP = "clinics_membership"
# Tables with a clinic_id column, restamped like 0004's.
PER_CLINIC = (MEMBERSHIP, "assessments_evidencecheck", "lifecycle_lifecyclesettings")
USER = "clinics_user"
USER_NAME_COLUMNS = ("first_name", "last_name", "username")
REFERENCE = (
    "products_sourcecategory",
    "products_cellstatus",
    "products_route",
    "products_evidencetype",
)
EVENTS = {"INSERT": ("NEW",), "UPDATE": ("OLD", "NEW"), "DELETE": ("OLD",)}

SQLITE_STAMP = "lower(hex(randomblob(16)))"
POSTGRESQL_STAMP = "gen_random_uuid()::text"


def _sqlite_trigger(name: str, when: str, body: str) -> str:
    return f"CREATE TRIGGER {name} AFTER {when} FOR EACH ROW BEGIN {body} END"


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
            name = f"exocheck_restamp_{table}_{event.lower()}"
            statements.append(_sqlite_trigger(name, f"{event} ON {table}", upserts))
        for table in REFERENCE:
            name = f"exocheck_restamp_{table}_{event.lower()}"
            body = f"UPDATE lifecycle_registerstamp SET stamp = {SQLITE_STAMP};"
            statements.append(_sqlite_trigger(name, f"{event} ON {table}", body))
    members = (
        f"INSERT INTO lifecycle_registerstamp (clinic_id, stamp) "
        f"SELECT clinic_id, {SQLITE_STAMP} FROM {MEMBERSHIP} WHERE user_id = NEW.id "
        f"ON CONFLICT (clinic_id) DO UPDATE SET stamp = excluded.stamp;"
    )
    columns = ", ".join(USER_NAME_COLUMNS)
    name = f"exocheck_restamp_{USER}_update"
    statements.append(_sqlite_trigger(name, f"UPDATE OF {columns} ON {USER}", members))
    return statements


def _sqlite_remove() -> list[str]:
    names = [f"exocheck_restamp_{USER}_update"]
    for event in EVENTS:
        names += [f"exocheck_restamp_{t}_{event.lower()}" for t in (*PER_CLINIC, *REFERENCE)]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in names]


POSTGRESQL_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION exocheck_restamp_members() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO lifecycle_registerstamp (clinic_id, stamp)
    SELECT DISTINCT clinic_id, {POSTGRESQL_STAMP} FROM {MEMBERSHIP} WHERE user_id = NEW.id
    ON CONFLICT (clinic_id) DO UPDATE SET stamp = EXCLUDED.stamp;
    RETURN NULL;
END;
$$;
CREATE OR REPLACE FUNCTION exocheck_restamp_all() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE lifecycle_registerstamp SET stamp = {POSTGRESQL_STAMP};
    RETURN NULL;
END;
$$;
"""


def _postgresql_trigger(table: str, when: str, function: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS exocheck_restamp_register ON {table}",
        f"CREATE CONSTRAINT TRIGGER exocheck_restamp_register AFTER {when} ON {table} "
        f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {function}",
    ]


def _postgresql_install() -> list[str]:
    any_write = "INSERT OR UPDATE OR DELETE"
    columns = ", ".join(USER_NAME_COLUMNS)
    statements = [POSTGRESQL_FUNCTIONS]
    # 0004's function, given the column that holds the row's clinic.
    by_clinic = "exocheck_restamp_register('clinic_id')"
    for table in PER_CLINIC:
        statements += _postgresql_trigger(table, any_write, by_clinic)
    statements += _postgresql_trigger(USER, f"UPDATE OF {columns}", "exocheck_restamp_members()")
    for table in REFERENCE:
        statements += _postgresql_trigger(table, any_write, "exocheck_restamp_all()")
    return statements


def _postgresql_remove() -> list[str]:
    return [
        *(
            f"DROP TRIGGER IF EXISTS exocheck_restamp_register ON {table}"
            for table in (*PER_CLINIC, USER, *REFERENCE)
        ),
        "DROP FUNCTION IF EXISTS exocheck_restamp_members()",
        "DROP FUNCTION IF EXISTS exocheck_restamp_all()",
    ]


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
        ("lifecycle", "0005_stamp_moves_to_clinics"),
        ("clinics", "0006_clinic_stamp"),
        ("products", "0006_list_indexes"),
        ("assessments", "0008_register_indexes"),
    ]

    operations = [migrations.RunPython(install, remove, elidable=False)]
