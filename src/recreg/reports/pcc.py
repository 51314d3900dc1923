"""PCC responses to inspection reports: which reports about a force need one and when (within
56 days of publication), the draft made from the register, and the response as a Word
document."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from docx import Document
from docx.shared import Mm, Pt

from recreg.findings.access import visible_responses
from recreg.findings.models import FindingState, Response
from recreg.inspections.access import visible_inspections
from recreg.inspections.models import Inspection, InspectionState
from recreg.organisations.models import Organisation
from recreg.progress.models import ProgressUpdate
from recreg.reports.content import day
from recreg.reports.models import PccResponse, pcc_due_date
from recreg.reports.render import _plain

# How far back the list of reports needing a response reaches: a year of reports.
LIST_DAYS = 365


def reports_about(user, force: Organisation):
    """Published reports about the force that this reader may see: those with the force in
    scope, and those with published findings the force responds to (thematic reports too)."""
    has_findings = Exists(
        Response.objects.filter(
            organisation=force,
            finding__inspection=OuterRef("pk"),
            finding__state=FindingState.PUBLISHED,
        )
    )
    return (
        visible_inspections(user)
        .filter(state=InspectionState.PUBLISHED, published_on__isnull=False)
        .filter(Q(forces_in_scope=force) | has_findings)
        .distinct()
    )


@dataclass
class DueRow:
    inspection: Inspection
    due_on: datetime.date
    response: PccResponse | None
    today: datetime.date

    @property
    def is_published(self) -> bool:
        return self.response is not None and self.response.is_published

    @property
    def is_overdue(self) -> bool:
        return not self.is_published and self.due_on < self.today

    @property
    def days_left(self) -> int:
        return (self.due_on - self.today).days

    @property
    def days_late(self) -> int:
        return -self.days_left

    @property
    def status(self) -> str:
        if self.is_published:
            return "Published"
        if self.is_overdue:
            return "Overdue"
        return "Draft started" if self.response else "Not started"


def pcc_reports(
    user, office: Organisation, *, today: datetime.date | None = None, outstanding_only=False
) -> list[DueRow]:
    """The reports of the last year about the office's force, each with its response due date
    and the office's response, soonest due first; in two queries."""
    today = today or timezone.localdate()
    force = office.force
    inspections = list(
        reports_about(user, force)
        .filter(published_on__gte=today - datetime.timedelta(days=LIST_DAYS))
        .order_by("published_on", "title", "pk")
    )
    responses = {
        r.inspection_id: r
        for r in PccResponse.objects.filter(
            pcc_office=office, inspection__in=[i.pk for i in inspections]
        )
    }
    rows = [
        DueRow(i, pcc_due_date(i.published_on), responses.get(i.pk), today) for i in inspections
    ]
    if outstanding_only:
        rows = [r for r in rows if not r.is_published]
    return sorted(rows, key=lambda r: (r.due_on, r.inspection.title))


def force_position(response: Response, update: ProgressUpdate | None) -> str:
    """The force's current position on a finding, in words, from the register."""
    parts = [f"State: {response.get_state_display()}."]
    if response.owner_id:
        parts.append(f"Owner: {response.owner.full_name}.")
    if response.target_date:
        parts.append(f"Target date: {day(response.target_date)}.")
    if update is not None:
        parts.append(
            f"Latest update ({day(update.created_at)}, {update.get_rag_display()}): "
            f"{update.narrative}"
        )
    else:
        parts.append("No progress update yet.")
    return " ".join(parts)


def draft_items(user, inspection: Inspection, force: Organisation) -> list[tuple[Response, str]]:
    """The force's responses to the report's published findings, each with its current
    position, as this reader sees them; in two queries."""
    responses = list(
        visible_responses(user)
        .filter(
            organisation=force,
            finding__inspection=inspection,
            finding__state=FindingState.PUBLISHED,
        )
        .select_related("finding", "owner")
        .order_by("finding__sequence", "finding_id")
    )
    latest: dict[int, ProgressUpdate] = {}
    for update in ProgressUpdate.objects.filter(response__in=[r.pk for r in responses]).order_by(
        "response_id", "created_at", "pk"
    ):
        latest[update.response_id] = update
    return [(r, force_position(r, latest.get(r.pk))) for r in responses]


def default_intro(response: PccResponse) -> str:
    """The opening words of a draft response."""
    return (
        f"The Police and Crime Commissioner welcomes the report “{response.inspection.title}”, "
        f"published on {day(response.inspection.published_on)}. The Commissioner's comments on "
        f"each of its findings for {response.force.name} follow, with the force's position as "
        f"at {day(timezone.localdate())}."
    )


def render_pcc_docx(response: PccResponse) -> bytes:
    """The PCC's response as a Word document."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(11)
    doc.core_properties.title = _plain(f"Response to {response.inspection.title}")
    doc.add_paragraph(_plain(response.pcc_office.name), style="Subtitle")
    doc.add_heading(_plain(f"Response to: {response.inspection.title}"), level=0)
    facts = [
        ("Report", response.inspection.title),
        ("Published", day(response.inspection.published_on)),
        ("Response due", day(response.due_on)),
        ("Status", response.get_state_display()),
    ]
    if response.is_published:
        facts += [
            ("Published on", day(response.published_on)),
            ("Web address", response.published_url),
        ]
    table = doc.add_table(rows=len(facts), cols=2)
    table.style = "Table Grid"
    for row, (label, value) in zip(table.rows, facts, strict=True):
        row.cells[0].text = label
        row.cells[0].paragraphs[0].runs[0].bold = True
        row.cells[1].text = _plain(value)
    for text in response.intro.split("\n\n"):
        if text.strip():
            doc.add_paragraph(_plain(text.strip()))
    doc.add_heading("Findings", level=1)
    for item in response.items.select_related("finding").order_by("order", "pk"):
        doc.add_heading(_plain(item.finding.reference or item.finding.get_kind_display()), level=2)
        doc.add_paragraph(_plain(item.finding.text), style="Quote")
        doc.add_heading("The force's position", level=3)
        doc.add_paragraph(_plain(item.position) or "Not stated.")
        doc.add_heading("The Commissioner's comment", level=3)
        doc.add_paragraph(_plain(item.comment) or "No comment.")
    if response.conclusion.strip():
        doc.add_heading("Conclusion", level=1)
        for text in response.conclusion.split("\n\n"):
            if text.strip():
                doc.add_paragraph(_plain(text.strip()))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
