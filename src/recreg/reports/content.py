"""The content of a committee update paper, built once and rendered to Word, PDF and HTML by
recreg.reports.render, so the three formats say the same thing.

The builder reads the register only through the access helpers (visible_findings,
visible_responses, visible_inspections, oversight's grade history), as the person the paper is
for, so a paper never holds anything they could not see on the pages; and it reads in a fixed
number of queries, however many findings and updates the force has.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.dateformat import format as date_format

from recreg.findings.access import visible_findings, visible_responses
from recreg.findings.models import CLOSED_STATES, RAG, FindingState, Response
from recreg.inspections.access import visible_inspections
from recreg.inspections.models import InspectionState
from recreg.organisations.models import Organisation, OrganisationKind
from recreg.oversight.engage import engage_periods
from recreg.oversight.models import MonitoringDecision
from recreg.oversight.tables import grade_history
from recreg.progress.models import ProgressUpdate
from recreg.reports.access import may_read_force_progress, subject_force
from recreg.reports.models import (
    SECTION_FIELDWORK,
    SECTION_MONITORING,
    SECTION_OVERVIEW,
    SECTION_PUBLISHED,
    SECTION_RED,
    SECTIONS,
    PaperTemplate,
)

# --- The content model ------------------------------------------------------------------------


@dataclass
class Paragraph:
    text: str
    kind: str = "paragraph"


@dataclass
class Subheading:
    text: str
    kind: str = "subheading"


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list[str]]
    # Each column's share of the width in percent: the PDF lays long tables out far faster
    # when it need not measure every cell first.
    widths: list[int] = field(default_factory=list)
    kind: str = "table"

    def __post_init__(self):
        if not self.widths:
            first = 40 if len(self.columns) > 2 else 50
            rest = len(self.columns) - 1
            self.widths = [first] + [(100 - first) // rest] * rest if rest else [100]


@dataclass
class Facts:
    """Label and value pairs (a definition list on the web, a two-column table in Word)."""

    pairs: list[tuple[str, str]]
    kind: str = "facts"


Block = Paragraph | Subheading | Table | Facts


@dataclass
class Section:
    key: str
    heading: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class CommitteePaperContent:
    organisation: str
    force: str
    title: str
    title_block: list[tuple[str, str]]
    intro: list[str]
    sections: list[Section]
    footer: str

    def section(self, key: str) -> Section | None:
        """The section with this key, if the paper has it."""
        return next((s for s in self.sections if s.key == key), None)


# --- Wording ----------------------------------------------------------------------------------

PLACEHOLDERS = ("{organisation}", "{force}", "{committee}", "{since}", "{meeting}")


def day(value: datetime.date | datetime.datetime | None) -> str:
    """A date as committee papers write it: 14 March 2024."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return date_format(value, "j F Y")


def default_committee(organisation: Organisation) -> str:
    """The committee a paper goes to when the template does not say."""
    if organisation.kind == OrganisationKind.PCC_OFFICE:
        return "Police and Crime Panel"
    return "Joint Audit Committee"


@dataclass
class Wording:
    """The template's words with the defaults filled in and the placeholders replaced."""

    committee: str
    title: str
    agenda_item: str
    purpose: str
    recommendation: str
    intro: list[str]
    sections: list[str]
    contact: list[tuple[str, str]]


def wording_for(
    organisation: Organisation,
    force: Organisation,
    template: PaperTemplate | None,
    *,
    since: datetime.date,
    meeting: datetime.date,
    user,
) -> Wording:
    """The paper's words: the organisation's template, with defaults where it is blank."""
    t = template or PaperTemplate(organisation=organisation)
    committee = t.committee.strip() or default_committee(organisation)
    values = {
        "{organisation}": organisation.name,
        "{force}": force.name,
        "{committee}": committee,
        "{since}": day(since),
        "{meeting}": day(meeting),
    }

    def fill(text: str) -> str:
        for key, value in values.items():
            text = text.replace(key, value)
        return text.strip()

    title = fill(t.title) or f"Inspections of {force.name}: findings and progress"
    purpose = fill(t.purpose) or (
        f"To update the {committee} on inspections of {force.name} and on the force's "
        f"progress with their findings since its meeting of {day(since)}."
    )
    recommendation = fill(t.recommendation) or f"The {committee} is asked to note this report."
    intro_text = fill(t.intro) or (
        f"This paper covers the period from {day(since)} to {day(meeting)}. It is produced from "
        "the Recommendations Register, which keeps every finding of the inspectorates about "
        f"{force.name} and the force's progress with each."
    )
    intro = [p.strip() for p in intro_text.split("\n\n") if p.strip()]
    sections = [key for key in (t.sections or []) if key in SECTIONS]
    contact = [
        ("Name", t.contact_name.strip() or getattr(user, "full_name", "") or ""),
        ("Role", t.contact_role.strip() or getattr(user, "job_title", "") or ""),
        ("Email", t.contact_email.strip() or getattr(user, "email", "") or ""),
        ("Telephone", t.contact_phone.strip()),
    ]
    return Wording(
        committee=committee,
        title=title,
        agenda_item=fill(t.agenda_item),
        purpose=purpose,
        recommendation=recommendation,
        intro=intro,
        sections=sections,
        contact=[(label, value) for label, value in contact if value],
    )


# --- Reading the register ---------------------------------------------------------------------


def _person(user) -> str:
    if user is None:
        return "Not allocated"
    return f"{user.full_name} ({user.job_title})" if user.job_title else user.full_name


def _update_text(update: ProgressUpdate | None) -> str:
    if update is None:
        return "No update yet"
    return f"{day(update.created_at)} ({update.get_rag_display()}): {update.narrative}"


def _deadline(response: Response) -> str:
    finding = response.finding
    parts = [finding.deadline_text.strip() or "No deadline set"]
    if response.target_date:
        parts.append(f"target {day(response.target_date)}")
    return "; ".join(parts)


def _reference(response: Response) -> str:
    return response.finding.reference or response.finding.get_kind_display()


def _responses(user, force: Organisation, meeting: datetime.date) -> list[Response]:
    """The force's responses to published findings of reports published by the meeting, each
    with its latest update, in two queries."""
    latest = ProgressUpdate.objects.filter(response=OuterRef("pk")).order_by("-created_at", "-pk")
    responses = list(
        visible_responses(user)
        .filter(
            organisation=force,
            finding__in=visible_findings(user).filter(state=FindingState.PUBLISHED).values("pk"),
            finding__inspection__state=InspectionState.PUBLISHED,
            finding__inspection__published_on__lte=meeting,
        )
        .select_related(
            "finding", "finding__inspection", "owner", "tactical_lead", "governance_board"
        )
        .annotate(latest_update_id=Subquery(latest.values("pk")[:1]))
        .order_by(
            "-finding__inspection__published_on",
            "finding__inspection_id",
            "finding__sequence",
            "finding_id",
        )
    )
    ids = [r.latest_update_id for r in responses if r.latest_update_id]
    updates = ProgressUpdate.objects.in_bulk(ids) if ids else {}
    for response in responses:
        response.latest_update = updates.get(response.latest_update_id)
    return responses


def _by_report(responses: list[Response]) -> dict[int, list[Response]]:
    grouped: dict[int, list[Response]] = {}
    for response in responses:
        grouped.setdefault(response.finding.inspection_id, []).append(response)
    return grouped


def _report_heading(inspection) -> str:
    return f"{inspection.title} (published {day(inspection.published_on)})"


# --- The sections -----------------------------------------------------------------------------


def _fieldwork(user, force, since, meeting) -> list[Block]:
    inspections = list(
        visible_inspections(user)
        .filter(forces_in_scope=force, fieldwork_start__isnull=False, fieldwork_start__lte=meeting)
        .filter(Q(fieldwork_end__gt=since) | Q(fieldwork_end__isnull=True))
        .select_related("lead_inspectorate")
        .order_by("fieldwork_start", "title", "pk")
        .distinct()
    )
    if not inspections:
        return [Paragraph(f"No inspection of {force.name} had fieldwork since the last meeting.")]
    rows = [
        [
            i.title,
            i.lead_inspectorate.display_name,
            f"{day(i.fieldwork_start)} to {day(i.fieldwork_end)}"
            if i.fieldwork_end
            else f"From {day(i.fieldwork_start)}",
            i.get_state_display(),
        ]
        for i in inspections
    ]
    return [
        Paragraph(
            f"{len(inspections)} inspection{'s' if len(inspections) != 1 else ''} of "
            f"{force.name} had fieldwork since the last meeting."
        ),
        Table(
            "Inspections with fieldwork since the last meeting",
            ["Inspection", "Led by", "Fieldwork", "Stage"],
            rows,
            [45, 15, 25, 15],
        ),
    ]


def _published(user, force, since, meeting, responses) -> list[Block]:
    grouped = _by_report(responses)
    reports = {
        r.finding.inspection_id: r.finding.inspection
        for r in responses
        if r.finding.inspection.published_on > since
    }
    # Reports about the force with no findings for it are still reports received.
    for inspection in visible_inspections(user).filter(
        forces_in_scope=force,
        state=InspectionState.PUBLISHED,
        published_on__gt=since,
        published_on__lte=meeting,
    ):
        reports.setdefault(inspection.pk, inspection)
    if not reports:
        return [
            Paragraph("No inspection report about the force was published since the last meeting.")
        ]
    blocks: list[Block] = []
    for inspection in sorted(reports.values(), key=lambda i: (i.published_on, i.title, i.pk)):
        blocks.append(Subheading(_report_heading(inspection)))
        rows = [
            [
                _reference(r),
                r.finding.text,
                _deadline(r),
                f"Owner: {_person(r.owner)}. Tactical lead: {_person(r.tactical_lead)}.",
                r.governance_board.name if r.governance_board else "Not allocated",
                _update_text(r.latest_update),
            ]
            for r in grouped.get(inspection.pk, [])
        ]
        if not rows:
            blocks.append(Paragraph("The report has no findings for the force."))
            continue
        blocks.append(
            Table(
                f"Findings of {inspection.title}",
                [
                    "Reference",
                    "Finding",
                    "Deadline",
                    "Owner and tactical lead",
                    "Board",
                    "Latest update",
                ],
                rows,
                [12, 26, 13, 16, 10, 23],
            )
        )
    return blocks


def _red(responses) -> list[Block]:
    red = [r for r in responses if r.rag == RAG.RED and r.state not in CLOSED_STATES]
    if not red:
        return [Paragraph("There are no outstanding findings rated red.")]
    return [
        Paragraph(
            f"{len(red)} outstanding finding{'s are' if len(red) != 1 else ' is'} rated red."
        ),
        Table(
            "Outstanding findings rated red",
            ["Reference", "Report", "Finding", "Target date", "Latest update"],
            [
                [
                    _reference(r),
                    r.finding.inspection.title,
                    r.finding.text,
                    day(r.target_date) or "Not set",
                    _update_text(r.latest_update),
                ]
                for r in red
            ],
            [12, 17, 30, 11, 30],
        ),
    ]


def _grades_table(user, force) -> Table | None:
    history = grade_history(force, user)
    # A paper goes before a public meeting: grades not yet published stay out of it.
    keep = [i for i, a in enumerate(history.assessments) if a.is_published]
    if not keep:
        return None
    columns = ["Question area"] + [f"{history.assessments[i].framework.short_name}" for i in keep]
    rows = []
    for row in history.rows:
        cells = [row.cells[i] for i in keep]
        if not any(c.value for c in cells):
            continue
        rows.append([row.label] + [c.label or "–" for c in cells])
    if not rows:
        return None
    return Table(f"Grades of {force.name} across inspections", columns, rows)


def _overview(user, force, since, responses) -> list[Block]:
    grouped = _by_report(responses)
    under_review = [
        items
        for items in grouped.values()
        if items[0].finding.inspection.published_on <= since
        and any(r.state not in CLOSED_STATES for r in items)
    ]
    blocks: list[Block] = []
    if not under_review:
        blocks.append(Paragraph("No older report has findings still under review."))
    for items in sorted(
        under_review,
        key=lambda rs: (rs[0].finding.inspection.published_on, rs[0].finding.inspection_id),
    ):
        inspection = items[0].finding.inspection
        still_open = sum(1 for r in items if r.state not in CLOSED_STATES)
        blocks.append(Subheading(_report_heading(inspection)))
        blocks.append(Paragraph(f"{still_open} of {len(items)} findings still open."))
        blocks.append(
            Table(
                f"Findings of {inspection.title}",
                ["Reference", "Finding", "State", "RAG", "Latest progress"],
                [
                    [
                        _reference(r),
                        r.finding.text,
                        r.get_state_display(),
                        r.get_rag_display() or "Not rated",
                        _update_text(r.latest_update),
                    ]
                    for r in items
                ],
                [12, 35, 12, 8, 33],
            )
        )
    grades = _grades_table(user, force)
    blocks.append(Subheading(f"Grades of {force.name}"))
    if grades is None:
        blocks.append(Paragraph(f"No published grades of {force.name} are recorded."))
    else:
        blocks.append(grades)
    return blocks


def _monitoring(force, meeting) -> list[Block]:
    # Monitoring decisions are public (recreg.oversight.access), so everyone sees the same.
    decisions = MonitoringDecision.objects.filter(force=force, decided_on__lte=meeting)
    periods = engage_periods(decisions)
    latest = (
        decisions.select_related("round__tranche")
        .order_by("-round__tranche__year", "-round__tranche__number", "-decided_on", "-pk")
        .first()
    )
    if latest is None:
        return [
            Paragraph(f"The inspectorate has recorded no monitoring decision about {force.name}.")
        ]
    stage = latest.get_stage_display()
    if latest.status.strip().lower() != stage.lower():
        stage = f"{stage} (recorded as “{latest.status}”)"
    pairs = [
        ("Stage", stage),
        ("Decided", f"{day(latest.decided_on)}, {latest.round.tranche}"),
        ("Reasons", latest.reasons),
    ]
    current = next((p for p in periods if p.left is None), None)
    if current is not None:
        pairs.append(("In Engage since", day(current.since)))
    return [Facts(pairs)]


def build_committee_paper(
    organisation: Organisation,
    *,
    since: datetime.date,
    meeting: datetime.date,
    user,
    now: datetime.datetime | None = None,
) -> CommitteePaperContent:
    """The committee paper for an organisation (a force or its PCC office) as this reader may
    see it; PermissionDenied if they may not see the force's progress."""
    force = subject_force(organisation)
    if force is None or not may_read_force_progress(user, force):
        raise PermissionDenied
    template = PaperTemplate.objects.filter(organisation=organisation).first()
    words = wording_for(organisation, force, template, since=since, meeting=meeting, user=user)
    needs_responses = {SECTION_PUBLISHED, SECTION_RED, SECTION_OVERVIEW} & set(words.sections)
    responses = _responses(user, force, meeting) if needs_responses else []

    sections = []
    for number, key in enumerate(words.sections, start=1):
        if key == SECTION_FIELDWORK:
            blocks = _fieldwork(user, force, since, meeting)
        elif key == SECTION_PUBLISHED:
            blocks = _published(user, force, since, meeting, responses)
        elif key == SECTION_RED:
            blocks = _red(responses)
        elif key == SECTION_OVERVIEW:
            blocks = _overview(user, force, since, responses)
        elif key == SECTION_MONITORING:
            blocks = _monitoring(force, meeting)
        else:  # SECTION_CONTACT
            blocks = (
                [Facts(words.contact)]
                if words.contact
                else [Paragraph("No contact officer is named.")]
            )
        sections.append(Section(key=key, heading=f"{number}. {SECTIONS[key]}", blocks=blocks))

    title_block = [("Committee", words.committee), ("Date of meeting", day(meeting))]
    if words.agenda_item:
        title_block.append(("Agenda item", words.agenda_item))
    title_block += [
        ("Report of", organisation.name),
        ("Purpose", words.purpose),
        ("Recommendation", words.recommendation),
    ]
    return CommitteePaperContent(
        organisation=organisation.name,
        force=force.name,
        title=words.title,
        title_block=title_block,
        intro=words.intro,
        sections=sections,
        footer=f"Produced from the Recommendations Register on {day(now or timezone.now())}.",
    )
