"""Reading an export's rows as the database driver returns them (recreg.exports.tables)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recreg.exports.tables import plain_rows
from recreg.findings.models import Response
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


def test_plain_rows_of_nothing_send_no_query(world):
    with CaptureQueriesContext(connection) as queries:
        assert list(plain_rows(Response.objects.none().values_list("pk"))) == []
    assert len(queries) == 0


def test_plain_rows_refuse_a_column_django_would_convert(world):
    # A time's zone is Django's to set; the driver alone would give SQLite's a naive time.
    with pytest.raises(ValueError, match="DateTimeField"):
        list(plain_rows(Response.objects.values_list("pk", "state_changed_at")))
