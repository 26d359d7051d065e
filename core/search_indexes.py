"""Trigram indexes for case-insensitive "contains" search, on PostgreSQL only.

Django's `icontains` is `UPPER(col::text) LIKE UPPER('%term%')` on PostgreSQL; a GIN index
on that same expression with pg_trgm's operator class answers it without reading every
row. SQLite has no such index: there the operation does nothing, and a search reads the
searched columns from the list's own b-tree index instead (Assessment.Meta.indexes). The
trigram indexes are not model state, so `makemigrations` never sees them; each app's
migration adds its own tables' indexes.
"""

from django.db import migrations


def _sql(table: str, column: str) -> tuple[str, str]:
    name = f"{table}_{column}_trgm"[:63]
    create = (
        f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
        f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
    )
    return create, f'DROP INDEX IF EXISTS "{name}"'


class TrigramIndexes(migrations.operations.base.Operation):
    """CREATE EXTENSION pg_trgm and one trigram GIN index per (table, column), on
    PostgreSQL; a no-op elsewhere. Reversible."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, columns: list[tuple[str, str]]):
        self.columns = columns

    def state_forwards(self, app_label, state):
        pass  # database-only: the models do not declare these indexes

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        # A trusted extension since PostgreSQL 13: a database owner may create it.
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table, column in self.columns:
            schema_editor.execute(_sql(table, column)[0])

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, column in self.columns:
            schema_editor.execute(_sql(table, column)[1])

    def describe(self):
        return "Trigram indexes on " + ", ".join(f"{t}.{c}" for t, c in self.columns)

    def deconstruct(self):
        return self.__class__.__qualname__, [], {"columns": self.columns}
