"""Writing an export table as CSV (streamed) or Excel (openpyxl's write-only mode).

Every text cell goes through recreg.core.csvsafe.safe_cell, so nothing a person typed into the
register is read as a formula by a spreadsheet program.

The CSV starts with the export's description as comment lines beginning with "#" (title,
filters, when it was made), then one blank line, then the column headings and the rows. Most
tools skip such lines when told to (pandas: comment="#"; R: comment.char="#"). The Excel file
has the rows on its first sheet and the same description on a second, "About this export".
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Iterator

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from recreg.core.csvsafe import FORMULA_STARTS, safe_cell, safe_row
from recreg.exports.tables import ExportTable

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows written to the response at a time: small enough that the first bytes leave at once,
# large enough that a long list is not thousands of tiny writes.
CSV_ROWS_PER_WRITE = 500


class _Line:
    """A file-like target for csv.writer that hands back what was written."""

    def __init__(self):
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts.clear()
        return text


def _csv_value(value):
    if type(value) is str:
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    value = safe_cell(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else value


def csv_lines(table: ExportTable) -> Iterator[str]:
    """The CSV file in pieces: the description first (before any query for rows runs), then
    the headings, then the rows in groups."""
    buffer = _Line()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if table.preamble:
        # A byte order mark, so Excel reads the file as UTF-8.
        yield "\ufeff"
        for label, value in table.about():
            # One line each, whatever the filters hold, so every line still starts with "#".
            writer.writerow([f"# {label}: {' '.join(str(value).split())}"])
        writer.writerow([])
    writer.writerow(safe_row(table.headings))
    yield buffer.take()
    writerow = writer.writerow
    starts = FORMULA_STARTS
    for count, row in enumerate(table.rows(), start=1):
        # _csv_value, with its common case (text that is no formula) inline: a long export
        # has a million cells, and the call for each was a tenth of its time.
        writerow(
            [
                (("'" + v) if v.startswith(starts) else v) if type(v) is str else _csv_value(v)
                for v in row
            ]
        )
        if count % CSV_ROWS_PER_WRITE == 0:
            yield buffer.take()
    rest = buffer.take()
    if rest:
        yield rest


def _disposition(filename: str) -> str:
    return f'attachment; filename="{filename}"'


def csv_response(table: ExportTable, *, private: bool = True) -> StreamingHttpResponse:
    """The export as a streamed CSV download."""
    response = StreamingHttpResponse(
        (piece.encode("utf-8") for piece in csv_lines(table)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = _disposition(f"{table.filename}.csv")
    _cache_headers(response, private)
    return response


def _cache_headers(response, private: bool) -> None:
    # An export holds what this reader may see: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store" if private else "public, max-age=900"
    response["X-Content-Type-Options"] = "nosniff"


def write_xlsx(table: ExportTable, target) -> int:
    """Write the export as an Excel workbook to a file; returns the number of rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.title[:31].replace("/", " ").replace(":", " "))
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for heading in table.headings:
        cell = WriteOnlyCell(sheet, value=safe_cell(heading))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    starts = FORMULA_STARTS
    append = sheet.append
    for row in table.rows():
        # safe_cell, with its common case (text that is no formula) inline, as for the CSV.
        append(
            [
                (("'" + v) if v.startswith(starts) else v)
                if type(v) is str
                else safe_cell(_excel_value(v))
                for v in row
            ]
        )
        count += 1
    about = workbook.create_sheet(title="About this export")
    about.column_dimensions["A"].width = 14
    about.column_dimensions["B"].width = 100
    for label, value in [*table.about(), ("Rows", str(count))]:
        label_cell = WriteOnlyCell(about, value=safe_cell(label))
        label_cell.font = bold
        about.append([label_cell, safe_cell(value)])
    workbook.save(target)
    return count


def _excel_value(value):
    # Excel has no time zones: times are written as the register's local time.
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def xlsx_response(table: ExportTable, *, private: bool = True) -> FileResponse:
    """The export as an Excel download, built in a temporary file (memory stays flat)."""
    # FileResponse closes the file (and so deletes it) once the download is sent.
    spool = tempfile.TemporaryFile()  # noqa: SIM115
    write_xlsx(table, spool)
    spool.seek(0)
    response = FileResponse(
        spool, as_attachment=True, filename=f"{table.filename}.xlsx", content_type=XLSX_TYPE
    )
    _cache_headers(response, private)
    return response
