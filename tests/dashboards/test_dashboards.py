"""Dashboards: every chart is an accessible SVG with its data table beside it, counts only
what the reader may see, and costs a fixed number of queries."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recreg.findings.models import Response
from tests.conftest import client_for
from tests.dashboards.conftest import more_responses

SVG = "{http://www.w3.org/2000/svg}"


def panels_of(response) -> dict:
    assert response.status_code == 200
    return {panel.id: panel for panel in response.context["panels"]}


def svgs(html: str) -> list:
    found = re.findall(r"<svg .*?</svg>", html, flags=re.S)
    return [ET.fromstring(s) for s in found]  # noqa: S314 - our own markup, in a test


def table_row(panel, label: str) -> list:
    return dict(panel.rows)[label]


def test_every_chart_is_an_accessible_svg_with_its_table(world, scene):
    response = client_for(world, "inspector").get("/dashboards/")
    panels = panels_of(response)
    assert list(panels) == ["states", "overdue", "rag", "close", "grades"]
    html = response.content.decode()
    charts = svgs(html)
    assert len(charts) == len(panels)
    for chart in charts:
        assert chart.get("role") == "img"
        title, desc = chart.find(f"{SVG}title"), chart.find(f"{SVG}desc")
        assert title is not None and title.text
        assert desc is not None and "table beside the chart" in desc.text
        assert chart.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        # Each series has its own pattern as well as its colour, and a legend in words.
        patterns = chart.findall(f"{SVG}defs/{SVG}pattern")
        assert patterns
        assert len({p.find(f"{SVG}*").get("fill") for p in patterns}) == len(patterns)
    for panel_id in panels:
        assert f'id="{panel_id}-table"' in html
        assert f'id="{panel_id}-chart"' in html
    assert "Grades matrix: PEEL 2023–25" in html


def test_the_counts_are_right(world, scene):
    panels = panels_of(client_for(world, "inspector").get("/dashboards/"))
    states = panels["states"]
    assert states.headers == [
        "Month",
        "Open",
        "Completed",
        "Superseded",
        "Closed – not implemented",
    ]
    # Today: the world's published responses are open except force A's completed one.
    latest = states.rows[-1][1]
    assert latest[1] == 1 and latest[2] == latest[3] == 0
    overdue = Response.objects.overdue().exclude(finding__inspection__published_on=None)
    assert overdue.count() == 2  # A's red one, and B's to the finding for all forces
    assert table_row(panels["overdue"], states.rows[-1][0]) == [2]
    rag = dict(panels["rag"].rows)
    assert rag["Protecting vulnerable people"][:3] == [0, 1, 0]  # force B's amber
    assert rag["No question area"][0] == 1  # force A's red, on a thematic finding
    close = dict(panels["close"].rows)
    # Closed 62 days ago, from a report published (by the factory) some months before.
    assert close["Area for improvement"][0] == 1
    assert close["Recommendation"] == [0, "–", 0, 0, 0, 0]
    grades = dict(panels["grades"].rows)
    # The inspectorate sees force B's unpublished grade too.
    assert grades["Protecting vulnerable people"] == [1, 1]


def test_the_public_sees_the_public_register_and_published_grades(world, scene):
    response = client_for(world, "anonymous").get("/dashboards/")
    panels = panels_of(response)
    assert list(panels) == ["states", "close", "grades"]
    assert dict(panels["grades"].rows)["Protecting vulnerable people"] == [1]  # force A's only
    html = response.content.decode()
    assert "RAG" not in html.replace("RAG ratings and target dates are not public", "")
    # Joint inspections and national bodies' findings are not in the public register.
    latest = panels["states"].rows[-1][1]
    inspector = panels_of(client_for(world, "inspector").get("/dashboards/"))
    assert sum(latest) < sum(inspector["states"].rows[-1][1])


def test_a_force_reader_sees_only_their_own_progress(world, scene):
    panels = panels_of(client_for(world, "force_b_reader").get("/dashboards/"))
    assert "overdue" in panels
    # B's own overdue response only, never A's.
    assert table_row(panels["overdue"], panels["overdue"].rows[-1][0]) == [1]
    rag = dict(panels["rag"].rows)
    assert rag["No question area"][0] == 0  # force A's red response is not theirs to see
    force_a = panels_of(client_for(world, "force_b_reader").get("/dashboards/forces/force-a/"))
    assert list(force_a) == ["states", "close"]
    pcc = panels_of(client_for(world, "pcc_officer").get("/dashboards/forces/force-a/"))
    assert list(pcc) == ["states", "overdue", "rag", "close"]
    assert table_row(pcc["overdue"], pcc["overdue"].rows[-1][0]) == [1]  # A's red one


def test_a_force_dashboard_counts_only_that_force(world, scene):
    response = client_for(world, "national_reader").get("/dashboards/forces/force-b/")
    panels = panels_of(response)
    assert dict(panels["rag"].rows)["Protecting vulnerable people"][:3] == [0, 1, 0]
    assert "No question area" in dict(panels["rag"].rows)  # B's, not A's red one
    assert dict(panels["rag"].rows)["No question area"][0] == 0
    assert table_row(panels["overdue"], panels["overdue"].rows[-1][0]) == [1]
    html = response.content.decode()
    # B's grade is unpublished: only the inspectorate sees it.
    assert "No grades have been published for Borset Test Police yet." in html
    assert "Inadequate" not in html
    force_a = client_for(world, "anonymous").get("/dashboards/forces/force-a/").content.decode()
    assert "Avon Test Police: grades by question area and assessment" in force_a
    assert "Good" in force_a


def test_only_forces_have_dashboards(world):
    assert client_for(world, "inspector").get("/dashboards/forces/pcc-a/").status_code == 404
    assert client_for(world, "anonymous").get("/dashboards/forces/nowhere/").status_code == 404


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("anonymous", "/dashboards/"),
        ("inspector", "/dashboards/"),
        ("force_b_reader", "/dashboards/"),
        ("pcc_officer", "/dashboards/forces/force-a/"),
        ("anonymous", "/dashboards/forces/force-a/"),
    ],
)
def test_a_dashboard_costs_a_fixed_number_of_queries(world, scene, persona, url):
    client = client_for(world, persona)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    few = count()
    more_responses(world, 30)
    assert count() == few
    assert few <= 16
