"""Grades through the API: read as the grade pages show them, recorded and imported by
inspectorate editors only, through the same services."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recreg.audit.models import AuditEvent
from recreg.oversight.models import Assessment, Grade
from tests.factories import ForceFactory, QuestionAreaFactory


@pytest.fixture
def areas(world):
    """The world's five-point framework with two question areas."""
    framework = world.area.framework
    responding = QuestionAreaFactory(
        framework=framework, name="Responding to the public", slug="responding", order=2
    )
    return framework, world.area, responding


def grades_body(world, areas, **overrides):
    framework, pvp, responding = areas
    return {
        "force": "force-a",
        "framework": framework.slug,
        "published_on": "2024-03-14",
        "grades": [
            {"question_area": pvp.pk, "value": "adequate"},
            {"level": "area", "question_area": responding.pk, "value": "good"},
        ],
        **overrides,
    }


def test_an_inspector_records_grades_and_everyone_reads_them(world, api_as, areas):
    framework, pvp, responding = areas
    answer = api_as("inspector").post("/grades", grades_body(world, areas))
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["force"]["slug"] == "force-a"
    assert body["scale"] == framework.grade_scale
    assert body["published_on"] == "2024-03-14"
    assert {(g["question_area"]["id"], g["value"], g["label"]) for g in body["grades"]} == {
        (pvp.pk, "adequate", "Adequate"),
        (responding.pk, "good", "Good"),
    }
    assessment = Assessment.objects.get()
    assert AuditEvent.objects.for_object(assessment).get().actor == world.inspector
    assert AuditEvent.objects.filter(model="oversight.grade").count() == 2
    public = api_as("anonymous").get("/grades", {"force": "force-a"})
    assert public.status_code == 200
    assert [a["id"] for a in public.json()["results"]] == [assessment.pk]
    # A blank value removes that grade; the others stay.
    answer = api_as("inspector").post(
        "/grades",
        grades_body(world, areas, grades=[{"question_area": responding.pk, "value": ""}]),
    )
    assert answer.status_code == 200, answer.content
    assert [g["value"] for g in answer.json()["grades"]] == ["adequate"]


def test_unpublished_grades_are_the_inspectorates_only(world, api_as, areas):
    api_as("inspector").post("/grades", grades_body(world, areas, published_on=None))
    assert api_as("anonymous").get("/grades").json()["count"] == 0
    assert api_as("force_a_editor").get("/grades").json()["count"] == 0
    assert api_as("inspectorate_reader").get("/grades").json()["count"] == 1


def test_bad_grades_are_422_and_nothing_is_written(world, api_as, areas):
    framework, pvp, responding = areas
    inspector = api_as("inspector")
    answer = inspector.post(
        "/grades",
        grades_body(world, areas, grades=[{"question_area": pvp.pk, "value": "not_graded"}]),
    )
    assert answer.status_code == 422
    [error] = answer.json()["errors"]
    assert error["field"] == "grades"
    assert error["message"].startswith(f"{pvp.name}: ")
    answer = inspector.post(
        "/grades", grades_body(world, areas, force="atlantis", inspection=2**62)
    )
    assert answer.status_code == 422
    assert {e["field"] for e in answer.json()["errors"]} == {"force", "inspection"}
    answer = inspector.post("/grades", grades_body(world, areas, grades=[{"value": "good"}]))
    assert answer.status_code == 422
    assert "question_area" in answer.json()["errors"][0]["message"]
    answer = inspector.post("/grades", {"force": "force-a"})
    assert answer.status_code == 422
    assert {"framework", "grades"} <= {e["field"] for e in answer.json()["errors"]}
    assert not Assessment.objects.exists() and not Grade.objects.exists()


def test_only_inspectorate_editors_record_or_import_grades(world, api_as, areas):
    for persona in ("inspectorate_reader", "force_a_editor", "pcc_officer", "national_reader"):
        client = api_as(persona)
        assert client.post("/grades", grades_body(world, areas)).status_code == 403, persona
        assert client.post("/grades", {}).status_code == 403, persona
        answer = client.post_form("/grades/import", {"file": csv_file("force-a,x,good")})
        assert answer.status_code == 403, persona
    assert api_as("anonymous").post("/grades", grades_body(world, areas)).status_code == 401
    assert not Assessment.objects.exists()


def csv_file(*rows: str) -> SimpleUploadedFile:
    text = "force,framework,level,area,grade,published_on\n" + "\n".join(rows) + "\n"
    return SimpleUploadedFile("grades.csv", text.encode(), content_type="text/csv")


def test_a_csv_import_all_rows_or_none(world, api_as, areas):
    framework, pvp, responding = areas
    inspector = api_as("inspector")
    answer = inspector.post_form(
        "/grades/import",
        {
            "file": csv_file(
                f"force-a,{framework.slug},area,{pvp.slug},Adequate,2024-03-14",
                f"force-b,{framework.slug},area,{responding.slug},Good,2024-03-14",
                f"force-a,{framework.slug},area,{responding.slug},Sparkling,2024-03-14",
                f"atlantis,{framework.slug},area,{pvp.slug},Good,2024-03-14",
            )
        },
    )
    assert answer.status_code == 422
    errors = answer.json()["errors"]
    assert {(e["row"], e["field"]) for e in errors} == {(4, "grade"), (5, "force")}
    assert "Nothing was imported" in answer.json()["detail"]
    assert not Grade.objects.exists()
    good = (
        f"force-a,{framework.slug},area,{pvp.slug},Adequate,2024-03-14\n"
        f"force-b,{framework.slug},area,{responding.slug},Good,2024-03-14\n"
    )
    answer = inspector.post_form("/grades/import", {"file": csv_file(*good.splitlines())})
    assert answer.status_code == 200, answer.content
    assert answer.json()["grades_created"] == 2
    assert answer.json()["assessments_created"] == 2
    # The same file again, as a text/csv body: nothing new.
    header = "force,framework,level,area,grade,published_on\n"
    again = inspector.client.post(
        "/api/v1/grades/import",
        header + good,
        content_type="text/csv",
        headers=inspector.headers,
    )
    assert again.status_code == 200, again.content
    assert (again.json()["grades_created"], again.json()["grades_changed"]) == (0, 0)
    assert Grade.objects.count() == 2
    empty = inspector.post_form(
        "/grades/import", {"file": SimpleUploadedFile("g.csv", b"", content_type="text/csv")}
    )
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["field"] == "file"


def test_the_grade_list_costs_the_same_queries_for_1_or_many(world, api_as, areas):
    framework, pvp, responding = areas
    inspector = api_as("inspector")
    for n in range(5):
        force = ForceFactory(name=f"Extra Force {n}", slug=f"extra-{n}")
        inspector.post(
            "/grades",
            grades_body(
                world, areas, force=force.slug, published_on=str(datetime.date(2024, 3, 1))
            ),
        )
    client = api_as("anonymous")
    counts = []
    for size in (1, 100):
        with CaptureQueriesContext(connection) as ctx:
            answer = client.get("/grades", {"framework": framework.slug, "page_size": size})
        assert answer.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert answer.json()["count"] == 5 and len(answer.json()["results"]) == 5
    assert counts[0] == counts[1] <= 5
    bad = client.get("/grades", {"framework": "peel-1066"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "framework"
