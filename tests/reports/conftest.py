"""A committee paper's worth of register around force A, on top of the shared `world`:
an inspection in fieldwork, an older report still under review (one finding rated red), the
world's reports published since the last meeting with one allocated and updated, grades over
two frameworks (and an unpublished third), and a monitoring decision into Engage."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from recreg.accounts.roles import Role
from recreg.findings import services as finding_services
from recreg.findings.models import FindingKind, GovernanceBoard, Response
from recreg.frameworks.models import GradeScale
from recreg.inspections.models import InspectionState
from recreg.oversight import services as oversight_services
from recreg.oversight.models import GradeLevel
from recreg.progress import services as progress_services
from tests.factories import FrameworkFactory, InspectionFactory, QuestionAreaFactory, UserFactory

SINCE = datetime.date(2024, 1, 1)
MEETING = datetime.date(2024, 6, 30)


@dataclass
class Scene:
    world: object
    fieldwork: object
    older: object
    older_red: object
    older_green: object
    owner: object
    lead: object
    board: object


def _response(finding, org) -> Response:
    return Response.objects.get(finding=finding, organisation=org)


def _allocate(response, owner, lead, actor, board=None):
    response.refresh_from_db()
    progress_services.allocate_response(
        response,
        owner=owner,
        tactical_lead=lead,
        governance_board=board,
        expected_version=response.version,
        actor=actor,
    )


def _update(response, rag, text, actor):
    response.refresh_from_db()
    return progress_services.post_update(
        response, narrative=text, rag=rag, expected_version=response.version, actor=actor
    )


@pytest.fixture
def scene(world) -> Scene:
    w = world
    owner = UserFactory(
        email="acc@force-a.test",
        full_name="Alex Chief",
        job_title="Assistant Chief Constable",
        role=Role.FORCE_READER,
        organisation=w.force_a,
    )
    lead = UserFactory(
        email="supt@force-a.test",
        full_name="Sam Super",
        job_title="Superintendent",
        role=Role.FORCE_READER,
        organisation=w.force_a,
    )
    board = GovernanceBoard.objects.create(organisation=w.force_a, name="Crime Governance Board")

    fieldwork = InspectionFactory(
        title="Child protection inspection of Avon Test Police",
        state=InspectionState.FIELDWORK,
        published_on=None,
        fieldwork_start=datetime.date(2024, 2, 5),
        fieldwork_end=datetime.date(2024, 2, 16),
    )
    fieldwork.forces_in_scope.set([w.force_a])
    # Fieldwork before the last meeting is not news.
    old_fieldwork = InspectionFactory(
        title="Custody inspection of Avon Test Police",
        state=InspectionState.PUBLISHED,
        published_on=datetime.date(2023, 11, 1),
        fieldwork_start=datetime.date(2023, 6, 5),
        fieldwork_end=datetime.date(2023, 6, 16),
    )
    old_fieldwork.forces_in_scope.set([w.force_a])

    older = InspectionFactory(
        title="PEEL 2021/22: Avon Test Police", published_on=datetime.date(2022, 5, 1)
    )
    older.forces_in_scope.set([w.force_a])
    older_red = finding_services.create_finding(
        actor=w.inspector,
        inspection=older,
        kind=FindingKind.AREA_FOR_IMPROVEMENT,
        reference="AFI1",
        text="The force should make sure <b>crime</b> is recorded accurately.",
        addressees=[w.force_a],
        state="published",
    )
    older_green = finding_services.create_finding(
        actor=w.inspector,
        inspection=older,
        kind=FindingKind.AREA_FOR_IMPROVEMENT,
        reference="AFI2",
        text="The force should improve its supervision of investigations.",
        addressees=[w.force_a],
        state="published",
    )
    for finding in (older_red, older_green):
        _allocate(_response(finding, w.force_a), owner, lead, w.force_a_editor)
    _update(_response(older_red, w.force_a), "red", "Audit found 80% accuracy.", w.force_a_editor)
    _update(
        _response(older_green, w.force_a), "green", "Supervision plan in place.", w.force_a_editor
    )

    published = _response(w.published_a, w.force_a)
    _allocate(published, owner, lead, w.force_a_editor, board)
    _update(published, "amber", "Safeguarding training under way.", w.force_a_editor)

    # Grades: 2017 and 2023–25 published; a third framework's grades not yet published.
    old = FrameworkFactory(
        name="PEEL 2017",
        short_name="PEEL 2017",
        slug="peel-2017",
        start_year=2017,
        end_year=2017,
        grade_scale=GradeScale.FOUR_POINT,
    )
    old_pvp = QuestionAreaFactory(
        framework=old, name="Protecting vulnerable people", slug=w.area.slug, order=1
    )
    oversight_services.record_grades(
        w.force_a,
        old,
        grades={(GradeLevel.AREA, old_pvp.pk): "good"},
        published_on=datetime.date(2018, 3, 22),
        actor=w.inspector,
    )
    oversight_services.record_grades(
        w.force_a,
        w.area.framework,
        grades={(GradeLevel.AREA, w.area.pk): "requires_improvement"},
        published_on=datetime.date(2024, 3, 14),
        actor=w.inspector,
    )
    future = FrameworkFactory(
        name="PEEL 2025–27",
        short_name="PEEL 2025–27",
        slug="peel-2025-27",
        start_year=2025,
        end_year=2027,
        grade_scale=GradeScale.FIVE_POINT,
    )
    future_pvp = QuestionAreaFactory(
        framework=future, name="Protecting vulnerable people", slug=w.area.slug, order=1
    )
    oversight_services.record_grades(
        w.force_a,
        future,
        grades={(GradeLevel.AREA, future_pvp.pk): "inadequate"},
        published_on=None,
        actor=w.inspector,
    )

    monitoring_round = oversight_services.create_monitoring_round(
        year=2024,
        tranche_number=1,
        starts_on=datetime.date(2024, 1, 8),
        ends_on=datetime.date(2024, 4, 26),
        meets_on=datetime.date(2024, 5, 14),
        actor=w.inspector,
    )
    oversight_services.record_monitoring_decision(
        monitoring_round,
        w.force_a,
        status="Engage",
        reasons="Crime recording is not accurate enough.",
        decided_on=datetime.date(2024, 5, 14),
        actor=w.inspector,
    )
    return Scene(
        world=w,
        fieldwork=fieldwork,
        older=older,
        older_red=older_red,
        older_green=older_green,
        owner=owner,
        lead=lead,
        board=board,
    )
