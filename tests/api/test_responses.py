"""Responses: the public sees only their state; forces see their own in full."""

from __future__ import annotations

import pytest

from recreg.findings.models import Response
from tests.api.test_findings import PUBLIC_RESPONSE_KEYS


def response_of(finding, force):
    return Response.objects.get(finding=finding, organisation=force)


def test_the_public_sees_only_public_responses_and_only_their_state(world, api_as):
    body = api_as("anonymous").get("/responses").json()
    assert body["count"] == 4
    assert {(r["finding"], r["organisation"]["slug"]) for r in body["results"]} == {
        (world.published_a.pk, "force-a"),
        (world.published_b.pk, "force-b"),
        (world.national_all.pk, "force-a"),
        (world.national_all.pk, "force-b"),
    }
    for row in body["results"]:
        assert set(row) == PUBLIC_RESPONSE_KEYS


def test_the_public_reads_one_public_response_without_its_progress(world, api_as):
    anonymous = api_as("anonymous")
    public = response_of(world.published_a, world.force_a)
    body = anonymous.get(f"/responses/{public.pk}").json()
    assert set(body) == PUBLIC_RESPONSE_KEYS
    assert body["finding"] == world.published_a.pk
    hidden = response_of(world.fact_check_a, world.force_a)
    assert anonymous.get(f"/responses/{hidden.pk}").status_code == 404
    home_office = response_of(world.national_body, world.home_office)
    assert anonymous.get(f"/responses/{home_office.pk}").status_code == 404


def test_a_force_reader_cannot_fetch_force_as_responses(world, api_as):
    reader = api_as("force_b_reader")
    body = reader.get("/responses", {"page_size": 100}).json()
    assert {r["organisation"]["slug"] for r in body["results"]} == {"force-b"}
    for finding in (world.published_a, world.fact_check_a, world.national_all):
        own_of_a = response_of(finding, world.force_a)
        assert reader.get(f"/responses/{own_of_a.pk}").status_code == 404
    assert reader.get("/responses", {"force": "force-a"}).json()["count"] == 0


def test_a_force_sees_its_responses_in_full(world, api_as):
    body = api_as("force_a_editor").get("/responses", {"page_size": 100}).json()
    assert {r["organisation"]["slug"] for r in body["results"]} == {"force-a"}
    findings = {r["finding"] for r in body["results"]}
    assert world.fact_check_a.pk in findings and world.draft_a.pk not in findings
    row = next(r for r in body["results"] if r["finding"] == world.published_a.pk)
    assert row["target_date"] == "2024-09-14"
    assert row["is_overdue"] is True
    assert {"owner", "tactical_lead", "governance_board", "rag", "version"} <= set(row)


def test_a_pcc_reads_its_forces_responses(world, api_as):
    body = api_as("pcc_officer").get("/responses", {"page_size": 100}).json()
    assert {r["organisation"]["slug"] for r in body["results"]} == {"force-a"}


def test_filters(world, api_as):
    inspector = api_as("inspector")
    by_finding = inspector.get("/responses", {"finding": world.national_all.pk}).json()
    assert sorted(r["organisation"]["slug"] for r in by_finding["results"]) == [
        "force-a",
        "force-b",
    ]
    by_force = inspector.get("/responses", {"force": "force-b"}).json()
    assert {r["organisation"]["slug"] for r in by_force["results"]} == {"force-b"}
    overdue = inspector.get("/responses", {"overdue": "true", "page_size": 100}).json()
    assert {(r["finding"], r["organisation"]["slug"]) for r in overdue["results"]} == {
        (world.published_a.pk, "force-a"),
        (world.national_all.pk, "force-a"),
        (world.national_all.pk, "force-b"),
    }
    Response.objects.filter(finding=world.national_all).update(state="completed")
    completed = inspector.get("/responses", {"state": "completed"}).json()
    assert completed["count"] == 2
    overdue = inspector.get("/responses", {"overdue": "1"}).json()
    assert overdue["count"] == 1


def test_the_public_cannot_filter_by_overdue(world, api_as):
    response = api_as("anonymous").get("/responses", {"overdue": "true"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "overdue"
    assert api_as("anonymous").get("/responses", {"overdue": "false"}).status_code == 200


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"finding": "abc"}, "finding"),
        ({"finding": "-1"}, "finding"),
        ({"finding": "9" * 40}, "finding"),
        ({"state": "done"}, "state"),
        ({"overdue": "perhaps"}, "overdue"),
        ({"page_size": "500"}, "page_size"),
        ({"page": "0"}, "page"),
        ({"force": "a\x00b"}, "force"),
    ],
)
def test_a_bad_filter_is_422_naming_it(world, api_as, params, field):
    response = api_as("inspector").get("/responses", params)
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["errors"]]
