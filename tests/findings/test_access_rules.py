"""The register's filtered lists take their findings from the responses a reader may see
(recreg.findings.access.findings_of_seen_responses) without asking the findings' own rule
again. That is right only while every finding of a response a reader may see, in full or just
its state, is a finding the reader may see: these tests hold each role's rules to it, and the
filtered lists to the findings the full rule would give."""

from __future__ import annotations

import datetime
import itertools

import pytest

from recreg.findings.access import (
    response_states_on,
    responses_on,
    visible_findings,
    visible_response_states,
    visible_responses,
)
from recreg.findings.filters import FindingFilters, filter_findings
from recreg.findings.models import Finding, Response, ResponseState, in_public_register
from tests.conftest import PERSONAS, user_of


def spread_states(world) -> None:
    """Give the world's responses a mix of states and target dates, some overdue."""
    past = datetime.date(2020, 1, 1)
    future = datetime.date(2099, 1, 1)
    states = itertools.cycle(
        [ResponseState.IN_PROGRESS, ResponseState.COMPLETED, ResponseState.IN_PROGRESS]
    )
    dates = itertools.cycle([past, future, None])
    for response in Response.objects.order_by("pk"):
        Response.objects.filter(pk=response.pk).update(state=next(states), target_date=next(dates))


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_findings_of_responses_a_reader_sees_are_findings_they_see(world, persona):
    spread_states(world)
    user = user_of(world, persona)
    findings = set(visible_findings(user).values_list("pk", flat=True))
    for responses in (visible_responses(user), visible_response_states(user)):
        assert responses.exists(), "the test would prove nothing with no responses"
        assert set(responses.values_list("finding_id", flat=True)) <= findings


FILTERS = [
    {"force": "force-a"},
    {"force": "force-b"},
    {"state": "in_progress"},
    {"state": "completed", "force": "force-a"},
    {"overdue": "1"},
    {"overdue": "1", "state": "in_progress", "force": "force-a"},
    {"overdue": "1", "force": "force-b"},
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_filtered_lists_hold_what_the_full_rule_gives(world, persona):
    spread_states(world)
    user = user_of(world, persona)
    slugs = {"force-a": world.force_a.slug, "force-b": world.force_b.slug}
    matched_any = False
    for params in FILTERS:
        params = {k: slugs.get(v, v) for k, v in params.items()}
        filters = FindingFilters.from_params(params)
        got = list(filter_findings(user, filters).values_list("pk", flat=True))
        # The rule written out: the findings this reader may see that have a response
        # matching the filters among those whose state (or, for overdue, whole record) the
        # reader may see.
        overdue = filters.overdue and user is not None
        responses = visible_responses(user).overdue() if overdue else visible_response_states(user)
        if filters.force:
            responses = responses.filter(organisation__slug=filters.force)
        if filters.state:
            responses = responses.filter(state=filters.state)
        expected = set(
            visible_findings(user)
            .filter(pk__in=responses.values("finding_id"))
            .values_list("pk", flat=True)
        )
        assert len(got) == len(set(got)), "each finding once"
        assert set(got) == expected, params
        matched_any = matched_any or bool(expected)
    assert matched_any


def test_in_public_register_is_the_public_register_rule(world):
    public = set(Finding.objects.public().values_list("pk", flat=True))
    findings = Finding.objects.select_related("inspection__lead_inspectorate")
    assert public and len(public) < findings.count()
    assert {f.pk for f in findings if in_public_register(f)} == public


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_findings_own_responses_are_what_the_whole_rule_gives(world, persona):
    """responses_on and response_states_on (a finding's page) settle from the finding what the
    register-wide rules ask of each response's finding: the rows must be the same."""
    # Not a force's: only those of forces are the public register's.
    Response.objects.create(finding=world.national_all, organisation=world.pcc_a)
    Response.objects.create(finding=world.national_body, organisation=world.pcc_a)
    Response.objects.create(finding=world.draft_a, organisation=world.pcc_a)
    user = user_of(world, persona)
    for finding in Finding.objects.select_related("inspection__lead_inspectorate"):
        whole = set(visible_responses(user).filter(finding=finding).values_list("pk", flat=True))
        states = visible_response_states(user).filter(finding=finding)
        assert set(responses_on(user, finding).values_list("pk", flat=True)) == whole
        assert set(response_states_on(user, finding).values_list("pk", flat=True)) == set(
            states.values_list("pk", flat=True)
        ), finding
