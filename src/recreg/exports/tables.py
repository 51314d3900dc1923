"""An export as data: a title, the filters in words, column headings and rows.

Each list page builds one of these from the same query the page runs (recreg.exports.sources),
and the writers (recreg.exports.writers) turn it into CSV or Excel. Rows come from a generator
so a writer can stream them without holding the whole list in memory.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import islice

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    CharField,
    F,
    Func,
    QuerySet,
    StringAgg,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from recreg.core.rows import per_row

# Rows read from the database per round of queries. Each round costs the same fixed number of
# queries (the rows, plus one per prefetched relation), however long the list.
CHUNK_SIZE = 2000


@dataclass
class Column:
    heading: str
    width: int = 20  # in characters, for Excel


@dataclass
class ExportTable:
    """One list, ready to write."""

    title: str
    filename: str  # without extension
    filters: list[str]  # the filters in words, one per line
    columns: list[Column]
    rows: Callable[[], Iterator[list]]
    source_url: str = ""
    notes: list[str] = field(default_factory=list)
    # Open data files start with their headings, for machines; list exports with a preamble.
    preamble: bool = True
    generated_at: datetime.datetime = field(default_factory=timezone.now)

    @property
    def headings(self) -> list[str]:
        return [c.heading for c in self.columns]

    def about(self) -> list[tuple[str, str]]:
        """What the file holds, as (label, value) lines: written at the top of a CSV and on
        the "About this export" sheet of an Excel file."""
        lines = [
            ("Export", self.title),
            ("Filters", "; ".join(self.filters) if self.filters else "none (the whole list)"),
            ("Exported", timezone.localtime(self.generated_at).strftime("%d %B %Y %H:%M %Z")),
        ]
        if self.source_url:
            lines.append(("Page", self.source_url))
        lines.extend(("Note", note) for note in self.notes)
        return lines


def chunked(queryset: QuerySet, row: Callable, *, chunk_size: int | None = None) -> Iterator[list]:
    """Rows for every record of the queryset, read in chunks (prefetches run once per chunk)."""
    size = chunk_size or CHUNK_SIZE
    for record in queryset.iterator(chunk_size=size):
        yield row(record)


def yes_no(value: bool) -> str:
    """A boolean as a word, for people reading the file."""
    return "Yes" if value else "No"


def joined(values: Iterable[str], sep: str = "; ") -> str:
    """Several values in one cell."""
    return sep.join([v for v in values if v])


# Columns whose values the database drivers return as Django's own converters would: numbers,
# text and dates (Django's SQLite backend has the driver parse dates). Not times, whose zone
# Django sets, nor booleans or decimals.
PLAIN_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "CharField",
        "DateField",
        "ForeignKey",
        "IntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
    }
)


def plain_rows(queryset: QuerySet, *, chunk_size: int | None = None) -> Iterator[list[tuple]]:
    """The rows of a values_list() of plain columns, a chunk at a time, as the database driver
    returns them.

    Django's own iterator passes each value through its field's converter, a Python call per
    value even where the driver has already made it a date: for the million values of a
    national export that was about a seventh of its time. Read through Django's chunked cursor, as
    its iterator is, so PostgreSQL sends the rows a chunk at a time and memory stays flat."""
    size = chunk_size or CHUNK_SIZE
    statement = _plain_sql(queryset)
    if statement is None:
        return
    sql, params = statement
    with connections[queryset.db].chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(size):
            yield rows


def _plain_sql(queryset: QuerySet) -> tuple[str, tuple] | None:
    """The SQL of a values_list() of plain columns (None when it can match nothing)."""
    compiler = queryset.query.get_compiler(queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    for expression, _, _ in compiler.select:
        kind = expression.output_field.get_internal_type()
        if kind not in PLAIN_TYPES:
            raise ValueError(f"plain_rows() cannot read a {kind} column as Django would")
    return sql, params


class DateText(Func):
    """A date column as its ISO text ("2026-12-03", or NULL), for a value built in SQL.

    SQLite keeps dates as that text; PostgreSQL's own date-to-text depends on the session's
    DateStyle, so it is asked for the format by name."""

    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="to_char(%(expressions)s, 'YYYY-MM-DD')", **extra_context
        )


# What packed() puts between a row's values, and between rows. Only for values that cannot
# hold either: numbers, dates and choice values.
PACKED_VALUES = ","
PACKED_ROWS = ";"


def packed(*columns: str | DateText) -> StringAgg:
    """Each group's rows of these plain columns in one text, for packed_rows() to read:
    "4,in_progress,amber,2027-03-31;9,completed,,".

    A hundred thousand findings with half a million responses cross from the database as a
    hundred thousand strings rather than half a million rows, which the drivers build (and
    Django's SQLite adapter parses the dates of) one value at a time. Name a date column as
    DateText(name)."""
    parts: list = []
    for column in columns:
        if parts:
            parts.append(Value(PACKED_VALUES))
        parts.append(column if isinstance(column, DateText) else Cast(F(column), CharField()))
    # Concat reads NULL as "" on every engine; a lone column is told to.
    row = (
        Concat(*parts, output_field=CharField()) if len(parts) > 1 else Coalesce(*parts, Value(""))
    )
    return StringAgg(row, Value(PACKED_ROWS))


def packed_rows(text: str | None) -> list[list[str]]:
    """The rows packed() put in one text, as lists of strings ("" for NULL), in no set order."""
    if not text:
        return []
    return [row.split(PACKED_VALUES) for row in text.split(PACKED_ROWS)]


def batches(queryset: QuerySet, fields: tuple[str, ...], *, chunk_size: int | None = None):
    """The queryset's rows as tuples of these fields, a chunk at a time: lists the caller
    completes with one query per related table per chunk. No model objects are built, which
    is what keeps a hundred thousand rows within seconds."""
    return plain_rows(queryset.values_list(*fields), chunk_size=chunk_size)


def packed_per_row(related: QuerySet, link: str, *columns: str | DateText) -> Subquery:
    """For each row of the outer query, packed() of the `related` rows whose `link` column is
    its id (NULL when there are none)."""
    return per_row(related, link, packed(*columns))


STREAM_LIMIT = 10**9


def streamed_rows(queryset: QuerySet, *, chunk_size: int | None = None) -> Iterator[list[tuple]]:
    """plain_rows(), but on PostgreSQL the server sends the rows as it finds them while the
    caller works on the ones before, so nothing else may use the connection until all are read.

    Through plain_rows' server-side cursor, PostgreSQL works out each chunk only when asked for
    it, with this process waiting; here the rows come as one result, a chunk at a time (libpq
    17's chunked mode), and the two work at once. Memory stays flat: the server waits when the
    chunks are not read. Left part-way, the statement is cancelled, which inside a transaction
    aborts the transaction: the export reads its rows when none is open."""
    db = connections[queryset.db]
    if db.vendor != "postgresql" or not _streams_in_chunks():
        yield from plain_rows(queryset, chunk_size=chunk_size)
        return
    size = chunk_size or CHUNK_SIZE
    if not queryset.query.is_sliced:
        # A limit no query reaches: PostgreSQL leaves a costly column (a subquery) until after
        # the sort only in a statement with a LIMIT. Without one, the register's public file,
        # whose order no index gives, had every finding's subqueries worked out before its
        # first row was sent (1.8 s, now 0.35 s at national size).
        queryset = queryset[:STREAM_LIMIT]
    statement = _plain_sql(queryset)
    if statement is None:
        return
    sql, params = statement
    with db.cursor() as cursor:
        # Logged as Django logs a statement, for the tests' and the profiler's query counts.
        log = getattr(cursor, "debug_sql", None)
        with log(sql, params) if log else nullcontext():
            stream = cursor.cursor.stream(sql, params, size=size)
            while rows := list(islice(stream, size)):
                yield rows


def _streams_in_chunks() -> bool:
    """Whether libpq is new enough (17) for chunked results; psycopg's binary package brings
    its own, but a system libpq may be older."""
    import psycopg

    return psycopg.capabilities.has_stream_chunked()
