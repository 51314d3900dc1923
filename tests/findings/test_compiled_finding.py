"""A finding, its parent's visibility and its children are read by statements compiled once for
each kind of reader and kept for each thread (recreg.findings.access, recreg.core.statements):
these tests hold each reader to their own rule whichever reader asks first, and the records
built from a row to what select_related() reads."""

from __future__ import annotations

import contextlib

import pytest
from django.http import Http404

from recreg.findings import access
from recreg.findings.models import Finding, FindingKind, FindingState
from recreg.findings.services import create_finding
from tests.conftest import PERSONAS, user_of


@pytest.fixture(autouse=True)
def _compiled_afresh():
    access.FINDINGS.clear()
    yield
    access.FINDINGS.clear()


def concern(world) -> Finding:
    """A published cause of concern to all forces, which recommendations may come under."""
    return under(world, None, "Forces do not vet officers often enough.")


def under(world, parent, text, state=FindingState.PUBLISHED) -> Finding:
    """A finding of the thematic inspection to all forces: a recommendation under `parent`,
    else a cause of concern."""
    return create_finding(
        actor=world.inspector,
        inspection=world.thematic,
        kind=FindingKind.RECOMMENDATION if parent else FindingKind.CAUSE_OF_CONCERN,
        text=text,
        addressee_scope=world.national_all.addressee_scope,
        addressees=[],
        state=state,
        parent=parent,
        question_area=world.area,
    )


def all_findings(world) -> list:
    return [
        world.published_a, world.published_b, world.fact_check_a, world.fact_check_b,
        world.draft_a, world.national_all, world.national_body, world.joint_a,
    ]  # fmt: skip


def seen_by(world, persona: str) -> set[int]:
    user = user_of(world, persona)
    seen = set()
    for finding in all_findings(world):
        with contextlib.suppress(Http404):
            seen.add(access.get_finding_for_user(user, finding.pk)[0].pk)
    return seen


@pytest.mark.parametrize("first", PERSONAS)
def test_each_reader_sees_what_their_rule_gives_whoever_asks_first(world, first):
    order = [first, *(p for p in PERSONAS if p != first)]
    expected = {
        persona: set(access.visible_findings(user_of(world, persona)).values_list("pk", flat=True))
        & {f.pk for f in all_findings(world)}
        for persona in PERSONAS
    }
    assert len({frozenset(s) for s in expected.values()}) >= 5  # the readers differ
    for _ in range(2):
        for persona in order:
            assert seen_by(world, persona) == expected[persona], persona
            ids = [f.pk for f in all_findings(world)]
            user = user_of(world, persona)
            assert {pk for pk in ids if access.may_see_finding(user, pk)} == expected[persona]


def test_the_record_is_what_select_related_reads(world, django_assert_num_queries):
    parent = concern(world)
    child = under(world, parent, "Forces should report vetting figures each quarter.")
    for finding in [world.published_a, world.draft_a, child]:
        expected = Finding.objects.select_related(*access.FINDING_RELATED).get(pk=finding.pk)
        with django_assert_num_queries(1):
            got, _ = access.get_finding_for_user(world.inspector, finding.pk)
            # Every related record comes with it, as with select_related().
            related = [
                got.inspection.lead_inspectorate, got.parent,
                got.question_area and got.question_area.framework,
            ]  # fmt: skip
        assert type(got) is Finding and not got.get_deferred_fields()
        for field in Finding._meta.concrete_fields:
            assert getattr(got, field.attname) == getattr(expected, field.attname), field.name
        assert got.inspection.__dict__.keys() >= {"title", "published_on", "state"}
        assert got.inspection.title == expected.inspection.title
        assert related[0] == expected.inspection.lead_inspectorate
        assert related[1] == expected.parent
        if expected.question_area is None:
            assert got.question_area is None
        else:
            assert related[2] == expected.question_area.framework
    got, _ = access.get_finding_for_user(world.inspector, child.pk)
    assert got.parent.text == parent.text
    assert [c.pk for c in access.children_of(world.inspector, parent)] == [child.pk]


@pytest.mark.parametrize("pk", ["abc", "", None, 0, -1, -7_000_001, 2**63, 2**70, "1.5"])
def test_an_id_that_cannot_be_a_finding_is_not_found(world, pk):
    with pytest.raises(Http404):
        access.get_finding_for_user(world.inspector, pk)


def test_children_are_each_readers_own(world):
    parent = concern(world)
    made = {
        name: under(world, parent, f"A {name} recommendation under the concern.", state)
        for name, state in [("published", FindingState.PUBLISHED), ("draft", FindingState.DRAFT)]
    }
    for _ in range(2):
        for persona, expected in [
            ("inspector", {made["published"].pk, made["draft"].pk}),
            ("force_b_reader", {made["published"].pk}),
            ("anonymous", {made["published"].pk}),
        ]:
            children = access.children_of(user_of(world, persona), parent)
            assert {c.pk for c in children} == expected, persona
