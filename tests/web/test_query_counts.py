"""List pages cost the same number of queries whatever the number of rows on them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recreg.findings import services as finding_services
from recreg.findings.models import AddresseeScope, FindingKind, FindingState
from recreg.organisations.models import Organisation
from tests.conftest import client_for
from tests.factories import ForceFactory, InspectionFactory, RegionFactory

# What each page measured when these tests were written, as a ceiling to notice creep by.
CEILINGS = {"/findings/": 12, "/inspections/": 8, "/forces/": 6}


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def add_findings(world, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        finding_services.create_finding(
            actor=world.inspector,
            inspection=world.inspection_a if i % 2 else world.thematic,
            kind=FindingKind.RECOMMENDATION,
            text=f"The force should improve the way it records crime, part {i}.",
            addressee_scope=AddresseeScope.FORCES if i % 2 else AddresseeScope.ALL_FORCES,
            addressees=[world.force_a] if i % 2 else [],
            state=FindingState.PUBLISHED,
            deadline_text="within six months",
            question_area=world.area if i % 2 else None,
            themes=[world.theme],
        )


def add_inspections(world, n: int) -> None:
    for i in range(n):
        inspection = InspectionFactory(title=f"Inspection number {i}")
        inspection.forces_in_scope.set([world.force_a, world.force_b])


def add_forces(n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        region = RegionFactory(name=f"Region {i % 4}", slug=f"region-{i % 4}")
        ForceFactory(name=f"Extra Shire {i} Police", slug=f"extra-{i}", region=region)


@pytest.mark.parametrize(
    "persona", ["anonymous", "inspector", "force_a_editor", "pcc_officer", "national_reader"]
)
@pytest.mark.parametrize(
    "query", ["", "?q=records+crime", "?force=force-a&overdue=1&sort=deadline"]
)
def test_register_query_count_is_fixed(
    world, settings, django_assert_max_num_queries, persona, query
):
    settings.REGISTER_PAGE_SIZE = 50
    client = client_for(world, persona)
    url = f"/findings/{query}"
    add_findings(world, 5)
    queries_for(client, url)  # the filters' choices are read once, then kept
    few = queries_for(client, url)
    add_findings(world, 50, start=5)
    many = queries_for(client, url)
    assert few == many
    assert many <= CEILINGS["/findings/"]
    with django_assert_max_num_queries(few):
        client.get(url)


@pytest.mark.parametrize("persona", ["anonymous", "inspector", "force_b_reader"])
def test_inspections_list_query_count_is_fixed(
    world, settings, django_assert_max_num_queries, persona
):
    settings.REGISTER_PAGE_SIZE = 50
    client = client_for(world, persona)
    add_inspections(world, 5)
    few = queries_for(client, "/inspections/")
    add_inspections(world, 50)
    many = queries_for(client, "/inspections/")
    assert few == many
    assert many <= CEILINGS["/inspections/"]
    with django_assert_max_num_queries(few):
        client.get("/inspections/?force=force-a")


@pytest.mark.parametrize("persona", ["anonymous", "inspector", "force_b_reader"])
def test_force_list_query_count_is_fixed(world, django_assert_max_num_queries, persona):
    client = client_for(world, persona)
    add_forces(3)
    few = queries_for(client, "/forces/")
    add_forces(40, start=3)
    many = queries_for(client, "/forces/")
    assert Organisation.objects.forces().count() == 45
    assert few == many
    assert many <= CEILINGS["/forces/"]
    with django_assert_max_num_queries(few):
        client.get("/forces/")


def test_inspection_page_query_count_does_not_grow_with_its_findings(world):
    client = client_for(world, "inspector")
    url = world.thematic.get_absolute_url()
    add_findings(world, 4)
    few = queries_for(client, url)
    add_findings(world, 30, start=4)
    # The history grows with the record's events, not with its findings.
    assert queries_for(client, url) == few
