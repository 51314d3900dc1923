"""The OpenAPI document: served where the site's footer links, and saying what the API does."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

ENDPOINTS = {
    ("get", "/api/v1/inspections"): ("listInspections", "inspections"),
    ("post", "/api/v1/inspections"): ("createInspection", "inspections"),
    ("get", "/api/v1/inspections/{inspection_id}"): ("getInspection", "inspections"),
    ("patch", "/api/v1/inspections/{inspection_id}"): ("updateInspection", "inspections"),
    ("get", "/api/v1/findings"): ("listFindings", "findings"),
    ("post", "/api/v1/findings"): ("createFinding", "findings"),
    ("get", "/api/v1/findings/{finding_id}"): ("getFinding", "findings"),
    ("patch", "/api/v1/findings/{finding_id}"): ("updateFinding", "findings"),
    ("get", "/api/v1/responses"): ("listResponses", "responses"),
    ("get", "/api/v1/responses/{response_id}"): ("getResponse", "responses"),
    ("get", "/api/v1/responses/{response_id}/timeline"): ("getResponseTimeline", "progress"),
    ("get", "/api/v1/evidence/{evidence_id}"): ("downloadEvidence", "progress"),
    ("post", "/api/v1/responses/{response_id}/allocation"): ("allocateResponse", "progress"),
    ("post", "/api/v1/responses/{response_id}/updates"): ("postProgressUpdate", "progress"),
    ("post", "/api/v1/responses/{response_id}/evidence"): ("attachEvidence", "progress"),
    ("post", "/api/v1/responses/{response_id}/target-date"): ("changeTargetDate", "progress"),
    ("post", "/api/v1/responses/{response_id}/closure-proposals"): ("proposeClosure", "progress"),
    ("post", "/api/v1/responses/{response_id}/challenges"): ("challengeWording", "progress"),
    ("post", "/api/v1/closure-proposals/{proposal_id}/decision"): ("decideClosure", "progress"),
    ("post", "/api/v1/challenges/{challenge_id}/decision"): ("decideChallenge", "progress"),
    ("post", "/api/v1/responses/{response_id}/discharge"): ("dischargeConcern", "progress"),
    ("get", "/api/v1/grades"): ("listGrades", "grades"),
    ("post", "/api/v1/grades"): ("recordGrades", "grades"),
    ("post", "/api/v1/grades/import"): ("importGrades", "grades"),
    ("post", "/api/v1/imports/{kind}"): ("importRows", "imports"),
}
# Open to the public (with less for them to see); everything else needs credentials.
PUBLIC_READS = {
    "listInspections", "getInspection", "listFindings", "getFinding", "listResponses",
    "getResponse", "getResponseTimeline", "listGrades",
}  # fmt: skip
FINDING_PARAMS = {
    "q", "force", "inspection", "kind", "state", "stage", "area", "theme", "overdue", "sort",
    "page", "page_size",
}  # fmt: skip


@pytest.fixture
def document(db):
    url = reverse("api:openapi-json")
    assert url == "/api/v1/openapi.json"
    response = Client().get(url)
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_document_describes_every_endpoint(document):
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Recommendations Register API"
    assert document["info"]["version"] == "1"
    found = {
        (method, path): (operation["operationId"], operation["tags"][0])
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }
    assert found == ENDPOINTS
    operation_ids = [operation_id for operation_id, _tag in found.values()]
    assert len(set(operation_ids)) == len(operation_ids)


def test_the_security_schemes(document):
    schemes = document["components"]["securitySchemes"]
    assert schemes["BearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["BearerAuth"]["description"],
    }
    assert schemes["SessionAuth"]["in"] == "cookie"
    for (method, path), (operation_id, _tag) in ENDPOINTS.items():
        security = document["paths"][path][method]["security"]
        assert {"BearerAuth": []} in security and {"SessionAuth": []} in security
        # Reading is open to the public (evidence excepted); changing is not.
        assert ({} in security) == (operation_id in PUBLIC_READS)


def test_the_findings_list_takes_the_register_pages_parameters(document):
    parameters = document["paths"]["/api/v1/findings"]["get"]["parameters"]
    assert {p["name"] for p in parameters} == FINDING_PARAMS
    assert all(p["in"] == "query" for p in parameters)


def test_errors_and_responses_are_documented(document):
    schemas = document["components"]["schemas"]
    assert set(schemas["ErrorOut"]["properties"]) == {"detail", "errors"}
    assert set(schemas["PublicResponseOut"]["properties"]) == {
        "id",
        "finding",
        "organisation",
        "state",
        "state_changed_at",
    }
    assert "target date" in schemas["PublicResponseOut"]["description"]
    post = document["paths"]["/api/v1/findings"]["post"]["responses"]
    assert {"201", "400", "401", "403", "422"} <= set(post)
    deadline = schemas["FindingIn"]["properties"]["deadline"]
    assert deadline["type"] == "string"
    assert set(schemas["DeadlineOut"]["properties"]) == {"text", "kind", "months", "date"}
    lists = ("InspectionPage", "FindingPage", "ResponsePage", "PublicResponsePage")
    for name in lists:
        # The findings list also says whether its count is exact (it is capped).
        extra = {"count_exact"} if name == "FindingPage" else set()
        assert set(schemas[name]["required"]) == {"count", "page", "page_size", "results"} | extra


def test_every_operation_has_a_summary_and_its_errors(document):
    for (method, path), (operation_id, _tag) in ENDPOINTS.items():
        operation = document["paths"][path][method]
        assert operation["summary"], operation_id
        responses = set(operation["responses"])
        assert "401" in responses or operation_id in PUBLIC_READS, operation_id
        assert any(code.startswith("2") for code in responses), operation_id
        if method == "post":
            assert {"400", "401", "403", "422"} <= responses, operation_id
        if "_id}" in path:
            assert "404" in responses, operation_id


def test_progress_changes_document_their_bodies_and_conflicts(document):
    for (method, path), (operation_id, tag) in ENDPOINTS.items():
        if tag != "progress" or method != "post":
            continue
        operation = document["paths"][path][method]
        assert "409" in operation["responses"], operation_id
        content = operation["requestBody"]["content"]
        schema = next(iter(content.values()))["schema"]
        assert "expected_version" in schema["required"], operation_id
    update = document["paths"]["/api/v1/responses/{response_id}/updates"]["post"]
    form = update["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert form["properties"]["files"]["items"]["format"] == "binary"
    timeline = document["paths"]["/api/v1/responses/{response_id}/timeline"]["get"]
    assert {"TimelineOut", "PublicTimelineOut"} <= {
        ref.rsplit("/", 1)[-1]
        for ref in json.dumps(timeline["responses"]["200"]).split('"$ref": "')[1:]
        for ref in [ref.split('"')[0]]
    }


def test_every_reference_resolves(document):
    names = set(document["components"]["schemas"])
    text = json.dumps(document)
    prefix = '"#/components/schemas/'
    refs = {part.split('"')[0] for part in text.split(prefix)[1:]}
    assert refs and refs <= names


def test_the_document_is_valid_openapi(document):
    from openapi_spec_validator import validate

    validate(document)


def test_no_docs_page_that_would_load_a_script_from_elsewhere(db):
    assert Client().get("/api/v1/docs").status_code == 404
