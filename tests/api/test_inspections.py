"""Inspections through the API."""

from __future__ import annotations

import pytest

from recreg.audit.models import AuditEvent
from recreg.inspections.models import Inspection
from tests.api.conftest import ids


def counts():
    return Inspection.objects.count(), AuditEvent.objects.count()


def test_the_public_sees_published_inspections_of_the_police_inspectorate(world, api_as):
    assert ids(api_as("anonymous").get("/inspections")) == {
        world.inspection_a.pk,
        world.inspection_b.pk,
        world.thematic.pk,
    }
    for hidden in (world.joint, world.draft_inspection):
        assert api_as("anonymous").get(f"/inspections/{hidden.pk}").status_code == 404


def test_a_force_sees_its_unpublished_inspection_and_joint_ones_with_its_findings(world, api_as):
    found = ids(api_as("force_a_editor").get("/inspections"))
    assert {world.draft_inspection.pk, world.joint.pk} <= found
    assert world.draft_inspection.pk not in ids(api_as("force_b_reader").get("/inspections"))
    assert (
        api_as("force_b_reader").get(f"/inspections/{world.draft_inspection.pk}").status_code == 404
    )


def test_filters(world, api_as):
    inspector = api_as("inspector")
    assert ids(inspector.get("/inspections", {"state": "awaiting_publication"})) == {
        world.draft_inspection.pk
    }
    assert ids(inspector.get("/inspections", {"kind": "thematic"})) == {world.thematic.pk}
    assert ids(inspector.get("/inspections", {"force": "force-a"})) == {
        world.inspection_a.pk,
        world.draft_inspection.pk,
    }
    assert ids(inspector.get("/inspections", {"force": "nobody"})) == set()
    assert len(ids(inspector.get("/inspections", {"state": "", "kind": ""}))) == 5


def test_the_detail(world, api_as):
    body = api_as("anonymous").get(f"/inspections/{world.inspection_a.pk}").json()
    assert body["title"] == "PEEL 2023–25: Avon Test Police"
    assert body["programme"] == {"slug": "peel-2023-25", "name": "PEEL 2023–25"}
    assert body["lead_inspectorate"]["slug"] == "hmicfrs"
    assert [f["slug"] for f in body["forces_in_scope"]] == ["force-a"]
    assert body["published_on"] == "2024-03-14"


def test_an_inspector_creates_an_inspection(world, api_as):
    client = api_as("inspector")
    before = counts()
    response = client.post(
        "/inspections",
        {
            "title": "PEEL 2025: Borset Test Police",
            "kind": "force",
            "programme": "peel-2023-25",
            "forces_in_scope": ["force-b"],
            "fieldwork_start": "2025-01-06",
            "fieldwork_end": "2025-01-17",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "planned"
    assert body["lead_inspectorate"]["slug"] == "hmicfrs"  # the police inspectorate by default
    assert [f["slug"] for f in body["forces_in_scope"]] == ["force-b"]
    assert counts() == (before[0] + 1, before[1] + 1)


def test_a_joint_inspection_led_by_another_inspectorate(world, api_as):
    response = api_as("inspector").post(
        "/inspections",
        {
            "title": "Joint thematic",
            "kind": "joint",
            "lead_inspectorate": "hmi-probation",
            "partner_inspectorates": ["hmicfrs"],
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["lead_inspectorate"]["slug"] == "hmi-probation"


@pytest.mark.parametrize("persona", ["force_a_editor", "inspectorate_reader", "pcc_officer"])
def test_others_get_403_and_nothing_is_written(world, api_as, persona):
    client = api_as(persona)
    before = counts()
    response = client.post("/inspections", {"title": "T", "kind": "force"})
    assert response.status_code == 403
    response = client.patch(f"/inspections/{world.inspection_a.pk}", {"title": "Renamed"})
    assert response.status_code == 403
    assert counts() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"forces_in_scope": ["nowhere"]}, "forces_in_scope"),
        ({"forces_in_scope": ["home-office"]}, "forces_in_scope"),
        ({"lead_inspectorate": "force-a"}, "lead_inspectorate"),
        ({"lead_inspectorate": "nobody"}, "lead_inspectorate"),
        ({"partner_inspectorates": ["force-b"]}, "partner_inspectorates"),
        ({"programme": "peel-1999"}, "programme"),
        ({"state": "published"}, "published_on"),
        ({"published_on": "2024-13-01"}, "published_on"),
        ({"published_on": "yesterday"}, "published_on"),
        ({"fieldwork_start": "2025-02-01", "fieldwork_end": "2025-01-01"}, "fieldwork_end"),
        ({"report_url": "not a url"}, "report_url"),
        ({"title": ""}, "title"),
        ({"title": "T" * 401}, "title"),
        ({"kind": "secret"}, "kind"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_value_is_422_naming_the_field(world, api_as, body, field):
    client = api_as("inspector")
    before = counts()
    response = client.post("/inspections", {"title": "New inspection", "kind": "force", **body})
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["errors"]]
    assert counts() == before


def test_an_inspector_publishes_an_inspection(world, api_as):
    response = api_as("inspector").patch(
        f"/inspections/{world.draft_inspection.pk}",
        {"state": "published", "published_on": "2025-05-01", "forces_in_scope": ["force-a"]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "published"
    world.draft_inspection.refresh_from_db()
    assert str(world.draft_inspection.published_on) == "2025-05-01"


def test_a_patch_with_null_title_or_unknown_field_is_422(world, api_as):
    client = api_as("inspector")
    path = f"/inspections/{world.inspection_a.pk}"
    assert client.patch(path, {"title": None}).json()["errors"][0]["field"] == "title"
    assert client.patch(path, {"name": "x"}).json()["errors"][0]["field"] == "name"
    assert client.patch(path, {"programme": None}).status_code == 200


def test_patching_an_inspection_the_reader_cannot_see_is_404(world, api_as):
    response = api_as("force_b_reader").patch(
        f"/inspections/{world.draft_inspection.pk}", {"title": "x"}
    )
    assert response.status_code == 404
