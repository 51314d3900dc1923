"""Exports of an organisation's progress overview and of My work: the rows the page counts
and lists, with its filters described, only for those who may see the page."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recreg.accounts.roles import Role
from recreg.findings.models import Response
from tests.conftest import client_for
from tests.exports.conftest import add_findings, column, csv_of, xlsx_of
from tests.factories import UserFactory


@pytest.fixture
def scene(world):
    """Force A with 14 more responses, some of them overdue, owned by one chief officer."""
    owner = UserFactory(
        email="acc@force-a.test",
        full_name="Alex Chief",
        role=Role.FORCE_READER,
        organisation=world.force_a,
    )
    findings = add_findings(world, 14)
    today = timezone.localdate()
    responses = Response.objects.filter(finding__in=findings, organisation=world.force_a)
    for n, response in enumerate(responses.order_by("pk")):
        # Test set-up: past target dates cannot be set through the services.
        Response.objects.filter(pk=response.pk).update(
            target_date=today + datetime.timedelta(days=(-10 if n % 3 == 0 else 40)),
            owner=owner if n % 2 else None,
            tactical_lead=owner if n % 4 == 0 else None,
        )
    return owner


OVERVIEW_QUERIES = ["", "?kind=recommendation", "?overdue=1", "?q=records+crime", "?state=x"]


@pytest.mark.parametrize("query", OVERVIEW_QUERIES)
@pytest.mark.parametrize("persona", ["inspector", "force_a_editor", "pcc_officer"])
def test_overview_export_holds_what_the_overview_counts(world, scene, settings, persona, query):
    settings.REGISTER_PAGE_SIZE = 5
    client = client_for(world, persona)
    page = client.get(f"/progress/forces/{world.force_a.slug}/{query}")
    assert page.status_code == 200
    total = page.context["counts"].total
    overdue = page.context["overdue"].paginator.count
    preamble, headings, rows = csv_of(client.get(f"/exports/forces/force-a.csv{query}"))
    assert len(rows) == total
    assert column(headings, rows, "Overdue").count("Yes") == overdue
    if not query:
        assert total > 14 and overdue > 5  # more than one page of each
    assert "# Filters: Responses of Avon Test Police" in preamble[1]


def test_overview_export_describes_its_filters(world, scene):
    client = client_for(world, "inspector")
    url = f"/exports/forces/force-a.csv?kind=recommendation&area={world.area.pk}&overdue=1"
    preamble, _, _ = csv_of(client.get(url))
    text = " ".join(preamble)
    assert "of kind ‘Recommendation’" in text
    assert "in question area ‘Protecting vulnerable people" in text
    assert "with overdue progress" in text
    book = xlsx_of(client.get(url.replace(".csv", ".xlsx")))
    assert book.sheetnames == ["Progress of Avon Test Police", "About this export"]


def test_overview_export_is_only_for_those_who_see_the_progress(world, scene):
    assert client_for(world, "force_b_reader").get("/exports/forces/force-a.csv").status_code == 404
    response = client_for(world, "anonymous").get("/exports/forces/force-a.xlsx")
    assert response.status_code == 302 and "/accounts/" in response["Location"]
    _, headings, rows = csv_of(
        client_for(world, "force_b_reader").get("/exports/forces/force-b.csv")
    )
    assert rows and all("Avon" not in " ".join(r) for r in rows)


def test_overview_export_costs_the_same_for_any_number_of_rows(world, scene):
    client = client_for(world, "inspector")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            csv_of(client.get("/exports/forces/force-a.csv"))
        return len(ctx)

    count()  # the filters' choices are read once, then kept
    few = count()
    add_findings(world, 20, start=100)
    assert count() == few


@pytest.mark.parametrize("show", ["all", "overdue", "due_soon", "stale"])
def test_my_work_export_holds_the_views_rows(world, scene, settings, show):
    settings.REGISTER_PAGE_SIZE = 3
    client = client_for(world, "anonymous")
    client.force_login(scene)
    page = client.get(f"/progress/my-work/?show={show}")
    expected = []
    for obj in page.context["page_obj"].paginator.object_list:
        expected.append(f"http://testserver/progress/responses/{obj.pk}/")
    preamble, headings, rows = csv_of(client.get(f"/exports/my-work.csv?show={show}"))
    assert column(headings, rows, "Web address") == expected
    if show == "all":
        assert len(rows) > 3
        assert set(column(headings, rows, "Your role")) >= {"Strategic owner", "Tactical lead"}
    label = {"all": "All open", "overdue": "Overdue", "due_soon": "Due soon"}.get(show, "No update")
    assert preamble[1].startswith(f"# Filters: {label}")


def test_my_work_export_of_decisions(world, scene):
    client = client_for(world, "inspector")
    _, headings, rows = csv_of(client.get("/exports/my-work.csv?show=proposals"))
    assert "Proposed by" in headings and rows == []
    _, headings, _ = csv_of(
        client_for(world, "force_a_editor").get("/exports/my-work.csv?show=challenges")
    )
    assert "Your role" in headings  # editors decide no challenges: their own work instead


def test_my_work_page_links_to_its_downloads(world, scene):
    client = client_for(world, "anonymous")
    client.force_login(scene)
    page = client.get("/progress/my-work/?show=overdue&page=2").content.decode()
    assert 'href="/exports/my-work.csv?show=overdue"' in page
    overview = client_for(world, "inspector").get("/progress/forces/force-a/?overdue=1")
    assert 'href="/exports/forces/force-a.xlsx?overdue=1"' in overview.content.decode()
