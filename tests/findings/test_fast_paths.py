"""Issue 7's fast paths for findings: a finding's page costs a fixed number of queries however
many organisations it is addressed to, and ranked search gives the same order on both engines
(the suite runs on SQLite and PostgreSQL, against the same expected order)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recreg.findings import services
from recreg.findings.filters import FindingFilters, filter_findings
from recreg.findings.models import AddresseeScope, Finding, FindingKind, FindingState
from recreg.findings.search import order_by_rank, search_findings
from tests.conftest import client_for
from tests.factories import ForceFactory


def detail_queries(client, finding) -> int:
    with CaptureQueriesContext(connection) as captured:
        page = client.get(f"/findings/{finding.pk}/")
    assert page.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "persona", ["anonymous", "inspector", "force_a_editor", "pcc_officer", "national_reader"]
)
def test_a_findings_page_costs_the_same_for_2_or_20_addressees(world, persona):
    client = client_for(world, persona)
    few = detail_queries(client, world.national_all)
    for n in range(18):
        ForceFactory(name=f"Further Shire {n} Police", slug=f"further-{n}")
    # Saving with "all forces" again fans the finding out to the new forces too.
    services.update_finding(world.national_all, actor=world.inspector, text="Every force should.")
    assert world.national_all.responses.count() >= 20
    assert detail_queries(client, world.national_all) == few


def test_ranked_search_gives_the_same_order_on_both_engines(world):
    texts = [
        "Custody records should be audited.",
        "Custody custody: the custody suite and custody records need review.",
        "Custody suites should be inspected; custody records kept.",
        "Victims should be kept informed.",
    ]
    made = [
        services.create_finding(
            actor=world.inspector,
            inspection=world.inspection_a,
            kind=FindingKind.RECOMMENDATION,
            text=text,
            addressee_scope=AddresseeScope.FORCES,
            addressees=[world.force_a],
            state=FindingState.PUBLISHED,
        )
        for text in texts
    ]
    ranked = [
        f.pk for f in order_by_rank(search_findings(Finding.objects.all(), "custody records"))
    ]
    # The most mentions first; one mention last; the finding without the words not at all.
    assert ranked == [made[1].pk, made[2].pk, made[0].pk]


def test_newest_first_puts_unpublished_inspections_last_on_both_engines(world):
    # PostgreSQL sorts NULL publication dates first in a descending order and SQLite last; the
    # register asks for them last on both, which also lets a reader who may not see them
    # start a page at the newest published report instead of reading past every draft.
    rows = list(
        filter_findings(world.inspector, FindingFilters.from_params({})).values_list(
            "inspection__published_on", flat=True
        )
    )
    dated = [day for day in rows if day is not None]
    assert None in rows and dated, "the world has both published and unpublished inspections"
    assert rows == dated + [None] * (len(rows) - len(dated))
    assert dated == sorted(dated, reverse=True)
    page = client_for(world, "inspector").get("/findings/").content.decode()
    assert page.index(world.published_a.text) < page.index(world.fact_check_a.text)
