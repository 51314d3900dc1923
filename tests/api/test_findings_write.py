"""Creating and changing findings through the API: only inspectorate editors, only through the
services, and nothing written when anything is wrong."""

from __future__ import annotations

import pytest

from recreg.audit.models import AuditEvent
from recreg.findings.models import Finding, Response


def counts():
    return Finding.objects.count(), Response.objects.count(), AuditEvent.objects.count()


def new_finding(world, **overrides):
    return {
        "inspection": world.thematic.pk,
        "kind": "recommendation",
        "reference": "Recommendation 4",
        "text": "Within six months, all forces should review their vetting decisions.",
        "themes": ["vetting"],
        "addressee_scope": "all_forces",
        "deadline": "within six months",
        "state": "published",
        **overrides,
    }


def test_an_inspector_creates_a_finding_that_fans_out_to_every_force(world, api_as):
    client = api_as("inspector")
    before = counts()
    response = client.post("/findings", new_finding(world))
    assert response.status_code == 201, response.content
    body = response.json()
    finding = Finding.objects.get(pk=body["id"])
    assert finding.text.startswith("Within six months")
    assert body["deadline"] == {
        "text": "within six months",
        "kind": "months",
        "months": 6,
        "date": "2024-09-14",
    }
    assert sorted(r["organisation"]["slug"] for r in body["responses"]) == ["force-a", "force-b"]
    assert {r["target_date"] for r in body["responses"]} == {"2024-09-14"}
    assert finding.responses.count() == 2
    assert [t["slug"] for t in body["themes"]] == ["vetting"]
    # The finding and its two responses, each audited.
    after = counts()
    assert after[0] == before[0] + 1
    assert after[1] == before[1] + 2
    assert after[2] == before[2] + 3
    assert AuditEvent.objects.for_object(finding).get().actor == world.inspector
    # And the public can now read it.
    assert api_as("anonymous").get(f"/findings/{finding.pk}").status_code == 200


def test_named_forces_and_a_parent_cause_of_concern(world, api_as):
    inspector = api_as("inspector")
    concern = inspector.post(
        "/findings",
        new_finding(
            world,
            inspection=world.inspection_a.pk,
            kind="cause_of_concern",
            addressee_scope="forces",
            addressees=["force-a"],
            deadline="",
            question_area=world.area.pk,
        ),
    )
    assert concern.status_code == 201, concern.content
    child = inspector.post(
        "/findings",
        new_finding(
            world,
            inspection=world.inspection_a.pk,
            parent=concern.json()["id"],
            addressee_scope="forces",
            addressees=["force-a"],
            deadline="31 March 2025",
        ),
    )
    assert child.status_code == 201, child.content
    body = child.json()
    assert body["parent"] == concern.json()["id"]
    assert body["deadline"] == {
        "text": "31 March 2025",
        "kind": "date",
        "months": None,
        "date": "2025-03-31",
    }
    assert [r["organisation"]["slug"] for r in body["responses"]] == ["force-a"]


@pytest.mark.parametrize("persona", ["force_a_editor", "force_b_reader", "national_reader"])
def test_a_reader_without_the_right_gets_403_and_nothing_is_written(world, api_as, persona):
    client = api_as(persona)
    before = counts()
    response = client.post("/findings", new_finding(world))
    assert response.status_code == 403
    assert response.json()["detail"]
    assert counts() == before


def test_an_inspectorate_reader_may_not_write_either(world, api_as):
    reader = api_as("inspectorate_reader")
    before = counts()
    assert reader.post("/findings", new_finding(world)).status_code == 403
    assert reader.patch(f"/findings/{world.draft_a.pk}", {"text": "x"}).status_code == 403
    assert counts() == before


def test_a_bad_deadline_is_422_on_the_deadline_and_nothing_is_written(world, api_as):
    client = api_as("inspector")
    before = counts()
    response = client.post("/findings", new_finding(world, deadline="by Smarch"))
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["field"] == "deadline"
    assert "deadline like" in body["errors"][0]["message"]
    assert counts() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"themes": ["vetting", "no-such-theme"]}, "themes"),
        ({"addressee_scope": "forces", "addressees": ["no-such-force"]}, "addressees"),
        ({"addressee_scope": "forces", "addressees": []}, "addressees"),
        ({"addressee_scope": "forces", "addressees": ["home-office"]}, "addressees"),
        ({"addressee_scope": "national_body", "addressees": ["force-a"]}, "addressees"),
        ({"inspection": 987654}, "inspection"),
        ({"parent": 987654}, "parent"),
        ({"question_area": 987654}, "question_area"),
        ({"kind": "suggestion"}, "kind"),
        ({"state": "secret"}, "state"),
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": 42}, "text"),
        ({"text": "nul\x00byte"}, "text"),
        ({"themes": "vetting"}, "themes"),
        ({"reference": "R" * 61}, "reference"),
        ({"deadline": "x" * 201}, "deadline"),
        ({"deadline": "within 500 months"}, "deadline"),
        ({"deadline": "31 February 2025"}, "deadline"),
        ({"inspection": -1}, "inspection"),
        ({"inspection": "one"}, "inspection"),
        ({"inspection": 10**30}, "inspection"),
        ({"sequence": -1}, "sequence"),
        ({"unexpected": True}, "unexpected"),
        ({"state": "published", "inspection": "DRAFT"}, "state"),
    ],
)
def test_a_bad_value_is_422_naming_the_field_and_nothing_is_written(
    world, api_as, overrides, field
):
    if overrides.get("inspection") == "DRAFT":
        overrides = {**overrides, "inspection": world.draft_inspection.pk}
    client = api_as("inspector")
    before = counts()
    response = client.post("/findings", new_finding(world, **overrides))
    assert response.status_code == 422, response.content
    assert field in [error["field"] for error in response.json()["errors"]]
    assert counts() == before


def test_a_parent_from_another_inspection_is_refused(world, api_as):
    inspector = api_as("inspector")
    concern = inspector.post(
        "/findings",
        new_finding(world, kind="cause_of_concern", addressee_scope="all_forces"),
    ).json()
    before = counts()
    response = inspector.post(
        "/findings",
        new_finding(
            world,
            inspection=world.inspection_a.pk,
            parent=concern["id"],
            addressee_scope="forces",
            addressees=["force-a"],
        ),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "parent"
    assert counts() == before


def test_an_inspector_changes_a_finding_and_its_responses_follow(world, api_as):
    inspector = api_as("inspector")
    path = f"/findings/{world.published_a.pk}"
    response = inspector.patch(
        path,
        {
            "text": "The force should improve how it safeguards children at risk.",
            "deadline": "within 12 months",
            "addressees": ["force-a", "force-b"],
            "themes": [],
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["text"].endswith("children at risk.")
    assert body["deadline"]["date"] == "2025-03-14"
    assert body["themes"] == []
    assert sorted(r["organisation"]["slug"] for r in body["responses"]) == ["force-a", "force-b"]
    assert {r["target_date"] for r in body["responses"]} == {"2025-03-14"}
    world.published_a.refresh_from_db()
    assert world.published_a.deadline_months == 12
    assert AuditEvent.objects.for_object(world.published_a).count() == 2


def test_a_patch_changes_only_what_is_sent(world, api_as):
    path = f"/findings/{world.national_all.pk}"
    before = api_as("inspector").get(path).json()
    after = api_as("inspector").patch(path, {"reference": "Recommendation 1"}).json()
    assert after["reference"] == "Recommendation 1"
    for key in ("text", "kind", "deadline", "addressees", "themes", "state", "addressee_scope"):
        assert after[key] == before[key], key


def test_an_empty_patch_changes_nothing(world, api_as):
    client = api_as("inspector")
    before = counts()
    response = client.patch(f"/findings/{world.published_b.pk}", {})
    assert response.status_code == 200
    assert counts() == before


def test_a_bad_deadline_in_a_patch_is_422_and_nothing_changes(world, api_as):
    client = api_as("inspector")
    before = counts()
    response = client.patch(
        f"/findings/{world.published_a.pk}", {"deadline": "soonish", "text": "Changed."}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "deadline"
    world.published_a.refresh_from_db()
    assert world.published_a.text.startswith("The force should improve how it safeguards")
    assert counts() == before


def test_a_deadline_of_null_clears_it(world, api_as):
    response = api_as("inspector").patch(f"/findings/{world.published_a.pk}", {"deadline": None})
    assert response.status_code == 200, response.content
    assert response.json()["deadline"] == {"text": "", "kind": "none", "months": None, "date": None}


@pytest.mark.parametrize("field", ["kind", "text", "state", "addressees", "themes", "sequence"])
def test_null_for_a_field_that_cannot_be_empty_is_422(world, api_as, field):
    client = api_as("inspector")
    before = counts()
    response = client.patch(f"/findings/{world.published_a.pk}", {field: None})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert counts() == before


def test_a_force_editor_patching_gets_403_and_nothing_changes(world, api_as):
    client = api_as("force_a_editor")
    before = counts()
    response = client.patch(
        f"/findings/{world.published_a.pk}", {"text": "Rewritten by the force."}
    )
    assert response.status_code == 403
    world.published_a.refresh_from_db()
    assert world.published_a.text != "Rewritten by the force."
    assert counts() == before


def test_patching_a_finding_the_reader_cannot_see_is_404(world, api_as):
    response = api_as("force_b_reader").patch(f"/findings/{world.fact_check_a.pk}", {"text": "x"})
    assert response.status_code == 404


def test_removing_a_force_whose_response_has_progress_is_refused(world, api_as):
    Response.objects.filter(finding=world.national_all, organisation=world.force_b).update(
        state="in_progress"
    )
    client = api_as("inspector")
    before = counts()
    response = client.patch(
        f"/findings/{world.national_all.pk}",
        {"addressee_scope": "forces", "addressees": ["force-a"]},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "addressees"
    assert counts() == before
