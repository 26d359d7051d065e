"""Queries run on every page, built by the ORM once and afterwards only executed.

Building and compiling a queryset with subqueries costs the ORM one to several
milliseconds; the database answers the navbar's counts in a few hundredths of that
(docs/performance.md). For a query whose *shape* never changes, only the ids in it, that
build is the same work on every request. `PreparedQuery` does it once per shape and
database: the queryset is built with stand-in ids, its SQL, parameters and the column
converters the ORM would apply (dates on SQLite, booleans, time zones) are kept, and each
run swaps the stand-ins for the real ids. The queryset stays the one definition — the ORM
still writes the SQL, from the same QuerySet methods the rest of the code uses; only its
compilation is reused.

A stand-in is a negative integer no row has, within a 32-bit column's range (django-otp's
devices have 32-bit ids, and the ORM compiles a value out of a column's range to "no rows"
on PostgreSQL). Compiling checks that each appears among the parameters, so a query that
folded an id into its SQL text is refused at its first run instead of being run with the
stand-in.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import IntegerField, QuerySet, Subquery

_FIRST_STAND_IN = -2_073_000_001


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: dict[int, str]  # parameter position -> the id it takes
    query: Any  # the built query: each run asks it for a compiler on that run's connection
    converters: dict[int, Any]  # column position -> the ORM's converters for it


class PreparedQuery:
    """`build(**ids, **shape)` returns a `values()`/`values_list()` queryset; `ids` name the
    values swapped on each run, every other keyword is part of the shape (one compilation
    for each value it takes, so keep shapes few: flags, not free text)."""

    def __init__(self, build: Callable[..., QuerySet[Any]], *, ids: tuple[str, ...]) -> None:
        self._build = build
        self._ids = ids
        self._compiled: dict[Hashable, _Compiled] = {}

    def _compile(self, alias: str, shape: dict[str, Hashable]) -> _Compiled:
        key = (alias, tuple(sorted(shape.items())))
        if key not in self._compiled:
            stand_ins = {name: _FIRST_STAND_IN - n for n, name in enumerate(self._ids)}
            compiler = self._build(**stand_ins, **shape).query.get_compiler(alias)
            sql, params = compiler.as_sql()
            slots = {
                position: name
                for position, value in enumerate(params)
                for name, stand_in in stand_ins.items()
                if value == stand_in
            }
            missing = set(stand_ins) - set(slots.values())
            if missing:
                raise ValueError(f"not among the query's parameters: {sorted(missing)}")
            columns = [selected[0] for selected in compiler.select[: compiler.col_count]]
            converters = compiler.get_converters(columns)
            self._compiled[key] = _Compiled(sql, tuple(params), slots, compiler.query, converters)
        return self._compiled[key]

    def rows(self, *, using: str = "default", **values: Any) -> list[tuple[Any, ...]]:
        """Run with the real ids (and the shape's keywords): every row, as the ORM gives it."""
        shape = {name: value for name, value in values.items() if name not in self._ids}
        compiled = self._compile(using, shape)
        params = [
            values[compiled.slots[position]] if position in compiled.slots else value
            for position, value in enumerate(compiled.params)
        ]
        with connections[using].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            fetched = cursor.fetchall()
        if not compiled.converters:
            return [tuple(row) for row in fetched]
        # The ORM's own conversion (dates on SQLite, booleans, time zones), as its
        # iterables apply it, on this thread's connection.
        compiler = compiled.query.get_compiler(using)
        return [tuple(row) for row in compiler.apply_converters(fetched, compiled.converters)]

    def first_row(self, *, using: str = "default", **values: Any) -> tuple[Any, ...] | None:
        found = self.rows(using=using, **values)
        return found[0] if found else None


def concrete_columns(model: Any) -> tuple[str, ...]:
    """A model's columns by attribute name: what a prepared query selects (`values_list`) to
    make instances from its rows with the ORM's own `Model.from_db(alias, columns, row)`."""
    return tuple(field.attname for field in model._meta.concrete_fields)


class _CountOf(Subquery):
    """`SELECT count(*) FROM (<subquery>)`: a plain count, which both databases answer
    from an index alone when one covers the filter. The ORM's own idiom for a counting
    subquery, `COUNT("id") … GROUP BY`, needs every row's id: PostgreSQL then chose the
    clinic's index and read all 10,000 of its assessments to count 500 waiting for review
    (3 ms on every page, against 0.1 ms; docs/performance.md)."""

    template = "(SELECT count(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def count_of(queryset: QuerySet[Any]) -> Subquery:
    """COUNT(*) of `queryset` as a scalar subquery, to put several counts of one clinic into
    one prepared query. Only the clinic's id is selected inside, a column every clinic
    index holds."""
    return _CountOf(queryset.order_by().values("clinic"))
