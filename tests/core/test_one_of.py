"""`column__one_of=ids` (recreg.core.statements.OneOf): the ids as one parameter, so one
compiled statement serves a page of any length."""

from __future__ import annotations

import pytest
from django.db import NotSupportedError, connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recreg.core.statements import PAGE_IDS, CompiledRows, ids_parameter
from recreg.findings.models import Finding, Response
from recreg.findings.views import PAGE_ROWS, attach_progress
from tests.conftest import user_of


def addressees():
    return Finding.addressees.through.objects.order_by("finding_id", "organisation_id")


def pairs(queryset) -> list[tuple[int, int]]:
    return list(queryset.values_list("finding_id", "organisation_id"))


def test_one_of_selects_what_in_does(world):
    every = list(Finding.objects.values_list("pk", flat=True))
    assert len(every) > 3
    for ids in [every, every[:1], every[1:3], [], [0, -5, every[0]], every + every]:
        expected = pairs(addressees().filter(finding_id__in=ids))
        assert pairs(addressees().filter(finding_id__one_of=ids)) == expected, ids
    assert pairs(addressees().filter(finding_id__one_of=every))  # not all empty


# The world is only read, so one for every example is enough.
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(picks=st.lists(st.integers(min_value=0, max_value=40), max_size=60))
def test_one_compiled_statement_serves_pages_of_every_length(world, picks):
    every = sorted(Finding.objects.values_list("pk", flat=True))
    ids = [every[i] if i < len(every) else 10**9 + i for i in picks]
    statement = CompiledRows(
        addressees().filter(finding_id__one_of=PAGE_IDS), ("finding_id", "organisation_id")
    )
    found = statement.for_ids(ids)
    assert found == pairs(addressees().filter(finding_id__in=ids))


def test_the_ids_are_numbers_whatever_they_are_given_as(world):
    assert ids_parameter(["7", 8], "postgresql") == [7, 8]
    assert ids_parameter(("7", 8), "sqlite") == "[7, 8]"
    with pytest.raises(ValueError):
        ids_parameter(["7) OR (1=1"], connection.vendor)


def test_another_engine_is_refused(world, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "mysql")
    with pytest.raises(NotSupportedError, match="PostgreSQL and SQLite"):
        str(addressees().filter(finding_id__one_of=[1]).query)


def test_each_kind_of_reader_has_its_own_progress_statement(world):
    # The statement holds the reader's rule: a force's reader must never be given another
    # force's, whichever of them reads a page first.
    PAGE_ROWS.clear()
    findings = list(Finding.objects.filter(pk=world.national_all.pk))
    assert Response.objects.filter(finding=world.national_all).count() >= 2
    seen = {}
    for _ in range(2):
        for persona in ["force_a_editor", "force_b_reader", "inspector"]:
            attach_progress(findings, user_of(world, persona))
            seen.setdefault(persona, []).append(
                sorted(r.organisation_name for r in findings[0].visible_response_list)
            )
    assert seen["force_a_editor"][0] == [world.force_a.name]
    assert seen["force_b_reader"][0] == [world.force_b.name]
    assert set(seen["inspector"][0]) >= {world.force_a.name, world.force_b.name}
    for persona, views in seen.items():
        assert views[0] == views[1], persona
