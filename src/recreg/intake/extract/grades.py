"""Grade tables: question areas against years or assessments, with a grade in each cell."""

from __future__ import annotations

import re

from recreg.intake.extract.common import clean
from recreg.intake.extract.document import Block

GRADES = {
    "outstanding": "Outstanding",
    "good": "Good",
    "adequate": "Adequate",
    "requires improvement": "Requires improvement",
    "requires improvements": "Requires improvement",
    "ri": "Requires improvement",
    "inadequate": "Inadequate",
    "not graded": "Not graded",
    "ungraded": "Not graded",
    "not inspected": "Not inspected",
    "not assessed": "Not inspected",
}
_EMPTY = {"", "-", "–", "—", "n/a", "na", "x"}
_PERIOD = re.compile(r"\b(?:19|20)\d{2}(?:\s*[/–-]\s*\d{2,4})?\b|\bpeel\b|\bipa\b|tranche", re.I)


def grade_of(cell: str) -> str | None:
    """The grade a cell holds, in the register's words, or None."""
    return GRADES.get(clean(cell).lower().rstrip("*. "))


def _is_grade_row(cells: list[str]) -> bool:
    values = [c for c in cells[1:] if c.strip().lower() not in _EMPTY]
    return bool(values) and sum(1 for c in values if grade_of(c)) >= max(1, len(values) * 0.6)


def read_grade_table(block: Block, area: str | None = None) -> dict | None:
    """A grade table as {"columns", "rows": [{"area", "grades": {column: grade}}]}, or None."""
    rows = [r for r in block.rows or [] if any(c.strip() for c in r)]
    if len(rows) < 2:
        return None
    header, body = rows[0], rows[1:]
    if _is_grade_row(header) or not sum(_is_grade_row(r) for r in body) >= max(1, len(body) * 0.6):
        # Perhaps areas across the top and years down the side.
        columns = list(zip(*rows, strict=False))
        if len(columns) < 2:
            return None
        flipped = [list(c) for c in columns]
        if not (sum(_is_grade_row(r) for r in flipped[1:]) >= max(1, (len(flipped) - 1) * 0.6)):
            return None
        if not any(_PERIOD.search(c) for c in flipped[0][1:]):
            return None
        header, body = flipped[0], flipped[1:]
    columns = [clean(c) for c in header[1:]]
    out_rows = []
    for row in body:
        if not _is_grade_row(row):
            continue
        grades = {}
        for column, cell in zip(columns, row[1:], strict=False):
            grade = grade_of(cell)
            if grade:
                grades[column] = grade
        out_rows.append({"area": clean(row[0]), "grades": grades})
    if not out_rows:
        return None
    return {
        "columns": columns,
        "rows": out_rows,
        "heading": area,
        "source": block.source(),
    }


def find_grade_tables(blocks: list[Block]) -> list[dict]:
    """Every grade table in the document, with the heading above it."""
    tables = []
    heading = None
    for block in blocks:
        if block.heading:
            heading = block.text
        if block.is_table and (table := read_grade_table(block, heading)):
            tables.append(table)
    return tables
