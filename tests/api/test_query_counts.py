"""Lists cost a fixed number of SQL queries, whatever the page size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recreg.findings import services as finding_services
from recreg.findings.models import AddresseeScope, FindingKind, FindingState, GovernanceBoard
from recreg.findings.models import Response as FindingResponse
from tests.factories import ThemeFactory, UserFactory

# The most queries each call may take, whoever asks and however many rows come back. Who is
# asking costs 1 (a token) or 3 (a session, its user and the user's organisation); then a list
# costs its count, its page and one query per prefetched relation; a detail, the record and
# one query per related list.
LIMITS = {"/findings": 3 + 4, "/inspections": 3 + 4, "/responses": 3 + 2}
DETAILS = {"/findings/{id}": 3 + 4, "/inspections/{id}": 3 + 3, "/responses/{id}": 3 + 1}


@pytest.fixture
def big_world(world):
    """Enough findings and responses, with owners and boards, that a page of 100 is full."""
    extra_theme = ThemeFactory(name="Custody")
    owner = UserFactory(email="acc@force-a.test", full_name="Alex ACC", job_title="ACC")
    board = GovernanceBoard.objects.create(organisation=world.force_a, name="Crime Board")
    for n in range(60):
        finding_services.create_finding(
            actor=world.inspector,
            inspection=world.thematic,
            kind=FindingKind.RECOMMENDATION,
            text=f"All forces should improve custody practice number {n}.",
            addressee_scope=AddresseeScope.ALL_FORCES,
            state=FindingState.PUBLISHED,
            deadline_text="within 3 months",
            themes=[world.theme, extra_theme],
        )
    FindingResponse.objects.filter(organisation=world.force_a).update(
        owner=owner, tactical_lead=owner, governance_board=board
    )
    return world


def _queries(client, path, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, params)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), response.json()


@pytest.mark.parametrize("path", list(LIMITS))
@pytest.mark.parametrize(
    ("persona", "session"),
    [("anonymous", False), ("inspector", False), ("force_a_editor", True), ("pcc_officer", False)],
)
def test_a_list_costs_the_same_queries_for_1_or_100_rows(
    big_world, api_as, django_assert_max_num_queries, path, persona, session
):
    client = api_as(persona, session=session)
    client.get(path)  # the first call may write the token's last use
    small, body_small = _queries(client, path, {"page_size": 1})
    large, body_large = _queries(client, path, {"page_size": 100})
    assert len(body_small["results"]) == 1
    assert len(body_large["results"]) == min(100, body_large["count"]) > 1
    assert small == large
    with django_assert_max_num_queries(LIMITS[path]):
        client.get(path, {"page_size": 100})


def test_a_search_page_costs_the_same_queries(big_world, api_as, django_assert_max_num_queries):
    client = api_as("inspector")
    client.get("/findings")
    small, _ = _queries(client, "/findings", {"q": "custody practice", "page_size": 1})
    large, body = _queries(client, "/findings", {"q": "custody practice", "page_size": 100})
    assert body["count"] == 60 and len(body["results"]) == 60
    assert small == large
    with django_assert_max_num_queries(LIMITS["/findings"]):
        client.get("/findings", {"q": "custody", "theme": "vetting", "page_size": 100})


@pytest.mark.parametrize("path", list(DETAILS))
@pytest.mark.parametrize(
    ("persona", "session"), [("anonymous", False), ("inspector", False), ("force_a_editor", True)]
)
def test_a_detail_costs_a_fixed_number_of_queries(
    big_world, api_as, django_assert_max_num_queries, path, persona, session
):
    record = {
        "/findings/{id}": big_world.national_all,
        "/inspections/{id}": big_world.thematic,
        "/responses/{id}": FindingResponse.objects.filter(organisation=big_world.force_a).first(),
    }[path]
    client = api_as(persona, session=session)
    client.get("/findings")
    with django_assert_max_num_queries(DETAILS[path]):
        assert client.get(path.format(id=record.pk)).status_code == 200
