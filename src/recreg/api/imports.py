"""/imports/{kind}: bulk import of inspections, findings, responses and grades, from a CSV or
Excel file or from JSON rows, through the same service as the bulk import page.

Every row is checked first; any problem and nothing is written, and the answer names every
problem by row and column. Importing the same rows again changes nothing (each row carries a
stable reference).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import ConfigDict, Field

from recreg.api.auth import WRITE_AUTH
from recreg.api.bodies import MULTIPART, is_multipart, json_data, read_body
from recreg.api.errors import ErrorOut, RequestInvalid, RowsInvalid
from recreg.intake import bulk
from recreg.intake.access import can_import
from recreg.intake.extract import MAX_BYTES

router = Router(tags=["imports"])

KindT = Literal[bulk.KINDS]  # type: ignore[valid-type]
Cell = str | int | float | bool | None | list[str | int | float]
# "Row 3, column “grade”: …", as the services word a problem with a row.
ROW_MESSAGE = re.compile(r"Row (\d+)(?:, column “([^”]*)”)?: (.*)", re.S)


class RowErrorOut(Schema):
    row: int | None = Field(
        None,
        description="The row: as a spreadsheet numbers it (the header is row 1), or for JSON "
        "rows its position in `rows` counting from 1; null for the file as a whole.",
    )
    field: str | None = Field(None, description="The column at fault, if one is.")
    message: str


class ImportErrorOut(Schema):
    """Nothing was imported: `detail` says so, `errors` lists every problem by row and column."""

    detail: str
    errors: list[RowErrorOut]


class ImportOut(Schema):
    kind: KindT
    rows: int = Field(description="How many rows were read.")
    created: int
    updated: int
    unchanged: int
    warnings: list[str] = Field(description="E.g. columns that are not used.")
    summary: str


class RowsIn(Schema):
    """Rows as JSON: each an object keyed by the column names of the kind's template."""

    model_config = ConfigDict(extra="forbid")

    rows: Annotated[list[dict[str, Cell]], Field(min_length=1, max_length=bulk.MAX_ROWS)]


def row_errors(messages: list[str]) -> list[dict]:
    """Messages such as "Row 3, column “grade”: not a grade" as row errors."""
    out = []
    for message in messages:
        match = ROW_MESSAGE.fullmatch(message)
        if match:
            out.append({"row": int(match[1]), "field": match[2] or None, "message": match[3]})
        else:
            out.append({"row": None, "field": None, "message": message})
    return out


def uploaded_file(request: HttpRequest, name: str = "file") -> bytes:
    """The one file sent under `name`, checked for size; 422 naming the field otherwise."""
    upload = request.FILES.get(name)
    if upload is None:
        raise RequestInvalid({name: ["Choose a file to import"]})
    if upload.size == 0:
        raise RequestInvalid({name: ["The file is empty"]})
    if upload.size > MAX_BYTES:
        raise RequestInvalid(
            {name: [f"The file must be no more than {MAX_BYTES // 1024 // 1024} MB"]}
        )
    return upload.read()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        # Lists (addressees, forces in scope) are written in the templates as "a; b".
        return "; ".join(_cell(v) for v in value)
    return str(value).strip()


def _column(key: str) -> str:
    """A column name as the file reader normalises headers ("Inspection ref" is
    inspection_ref)."""
    return re.sub(r"[^a-z0-9]+", "_", key.strip().lower()).strip("_")


def _json_rows(kind: str, rows: list[dict[str, Cell]]) -> list[dict[str, str]]:
    columns = [name for name, _, _ in bulk.COLUMNS[kind]]
    out = []
    for number, row in enumerate(rows, start=1):
        values = dict.fromkeys(columns, "")
        values.update({_column(key): _cell(value) for key, value in row.items()})
        values["_row"] = str(number)
        out.append(values)
    return out


@router.post(
    "/imports/{kind}",
    response={200: ImportOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ImportErrorOut},
    auth=WRITE_AUTH,
    operation_id="importRows",
    summary="Import inspections, findings, responses or grades (editors)",
    description="Send the kind's template as a CSV or Excel (.xlsx) file in a multipart/form-"
    'data field `file`, or the rows as JSON (`{"rows": [{column: value}, …]}`). The columns '
    "are those of the template on the bulk import page. All rows or none: any problem and "
    "nothing is imported, with every problem named by row and column. Inspections, findings and "
    "grades are for inspectorate editors; force editors import their own responses.",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                MULTIPART: {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                },
                "application/json": {"schema": RowsIn.model_json_schema()},
            },
        }
    },
)
def import_rows(request: HttpRequest, kind: KindT):
    if not can_import(request.user, kind):
        raise PermissionError(
            "Only editors import responses"
            if kind == "responses"
            else "Only inspectorate editors import inspections, findings and grades"
        )
    if is_multipart(request):
        data = uploaded_file(request)
        name = getattr(request.FILES.get("file"), "name", "") or ""
        try:
            rows = bulk.read_rows(data, name)
        except bulk.ImportFileError as exc:
            raise RowsInvalid(
                "Nothing was imported: the file cannot be read",
                [{"row": None, "field": "file", "message": str(exc)}],
            ) from None
    else:
        json_data(request)  # 400 for a body that is not JSON
        rows = _json_rows(kind, read_body(request, RowsIn).rows)
    report = bulk.import_rows(kind, rows, actor=request.user)
    if not report.ok:
        errors = [
            {"row": e.row or None, "field": e.column or None, "message": e.message}
            for e in report.errors
        ]
        raise RowsInvalid(report.summary(), errors)
    return ImportOut(
        kind=kind,
        rows=report.rows,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        warnings=report.warnings,
        summary=report.summary(),
    )
