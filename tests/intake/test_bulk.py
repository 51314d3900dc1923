"""Bulk import from CSV and Excel: every row checked first, problems by row and column,
all or nothing, idempotent by external reference."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from recreg.audit.models import AuditEvent
from recreg.findings.models import Finding
from recreg.inspections.models import Inspection
from recreg.intake.bulk import COLUMNS, import_file, import_rows, read_rows, template_xlsx
from tests.conftest import client_for


def csv_bytes(header: list[str], *rows: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


INSPECTIONS = csv_bytes(
    [name for name, _, _ in COLUMNS["inspections"]],
    ["INS-1", "PEEL 2023–25: Borset again", "force", "HMICFRS", "peel-2023-25", "Borset Test Police", "", "2023-09-04", "2023-09-15", "14/03/2024", "", "published"],
    ["INS-2", "Custody in Avon", "joint", "HMICFRS", "", "Avon Test Police", "HM Inspectorate of Probation", "", "", "", "", "planned"],
)  # fmt: skip


def findings_csv(*rows) -> bytes:
    return csv_bytes([name for name, _, _ in COLUMNS["findings"]], *rows)


def test_inspections_import_and_reimport_changes_nothing(world):
    before = Inspection.objects.count()
    report = import_file("inspections", INSPECTIONS, "i.csv", actor=world.inspector)
    assert report.ok, report.errors
    assert (report.created, report.updated) == (2, 0)
    assert Inspection.objects.count() == before + 2
    events = AuditEvent.objects.count()
    again = import_file("inspections", INSPECTIONS, "i.csv", actor=world.inspector)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Inspection.objects.count() == before + 2
    assert AuditEvent.objects.count() == events
    changed = INSPECTIONS.replace(b"Custody in Avon", b"Custody suites in Avon")
    third = import_file("inspections", changed, "i.csv", actor=world.inspector)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 1)


def test_findings_import_with_parent_and_deadlines(world):
    import_file("inspections", INSPECTIONS, "i.csv", actor=world.inspector)
    data = findings_csv(
        ["F-1", "INS-1", "cause_of_concern", "The force does not answer calls quickly.", "", "", "", "", "", "draft", ""],
        ["F-2", "INS-1", "recommendation", "Within three months, the force should recruit call handlers.", "Rec 1.1", "forces", "", "within three months", "Protecting vulnerable people", "draft", "F-1"],
        ["F-3", "INS-1", "recommendation", "The Home Office should fund call handling.", "", "national_body", "Home Office", "by March 2025", "", "draft", ""],
    )  # fmt: skip
    report = import_file("findings", data, "f.csv", actor=world.inspector)
    assert report.ok, [str(e) for e in report.errors]
    child = Finding.objects.get(reference="Rec 1.1")
    assert child.parent.text.startswith("The force does not")
    assert child.deadline_date.isoformat() == "2024-06-14"
    assert child.responses.get().organisation == world.force_b
    assert (
        Finding.objects.get(text__contains="fund call handling").responses.get().organisation
        == world.home_office
    )
    again = import_file("findings", data, "f.csv", actor=world.inspector)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_every_problem_by_row_and_column_and_nothing_written(world):
    import_file("inspections", INSPECTIONS, "i.csv", actor=world.inspector)
    before = Finding.objects.count()
    data = findings_csv(
        ["F-1", "INS-1", "recommendation", "The force should act.", "", "", "", "", "", "", ""],
        ["F-2", "INS-9", "advice", "", "", "", "", "sometime", "", "", ""],
        ["F-3", "INS-1", "recommendation", "The force should act again.", "", "national_body", "Ministry of Magic", "", "Nonsense area", "", ""],
        ["F-1", "INS-1", "recommendation", "Repeated.", "", "", "", "", "", "", ""],
    )  # fmt: skip
    report = import_file("findings", data, "f.csv", actor=world.inspector)
    assert not report.ok
    problems = {(e.row, e.column) for e in report.errors}
    assert {
        (3, "inspection_ref"),
        (3, "kind"),
        (3, "text"),
        (3, "deadline"),
        (4, "addressees"),
        (4, "question_area"),
        (5, "external_ref"),
    } <= problems
    assert "Row 3, column “deadline”: Enter a deadline like" in [str(e) for e in report.errors][
        3
    ] or any(str(e).startswith("Row 3, column “deadline”") for e in report.errors)
    assert Finding.objects.count() == before


def test_missing_columns_and_unreadable_files(world):
    report = import_file("findings", b"external_ref,text\nF-1,x\n", "f.csv", actor=world.inspector)
    assert {(e.row, e.column) for e in report.errors} >= {(1, "inspection_ref"), (1, "kind")}
    report = import_file("findings", b"PK\x03\x04 broken", "f.xlsx", actor=world.inspector)
    assert "not a readable Excel workbook" in str(report.errors[0])
    report = import_file("findings", b"", "f.csv", actor=world.inspector)
    assert "empty" in str(report.errors[0])


def test_excel_round_trip_from_the_template(world):
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx("inspections")))
    sheet = workbook.active
    sheet.delete_rows(2)
    sheet.append(
        ["INS-X", "From Excel", "thematic", "HMICFRS", "", "", "", "", "", "", "", "planned"]
    )
    out = io.BytesIO()
    workbook.save(out)
    rows = read_rows(out.getvalue(), "t.xlsx")
    assert rows[0]["title"] == "From Excel" and rows[0]["_row"] == "2"
    report = import_rows("inspections", rows, actor=world.inspector)
    assert report.ok, report.errors
    assert Inspection.objects.filter(title="From Excel").exists()


def test_only_editors_import(world):
    with pytest.raises(PermissionError):
        import_file("inspections", INSPECTIONS, "i.csv", actor=world.force_a_editor)
    assert client_for(world, "force_b_reader").get(reverse("intake:bulk_import")).status_code == 403
    assert client_for(world, "anonymous").get(reverse("intake:bulk_import")).status_code == 302


def test_responses_for_own_force(world):
    response = world.published_a.responses.get(organisation=world.force_a)
    target = (datetime.date.today() + datetime.timedelta(days=200)).isoformat()
    data = csv_bytes(
        [name for name, _, _ in COLUMNS["responses"]],
        [f"#{world.published_a.pk}", world.force_a.name, world.force_a_editor.email, world.force_a_editor.email, "Vulnerability Board", target, "", "amber", "Training under way."],
    )  # fmt: skip
    report = import_file("responses", data, "r.csv", actor=world.force_a_editor)
    assert report.ok, [str(e) for e in report.errors]
    response.refresh_from_db()
    assert response.owner == world.force_a_editor
    assert response.target_date.isoformat() == target
    assert response.rag == "amber"
    again = import_file("responses", data, "r.csv", actor=world.force_a_editor)
    assert again.ok and again.unchanged == 1
    other = csv_bytes(
        [name for name, _, _ in COLUMNS["responses"]],
        [f"#{world.published_b.pk}", world.force_b.name, "", "", "", "2024-12-31", "", "", ""],
    )
    refused = import_file("responses", other, "r.csv", actor=world.force_a_editor)
    assert any(e.column == "organisation" and e.row == 2 for e in refused.errors)


def test_grades_problems_are_reported(world):
    data = csv_bytes(
        [name for name, _, _ in COLUMNS["grades"]],
        [world.force_a.name, "peel-2023-25", "area", world.area.name, "Splendid", ""],
    )
    report = import_file("grades", data, "g.csv", actor=world.inspector)
    assert not report.ok
    assert report.errors[0].row == 2


def test_page_shows_the_report_and_templates_download(world):
    client = client_for(world, "inspector")
    page = client.get(reverse("intake:bulk_import"))
    assert page.status_code == 200
    template = client.get(reverse("intake:template", args=["findings", "csv"]))
    assert template.status_code == 200 and b"external_ref,inspection_ref" in template.content
    xlsx = client.get(reverse("intake:template", args=["grades", "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get("/intake/import/template/other.csv").status_code == 404
    bad = findings_csv(
        ["F-1", "INS-404", "recommendation", "The force should act.", "", "", "", "", "", "", ""]
    )
    response = client.post(
        reverse("intake:bulk_import"),
        {"kind": "findings", "file": SimpleUploadedFile("f.csv", bad, content_type="text/csv")},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported" in body and "inspection_ref" in body


def test_import_register_command(world, tmp_path):
    path = tmp_path / "inspections.csv"
    path.write_bytes(INSPECTIONS)
    out = io.StringIO()
    call_command(
        "import_register",
        str(path),
        "--kind",
        "inspections",
        "--user",
        world.inspector.email,
        stdout=out,
    )
    assert "2 created" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        findings_csv(["F-1", "INS-404", "recommendation", "x y z", "", "", "", "", "", "", ""])
    )
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command(
            "import_register",
            str(bad),
            "--kind",
            "findings",
            "--user",
            world.inspector.email,
            stderr=io.StringIO(),
        )
    with pytest.raises(CommandError, match="No one has"):
        call_command(
            "import_register", str(path), "--kind", "inspections", "--user", "nobody@x.test"
        )
