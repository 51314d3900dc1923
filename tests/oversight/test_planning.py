import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from recreg.audit.models import AuditEvent
from recreg.inspections.models import Inspection, InspectionState
from recreg.oversight import services
from recreg.oversight.models import AreaChoice, GradeLevel, PlannedForce, TranchePlan
from tests.conftest import client_for

TODAY = datetime.date(2025, 1, 1)


@pytest.fixture
def ranked(ov):
    """Force A's investigating crime is inadequate, so the model ranks it above the rest."""
    services.record_grades(
        ov.world.force_a,
        ov.new,
        grades={
            (GradeLevel.AREA, ov.investigating.pk): "inadequate",
            (GradeLevel.AREA, ov.responding.pk): "good",
        },
        published_on=datetime.date(2024, 3, 14),
        actor=ov.world.inspector,
    )
    return ov


def plan(ov, **overrides):
    args = {
        "tranche": ov.round.tranche,
        "framework": ov.new,
        "forces": [ov.world.force_a],
        "core_areas": [ov.pvp],
        "extra_area_count": 1,
        "today": TODAY,
        "actor": ov.world.inspector,
    }
    args.update(overrides)
    return services.create_tranche_plan(**args)


def test_plan_takes_core_plus_top_ranked_and_creates_inspections(ranked):
    ov = ranked
    result = plan(ov)
    entry = result.forces.get()
    assert {(a.question_area, a.choice) for a in entry.areas.all()} == {
        (ov.pvp, AreaChoice.CORE),
        (ov.investigating, AreaChoice.RANKED),
    }
    inspection = entry.inspection
    assert inspection.state == InspectionState.PLANNED
    assert inspection.programme == ov.new
    assert list(inspection.forces_in_scope.all()) == [ov.world.force_a]
    assert inspection.fieldwork_start == ov.round.tranche.starts_on
    assert entry.ranking[0]["slug"] == "investigating-crime"
    assert entry.ranking[0]["contributions"]  # the explanation is kept with the plan
    assert result.configuration_version == 0
    assert AuditEvent.objects.for_object(result).get().changes["core_areas"] == [None, [ov.pvp.pk]]
    assert AuditEvent.objects.for_object(inspection).exists()
    assert AuditEvent.objects.filter(model="oversight.plannedarea").count() == 2


def test_override_needs_a_reason_and_is_recorded(ranked):
    ov = ranked
    force = ov.world.force_a
    chosen = {ov.pvp.pk, ov.responding.pk}  # swaps the model's choice
    with pytest.raises(ValidationError) as exc:
        plan(ov, selections={force.pk: chosen})
    assert exc.value.message_dict[f"reason_{force.pk}"] == [
        "Give a reason for changing the areas the model chose for Avon Test Police"
    ]
    assert (
        not TranchePlan.objects.exists()
        and not Inspection.objects.filter(state=InspectionState.PLANNED).exists()
    )
    result = plan(
        ov, selections={force.pk: chosen}, reasons={force.pk: "Recent call handling failures"}
    )
    entry = result.forces.get()
    assert entry.override_reason == "Recent call handling failures"
    assert {(a.question_area, a.choice) for a in entry.areas.all()} == {
        (ov.pvp, AreaChoice.CORE),
        (ov.responding, AreaChoice.ADDED),
        (ov.investigating, AreaChoice.REMOVED),
    }


def test_plan_refusals(ranked):
    ov = ranked
    w = ov.world
    with pytest.raises(ValidationError) as exc:
        plan(
            ov,
            forces=[w.home_office],
            core_areas=[ov.old_pvp],
            extra_area_count=99,
        )
    assert set(exc.value.message_dict) == {"forces", "core_areas", "extra_area_count"}
    with pytest.raises(ValidationError, match="Keep the core areas"):
        plan(ov, selections={w.force_a.pk: {ov.investigating.pk}}, reasons={w.force_a.pk: "x"})
    with pytest.raises(PermissionError):
        plan(ov, actor=w.inspectorate_reader)
    plan(ov)
    with pytest.raises(ValidationError) as exc:
        plan(ov)
    assert "already has a plan for PEEL 2023–25" in str(exc.value)
    with pytest.raises(ValidationError, match="already planned in 2024 tranche 2"):
        plan(ov, framework=ov.old, core_areas=[])
    assert TranchePlan.objects.count() == 1


def test_planning_pages_walk_through_to_a_plan(ranked, django_assert_max_num_queries):
    ov = ranked
    w = ov.world
    client = client_for(w, "inspector")
    start = client.get(
        reverse("oversight:plan_start"),
        {"tranche": ov.round.tranche.pk, "framework": "peel-2023-25"},
    )
    url = reverse("oversight:plan_create", args=[ov.round.tranche.pk, "peel-2023-25"])
    assert start.url == url
    response = client.get(url, {"review": "1", "extra_area_count": "1"})
    assert "Choose at least one force" in response.content.decode()
    query = {
        "review": "1",
        "forces": [w.force_a.pk, w.force_b.pk],
        "core_areas": [ov.pvp.pk],
        "extra_area_count": "1",
    }
    html = client.get(url, query).content.decode()
    assert "check the areas" in html and "Investigating crime" in html
    # Unticking the model's choice without a reason is refused with the error summary.
    post = {**query, f"areas_{w.force_a.pk}": [], f"areas_{w.force_b.pk}": []}
    post.pop("review")
    response = client.post(url, post)
    html = response.content.decode()
    assert "There is a problem" in html and "Give a reason" in html
    assert not TranchePlan.objects.exists()
    post[f"reason_{w.force_a.pk}"] = "Inspected last tranche"
    post[f"reason_{w.force_b.pk}"] = "Core areas only"
    response = client.post(url, post)
    assert response.status_code == 302
    created = TranchePlan.objects.get()
    assert PlannedForce.objects.filter(plan=created).count() == 2
    with django_assert_max_num_queries(10):
        html = client.get(created.get_absolute_url()).content.decode()
    assert "Inspected last tranche" in html
    with django_assert_max_num_queries(8):
        assert client.get(reverse("oversight:plans")).status_code == 200
