"""A list's statements compiled once for each question asked of it, and run for any page.

Django compiles a queryset into SQL every time it is evaluated. For the register's lists
that is most of a request's database work in Python: the API list's page and capped count,
which both carry the access rule, took 0.5 and 0.23 ms to compile against 0.2 ms to run
(docs/performance.md, fourteenth round). The SQL depends only on who is asking (their kind,
as the composed rules are keyed) and what they ask (the filters), so each thread keeps the
compiled text of the questions it was last asked and writes only the page's window into it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Container, Hashable, Iterable, Iterator, Sequence
from typing import TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import NotSupportedError, connections
from django.db.models import ForeignKey, IntegerField, Lookup, Model, QuerySet

T = TypeVar("T")


class CompiledRows:
    """A queryset's rows as plain values, its SQL compiled once: each run may add to the
    statement's end (a window) and give new values for its parameters."""

    def __init__(self, queryset: QuerySet, fields: Sequence[str] | None = None):
        """`fields` as for values(); without them, the queryset already selects its values."""
        self.db = queryset.db
        query = (queryset if fields is None else queryset.values(*fields)).query
        # The names in the order Django selects them (as its ValuesIterable reads them).
        self.names = list(query.selected or ()) or [
            *query.extra_select, *query.values_select, *query.annotation_select
        ]  # fmt: skip
        self.compiler = query.get_compiler(self.db)
        try:
            self.sql, self.params = self.compiler.as_sql()
        except EmptyResultSet:  # a search with no words to look for matches nothing
            self.sql, self.params = None, ()
            return
        # Each column's converters (dates from text on SQLite, for one), worked out once from
        # the select list compiling it settled: results_iter() worked them out on every run.
        selected = [column for column, _sql, _alias in self.compiler.select]
        self.converters = self.compiler.get_converters(selected[: self.compiler.col_count])

    def params_with(self, values: dict) -> list:
        """The compiled parameters with each stand-in in `values` replaced by its value."""
        return [values.get(p, p) for p in self.params]

    def for_ids(self, ids: Iterable[int]) -> list[tuple]:
        """The rows for these ids as tuples (as values_list() gives them), compiled with
        PAGE_IDS (in a `one_of`) standing in for them."""
        vendor = connections[self.db].vendor
        return self.tuples(params=self.params_with({PAGE_IDS: ids_parameter(ids, vendor)}))

    def tuples(self, end: str = "", params: Sequence | None = None) -> list[tuple]:
        """The rows as tuples of values in the compiled order, with `end` added to the
        statement (a window) and `params` in place of the compiled parameters."""
        if self.sql is None:
            return []
        with connections[self.db].cursor() as cursor:
            cursor.execute(f"{self.sql} {end}", self.params if params is None else params)
            rows = cursor.fetchall()
        if not self.converters:
            return rows
        return list(map(tuple, self.compiler.apply_converters(rows, self.converters)))

    def fetch(self, end: str = "", params: Sequence | None = None) -> list[dict]:
        """The rows as {field: value} (see tuples)."""
        names = self.names
        return [dict(zip(names, row, strict=True)) for row in self.tuples(end, params)]


class CompiledList(CompiledRows):
    """A list's page and capped count, compiled once.

    Each page is the compiled statement with its LIMIT and OFFSET written in as numbers, as
    Django writes them, so PostgreSQL keeps one plan for each page as before."""

    def __init__(self, queryset: QuerySet, fields: Sequence[str]):
        super().__init__(queryset, fields)
        if self.sql is not None:
            counted = queryset.order_by().values("pk").query.get_compiler(self.db)
            self.count_sql, self.count_params = counted.as_sql()

    def rows(self, offset: int, limit: int) -> list[dict]:
        """The rows from `offset`, at most `limit` of them, as {field: value}."""
        return self.fetch(_window(offset, limit)) if limit > 0 else []

    def __getitem__(self, window: slice) -> list[dict]:
        """The rows of a slice, as Django's Paginator takes a page of its list."""
        start = window.start or 0
        return self.rows(start, window.stop - start)

    def capped_count(self, start: int, cap: int) -> int:
        """How many rows there are from `start`, counting no further than `cap` + 1 of them
        (as recreg.core.paging.capped_count)."""
        return self._count(_window(start, cap + 1))

    def count(self) -> int:
        """How many rows there are in all."""
        return self._count("")

    def _count(self, window: str) -> int:
        if self.sql is None:
            return 0
        with connections[self.db].cursor() as cursor:
            # Django's own compiled statement, and a window of int()-checked numbers.
            sql = f"SELECT COUNT(*) FROM ({self.count_sql} {window}) counted"  # noqa: S608
            cursor.execute(sql, self.count_params)
            return cursor.fetchone()[0]


# What a statement compiled for any page's ids holds in their place (see OneOf).
PAGE_IDS = "recreg: a page's ids"
# What a statement compiled for any one record holds in its id's place, swapped for the id on
# each run (params_with): a key no row has (keys count up from 1), within any integer column's
# range, since Django compiles a lookup out of range to no statement at all.
ID_STAND_IN = -918_273_645


def ids_parameter(ids: Iterable[int], vendor: str):
    """Ids as OneOf's one parameter: an array for PostgreSQL, JSON text for SQLite."""
    numbers = [int(i) for i in ids]
    return numbers if vendor == "postgresql" else json.dumps(numbers)


@IntegerField.register_lookup
@ForeignKey.register_lookup
class OneOf(Lookup):
    """`column__one_of=ids`: the column holds one of these ids, sent as one parameter.

    With `__in`, a statement has a parameter for each id, so a page of 30 findings and one of
    50 are two statements, each compiled and prepared on its own, and psycopg parses afresh
    any statement of more than 50 parameters. With one parameter, a statement compiled once
    serves every page (PAGE_IDS stands in for the ids until each run gives its own)."""

    lookup_name = "one_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        vendor = connection.vendor
        value = self.rhs if self.rhs == PAGE_IDS else ids_parameter(self.rhs, vendor)
        if vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", [*params, value]
        if vendor == "sqlite":
            # `lhs` is the column as Django compiled it; the ids are a parameter.
            return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, value]  # noqa: S608
        raise NotSupportedError(f"one_of is written for PostgreSQL and SQLite, not {vendor}")


def model_fields(model: type[Model], names: Container[str] | None = None) -> list[str]:
    """A model's columns (attnames), all of them or those named, in the model's own order,
    which is the order Model.from_db() reads its values in."""
    return [f.attname for f in model._meta.concrete_fields if names is None or f.attname in names]


def record[M: Model](model: type[M], row: dict, fields: list[str], db: str, prefix: str = "") -> M:
    """A record holding just `fields` (in model_fields() order; the rest deferred, as with
    only()) from a row of values named `prefix` + field."""
    return model.from_db(db, fields, [row[prefix + f] for f in fields])


class CompiledRecords(CompiledRows):
    """A queryset's records, with the records its `related` paths name (as select_related
    would join them), from a statement compiled once: each run gives new values for its
    stand-in parameters (CompiledRows.params_with).

    Each record holds all its fields, as select_related() reads them; a path whose row is
    missing (a null foreign key, through a LEFT JOIN) is set to None."""

    def __init__(self, queryset: QuerySet, related: Sequence[str] = ()):
        self.model = queryset.model
        self.fields = model_fields(self.model)
        # Each path after the one it hangs from, with its model, fields and key's column.
        self.related: list[tuple[str, str, str, type[Model], list[str], str]] = []
        values = list(self.fields)
        for path in sorted(related, key=lambda p: p.count("__")):
            parent, _, name = path.rpartition("__")
            model = self.model
            for step in path.split("__"):
                model = model._meta.get_field(step).related_model
            fields = model_fields(model)
            self.related.append(
                (path, parent, name, model, fields, f"{path}__{model._meta.pk.attname}")
            )
            values += [f"{path}__{f}" for f in fields]
        super().__init__(queryset, values)

    def records(self, params: Sequence | None = None, end: str = "") -> list:
        """The records, each with its related records set, in the statement's order (with
        `end` added to the statement, as for tuples)."""
        out = []
        for row in self.fetch(end, params):
            made = {"": record(self.model, row, self.fields, self.db)}
            for path, parent, name, model, fields, key in self.related:
                holder = made[parent]
                found = (
                    None
                    if holder is None or row[key] is None
                    else record(model, row, fields, self.db, f"{path}__")
                )
                if holder is not None:
                    setattr(holder, name, found)
                made[path] = found
            out.append(made[""])
        return out


class CompiledRecordList(CompiledRecords):
    """A list of records (as CompiledRecords reads them), compiled once; bound() gives one
    request's list, its stand-ins replaced by that request's values, for a Paginator."""

    def bound(self, values: dict, count: int) -> BoundRecords:
        """This request's list: the compiled parameters with `values` swapped in, and how many
        rows it has, which the caller has already counted (so no statement counts them)."""
        return BoundRecords(self, self.params_with(values), count)


class BoundRecords:
    """One request's CompiledRecordList: what Django's Paginator reads of a list."""

    def __init__(self, statement: CompiledRecordList, params: list, count: int):
        self.statement = statement
        self.params = params
        self.known_count = count

    def count(self) -> int:
        """How many rows there are, as counted by the caller."""
        return self.known_count

    def __len__(self) -> int:
        return self.known_count

    def __iter__(self) -> Iterator:
        """Every record, in order (the page reads only its slice)."""
        return iter(self.statement.records(self.params))

    def __getitem__(self, window: slice) -> list:
        """The records of a slice, as Django's Paginator takes a page of its list."""
        start = window.start or 0
        limit = window.stop - start
        return self.statement.records(self.params, _window(start, limit)) if limit > 0 else []


def _window(offset: int, limit: int) -> str:
    # Numbers checked by int(), so nothing else reaches the SQL.
    return f"LIMIT {int(limit)} OFFSET {int(offset)}"


class KeptStatements:
    """Compiled statements kept for each thread (each has its own database connection), at most
    LIMIT of them: a national register's readers come in about 150 kinds, and most ask the
    unfiltered list or a few filters."""

    LIMIT = 128

    def __init__(self) -> None:
        self.local = threading.local()

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """The statements kept for this key, compiled by `build()` when they are not kept."""
        kept = getattr(self.local, "kept", None)
        if kept is None:
            kept = self.local.kept = {}
        found = kept.get(key)
        if found is None:
            if len(kept) >= self.LIMIT:
                kept.clear()
            found = kept[key] = build()
        return found

    def clear(self) -> None:
        """Forget this thread's compiled statements."""
        self.local.kept = {}
