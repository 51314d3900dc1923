"""The access rules are composed once per process for each kind of reader
(recreg.core.rules.ComposedPerReader): these tests hold that a reader only ever gets their
own kind's rule, that each caller gets a copy it may change, and what the key must hold."""

from __future__ import annotations

import pytest

from recreg.accounts.roles import Role
from recreg.findings.access import (
    visible_findings,
    visible_response_states,
    visible_responses,
)
from recreg.findings.models import FindingKind
from recreg.inspections.access import visible_inspections
from tests.factories import UserFactory

RULES = (visible_findings, visible_responses, visible_response_states, visible_inspections)


@pytest.fixture(autouse=True)
def _rules_composed_afresh():
    for rule in RULES:
        rule.composed.clear()
    yield
    for rule in RULES:
        rule.composed.clear()


def test_readers_of_different_forces_never_share_a_rule(world):
    # Asked in turn, each force's reader sees their own force's pre-publication finding and
    # never the other's, whichever asked first.
    for _ in range(2):
        seen_by_a = set(visible_findings(world.force_a_editor))
        seen_by_b = set(visible_findings(world.force_b_reader))
        assert world.fact_check_a in seen_by_a and world.fact_check_a not in seen_by_b
        assert world.fact_check_b in seen_by_b and world.fact_check_b not in seen_by_a
        assert world.draft_a not in seen_by_a | seen_by_b
    assert world.draft_a in set(visible_findings(world.inspector))
    assert world.fact_check_a not in set(visible_findings(None))


def test_an_unpublished_inspection_is_seen_only_by_the_forces_in_its_scope(world):
    # The inspections' rule (which holds the findings' rule inside it) is composed per kind
    # of reader too: whichever force asks first, the other never gets its rule.
    for _ in range(2):
        assert world.draft_inspection in set(visible_inspections(world.force_a_editor))
        assert world.draft_inspection not in set(visible_inspections(world.force_b_reader))
        assert world.draft_inspection not in set(visible_inspections(None))


def test_the_rule_is_composed_once_for_each_kind_of_reader(world, monkeypatch):
    built = []
    build = visible_findings.build
    monkeypatch.setattr(visible_findings, "build", lambda caps: built.append(caps) or build(caps))
    colleague = UserFactory(role=Role.FORCE_EDITOR, organisation=world.force_a)

    visible_findings(world.force_a_editor)
    visible_findings(colleague)  # the same organisation and role: the same rule
    assert len(built) == 1
    visible_findings(world.force_b_reader)
    visible_findings(None)
    assert len(built) == 3


def test_each_caller_gets_a_copy_it_may_change(world):
    mine = visible_findings(world.force_a_editor)
    yours = visible_findings(world.force_a_editor)
    assert mine.query is not yours.query
    everything = set(yours)

    narrowed = set(mine.filter(kind=FindingKind.RECOMMENDATION))
    list(mine.order_by("-id")[:1])

    assert narrowed and narrowed < everything
    assert set(visible_findings(world.force_a_editor)) == everything
    assert set(yours.all()) == everything


def test_the_police_inspectorate_is_part_of_the_rule(world, settings):
    # The public rule names the inspectorate whose reports are public: a different setting
    # is a different rule, never the one composed before it.
    public_sql = str(visible_findings(None).query)
    assert world.hmicfrs.slug in public_sql
    settings.POLICE_INSPECTORATE_SLUG = world.probation.slug

    changed_sql = str(visible_findings(None).query)

    assert world.probation.slug in changed_sql and world.hmicfrs.slug not in changed_sql
    public = set(visible_findings(None))
    assert world.joint_a in public and world.published_a not in public


def test_the_rules_kept_are_bounded(world, monkeypatch):
    monkeypatch.setattr(type(visible_findings), "LIMIT", 2)
    for reader in (world.force_a_editor, world.force_b_reader, world.pcc_officer, None):
        assert world.draft_a not in set(visible_findings(reader))
    assert len(visible_findings.composed) <= 2
    assert world.fact_check_a in set(visible_findings(world.force_a_editor))
