"""Bulk import of inspections, findings, responses and grades from CSV or Excel.

Every row is checked before anything is written; the report names every problem by row and
column; the import is all or nothing. Each inspection and finding row carries a stable
external reference, so importing the same sheet again updates what it created instead of
adding more.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from recreg.accounts.roles import capabilities_for
from recreg.audit.services import record_create
from recreg.core.forms import DATE_INPUT_FORMATS
from recreg.findings.deadlines import DeadlineError, parse_deadline
from recreg.findings.models import (
    RAG,
    AddresseeScope,
    Finding,
    FindingKind,
    FindingState,
    GovernanceBoard,
    Response,
)
from recreg.frameworks.models import Framework, QuestionArea
from recreg.inspections.models import Inspection, InspectionKind, InspectionState
from recreg.intake.access import can_import
from recreg.intake.extract.common import normalise
from recreg.intake.models import ExternalReference
from recreg.intake.services import resolve_organisations
from recreg.organisations.models import Organisation, OrganisationKind

MAX_ROWS = 20_000

COLUMNS: dict[str, list[tuple[str, bool, str]]] = {
    "inspections": [
        ("external_ref", True, "Your stable reference for the inspection, e.g. INS-2024-017"),
        ("title", True, "The report's title"),
        ("kind", True, "force, thematic or joint"),
        ("lead_inspectorate", True, "The lead inspectorate's name or short name, e.g. HMICFRS"),
        ("programme", False, "The framework's name or slug, e.g. peel-2023-25"),
        ("forces_in_scope", False, "Force names separated by semicolons"),
        ("partner_inspectorates", False, "Inspectorate names separated by semicolons"),
        ("fieldwork_start", False, "A date, e.g. 2024-01-15 or 15/01/2024"),
        ("fieldwork_end", False, "A date"),
        ("published_on", False, "The publication date"),
        ("report_url", False, "The web address of the report"),
        ("state", False, "planned, fieldwork, awaiting_publication or published"),
    ],
    "findings": [
        ("external_ref", True, "Your stable reference for the finding, e.g. INS-2024-017-AFI3"),
        ("inspection_ref", True, "The inspection's external_ref (or #id for one in the register)"),
        ("kind", True, "recommendation, area_for_improvement, cause_of_concern or "
                       "accelerated_cause_of_concern"),
        ("text", True, "The finding as written"),
        ("reference", False, "The label as printed, e.g. AFI 3"),
        ("addressee_scope", False, "forces (the default), all_forces or national_body"),
        ("addressees", False, "Force or national body names separated by semicolons; blank "
                              "means the inspection's forces"),
        ("deadline", False, "e.g. 31 March 2025, by September 2025, within 6 months, immediately"),
        ("question_area", False, "The question area's name or slug in the inspection's programme"),
        ("state", False, "draft (the default), fact_check or published"),
        ("parent_ref", False, "For a recommendation: the external_ref of its cause of concern"),
    ],
    "responses": [
        ("finding_ref", True, "The finding's external_ref (or #id for one in the register)"),
        ("organisation", True, "The force whose response this is"),
        ("owner", False, "The strategic owner's email address"),
        ("tactical_lead", False, "The tactical lead's email address"),
        ("governance_board", False, "The governance board's name"),
        ("target_date", False, "The force's target date"),
        ("target_date_reason", False, "Why the target date moved, if it did"),
        ("rag", False, "red, amber or green (with latest_update)"),
        ("latest_update", False, "The latest progress update, as a dated narrative would say it"),
    ],
    "grades": [
        ("force", True, "The force's name or slug"),
        ("framework", True, "The framework's name or slug, e.g. peel-2023-25"),
        ("level", False, "area (the default), pillar or overall"),
        ("area", False, "The question area (or pillar) name or slug; blank for overall"),
        ("grade", True, "Outstanding, Good, Adequate, Requires improvement, Inadequate, Not graded"),
        ("published_on", False, "The date the grades were published"),
    ],
}  # fmt: skip
EXAMPLES = {
    "inspections": [
        "INS-2024-017", "PEEL 2023–25: Example Police", "force", "HMICFRS", "peel-2023-25",
        "Example Police", "", "2023-09-04", "2023-09-15", "2024-03-14",
        "https://example.org/report", "published",
    ],
    "findings": [
        "INS-2024-017-AFI1", "INS-2024-017", "area_for_improvement",
        "The force should make sure it answers emergency calls promptly.", "AFI 1", "forces", "",
        "", "Responding to the public", "draft", "",
    ],
    "responses": [
        "INS-2024-017-AFI1", "Example Police", "acc@example.police.uk", "", "Service Improvement Board",
        "2024-09-30", "", "amber", "New shift pattern in place from April.",
    ],
    "grades": ["Example Police", "peel-2023-25", "area", "Responding to the public", "Adequate",
               "2024-03-14"],
}  # fmt: skip
KINDS = tuple(COLUMNS)


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" if self.row else "The file"
        return (
            f"{where}, column “{self.column}”: {self.message}"
            if self.column
            else f"{where}: {self.message}"
        )


@dataclass
class ImportReport:
    """What a bulk import did, or every reason it did nothing."""

    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        """The import in one sentence."""
        if self.errors:
            return (
                f"Nothing was imported: {len(self.errors)} problem"
                f"{'s' if len(self.errors) != 1 else ''} in {self.rows} rows"
            )
        return (
            f"{self.rows} rows read: {self.created} created, {self.updated} changed, "
            f"{self.unchanged} unchanged"
        )


class ImportFileError(ValueError):
    """The file itself cannot be read as a table."""


# --- Reading files ----------------------------------------------------------------------------


def _header(cell: Any) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(cell or "").strip().lower()).strip("_")


def read_rows(data: bytes, filename: str) -> list[dict[str, str]]:
    """The rows of a CSV or Excel file as dicts keyed by normalised column names; each dict
    has "_row", the row number a spreadsheet shows (the header is row 1)."""
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        table = _xlsx_rows(data)
    else:
        table = _csv_rows(data)
    table = [row for row in table]
    if not table:
        raise ImportFileError("The file is empty")
    header = [_header(cell) for cell in table[0]]
    if not any(header):
        raise ImportFileError("The first row must name the columns")
    rows = []
    for number, values in enumerate(table[1:], start=2):
        cells = ["" if v is None else str(v).strip() for v in values]
        if not any(cells):
            continue
        row = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header) if name}
        row["_row"] = str(number)
        rows.append(row)
    if len(rows) > MAX_ROWS:
        raise ImportFileError(
            f"The file has {len(rows)} rows; the most one import takes is {MAX_ROWS}"
        )
    return rows


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise ImportFileError("The file is not a CSV file or an Excel workbook")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        raise ImportFileError(f"The CSV file cannot be read: {exc}") from None


def _xlsx_rows(data: bytes) -> list[list[Any]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error on a file that is not a workbook
        raise ImportFileError("The file is not a readable Excel workbook (.xlsx)") from None
    sheet = workbook.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        rows.append(
            [v.date().isoformat() if isinstance(v, datetime.datetime) else v for v in values]
        )
        if len(rows) > MAX_ROWS + 1:
            break
    workbook.close()
    return rows


def template_csv(kind: str) -> str:
    """A CSV template for this kind: the header and one example row."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([name for name, _, _ in COLUMNS[kind]])
    writer.writerow(EXAMPLES[kind])
    return out.getvalue()


def template_xlsx(kind: str) -> bytes:
    """An Excel template for this kind, with a second sheet explaining each column."""
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = kind.capitalize()
    sheet.append([name for name, _, _ in COLUMNS[kind]])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(EXAMPLES[kind])
    notes = workbook.create_sheet("Columns")
    notes.append(["Column", "Required", "What to enter"])
    for name, required, help_text in COLUMNS[kind]:
        notes.append([name, "yes" if required else "no", help_text])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- Checking values --------------------------------------------------------------------------


def _date(value: str) -> datetime.date:
    for fmt in DATE_INPUT_FORMATS:
        try:
            return datetime.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError("Enter a real date, like 2025-03-31 or 31/03/2025")


class _Row:
    """One row being checked: its values, and the problems found, by column."""

    def __init__(self, values: dict[str, str], report: ImportReport):
        self.values = values
        self.number = int(values["_row"])
        self.report = report

    def get(self, column: str) -> str:
        return (self.values.get(column) or "").strip()

    def error(self, column: str, message: str) -> None:
        self.report.errors.append(RowError(self.number, column, message))

    def required(self, column: str) -> str:
        value = self.get(column)
        if not value:
            self.error(column, "Enter a value")
        return value

    def date(self, column: str) -> datetime.date | None:
        value = self.get(column)
        if not value:
            return None
        try:
            return _date(value)
        except ValueError as exc:
            self.error(column, str(exc))
            return None

    def choice(self, column: str, choices, default: str = "") -> str:
        value = self.get(column).lower().replace(" ", "_").replace("-", "_") or default
        allowed = [c.value if hasattr(c, "value") else c for c in choices]
        if value not in allowed:
            self.error(column, f"Enter one of: {', '.join(allowed)}")
        return value


def _lookup(model_qs, value: str, fields=("name", "short_name", "slug")):
    key = normalise(value)
    for obj in model_qs:
        if any(normalise(getattr(obj, f, "") or "") == key for f in fields):
            return obj
    return None


def _by_ref(kind: str, value: str, model):
    """The record an external reference (or "#id") names, or None."""
    if value.startswith("#") and value[1:].isdigit():
        return model.objects.filter(pk=int(value[1:])).first()
    ref = ExternalReference.objects.filter(kind=kind, key=value).first()
    return model.objects.filter(pk=ref.object_id).first() if ref else None


# --- Checking and applying each kind ----------------------------------------------------------


def _check_inspection(row: _Row) -> dict | None:
    data: dict[str, Any] = {
        "title": row.required("title"),
        "kind": row.choice("kind", InspectionKind),
        "fieldwork_start": row.date("fieldwork_start"),
        "fieldwork_end": row.date("fieldwork_end"),
        "published_on": row.date("published_on"),
        "report_url": row.get("report_url"),
        "state": row.choice("state", InspectionState, default="planned"),
    }
    lead = row.required("lead_inspectorate")
    if lead:
        data["lead_inspectorate"] = _lookup(Organisation.objects.inspectorates(), lead)
        if data["lead_inspectorate"] is None:
            row.error("lead_inspectorate", f"No inspectorate is called ‘{lead}’")
    programme = row.get("programme")
    data["programme"] = None
    if programme:
        data["programme"] = _lookup(Framework.objects.all(), programme)
        if data["programme"] is None:
            row.error("programme", f"No framework is called ‘{programme}’")
    for column, kinds in (
        ("forces_in_scope", [OrganisationKind.FORCE]),
        ("partner_inspectorates", [OrganisationKind.INSPECTORATE]),
    ):
        found, missing = resolve_organisations(row.get(column), kinds)
        for name in missing:
            row.error(
                column,
                f"No {'force' if column == 'forces_in_scope' else 'inspectorate'} is called ‘{name}’",
            )
        data[column] = found
    if data["state"] == "published" and not data["published_on"]:
        row.error("published_on", "Enter the publication date of a published inspection")
    return data


def _check_finding(row: _Row, earlier: set[str]) -> dict | None:
    data: dict[str, Any] = {
        "kind": row.choice("kind", FindingKind),
        "text": row.required("text"),
        "reference": row.get("reference")[:60],
        "addressee_scope": row.choice("addressee_scope", AddresseeScope, default="forces"),
        "deadline_text": row.get("deadline"),
        "state": row.choice("state", FindingState, default="draft"),
    }
    try:
        parse_deadline(data["deadline_text"])
    except DeadlineError as exc:
        row.error("deadline", str(exc))
    ref = row.required("inspection_ref")
    inspection = _by_ref("inspection", ref, Inspection) if ref else None
    if ref and inspection is None:
        row.error("inspection_ref", f"No inspection has the reference ‘{ref}’: import it first")
    data["inspection"] = inspection
    names = row.get("addressees")
    data["addressees"] = []
    if data["addressee_scope"] == AddresseeScope.FORCES:
        if names:
            found, missing = resolve_organisations(names, [OrganisationKind.FORCE])
            for name in missing:
                row.error("addressees", f"No police force is called ‘{name}’")
            data["addressees"] = found
        elif inspection is not None:
            data["addressees"] = list(inspection.forces_in_scope.all())
            if not data["addressees"]:
                row.error("addressees", "Name the forces: the inspection has no forces in scope")
    elif data["addressee_scope"] == AddresseeScope.NATIONAL_BODY:
        found, missing = resolve_organisations(names, [OrganisationKind.NATIONAL_BODY])
        for name in missing:
            row.error("addressees", f"No national body is called ‘{name}’")
        if not names:
            row.error("addressees", "Name the national body")
        data["addressees"] = found
    area = row.get("question_area")
    data["question_area"] = None
    if area and inspection is not None:
        areas = QuestionArea.objects.filter(framework_id=inspection.programme_id)
        data["question_area"] = _lookup(areas, area, ("name", "slug"))
        if data["question_area"] is None:
            row.error(
                "question_area",
                f"‘{area}’ is not a question area of {inspection.programme or 'the inspection’s programme'}",
            )
    parent_ref = row.get("parent_ref")
    data["parent_ref"] = parent_ref
    if parent_ref and parent_ref not in earlier and _by_ref("finding", parent_ref, Finding) is None:
        row.error("parent_ref", f"No finding has the reference ‘{parent_ref}’")
    return data


def _check_response(row: _Row, actor) -> dict | None:
    data: dict[str, Any] = {}
    ref = row.required("finding_ref")
    finding = _by_ref("finding", ref, Finding) if ref else None
    if ref and finding is None:
        row.error("finding_ref", f"No finding has the reference ‘{ref}’")
    org_name = row.required("organisation")
    org = _lookup(Organisation.objects.all(), org_name) if org_name else None
    if org_name and org is None:
        row.error("organisation", f"No organisation is called ‘{org_name}’")
    response = None
    if finding is not None and org is not None:
        response = Response.objects.filter(finding=finding, organisation=org).first()
        if response is None:
            row.error("organisation", f"The finding is not addressed to {org}")
    caps = capabilities_for(actor)
    if org is not None and not caps.edits_register and org.pk not in caps.organisation_ids:
        row.error("organisation", f"You cannot change {org}'s responses")
    data["response"] = response
    User = get_user_model()
    for column in ("owner", "tactical_lead"):
        email = row.get(column)
        data[column] = None
        if email:
            data[column] = User.objects.filter(email__iexact=email).first()
            if data[column] is None:
                row.error(column, f"No one has the email address ‘{email}’")
    data["governance_board"] = row.get("governance_board")
    data["target_date"] = row.date("target_date")
    data["target_date_reason"] = row.get("target_date_reason")
    rag = row.get("rag").lower()
    update = row.get("latest_update")
    if rag and rag not in RAG.values:
        row.error("rag", "Enter red, amber or green")
    if update and not rag:
        row.error("rag", "Enter the RAG rating that goes with the latest update")
    if rag and not update:
        row.error("latest_update", "Enter the latest update that goes with the RAG rating")
    data["rag"], data["latest_update"] = rag, update
    return data


def _remember(kind: str, key: str, obj, *, actor) -> None:
    ref = ExternalReference.objects.create(kind=kind, key=key, object_id=obj.pk)
    record_create(ref, actor=actor)


def _apply_inspection(key: str, data: dict, report: ImportReport, *, actor) -> None:
    from recreg.audit.services import snapshot
    from recreg.inspections.services import M2M_FIELDS, create_inspection, update_inspection

    existing = _by_ref("inspection", key, Inspection)
    if existing is None:
        inspection = create_inspection(actor=actor, **data)
        _remember("inspection", key, inspection, actor=actor)
        report.created += 1
        return
    before = snapshot(existing, M2M_FIELDS)
    update_inspection(existing, actor=actor, **data)
    existing.refresh_from_db()
    report.updated += int(snapshot(existing, M2M_FIELDS) != before)
    report.unchanged += int(snapshot(existing, M2M_FIELDS) == before)


def _apply_finding(key: str, data: dict, created: dict, report: ImportReport, *, actor) -> None:
    from recreg.audit.services import snapshot
    from recreg.findings.services import M2M_FIELDS, create_finding, update_finding

    parent_ref = data.pop("parent_ref")
    data["parent"] = (
        (created.get(parent_ref) or _by_ref("finding", parent_ref, Finding)) if parent_ref else None
    )
    existing = _by_ref("finding", key, Finding)
    if existing is None:
        finding = create_finding(actor=actor, **data)
        _remember("finding", key, finding, actor=actor)
        created[key] = finding
        report.created += 1
        return
    data.pop("inspection")
    before = snapshot(existing, M2M_FIELDS)
    update_finding(existing, actor=actor, **data)
    existing.refresh_from_db()
    created[key] = existing
    changed = snapshot(existing, M2M_FIELDS) != before
    report.updated += int(changed)
    report.unchanged += int(not changed)


def _apply_response(data: dict, report: ImportReport, *, actor) -> None:
    from recreg.progress import services as progress

    response = data["response"]
    changed = False
    board = None
    if data["governance_board"]:
        board = GovernanceBoard.objects.filter(
            organisation=response.organisation, name__iexact=data["governance_board"]
        ).first()
        if board is None:
            board = progress.add_governance_board(
                response.organisation, name=data["governance_board"], actor=actor
            )
    owner, lead = data["owner"], data["tactical_lead"]
    if (owner or lead or board) and (
        (owner and owner.pk != response.owner_id)
        or (lead and lead.pk != response.tactical_lead_id)
        or (board and board.pk != response.governance_board_id)
    ):
        response = progress.allocate_response(
            response,
            owner=owner or response.owner,
            tactical_lead=lead or response.tactical_lead,
            governance_board=board or response.governance_board,
            expected_version=response.version,
            actor=actor,
        )
        changed = True
    response.refresh_from_db()
    if data["target_date"] and data["target_date"] != response.target_date:
        progress.change_target_date(
            response,
            new_date=data["target_date"],
            reason=data["target_date_reason"] or "Imported from a tracker spreadsheet",
            expected_version=response.version,
            actor=actor,
        )
        response.refresh_from_db()
        changed = True
    if data["latest_update"]:
        latest = response.progress_updates.order_by("-created_at", "-id").first()
        if latest is None or (latest.narrative.strip(), latest.rag) != (
            data["latest_update"],
            data["rag"],
        ):
            progress.post_update(
                response,
                narrative=data["latest_update"],
                rag=data["rag"],
                expected_version=response.version,
                actor=actor,
            )
            changed = True
    report.updated += int(changed)
    report.unchanged += int(not changed)


def _errors_from(exc: ValidationError, row: int, report: ImportReport) -> None:
    if hasattr(exc, "error_dict"):
        for column, messages in exc.message_dict.items():
            for message in messages:
                report.errors.append(RowError(row, column if column != "__all__" else "", message))
    else:
        for message in exc.messages:
            match = re.match(r"Row (\d+), column “([^”]*)”: (.*)", message)
            if match:
                report.errors.append(RowError(int(match[1]), match[2], match[3]))
            else:
                report.errors.append(RowError(row, "", message))


def _import_grades(rows: list[dict[str, str]], report: ImportReport, *, actor) -> None:
    from recreg.oversight.services import import_grades

    out = io.StringIO()
    columns = [name for name, _, _ in COLUMNS["grades"]]
    writer = csv.writer(out)
    writer.writerow(columns)
    # Blank lines keep the row numbers the same as in the uploaded sheet.
    last = 1
    for row in rows:
        number = int(row["_row"])
        for _ in range(number - last - 1):
            writer.writerow([""] * len(columns))
        writer.writerow([row.get(c, "") for c in columns])
        last = number
    try:
        result = import_grades(out.getvalue(), actor=actor)
    except ValidationError as exc:
        _errors_from(exc, 0, report)
        return
    report.created = result.grades_created
    report.updated = result.grades_changed
    report.unchanged = max(0, result.rows - result.grades_created - result.grades_changed)


class _Abort(Exception):
    pass


def import_rows(kind: str, rows: list[dict[str, str]], *, actor) -> ImportReport:
    """Check every row, then import them all in one transaction, or nothing if any is wrong.

    rows are dicts keyed by column name (as read_rows makes them); "_row" gives the row number
    to report, counting the header as row 1."""
    report = ImportReport(kind=kind, rows=len(rows))
    if kind not in KINDS:
        report.errors.append(RowError(0, "", f"Choose one of: {', '.join(KINDS)}"))
        return report
    if not can_import(actor, kind):
        raise PermissionError(
            "Only editors import responses"
            if kind == "responses"
            else "Only inspectorate editors import inspections, findings and grades"
        )
    for index, values in enumerate(rows, start=2):
        values.setdefault("_row", str(index))
    if rows:
        present = set(rows[0]) - {"_row"}
        for name, required, _ in COLUMNS[kind]:
            if required and name not in present:
                report.errors.append(RowError(1, name, "This column is missing"))
        unknown = present - {name for name, _, _ in COLUMNS[kind]}
        for name in sorted(unknown):
            report.warnings.append(f"Column “{name}” is not used and was ignored")
    if report.errors:
        return report
    if kind == "grades":
        with transaction.atomic():
            _import_grades(rows, report, actor=actor)
        return report
    plans: list[tuple[_Row, str, dict]] = []
    seen: dict[str, int] = {}
    for values in rows:
        row = _Row(values, report)
        key = (
            row.get("external_ref")
            if kind != "responses"
            else f"{row.get('finding_ref')}|{row.get('organisation')}"
        )
        if kind != "responses" and not key:
            row.error("external_ref", "Enter a stable reference for this row")
        if key and key in seen:
            row.error(
                "external_ref" if kind != "responses" else "finding_ref", f"Repeats row {seen[key]}"
            )
        seen.setdefault(key, row.number)
        if kind == "inspections":
            data = _check_inspection(row)
        elif kind == "findings":
            data = _check_finding(row, set(seen) - {key})
        else:
            data = _check_response(row, actor)
        plans.append((row, key, data))
    if report.errors:
        return report
    created: dict[str, Finding] = {}
    try:
        with transaction.atomic():
            for row, key, data in plans:
                try:
                    with transaction.atomic():
                        if kind == "inspections":
                            _apply_inspection(key, data, report, actor=actor)
                        elif kind == "findings":
                            _apply_finding(key, data, created, report, actor=actor)
                        else:
                            _apply_response(data, report, actor=actor)
                except ValidationError as exc:
                    _errors_from(exc, row.number, report)
                except (PermissionError, PermissionDenied) as exc:
                    report.errors.append(RowError(row.number, "", str(exc)))
            if report.errors:
                raise _Abort
    except _Abort:
        report.created = report.updated = report.unchanged = 0
    return report


def import_file(kind: str, data: bytes, filename: str, *, actor) -> ImportReport:
    """Read a CSV or Excel file and import its rows (see import_rows)."""
    try:
        rows = read_rows(data, filename)
    except ImportFileError as exc:
        report = ImportReport(kind=kind)
        report.errors.append(RowError(0, "", str(exc)))
        return report
    return import_rows(kind, rows, actor=actor)
