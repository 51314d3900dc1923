"""Helpers of the export tests: reading a CSV or Excel download back, and more findings."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from recreg.findings import services as finding_services
from recreg.findings.models import AddresseeScope, FindingKind, FindingState


def csv_of(response) -> tuple[list[str], list[str], list[list[str]]]:
    """A streamed CSV download as (description lines, headings, rows)."""
    assert response.streaming, "CSV exports are streamed"
    text = b"".join(response.streaming_content).decode("utf-8")
    text = text.removeprefix("\ufeff")
    lines = list(csv.reader(io.StringIO(text)))
    preamble = []
    while lines and lines[0] and lines[0][0].startswith("#"):
        preamble.append(lines.pop(0)[0])
    if lines and not lines[0]:
        lines.pop(0)
    return preamble, lines[0], lines[1:]


def xlsx_of(response):
    """An Excel download opened with openpyxl."""
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return openpyxl.load_workbook(io.BytesIO(data))


def column(headings, rows, name) -> list[str]:
    index = headings.index(name)
    return [row[index] for row in rows]


def add_findings(world, n: int, *, start: int = 0, text: str = "") -> list:
    """More published findings: odd ones to force A alone, even ones to all forces."""
    made = []
    for i in range(start, start + n):
        made.append(
            finding_services.create_finding(
                actor=world.inspector,
                inspection=world.inspection_a if i % 2 else world.thematic,
                kind=FindingKind.RECOMMENDATION if i % 3 else FindingKind.AREA_FOR_IMPROVEMENT,
                text=text or f"The force should improve the way it records crime, part {i}.",
                addressee_scope=AddresseeScope.FORCES if i % 2 else AddresseeScope.ALL_FORCES,
                addressees=[world.force_a] if i % 2 else [],
                state=FindingState.PUBLISHED,
                deadline_text="within six months",
                question_area=world.area if i % 2 else None,
                themes=[world.theme],
            )
        )
    return made


@pytest.fixture
def small_pages(settings):
    settings.REGISTER_PAGE_SIZE = 5
