"""The export of each list page, built from the very query the page runs, so a file holds
exactly the rows the page shows across all its pages, and nothing the reader could not see.
"""

from __future__ import annotations

import datetime
import functools

from django.db.models import Case, Q, When
from django.urls import reverse
from django.utils import timezone

from recreg.accounts.roles import capabilities_for
from recreg.core.rows import count_per_row
from recreg.exports.tables import (
    Column,
    DateText,
    ExportTable,
    chunked,
    joined,
    packed_per_row,
    packed_rows,
    streamed_rows,
    yes_no,
)
from recreg.findings.access import visible_responses
from recreg.findings.filters import SORT_LABELS
from recreg.findings.models import (
    CLOSED_STATES,
    RAG,
    AddresseeScope,
    Finding,
    FindingKind,
    FindingState,
    Response,
    ResponseState,
)
from recreg.findings.views import describe, register_query
from recreg.inspections.access import visible_inspections
from recreg.organisations.models import Organisation
from recreg.progress import queries
from recreg.progress.access import get_organisation_for_user
from recreg.progress.views import overview_filters


def _date(value):
    return value if value else None


def _filter_errors(form) -> list[str]:
    """Filters the page could not use (and so ignores), said in the file too."""
    return [f"Ignored: {message}" for messages in form.errors.values() for message in messages]


# The register


REGISTER_FIELDS = (
    "pk",
    "reference",
    "kind",
    "text",
    "state",
    "inspection__title",
    "inspection__published_on",
    "question_area__name",
    "deadline_date",
    "deadline_text",
    "addressee_scope",
)


def register_table(request) -> ExportTable:
    """The register's findings that match the request's filters, every page of them.

    Read as plain values, with each chunk's addressees and responses in one query each: the
    register can hold a hundred thousand findings."""
    caps = capabilities_for(request.user)
    today = timezone.localdate()
    query = register_query(request)
    # The public sees each force's state and nothing else of its progress. Responses are
    # only read for the findings the query gave, which for the public are public findings,
    # so only the response's half of the public rule is asked (the whole rule joined every
    # response to its finding, inspection and lead inspectorate again).
    responses = Response.objects.of_forces() if caps.is_public else visible_responses(request.user)
    kinds = dict(FindingKind.choices)
    stages = dict(FindingState.choices)
    states = dict(ResponseState.choices)
    rags = dict(RAG.choices)
    # One reverse() for the whole file rather than one per row.
    link = request.build_absolute_uri(reverse("findings:detail", args=[0])).replace("/0/", "/{}/")
    # Each distinct date, and each distinct state, rating and target, worded once: the
    # national register's 500,000 responses have about 57,000 such combinations.
    deadline_words = functools.cache(lambda day: day.strftime("%d %B %Y"))

    @functools.cache
    def target_words(target: str) -> tuple[str, bool]:
        day = datetime.date.fromisoformat(target)
        return f"target {day:%d %b %Y}", day < today

    @functools.cache
    def words(state: str, rag: str, target: str) -> str:
        parts = [states.get(state, state)]
        if not caps.is_public:
            if rag:
                parts.append(f"RAG {rags.get(rag, rag).lower()}")
            if target:
                target_text, past = target_words(target)
                parts.append(target_text)
                if past and state not in CLOSED_STATES:
                    parts.append("overdue")
        return ", ".join(parts)

    # Each finding's named addressees and responses come packed in its own row, and a
    # finding to all forces says how many: the whole file is one statement, whose rows
    # PostgreSQL sends while the ones before them are written (see streamed_rows).
    addressees = Finding.addressees.through.objects.all()
    national = Q(addressee_scope=AddresseeScope.ALL_FORCES)
    findings = query.findings.annotate(
        packed_to=Case(
            When(~national, then=packed_per_row(addressees, "finding_id", "organisation_id"))
        ),
        addressee_count=Case(When(national, then=count_per_row(addressees, "finding_id"))),
        packed_progress=packed_per_row(
            responses, "finding_id", "organisation_id", "state", "rag", DateText("target_date")
        ),
    ).values_list(*REGISTER_FIELDS, "packed_to", "addressee_count", "packed_progress")

    def rows():
        # Organisations by id (as text, the way packed_rows gives it), in the database's
        # order of their names: each finding's addressees and responses are read without
        # joining them (a million rows for the national register) and put in that order here.
        order = {}
        label = {}
        for rank, (pk, name, short) in enumerate(
            Organisation.objects.order_by("name").values_list("pk", "name", "short_name")
        ):
            order[str(pk)] = rank
            label[str(pk)] = short or name

        for batch in streamed_rows(findings):
            for row in batch:
                pk, ref, kind, text, stage, title, published, area, d_date, d_text, scope = row[:11]
                to, counted, progress_of = row[11:]
                if scope == AddresseeScope.ALL_FORCES:
                    addressed = f"All forces ({counted or 0})"
                else:
                    named_to = sorted([org for (org,) in packed_rows(to)], key=order.get)
                    addressed = joined([label[org] for org in named_to]) or "No one yet"
                progress = sorted(
                    [(order[org], org, rest) for org, *rest in packed_rows(progress_of)]
                )
                cells = [ref, kinds.get(kind, kind), text]
                if not caps.is_public:
                    cells.append(stages.get(stage, stage))
                cells += [
                    title,
                    published,
                    area or "",
                    deadline_words(d_date) if d_date else (d_text or "None"),
                    addressed,
                    "; ".join([f"{label[org]}: {words(*rest)}" for _, org, rest in progress]),
                    link.format(pk),
                ]
                yield cells

    columns = [Column("Reference", 14), Column("Kind", 22), Column("Finding", 80)]
    if not caps.is_public:
        columns.append(Column("Stage", 14))
    columns += [
        Column("Inspection", 40),
        Column("Report published", 14),
        Column("Question area", 30),
        Column("Deadline", 18),
        Column("Addressed to", 30),
        Column("Progress" if not caps.is_public else "Progress (state of each force)", 50),
        Column("Web address", 40),
    ]
    filters = [f"Findings {part}" for part in query.description]
    sort = query.filters.sort or ("relevance" if query.filters.q else "newest")
    filters.append(f"Sorted by: {SORT_LABELS[sort].lower()}")
    return ExportTable(
        title="Public register of findings" if caps.is_public else "Register of findings",
        filename=f"register-{today:%Y-%m-%d}",
        filters=filters,
        columns=columns,
        rows=rows,
        source_url=_page_url(request, reverse("findings:list")),
        notes=_filter_errors(query.form)
        + ([] if caps.is_public else ["Holds only what you may see in the register."]),
    )


def _page_url(request, path: str) -> str:
    query = request.GET.urlencode()
    return request.build_absolute_uri(path + (f"?{query}" if query else ""))


# An organisation's progress overview


def force_table(request, slug: str) -> ExportTable:
    """An organisation's responses that match the overview's filters (those its counts add up),
    with whether each is overdue."""
    org, _ = get_organisation_for_user(request.user, slug)
    filters, form, _ = overview_filters(request)
    today = timezone.localdate()
    responses = queries.response_rows(queries.overview_responses(request.user, org, filters))
    responses = responses.select_related("finding__question_area", "governance_board").order_by(
        "-finding__inspection__published_on", "finding__inspection_id", "finding__sequence", "pk"
    )

    def row(response) -> list:
        finding = response.finding
        return [
            finding.reference,
            finding.get_kind_display(),
            finding.text,
            finding.inspection.title,
            _date(finding.inspection.published_on),
            finding.question_area.name if finding.question_area_id else "",
            response.get_state_display(),
            response.get_rag_display() if response.rag else "",
            _date(response.target_date),
            yes_no(response.is_overdue(today)),
            response.owner.full_name if response.owner_id else "",
            response.tactical_lead.full_name if response.tactical_lead_id else "",
            response.governance_board.name if response.governance_board_id else "",
            _date(response.last_update_at),
            request.build_absolute_uri(reverse("progress:response", args=[response.pk])),
        ]

    areas = dict(form.fields["area"].widget.choices)
    themes = dict(form.fields["theme"].widget.choices)
    names = {
        "force": {},
        "area": {int(k): v for k, v in areas.items() if str(k).isdigit()},
        "theme": themes,
    }
    inspection = None
    if filters.inspection:
        inspection = visible_inspections(request.user).filter(pk=filters.inspection).first()
    description = [f"Responses of {org.name}"]
    description += [f"Findings {part}" for part in describe(filters, names, inspection)]
    if filters.inspection and inspection is None:
        description.append(f"From inspection number {filters.inspection}")
    return ExportTable(
        title=f"Progress of {org.name}",
        filename=f"progress-{org.slug}-{today:%Y-%m-%d}",
        filters=description,
        columns=[
            Column("Reference", 14),
            Column("Kind", 22),
            Column("Finding", 70),
            Column("Inspection", 40),
            Column("Report published", 14),
            Column("Question area", 30),
            Column("State", 20),
            Column("RAG", 8),
            Column("Target date", 14),
            Column("Overdue", 9),
            Column("Strategic owner", 24),
            Column("Tactical lead", 24),
            Column("Governance board", 28),
            Column("Last update", 20),
            Column("Web address", 40),
        ],
        rows=lambda: chunked(responses, row),
        source_url=_page_url(request, reverse("progress:force_overview", args=[org.slug])),
        notes=_filter_errors(form)
        + [
            "Every response the overview counts; the Overdue column picks out its overdue "
            "list. The “changes since” date does not apply to this file."
        ],
    )


# My work


def my_work_table(request) -> ExportTable:
    """The signed-in person's work, in the view they chose on My work."""
    summary, rows = queries.my_work(request.user, request.GET.get("show") or "all")
    view = summary.view
    today = timezone.localdate()
    user = request.user

    def response_cells(response) -> list:
        finding = response.finding
        return [
            response.organisation.display_name,
            finding.reference or finding.get_kind_display(),
            finding.text,
            finding.inspection.title,
        ]

    def url(response) -> str:
        return request.build_absolute_uri(reverse("progress:response", args=[response.pk]))

    if view == "proposals":
        columns = [Column("Proposed by", 24), Column("Proposed on", 20)]

        def row(item) -> list:
            cells = response_cells(item.response)
            return [*cells, item.proposed_by.full_name, item.proposed_at, url(item.response)]

    elif view == "challenges":
        columns = [Column("Raised by", 24), Column("Raised on", 20)]

        def row(item) -> list:
            cells = response_cells(item.response)
            return [*cells, item.raised_by.full_name, item.raised_at, url(item.response)]

    else:
        columns = [
            Column("State", 20),
            Column("RAG", 8),
            Column("Target date", 14),
            Column("Overdue", 9),
            Column("Last update", 20),
            Column("Your role", 30),
        ]

        def row(response) -> list:
            if response.owner_id == user.pk:
                role = "Strategic owner"
                if response.tactical_lead_id == user.pk:
                    role += " and tactical lead"
            else:
                role = "Tactical lead"
            return [
                *response_cells(response),
                response.get_state_display(),
                response.get_rag_display() if response.rag else "",
                _date(response.target_date),
                yes_no(response.is_overdue(today)),
                _date(response.last_update_at),
                role,
                url(response),
            ]

    label = queries.MY_WORK_VIEWS[view]
    return ExportTable(
        title=f"My work: {label.lower()}",
        filename=f"my-work-{view.replace('_', '-')}-{today:%Y-%m-%d}",
        filters=[f"{label}, for {user.full_name or user.email}"],
        columns=[
            Column("Organisation", 24),
            Column("Finding", 14),
            Column("Text", 70),
            Column("Inspection", 40),
            *columns,
            Column("Web address", 40),
        ],
        rows=lambda: chunked(rows, row),
        source_url=_page_url(request, reverse("progress:my_work")),
    )
