"""Reading findings: the same findings, search and filters as the register page."""

from __future__ import annotations

import json

import jsonschema
import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from recreg.findings.filters import FindingFilters, filter_findings
from tests.api.conftest import ids

PUBLIC_RESPONSE_KEYS = {"id", "finding", "organisation", "state", "state_changed_at"}


def test_the_public_sees_only_the_public_register(world, api_as):
    found = ids(api_as("anonymous").get("/findings"))
    assert found == {world.published_a.pk, world.published_b.pk, world.national_all.pk}


@pytest.mark.parametrize(
    "name", ["national_body", "joint_a", "fact_check_a", "fact_check_b", "draft_a"]
)
def test_the_public_gets_404_for_a_finding_outside_the_public_register(world, api_as, name):
    anonymous = api_as("anonymous")
    hidden = anonymous.get(f"/findings/{getattr(world, name).pk}")
    missing = anonymous.get("/findings/987654")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()  # indistinguishable from one that does not exist


def test_a_force_reader_cannot_fetch_another_forces_fact_check(world, api_as):
    reader = api_as("force_b_reader")
    assert reader.get(f"/findings/{world.fact_check_a.pk}").status_code == 404
    assert reader.get(f"/findings/{world.fact_check_b.pk}").status_code == 200
    assert world.fact_check_a.pk not in ids(reader.get("/findings", {"page_size": 100}))


def test_the_detail_carries_the_deadline_as_written_and_resolved(world, api_as):
    body = api_as("anonymous").get(f"/findings/{world.published_a.pk}").json()
    assert body["deadline"] == {
        "text": "within six months",
        "kind": "months",
        "months": 6,
        "date": "2024-09-14",
    }
    assert body["inspection"]["id"] == world.inspection_a.pk
    assert body["themes"] == [{"slug": "vetting", "name": "Vetting"}]
    assert [a["slug"] for a in body["addressees"]] == ["force-a"]


def test_the_public_sees_responses_without_their_progress_details(world, api_as):
    body = api_as("anonymous").get(f"/findings/{world.national_all.pk}").json()
    assert len(body["responses"]) == 2
    for response in body["responses"]:
        assert set(response) == PUBLIC_RESPONSE_KEYS


def test_a_force_sees_its_own_response_in_full_and_no_other(world, api_as):
    body = api_as("force_a_editor").get(f"/findings/{world.national_all.pk}").json()
    assert [r["organisation"]["slug"] for r in body["responses"]] == ["force-a"]
    response = body["responses"][0]
    assert {"target_date", "owner", "tactical_lead", "governance_board"} <= set(response)
    assert response["target_date"] == "2024-03-31"
    assert response["is_overdue"] is True


def test_search_finds_a_finding_by_a_word_of_its_text(world, api_as):
    assert ids(api_as("anonymous").get("/findings", {"q": "safeguards"})) == {world.published_a.pk}
    assert ids(api_as("anonymous").get("/findings", {"q": "custody"})) == set()
    assert ids(api_as("force_a_editor").get("/findings", {"q": "custody"})) == {
        world.fact_check_a.pk
    }


PARAMS = [
    {},
    {"q": "force"},
    {"q": "vet officer"},
    {"force": "force-a"},
    {"force": "force-b", "kind": "recommendation"},
    {"kind": "area_for_improvement", "sort": "oldest"},
    {"state": "awaiting_allocation", "sort": "deadline"},
    {"stage": "fact_check"},
    {"stage": "draft"},
    {"theme": "vetting", "sort": "reference"},
    {"overdue": "true"},
    {"overdue": "yes", "force": "force-a"},
    {"overdue": "no"},
    {"q": "force should", "sort": "relevance"},
]
PERSONAS = [
    "anonymous",
    "inspector",
    "inspectorate_reader",
    "force_a_editor",
    "force_b_reader",
    "pcc_officer",
    "national_reader",
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_returns_the_pages_findings_in_the_pages_order(world, api_as, persona):
    user = AnonymousUser() if persona == "anonymous" else getattr(world, persona)
    client = api_as(persona)
    params_list = [
        *PARAMS,
        {"inspection": str(world.inspection_a.pk)},
        {"area": str(world.area.pk), "stage": "published"},
    ]
    for params in params_list:
        filters = FindingFilters.from_params(params)
        assert not filters.errors
        expected = list(filter_findings(user, filters).values_list("pk", flat=True))
        response = client.get("/findings", {**params, "page_size": 100})
        assert response.status_code == 200, (params, response.content)
        got = [row["id"] for row in response.json()["results"]]
        assert got == expected, params
        assert response.json()["count"] == len(expected)


def test_pages(world, api_as):
    inspector = api_as("inspector")
    everything = inspector.get("/findings", {"page_size": 100}).json()
    assert everything["count"] == 8
    seen = []
    for page in (1, 2, 3):
        body = inspector.get("/findings", {"page": page, "page_size": 3}).json()
        assert (body["count"], body["page"], body["page_size"]) == (8, page, 3)
        seen += [row["id"] for row in body["results"]]
    assert seen == [row["id"] for row in everything["results"]]
    past_the_end = inspector.get("/findings", {"page": 99, "page_size": 3}).json()
    assert past_the_end["results"] == [] and past_the_end["count"] == 8


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "suggestion"}, "kind"),
        ({"state": "finished"}, "state"),
        ({"stage": "secret"}, "stage"),
        ({"sort": "random"}, "sort"),
        ({"overdue": "maybe"}, "overdue"),
        ({"inspection": "abc"}, "inspection"),
        ({"inspection": "-3"}, "inspection"),
        ({"inspection": "²"}, "inspection"),
        ({"inspection": "9" * 40}, "inspection"),
        ({"area": "1.5"}, "area"),
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page": "x"}, "page"),
        ({"page": "9" * 30}, "page"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "100000000000000000000"}, "page_size"),
        ({"q": "safe\x00guards"}, "q"),
        ({"force": "x" * 500}, "force"),
    ],
)
def test_a_bad_filter_is_422_naming_it(world, api_as, params, field):
    response = api_as("anonymous").get("/findings", params)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"]
    assert field in [error["field"] for error in body["errors"]]


def test_blank_filters_are_ignored_as_on_the_page(world, api_as):
    blank = {name: "" for name in ("q", "force", "inspection", "kind", "state", "stage")}
    blank |= {"area": "", "theme": "", "overdue": "", "sort": ""}
    assert ids(api_as("anonymous").get("/findings", blank)) == {
        world.published_a.pk,
        world.published_b.pk,
        world.national_all.pk,
    }


def test_the_public_cannot_use_stage_to_see_drafts(world, api_as):
    assert world.draft_a.pk not in ids(api_as("anonymous").get("/findings", {"stage": "draft"}))


@pytest.mark.parametrize("persona", ["inspector", "force_a_editor", "anonymous"])
def test_each_list_entry_is_the_finding_as_its_detail_gives_it(world, api_as, persona):
    # The list reads plain values and the detail reads the record: they must not drift apart.
    client = api_as(persona)
    listed = client.get("/findings", {"page_size": 100}).json()["results"]
    assert listed
    assert any(entry["addressees"] for entry in listed)
    assert any(entry["themes"] for entry in listed)
    if persona == "inspector":
        assert any(entry["question_area"] for entry in listed)
    for entry in listed:
        detail = client.get(f"/findings/{entry['id']}").json()
        detail.pop("responses")
        assert entry == detail


def _strict(schema):
    """The schema with no properties allowed beyond those it names, at every level."""
    if isinstance(schema, dict):
        schema = {key: _strict(value) for key, value in schema.items()}
        if schema.get("type") == "object" and "properties" in schema:
            schema["additionalProperties"] = False
        return schema
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    return schema


@pytest.mark.parametrize("persona", ["inspector", "anonymous"])
def test_the_list_is_exactly_what_the_openapi_document_says(world, api_as, persona):
    # The list is built as plain values and not validated on the way out: hold it to the
    # published schema, with nothing missing and nothing extra, and in the schema's order.
    document = json.loads(Client().get("/api/v1/openapi.json").content)
    components = _strict(document["components"])
    response = api_as(persona).get("/findings", {"page_size": 100})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert body["results"]
    jsonschema.validate(
        body,
        {"$ref": "#/components/schemas/FindingPage", "components": components},
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    assert list(body) == list(components["schemas"]["FindingPage"]["properties"])
    finding_keys = list(components["schemas"]["FindingOut"]["properties"])
    assert all(list(entry) == finding_keys for entry in body["results"])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("force", "no-such-force", "There is no organisation with that slug"),
        ("theme", "no-such-theme", "Choose a theme from the list"),
        ("area", "999999", "Choose a question area from the list"),
        ("inspection", "999999", "There is no inspection with that number"),
    ],
)
def test_a_filter_naming_nothing_is_422_naming_the_field(world, api_as, field, value, message):
    # As on the page: a typing slip is an error, not an empty list that reads "none found".
    response = api_as("inspector").get("/findings", {field: value})
    assert response.status_code == 422, response.content
    assert response.json()["errors"] == [{"field": field, "message": message}]


def test_an_inspection_the_reader_may_not_see_is_422_as_if_it_did_not_exist(world, api_as):
    response = api_as("anonymous").get("/findings", {"inspection": world.draft_inspection.pk})
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == "inspection"
    # Any organisation may be named, as before: a PCC office's findings.
    pcc = world.pcc_officer.organisation.slug
    assert api_as("inspector").get("/findings", {"force": pcc}).status_code == 200
