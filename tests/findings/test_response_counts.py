"""The response counts the database keeps for the force overview (findings.ResponseCount):
right after every kind of change, by whatever path it is made, and what each reader's
overview shows from them is what counting the responses shows."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recreg.accounts.roles import Role
from recreg.findings import services as finding_services
from recreg.findings.access import visible_responses
from recreg.findings.counts import count_drift, counted_afresh, kept_counts
from recreg.findings.models import (
    RAG,
    AddresseeScope,
    Finding,
    FindingKind,
    FindingState,
    Response,
    ResponseCount,
    ResponseState,
)
from recreg.progress import queries
from recreg.progress import services as progress
from tests.conftest import client_for
from tests.engines import postgres_only
from tests.factories import ForceFactory, InspectionFactory, InspectorateFactory, UserFactory

TRIGGERS = {
    "findings_response_count_ai",
    "findings_response_count_ad",
    "findings_response_count_au",
    "findings_finding_count_au",
}


def _triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in cursor.fetchall()}


@pytest.mark.django_db
def test_the_triggers_are_there():
    # A later migration that rebuilds either table on SQLite drops them (see migration 0011).
    assert _triggers() >= TRIGGERS


def _draft(world, to):
    return finding_services.create_finding(
        actor=world.inspector,
        inspection=world.draft_inspection,
        kind=FindingKind.RECOMMENDATION,
        text="The force should review its vetting.",
        addressee_scope=AddresseeScope.FORCES,
        addressees=to,
        state=FindingState.DRAFT,
    )


def _counts_of(org) -> dict[tuple[str, str, str], int]:
    return {
        (finding, state, rag): n
        for (org_id, finding, state, rag), n in kept_counts().items()
        if org_id == org.pk
    }


def test_every_change_through_the_services_moves_the_counts(world):
    assert kept_counts() == counted_afresh() != {}
    before = _counts_of(world.force_a)

    finding = _draft(world, [world.force_a, world.force_b])
    draft_key = ("draft", ResponseState.AWAITING_ALLOCATION, "")
    assert _counts_of(world.force_a).get(draft_key, 0) == before.get(draft_key, 0) + 1
    assert not count_drift()

    # Into factual accuracy check: the responses move from the draft's counts.
    finding_services.update_finding(finding, actor=world.inspector, state=FindingState.FACT_CHECK)
    after = _counts_of(world.force_a)
    assert after.get(draft_key, 0) == before.get(draft_key, 0)
    fact_check_key = ("fact_check", ResponseState.AWAITING_ALLOCATION, "")
    assert after[fact_check_key] == before.get(fact_check_key, 0) + 1
    assert not count_drift()

    # An addressee removed: its response goes, and its count with it.
    finding_services.update_finding(finding, actor=world.inspector, addressees=[world.force_a])
    assert not Response.objects.filter(finding=finding, organisation=world.force_b).exists()
    assert not count_drift()

    # The force's own work: allocated (in progress), then rated.
    response = Response.objects.get(finding=world.published_a, organisation=world.force_a)
    response = progress.allocate_response(
        response,
        owner=world.force_a_editor,
        tactical_lead=world.force_a_editor,
        expected_version=response.version,
        actor=world.force_a_editor,
    )
    assert not count_drift()
    progress.post_update(
        response,
        narrative="The new policy is in place.",
        rag=RAG.AMBER,
        expected_version=Response.objects.get(pk=response.pk).version,
        actor=world.force_a_editor,
    )
    assert _counts_of(world.force_a)[("published", ResponseState.IN_PROGRESS, RAG.AMBER)] >= 1
    assert not count_drift()

    # A draft deleted: its responses go, and their counts with them.
    counts = _counts_of(world.force_b)
    draft = _draft(world, [world.force_b])
    assert _counts_of(world.force_b) != counts
    finding_services.delete_finding(draft, actor=world.inspector)
    assert _counts_of(world.force_b) == counts
    assert not count_drift()


def test_changes_no_service_sees_are_counted_too(world):
    force = ForceFactory()
    findings = list(Finding.objects.order_by("pk")[:3])
    # bulk_create, QuerySet.update and a bulk delete send no signals and call no service.
    Response.objects.bulk_create(Response(finding=f, organisation=force) for f in findings)
    assert not count_drift()
    Response.objects.filter(organisation=force).update(state=ResponseState.COMPLETED, rag="red")
    assert not count_drift()
    Finding.objects.filter(pk=findings[0].pk).update(state=FindingState.DRAFT)
    assert not count_drift()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE findings_response SET rag = 'green' WHERE organisation_id = %s", [force.pk]
        )
    assert not count_drift()
    # A save that writes every column but changes nothing counted moves nothing.
    response = Response.objects.filter(organisation=force).first()
    response.save()
    assert not count_drift()
    Response.objects.filter(organisation=force).delete()
    assert not count_drift()
    assert not any(key[0] == force.pk for key in kept_counts())


STATES = st.sampled_from([s.value for s in ResponseState])
RATINGS = st.sampled_from(["", *(r.value for r in RAG)])
FINDING_STATES = st.sampled_from([s.value for s in FindingState])
CHANGES = st.lists(
    st.one_of(
        st.tuples(st.just("response"), st.integers(0, 30), STATES, RATINGS),
        st.tuples(st.just("finding"), st.integers(0, 30), FINDING_STATES),
        st.tuples(st.just("delete"), st.integers(0, 30)),
        st.tuples(st.just("insert"), st.integers(0, 30), STATES, RATINGS),
    ),
    max_size=12,
)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=CHANGES)
def test_any_sequence_of_changes_leaves_the_counts_right(changes):
    # The same responses and findings, changed in any order; each example is rolled back.
    with transaction.atomic():
        force = ForceFactory()
        other = ForceFactory()
        world_findings = _findings_to(force, FindingState)
        for change in changes:
            kind, index = change[0], change[1]
            finding = world_findings[index % len(world_findings)]
            if kind == "response":
                response = Response.objects.filter(finding=finding).first()
                if response is not None:
                    response.state, response.rag = change[2], change[3]
                    response.save()
            elif kind == "finding":
                Finding.objects.filter(pk=finding.pk).update(state=change[2])
            elif kind == "delete":
                Response.objects.filter(finding=finding, organisation=other).delete()
            else:
                Response.objects.get_or_create(
                    finding=finding,
                    organisation=other,
                    defaults={"state": change[2], "rag": change[3]},
                )
        assert not count_drift()
        transaction.set_rollback(True)


def _findings_to(force, states) -> list[Finding]:
    """A finding in each of these states, addressed to this force alone."""
    inspector = UserFactory(role=Role.INSPECTORATE_EDITOR, organisation=InspectorateFactory())
    inspection = InspectionFactory()
    return [
        finding_services.create_finding(
            actor=inspector,
            inspection=inspection,
            kind=FindingKind.AREA_FOR_IMPROVEMENT,
            text=f"Finding {n}",
            addressee_scope=AddresseeScope.FORCES,
            addressees=[force],
            state=state,
        )
        for n, state in enumerate(states)
    ]


OVERVIEW_READERS = [
    "inspector",
    "inspectorate_reader",
    "force_a_editor",
    "pcc_officer",
    "national_reader",
]


@pytest.mark.parametrize("persona", OVERVIEW_READERS)
def test_each_reader_s_overview_counts_are_the_responses_they_see(world, persona):
    user = getattr(world, persona)
    _draft(world, [world.force_a])
    kept = queries.kept_count_rows(user, world.force_a)
    counted = queries.count_rows(visible_responses(user).filter(organisation=world.force_a))
    assert sorted((r["state"], r["rag"], r["n"]) for r in kept) == sorted(
        (r["state"], r["rag"], r["n"]) for r in counted
    )
    page = client_for(world, persona).get("/progress/forces/force-a/")
    assert page.context["counts"].total == sum(r["n"] for r in counted)


def test_a_draft_s_responses_are_counted_only_for_the_inspectorate(world):
    finding = _draft(world, [world.force_a])
    inspector = client_for(world, "inspector").get("/progress/forces/force-a/")
    editor = client_for(world, "force_a_editor").get("/progress/forces/force-a/")
    of_force_a = Response.objects.filter(organisation=world.force_a)
    assert inspector.context["counts"].total == of_force_a.count()
    drafts = of_force_a.filter(finding__state=FindingState.DRAFT).count()
    assert drafts >= 1
    assert editor.context["counts"].total == of_force_a.count() - drafts
    finding_services.update_finding(finding, actor=world.inspector, state=FindingState.FACT_CHECK)
    editor_after = client_for(world, "force_a_editor").get("/progress/forces/force-a/")
    assert editor_after.context["counts"].total == editor.context["counts"].total + 1


def test_a_filtered_overview_still_counts_the_responses(world):
    # Filters the kept counts do not hold (here a kind of finding) are counted afresh.
    page = client_for(world, "force_a_editor").get(
        "/progress/forces/force-a/", {"kind": FindingKind.RECOMMENDATION}
    )
    recommendations = Response.objects.filter(
        organisation=world.force_a, finding__kind=FindingKind.RECOMMENDATION
    ).exclude(finding__state=FindingState.DRAFT)
    assert page.context["counts"].total == recommendations.count()
    assert ResponseCount.objects.filter(organisation=world.force_a).exists()


# On SQLite writers take turns for the whole transaction (and the test database is in memory,
# where threads cannot wait for each other): there the same is shown by tests/faults.
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_opposite_changes_neither_deadlock_nor_lose_a_count():
    force = ForceFactory()
    _findings_to(force, [FindingState.PUBLISHED] * 6)
    # Six responses whose changes all move between the same two counts.
    responses = list(Response.objects.filter(organisation=force).order_by("pk"))
    ratings = ["red", "green"]
    errors: list[BaseException] = []

    def flip(offset: int):
        # Each thread moves the responses between the same two counts, half of the threads
        # the other way round, one change to a transaction as the services make them.
        try:
            for i in range(50):
                response = responses[offset]
                with transaction.atomic():
                    Response.objects.filter(pk=response.pk).update(
                        rag=ratings[(i + offset) % 2], state=ResponseState.IN_PROGRESS
                    )
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=flip, args=(n,)) for n in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert len(responses) == 6 and not count_drift()
    kept = _counts_of(force)
    assert sum(kept.values()) == 6 and set(kept) <= {
        ("published", ResponseState.IN_PROGRESS, rating) for rating in ratings
    }
