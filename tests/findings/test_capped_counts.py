"""The register counts its findings only so far past the page shown (issue 7: counting the
national register's ~100,000 findings cost more than the rest of the page). Up to the cap the
count is exact; past it the page says "more than N". Either way it counts only what the
reader may see, for every persona, on the page and in the API. The faster forms of the access
rule the register's lists and single findings use admit exactly what the rule says."""

from __future__ import annotations

import re

import pytest

from recreg.accounts.roles import capabilities_for
from recreg.findings import services
from recreg.findings.access import visible_findings
from recreg.findings.models import (
    AddresseeScope,
    Finding,
    FindingKind,
    FindingState,
    public_register_q,
)
from tests.conftest import client_for, user_of

PERSONAS = [
    "anonymous",
    "inspector",
    "inspectorate_reader",
    "force_a_editor",
    "force_b_reader",
    "pcc_officer",
    "national_reader",
]
HEADING = re.compile(r'id="results">([^<]*)</h2>')


def heading(world, persona, query: str = "") -> str:
    page = client_for(world, persona).get(f"/findings/{query}")
    assert page.status_code == 200
    match = HEADING.search(page.content.decode())
    assert match, "the register shows how many findings it has"
    return match.group(1)


def add_published(world, n: int) -> None:
    for i in range(n):
        services.create_finding(
            actor=world.inspector,
            inspection=world.inspection_a,
            kind=FindingKind.AREA_FOR_IMPROVEMENT,
            text=f"The force should improve its handling of case {i}.",
            addressee_scope=AddresseeScope.FORCES,
            addressees=[world.force_a],
            state=FindingState.PUBLISHED,
        )


def test_the_personas_see_different_numbers_of_findings(world):
    # Otherwise the tests below could not tell one reader's count from another's.
    counts = {p: visible_findings(user_of(world, p)).count() for p in PERSONAS}
    assert len(set(counts.values())) >= 4
    assert counts["inspector"] > counts["national_reader"] > counts["anonymous"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_at_the_cap_the_count_is_exact_and_past_it_more_than(world, persona, settings):
    seen = visible_findings(user_of(world, persona)).count()
    settings.REGISTER_COUNT_CAP = seen
    assert heading(world, persona) == f"{seen} finding{'s' if seen != 1 else ''}"
    settings.REGISTER_COUNT_CAP = seen - 1
    assert heading(world, persona) == f"More than {seen - 1} findings"


def test_capped_pages_go_on_without_a_last_page(world, settings):
    settings.REGISTER_PAGE_SIZE = 5
    settings.REGISTER_COUNT_CAP = 6
    add_published(world, 20)
    total = visible_findings(None).count()
    assert total > 20
    client = client_for(world, "anonymous")

    first = client.get("/findings/").content.decode()
    assert "More than 6 findings" in first
    assert 'href="?page=2"' in first
    assert "Page 1 of" not in first and "page 1 of" not in first
    last_number = (total + 4) // 5
    assert f'href="?page={last_number}"' not in first  # the last page is not known

    # Further on, the count reaches the cap past that page's start.
    third = client.get("/findings/", {"page": 3}).content.decode()
    assert "More than 16 findings" in third
    assert "These are 11 to 15." in third

    # Near the end the count is exact again, and so is the last page.
    last = client.get("/findings/", {"page": last_number}).content.decode()
    assert f"{total} findings" in last and "More than" not in last
    assert f"Page {last_number} of {last_number}" in last

    # A page past the end gives the last page, counted exactly.
    beyond = client.get("/findings/", {"page": 999}).content.decode()
    assert f"{total} findings" in beyond
    assert f"These are {(last_number - 1) * 5 + 1} to {total}." in beyond


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_list_and_single_forms_of_the_access_rule_agree(world, persona):
    # "Addressed to my organisation" is asked in a different SQL form on each engine (a
    # correlated EXISTS, or a scalar subquery; on SQLite the public rule without its index):
    # lists and single findings must admit the same findings, which must be what the rule
    # says, and the public's must be the public register.
    user = user_of(world, persona)
    listed = set(visible_findings(user).values_list("pk", flat=True))
    one_by_one = {
        pk
        for pk in Finding.objects.values_list("pk", flat=True)
        if visible_findings(user).filter(pk=pk).exists()
    }
    assert listed == one_by_one
    assert listed == set(_reference_rule(world, user))


def _reference_rule(world, user):
    """The access rule written out plainly, to check the fast forms against."""
    caps = capabilities_for(user)
    if caps.is_public:
        return Finding.objects.filter(public_register_q()).values_list("pk", flat=True)
    if caps.sees_drafts:
        return Finding.objects.values_list("pk", flat=True)
    if caps.sees_whole_register:
        return Finding.objects.exclude(state=FindingState.DRAFT).values_list("pk", flat=True)
    return [
        f.pk
        for f in Finding.objects.prefetch_related("responses")
        if f.state != FindingState.DRAFT
        and (
            Finding.objects.filter(public_register_q(), pk=f.pk).exists()
            or any(r.organisation_id in caps.organisation_ids for r in f.responses.all())
        )
    ]
