"""The dashboards' scene: force A's and B's responses in several states, and grades."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from recreg.findings.models import RAG, Response, ResponseState
from recreg.oversight import services as oversight_services
from recreg.oversight.models import GradeLevel
from tests.exports.conftest import add_findings


@dataclass
class Scene:
    completed_a: Response
    red_overdue_a: Response
    amber_b: Response


def _set(response: Response, **fields) -> Response:
    # Test set-up: states, ratings and past dates placed as the progress services leave them.
    Response.objects.filter(pk=response.pk).update(**fields)
    response.refresh_from_db()
    return response


def build_scene(world) -> Scene:
    """Force A: one response completed two months ago, one red and overdue; force B: amber."""
    now = timezone.now()
    today = timezone.localdate()
    completed_a = _set(
        Response.objects.get(finding=world.published_a, organisation=world.force_a),
        state=ResponseState.COMPLETED,
        state_changed_at=now - datetime.timedelta(days=62),
    )
    red_overdue_a = _set(
        Response.objects.get(finding=world.national_all, organisation=world.force_a),
        state=ResponseState.IN_PROGRESS,
        rag=RAG.RED,
        target_date=today - datetime.timedelta(days=20),
    )
    amber_b = _set(
        Response.objects.get(finding=world.published_b, organisation=world.force_b),
        state=ResponseState.IN_PROGRESS,
        rag=RAG.AMBER,
        target_date=today + datetime.timedelta(days=90),
    )
    oversight_services.record_grades(
        world.force_a,
        world.area.framework,
        grades={(GradeLevel.AREA, world.area.pk): "good"},
        published_on=today - datetime.timedelta(days=30),
        actor=world.inspector,
    )
    oversight_services.record_grades(
        world.force_b,
        world.area.framework,
        grades={(GradeLevel.AREA, world.area.pk): "inadequate"},
        actor=world.inspector,
    )
    return Scene(completed_a=completed_a, red_overdue_a=red_overdue_a, amber_b=amber_b)


@pytest.fixture
def scene(world) -> Scene:
    return build_scene(world)


def more_responses(world, n: int, start: int = 0) -> None:
    """More findings (and so responses) in mixed states, for query-count tests."""
    findings = add_findings(world, n, start=start)
    states = [ResponseState.IN_PROGRESS, ResponseState.COMPLETED, ResponseState.SUPERSEDED]
    for i, response in enumerate(Response.objects.filter(finding__in=findings)):
        _set(response, state=states[i % 3], rag=[RAG.RED, RAG.GREEN, ""][i % 3])
