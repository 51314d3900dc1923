"""Reading an export's rows as the database driver returns them (recreg.exports.tables)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import CharField, IntegerField, Value
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext

from recreg.core.rows import count_per_row
from recreg.exports.tables import (
    DateText,
    packed,
    packed_per_row,
    packed_rows,
    plain_rows,
    streamed_rows,
)
from recreg.findings.models import Finding, Response
from tests.exports.conftest import add_findings


def test_plain_rows_are_what_django_reads_for_numbers_text_and_dates(world):
    add_findings(world, 6)
    dated = Response.objects.order_by("pk")[:4].values_list("pk", flat=True)
    Response.objects.filter(pk__in=list(dated)).update(target_date=datetime.date(2027, 1, 31))
    query = Response.objects.order_by("pk").values_list(
        "pk", "finding_id", "organisation_id", "state", "rag", "target_date"
    )
    expected = list(query)
    assert any(row[-1] is None for row in expected)
    assert any(isinstance(row[-1], datetime.date) for row in expected)

    chunks = list(plain_rows(query, chunk_size=3))

    assert [len(rows) for rows in chunks[:-1]] == [3] * (len(chunks) - 1)
    assert len(chunks) > 1
    assert [tuple(row) for rows in chunks for row in rows] == expected


def test_streamed_rows_are_plain_rows_in_chunks_from_one_statement(world):
    add_findings(world, 6)
    query = Response.objects.order_by("pk").values_list(
        "pk", "finding_id", "organisation_id", "state", "rag", "target_date"
    )

    with CaptureQueriesContext(connection) as queries:
        chunks = list(streamed_rows(query, chunk_size=4))

    assert [len(rows) for rows in chunks[:-1]] == [4] * (len(chunks) - 1)
    assert len(chunks) > 1
    assert [tuple(row) for rows in chunks for row in rows] == list(query)
    assert len(queries) == 1


@pytest.mark.django_db(transaction=True)
def test_a_stream_left_part_way_leaves_the_connection_usable(world):
    # As when someone stops a download part-way: on PostgreSQL the statement is still running
    # (each row is slow, and wide enough to be sent on its own) and is cancelled.
    add_findings(world, 6)
    slow = wide = Value(0, output_field=IntegerField())
    if connection.vendor == "postgresql":
        # The test's own SQL, with no input in it.
        table = Response._meta.db_table
        series = f"SELECT count(*) FROM generate_series(1, 300000 + 0 * {table}.id)"  # noqa: S608
        slow = RawSQL(series, (), IntegerField())  # noqa: S611
        wide = RawSQL("repeat('x', 10000)", (), CharField())  # noqa: S611
    rows = Response.objects.order_by().annotate(slow=slow, wide=wide)
    stream = streamed_rows(rows.values_list("pk", "slow", "wide"), chunk_size=2)
    assert len(next(stream)) == 2
    stream.close()
    assert Response.objects.count() == len(Response.objects.values_list("pk"))


def test_packed_per_row_and_count_per_row_give_each_findings_own_rows(world):
    add_findings(world, 4)
    bare = add_findings(world, 1, start=4)
    Response.objects.filter(finding__in=bare).delete()
    Finding.addressees.through.objects.filter(finding__in=bare).delete()
    expected: dict[int, list[list[str]]] = {}
    for pk, org, state in Response.objects.values_list("finding_id", "organisation_id", "state"):
        expected.setdefault(pk, []).append([str(org), state])
    counts: dict[int, int] = {}
    for pk in Finding.addressees.through.objects.values_list("finding_id", flat=True):
        counts[pk] = counts.get(pk, 0) + 1

    rows = Finding.objects.annotate(
        progress=packed_per_row(Response.objects.all(), "finding_id", "organisation_id", "state"),
        addressed=count_per_row(Finding.addressees.through.objects.all(), "finding_id"),
    ).values_list("pk", "progress", "addressed")

    assert any(len(found) > 1 for found in expected.values())
    for pk, progress, addressed in rows:
        assert sorted(packed_rows(progress)) == sorted(expected.get(pk, []))
        assert addressed == counts.get(pk)
    assert {pk: (p, a) for pk, p, a in rows if pk not in expected} == {
        finding.pk: (None, None) for finding in bare
    }


def test_plain_rows_of_nothing_send_no_query(world):
    with CaptureQueriesContext(connection) as queries:
        assert list(plain_rows(Response.objects.none().values_list("pk"))) == []
    assert len(queries) == 0


def test_plain_rows_refuse_a_column_django_would_convert(world):
    # A time's zone is Django's to set; the driver alone would give SQLite's a naive time.
    with pytest.raises(ValueError, match="DateTimeField"):
        list(plain_rows(Response.objects.values_list("pk", "state_changed_at")))


def _packed_progress(queryset) -> dict[int, list[list[str]]]:
    packed_by_finding = (
        queryset.order_by()
        .values("finding_id")
        .annotate(progress=packed("organisation_id", "state", "rag", DateText("target_date")))
        .values_list("finding_id", "progress")
    )
    return {pk: sorted(packed_rows(text)) for pk, text in packed_by_finding}


def test_packed_rows_are_each_groups_values_as_text(world):
    add_findings(world, 4)
    responses = list(Response.objects.order_by("pk"))
    responses[0].target_date = datetime.date(2027, 1, 31)
    responses[0].rag = "amber"
    responses[1].target_date = datetime.date(2026, 3, 9)
    for response in responses[:2]:
        response.save(update_fields=["target_date", "rag"])
    expected: dict[int, list[list[str]]] = {}
    for pk, org, state, rag, target in Response.objects.values_list(
        "finding_id", "organisation_id", "state", "rag", "target_date"
    ):
        row = [str(org), state, rag or "", target.isoformat() if target else ""]
        expected.setdefault(pk, []).append(row)
    assert any(len(rows) > 1 for rows in expected.values())

    assert _packed_progress(Response.objects.all()) == {
        pk: sorted(rows) for pk, rows in expected.items()
    }


def test_packed_dates_are_iso_whatever_the_sessions_date_style(world):
    add_findings(world, 1)
    Response.objects.update(target_date=datetime.date(2027, 1, 31))
    if connection.vendor == "postgresql":
        # The date's own text would then be "31/01/2027".
        with connection.cursor() as cursor:
            cursor.execute("SET DateStyle TO 'SQL, DMY'")
    packed_targets = {
        row[-1] for rows in _packed_progress(Response.objects.all()).values() for row in rows
    }
    assert packed_targets == {"2027-01-31"}


def test_packed_rows_of_nothing_are_an_empty_list():
    assert packed_rows(None) == []
    assert packed_rows("") == []
