"""Bulk import through the API: a CSV or Excel file, or JSON rows; every row checked first,
problems by row and column, all or nothing, idempotent."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from recreg.audit.models import AuditEvent
from recreg.findings.models import Finding, Response
from recreg.inspections.models import Inspection
from recreg.intake.bulk import COLUMNS

INSPECTION_COLUMNS = [name for name, _, _ in COLUMNS["inspections"]]
INSPECTION_ROWS = [
    ["INS-1", "PEEL 2023–25: Borset again", "force", "HMICFRS", "peel-2023-25", "Borset Test Police", "", "2023-09-04", "2023-09-15", "14/03/2024", "", "published"],
    ["INS-2", "Custody in Avon", "joint", "HMICFRS", "", "Avon Test Police", "HM Inspectorate of Probation", "", "", "", "", "planned"],
]  # fmt: skip


def csv_upload(header, rows, name="inspections.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


def xlsx_upload(header, rows) -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(
        "inspections.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def test_a_csv_file_imported_twice_changes_nothing_the_second_time(world, api_as):
    client = api_as("inspector")
    before = Inspection.objects.count()
    answer = client.post_form(
        "/imports/inspections", {"file": csv_upload(INSPECTION_COLUMNS, INSPECTION_ROWS)}
    )
    assert answer.status_code == 200, answer.content
    assert answer.json() | {"summary": ""} == {
        "kind": "inspections",
        "rows": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "warnings": [],
        "summary": "",
    }
    assert Inspection.objects.count() == before + 2
    assert AuditEvent.objects.for_object(Inspection.objects.get(title="Custody in Avon")).exists()
    events = AuditEvent.objects.count()
    again = client.post_form(
        "/imports/inspections", {"file": xlsx_upload(INSPECTION_COLUMNS, INSPECTION_ROWS)}
    )
    assert again.status_code == 200, again.content
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 2)
    assert Inspection.objects.count() == before + 2
    assert AuditEvent.objects.count() == events


def test_json_rows_with_problems_by_row_and_column_and_nothing_written(world, api_as):
    client = api_as("inspector")
    client.post_form(
        "/imports/inspections", {"file": csv_upload(INSPECTION_COLUMNS, INSPECTION_ROWS)}
    )
    before = Finding.objects.count()
    rows = [
        {"external_ref": "F-1", "inspection_ref": "INS-1", "kind": "cause_of_concern",
         "text": "The force does not answer calls quickly."},
        {"external_ref": "F-2", "inspection_ref": "INS-9", "kind": "recommendation",
         "text": "The force should recruit call handlers.", "deadline": "whenever"},
        {"external_ref": "F-3", "inspection_ref": "INS-1", "kind": "wish", "text": ""},
    ]  # fmt: skip
    answer = client.post("/imports/findings", {"rows": rows})
    assert answer.status_code == 422
    body = answer.json()
    assert body["detail"].startswith("Nothing was imported")
    found = {(e["row"], e["field"]) for e in body["errors"]}
    assert {(2, "inspection_ref"), (3, "kind"), (3, "text")} <= found
    assert all(e["message"] for e in body["errors"])
    assert Finding.objects.count() == before
    # Put right, the rows go in; sent again, nothing changes.
    rows[1] |= {"inspection_ref": "INS-1", "deadline": "within three months"}
    rows[2] |= {"kind": "recommendation", "text": "The force should publish its data."}
    answer = client.post("/imports/findings", {"rows": rows})
    assert answer.status_code == 200, answer.content
    assert answer.json()["created"] == 3
    again = client.post("/imports/findings", {"rows": rows})
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 3)
    assert Finding.objects.count() == before + 3


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.csv", b"", "The file is empty"),
        ("book.xlsx", b"PK\x03\x04 not really a workbook", "not a readable Excel workbook"),
        ("binary.csv", b"\x00\x01\x02garbage", "not a CSV file"),
    ],
)
def test_a_bad_file_is_a_clear_422(world, api_as, name, data, message):
    answer = api_as("inspector").post_form(
        "/imports/inspections", {"file": SimpleUploadedFile(name, data)}
    )
    assert answer.status_code == 422
    [error] = answer.json()["errors"]
    assert error["field"] == "file" and message in error["message"]


def test_bad_requests(world, api_as):
    client = api_as("inspector")
    assert client.post("/imports/inspections", {"rows": []}).status_code == 422
    assert client.post("/imports/inspections", raw="not json").status_code == 400
    answer = client.post("/imports/wishes", {"rows": [{"a": "b"}]})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "kind"
    answer = client.post_form("/imports/inspections", {})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "file"


def test_who_may_import_what(world, api_as):
    upload = lambda: csv_upload(INSPECTION_COLUMNS, INSPECTION_ROWS)  # noqa: E731
    before = Inspection.objects.count()
    for persona in ("force_a_editor", "inspectorate_reader", "pcc_officer", "national_reader"):
        answer = api_as(persona).post_form("/imports/inspections", {"file": upload()})
        assert answer.status_code == 403, persona
    assert (
        api_as("anonymous").post_form("/imports/inspections", {"file": upload()}).status_code == 401
    )
    assert Inspection.objects.count() == before
    # A force editor imports its own force's responses.
    editor = api_as("force_a_editor")
    rows = [{"finding_ref": f"#{world.published_a.pk}", "organisation": "Avon Test Police",
             "owner": "editor@force-a.test", "tactical_lead": "editor@force-a.test",
             "rag": "amber", "latest_update": "Policy drafted."}]  # fmt: skip
    answer = editor.post("/imports/responses", {"rows": rows})
    assert answer.status_code == 200, answer.content
    response = Response.objects.get(finding=world.published_a, organisation=world.force_a)
    assert response.rag == "amber"
    # …but not another force's.
    rows = [{"finding_ref": f"#{world.published_b.pk}", "organisation": "Borset Test Police",
             "owner": "editor@force-a.test", "tactical_lead": "editor@force-a.test",
             "rag": "red", "latest_update": "Nothing."}]  # fmt: skip
    answer = editor.post("/imports/responses", {"rows": rows})
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {
            "row": 1,
            "field": "organisation",
            "message": "You cannot change Borset Test Police's responses",
        }
    ]
    assert Response.objects.get(finding=world.published_b).rag == ""
