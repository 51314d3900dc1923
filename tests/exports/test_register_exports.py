"""The register's CSV and Excel exports hold exactly the findings the page shows across all
its pages, say which filters made them, and never more than the reader may see."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recreg.exports import tables
from recreg.findings.models import Finding, Response
from tests.conftest import client_for
from tests.engines import postgres_only
from tests.exports.conftest import add_findings, column, csv_of, xlsx_of

QUERIES = [
    "",
    "?kind=recommendation",
    "?force=force-a&sort=oldest",
    "?q=records+crime&sort=reference",
    "?overdue=1",
    "?theme=vetting&stage=published",
    "?kind=nonsense&force=nowhere",
]


def page_findings(client, query: str) -> list[int]:
    """Every finding the register page lists for the query, page after page."""
    found: list[int] = []
    number = 1
    while True:
        sep = "&" if query else "?"
        response = client.get(f"/findings/{query}{sep}page={number}")
        assert response.status_code == 200
        page = response.context["page_obj"]
        found += [f.pk for f in page.object_list]
        if not page.has_next():
            return found
        number += 1


def pks_of_links(links: list[str]) -> list[int]:
    return [int(link.rstrip("/").rsplit("/", 1)[1]) for link in links]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("persona", ["anonymous", "inspector", "force_b_reader", "pcc_officer"])
def test_csv_holds_exactly_the_pages_findings(world, small_pages, persona, query):
    add_findings(world, 17)
    client = client_for(world, persona)
    expected = page_findings(client, query)
    if query in ("", "?kind=recommendation"):
        assert len(expected) > 10  # several pages of them
    preamble, headings, rows = csv_of(client.get(f"/exports/register.csv{query}"))
    assert pks_of_links(column(headings, rows, "Web address")) == expected


@pytest.mark.parametrize("query", ["", "?kind=recommendation&sort=deadline"])
def test_excel_holds_the_same_rows_as_the_csv(world, small_pages, query):
    add_findings(world, 12)
    client = client_for(world, "national_reader")
    _, headings, rows = csv_of(client.get(f"/exports/register.csv{query}"))
    book = xlsx_of(client.get(f"/exports/register.xlsx{query}"))
    sheet = book.worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == headings
    assert [row[-1] for row in values[1:]] == column(headings, rows, "Web address")
    about = dict(book["About this export"].iter_rows(values_only=True))
    assert about["Rows"] == str(len(rows))
    assert about["Export"] == "Register of findings"


def test_the_filters_are_described_in_the_file(world):
    client = client_for(world, "inspector")
    url = f"/exports/register.csv?kind=recommendation&force={world.force_a.slug}&q=vet"
    preamble, headings, rows = csv_of(client.get(url))
    text = "\n".join(preamble)
    assert "# Export: Register of findings" in text
    assert "Findings addressed to Avon Test Police" in text
    assert "of kind ‘Recommendation’" in text
    assert "matching “vet”" in text
    assert "Sorted by: best match (with a search)" in text
    assert "# Page: http://testserver/findings/?" in text
    book = xlsx_of(client.get(url.replace(".csv", ".xlsx")))
    about = dict(book["About this export"].iter_rows(values_only=True))
    assert "of kind ‘Recommendation’" in about["Filters"]


def test_filters_the_page_cannot_use_are_said_to_be_ignored(world):
    preamble, _, rows = csv_of(
        client_for(world, "inspector").get("/exports/register.csv?force=atlantis")
    )
    assert "# Note: Ignored: Choose a force from the list" in preamble
    assert len(rows) == Finding.objects.count()


def test_a_force_b_reader_exports_nothing_they_cannot_see(world):
    _, headings, rows = csv_of(client_for(world, "force_b_reader").get("/exports/register.csv"))
    texts = column(headings, rows, "Finding")
    assert world.fact_check_b.text in texts  # their own finding in accuracy check
    for hidden in (world.fact_check_a, world.draft_a, world.national_body, world.joint_a):
        assert hidden.text not in texts
    progress = " ".join(column(headings, rows, "Progress"))
    # Force B sees its own progress only: never force A's.
    assert "Avon Test Police" not in progress
    assert "Borset Test Police" in progress


def test_the_public_export_holds_only_the_public_register(world):
    _, headings, rows = csv_of(client_for(world, "anonymous").get("/exports/register.csv"))
    expected = set(Finding.objects.public().values_list("pk", flat=True))
    assert set(pks_of_links(column(headings, rows, "Web address"))) == expected
    assert "Stage" not in headings
    # The public sees each force's state, never its RAG rating or target date.
    progress = " ".join(column(headings, rows, "Progress (state of each force)"))
    assert "Awaiting allocation" in progress
    assert "RAG" not in progress and "target" not in progress


def test_the_public_export_shows_the_state_of_forces_only(world):
    # A PCC office's response to a public finding is not the public's to see.
    Response.objects.create(finding=world.national_all, organisation=world.pcc_a)
    _, headings, rows = csv_of(client_for(world, "anonymous").get("/exports/register.csv"))
    shown = {
        pk: [part.split(": ")[0] for part in cell.split("; ") if part]
        for pk, cell in zip(
            pks_of_links(column(headings, rows, "Web address")),
            column(headings, rows, "Progress (state of each force)"),
            strict=True,
        )
    }
    expected: dict[int, list[str]] = {}
    for pk, short, name in (
        Response.objects.public()
        .order_by("finding_id", "organisation__name")
        .values_list("finding_id", "organisation__short_name", "organisation__name")
    ):
        expected.setdefault(pk, []).append(short or name)
    assert shown == {pk: expected.get(pk, []) for pk in shown}
    assert shown[world.national_all.pk] == ["Avon Test Police", "Borset Test Police"]


def test_text_that_looks_like_a_formula_is_neutralised(world):
    add_findings(world, 1, text='=HYPERLINK("http://evil.test","click")')
    client = client_for(world, "inspector")
    _, headings, rows = csv_of(client.get("/exports/register.csv"))
    texts = column(headings, rows, "Finding")
    assert '\'=HYPERLINK("http://evil.test","click")' in texts
    assert not any(t.startswith(("=", "+", "-", "@")) for t in texts)
    book = xlsx_of(client.get("/exports/register.xlsx"))
    cells = [row[2] for row in book.worksheets[0].iter_rows(min_row=2)]
    bad = [c for c in cells if c.value.startswith("'=")]
    assert bad and all(c.data_type == "s" for c in bad)


def test_query_count_is_fixed_whatever_the_rows(world, monkeypatch):
    """The same queries however many rows, in however many chunks: each finding's addressees
    and responses come in its own row."""
    client = client_for(world, "inspector")

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/exports/register.csv")
            _, _, rows = csv_of(response)
        return len(ctx), len(rows)

    monkeypatch.setattr(tables, "CHUNK_SIZE", 10)
    add_findings(world, 2)
    count()  # the filters' choices are read once, then kept
    few, few_rows = count()
    add_findings(world, 30, start=2)
    many, many_rows = count()
    assert many_rows > few_rows + 20
    assert many == few


@postgres_only
def test_postgresql_streams_the_rows_of_one_statement(world, monkeypatch):
    """PostgreSQL sends the file's rows as one result in chunks, which the server works out
    while the ones before are written (recreg.exports.tables.streamed_rows)."""
    import psycopg

    sizes = []
    stream = psycopg.Cursor.stream

    def counted(self, query, params=None, **kwargs):
        sizes.append(kwargs.get("size"))
        return stream(self, query, params, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "stream", counted)
    monkeypatch.setattr(tables, "CHUNK_SIZE", 10)
    add_findings(world, 25)
    _, _, rows = csv_of(client_for(world, "inspector").get("/exports/register.csv"))
    assert len(rows) > 25
    assert sizes == [10]


def test_the_csv_streams(world):
    response = client_for(world, "anonymous").get(reverse("exports:register", args=["csv"]))
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="register-')
    assert response["Cache-Control"] == "private, no-store"


def test_the_register_page_links_to_its_downloads(world):
    page = client_for(world, "anonymous").get("/findings/?kind=recommendation").content.decode()
    assert 'href="/exports/register.csv?kind=recommendation"' in page
    assert 'href="/exports/register.xlsx?kind=recommendation"' in page
