"""The register's pages: the searchable list, a finding, a response, and the editors' forms."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from recreg.accounts.roles import capabilities_for
from recreg.audit.history import history_of
from recreg.core.forms import add_service_errors, rendering_key
from recreg.core.paging import page_of, query_without
from recreg.core.rows import count_per_row, grouped
from recreg.core.rules import reader_key
from recreg.core.statements import (
    PAGE_IDS,
    CompiledList,
    CompiledRows,
    KeptStatements,
    model_fields,
    record,
)
from recreg.findings.access import (
    children_of,
    get_finding_for_user,
    get_response_for_user,
    may_see_finding,
    response_states_on,
    responses_on,
    visible_findings,
    visible_responses,
)
from recreg.findings.filters import (
    CHOICES_SECONDS,
    UNKNOWN_AREA,
    UNKNOWN_FORCE,
    UNKNOWN_INSPECTION,
    UNKNOWN_THEME,
    FindingFilters,
    filter_choices,
    filter_findings,
)
from recreg.findings.forms import FindingForm, RegisterFilterForm
from recreg.findings.models import (
    CONCERN_KINDS,
    Finding,
    FindingKind,
    FindingState,
    ResponseState,
    is_due_soon_on,
    is_overdue_on,
)
from recreg.findings.services import create_finding, delete_finding, update_finding
from recreg.findings.templatetags.recreg_tags import ADDRESSEES_NAMED
from recreg.inspections.access import get_inspection_for_user, visible_inspections
from recreg.inspections.models import Inspection
from recreg.organisations.models import Organisation

# What recreg_tags.register_row reads of a finding and its inspection.
REGISTER_ROW_FIELDS = (
    "id", "kind", "reference", "text", "state", "deadline_date", "deadline_text",
    "addressee_scope", "inspection__id", "inspection__title", "inspection__published_on",
)  # fmt: skip


# Only what a row shows (the finding's text is long, the inspection's record longer), read
# as values from a statement compiled once for each kind of reader and question
# (recreg.core.statements) and made into records with those fields alone, as only() would.
_FINDING_FIELDS = model_fields(Finding, REGISTER_ROW_FIELDS)
_INSPECTION_FIELDS = model_fields(
    Inspection, [f.removeprefix("inspection__") for f in REGISTER_ROW_FIELDS if "__" in f]
)
REGISTER_ROW_VALUES = (*REGISTER_ROW_FIELDS, "addressee_count")
REGISTER_PAGES = KeptStatements()
# The statements that read what a page of findings shows beside each (attach_progress,
# attach_addressee_names), compiled once for any page's ids.
PAGE_ROWS = KeptStatements()


def register_rows(rows: list[dict], db: str) -> list[Finding]:
    """A page of the register's rows as findings with their inspection and addressee count."""
    out = []
    for row in rows:
        finding = record(Finding, row, _FINDING_FIELDS, db)
        finding.inspection = record(Inspection, row, _INSPECTION_FIELDS, db, "inspection__")
        finding.addressee_count = row["addressee_count"]
        out.append(finding)
    return out


def addressee_prefetch() -> Prefetch:
    """Addressees with just what a register row shows."""
    return Prefetch(
        "addressees",
        queryset=Organisation.objects.only("id", "name", "short_name", "kind").order_by("name"),
    )


def with_addressee_count(findings: QuerySet) -> QuerySet:
    """The findings, each with `addressee_count`, counted on the page's own statement."""
    counted = count_per_row(Finding.addressees.through.objects.all(), "finding_id")
    return findings.annotate(addressee_count=Coalesce(counted, 0))


def attach_addressee_names(findings) -> None:
    """Set each finding's `addressee_names` (display names, by name) for the findings with
    few enough addressees that the register's "Addressed to" column names them; the rest
    show their `addressee_count` (with_addressee_count), so only their count is read.

    A finding to all forces has 43 addressees, and a page of a force's findings may hold
    dozens of them: their names were nearly 2,000 rows a page for a column that shows a
    count. As Organisation records they had been thousands of model instances a page.
    """
    findings = list(findings)
    few = [f.pk for f in findings if f.addressee_count <= ADDRESSEES_NAMED]
    names: dict = {}
    if few:
        statement = PAGE_ROWS.get(
            "addressee names",
            lambda: CompiledRows(
                Finding.addressees.through.objects.filter(finding_id__one_of=PAGE_IDS).order_by(
                    "organisation__name", "organisation_id"
                ),
                ("finding_id", "organisation__short_name", "organisation__name"),
            ),
        )
        names = grouped(statement.for_ids(few))
    for finding in findings:
        finding.addressee_names = [short or name for short, name in names.get(finding.pk, [])]


class SeenResponse(NamedTuple):
    """What a row shows of one response: a register row's summary (recreg_tags.progress_summary),
    or a finding page's row of another organisation's state (no target date then)."""

    state: str
    target_date: datetime.date | None
    organisation_name: str

    def is_overdue(self, today: datetime.date) -> bool:
        return is_overdue_on(self.state, self.target_date, today)

    def is_due_soon(self, today: datetime.date) -> bool:
        return is_due_soon_on(self.state, self.target_date, today)

    def get_state_display(self) -> str:
        return ResponseState(self.state).label


def attach_progress(findings, user) -> None:
    """Set each finding's `visible_response_list`: the responses this reader may see in full,
    as SeenResponse values, in one query.

    A finding to all forces has 43 responses, and a national reader's page of 50 rows may
    summarise two thousand: as Response and Organisation records they were most of the page's
    time, though a row shows only counts by state and what is overdue."""
    findings = list(findings)
    # Compiled once for each kind of reader (the rule is theirs), for any page's ids.
    statement = PAGE_ROWS.get(
        ("progress", reader_key(user)),
        lambda: CompiledRows(
            visible_responses(user).filter(finding_id__one_of=PAGE_IDS).order_by(),
            (
                "finding_id", "state", "target_date",
                "organisation__short_name", "organisation__name",
            ),
        ),
    )  # fmt: skip
    seen = grouped(statement.for_ids([f.pk for f in findings]))
    for finding in findings:
        finding.visible_response_list = [
            SeenResponse(state, target_date, short or name)
            for state, target_date, short, name in seen.get(finding.pk, [])
        ]


@dataclass
class RegisterQuery:
    """The register's filters as read and checked for one request, and the findings they
    select: what the page shows a page of, and what its exports hold in full."""

    filters: FindingFilters
    form: RegisterFilterForm
    description: list[str]
    inspection: object
    form_key: str  # what the filters' fields render from (recreg.core.forms.rendering_key)
    user: object

    @property
    def findings(self) -> QuerySet:
        """The findings the filters select, as this reader may see them: built only when asked
        for (the page asks only when its statements are not kept; building the rule and the
        filters into a queryset was a tenth of the filtered list's time)."""
        return filter_findings(self.user, self.filters)


def register_query(request) -> RegisterQuery:
    """Read and check the register's filters, as the page and its exports both do."""
    caps = capabilities_for(request.user)
    filters = FindingFilters.from_params(request.GET)
    # The filters' choices as plain values: a hundred-odd records built for every page view
    # were a tenth of the register's time. Kept across pages (filter_choices).
    choices = filter_choices(filters)
    forces, areas, themes = choices.forces, choices.areas, choices.themes
    form = RegisterFilterForm(
        request.GET, forces=forces, areas=areas, themes=themes, show_stage=not caps.is_public
    )
    form.is_valid()
    if caps.is_public:
        filters.overdue = False
        filters.errors.pop("overdue", None)
    form.add_filter_errors(filters.errors)

    errors: dict[str, str] = {}
    if filters.force and filters.force not in {f.slug for f in forces}:
        errors["force"] = UNKNOWN_FORCE
        filters.force = ""
    if filters.theme and filters.theme not in {t.slug for t in themes}:
        errors["theme"] = UNKNOWN_THEME
        filters.theme = ""
    if filters.area and filters.area not in {a.pk for a in areas}:
        errors["area"] = UNKNOWN_AREA
        filters.area = None
    inspection = None
    if filters.inspection:
        inspection = visible_inspections(request.user).filter(pk=filters.inspection).first()
        if inspection is None:
            errors["inspection"] = UNKNOWN_INSPECTION
            filters.inspection = None
    form.add_filter_errors(errors)
    names = {
        "force": {f.slug: f.name for f in forces},
        "area": {a.pk: a.name for a in areas},
        "theme": {t.slug: t.name for t in themes},
    }
    return RegisterQuery(
        filters=filters,
        form=form,
        description=describe(filters, names, inspection),
        inspection=inspection,
        form_key=rendering_key(form, choices.version),
        user=request.user,
    )


def register(request):
    """The register: search, filters and a page of findings, in a fixed number of queries."""
    caps = capabilities_for(request.user)
    query = register_query(request)
    # The same question from the same kind of reader is the same SQL: compiled once.
    statement = REGISTER_PAGES.get(
        (reader_key(request.user), query.filters.question()),
        lambda: CompiledList(with_addressee_count(query.findings), REGISTER_ROW_VALUES),
    )
    page_obj = page_of(request, statement, cap=settings.REGISTER_COUNT_CAP)
    page_obj.object_list = register_rows(page_obj.object_list, statement.db)
    attach_addressee_names(page_obj.object_list)
    if not caps.is_public:
        attach_progress(page_obj.object_list, request.user)
    return render(
        request,
        "findings/register.html",
        {
            "form": query.form,
            "form_key": query.form_key,
            "form_seconds": CHOICES_SECONDS,
            "filters": query.filters,
            "description": query.description,
            "inspection": query.inspection,
            "page_obj": page_obj,
            "query_without_page": query_without(request),
            "query_without_inspection": query_without(request, "inspection"),
            "today": timezone.localdate(),
        },
    )


def describe(filters: FindingFilters, names: dict, inspection) -> list[str]:
    """The filters in use, in words, with names rather than slugs and ids."""
    parts = []
    if filters.q:
        parts.append(f"matching “{filters.q}”")
    if filters.force:
        parts.append(f"addressed to {names['force'].get(filters.force, filters.force)}")
    if inspection is not None:
        parts.append(f"from “{inspection.title}”")
    if filters.kind:
        parts.append(f"of kind ‘{FindingKind(filters.kind).label}’")
    if filters.state:
        parts.append(f"with progress ‘{ResponseState(filters.state).label}’")
    if filters.stage:
        parts.append(f"at stage ‘{FindingState(filters.stage).label}’")
    if filters.area:
        parts.append(f"in question area ‘{names['area'].get(filters.area, filters.area)}’")
    if filters.theme:
        parts.append(f"on theme ‘{names['theme'].get(filters.theme, filters.theme)}’")
    if filters.overdue:
        parts.append("with overdue progress")
    return parts


def finding_detail(request, pk):
    """One finding: what it says, who it is for, their progress, and its history."""
    finding, access = get_finding_for_user(request.user, pk)
    parent_visible = bool(finding.parent_id and may_see_finding(request.user, finding.parent_id))
    responses = list(
        responses_on(request.user, finding).select_related(
            "organisation", "owner", "tactical_lead", "governance_board"
        )
    )
    return render(
        request,
        "findings/detail.html",
        {
            "finding": finding,
            "access": access,
            "themes": list(finding.themes.all()),
            # Names only: a finding to all forces shows just how many.
            "addressees": list(finding.addressees.values_list("name", flat=True)),
            "parent_visible": parent_visible,
            "children": children_of(request.user, finding),
            "responses": responses,
            # Other organisations' public progress: its state only, as the public sees it.
            "public_responses": [
                SeenResponse(state, None, name)
                for state, name in response_states_on(request.user, finding)
                .exclude(pk__in=[r.pk for r in responses])
                # Only what the row shows: a finding to all forces lists 42 of them.
                .values_list("state", "organisation__name")
            ],
            "history": history_of(finding) if access.sees_history else [],
        },
    )


def response_detail(request, pk):
    """One organisation's progress on one finding (the public sees only its state)."""
    response, access = get_response_for_user(request.user, pk)
    return render(
        request,
        "findings/response.html",
        {
            "response": response,
            "access": access,
            "history": history_of(response) if access.sees_progress else [],
        },
    )


def _finding_form(request, inspection, *, finding=None):
    parents = visible_findings(request.user).filter(inspection=inspection, kind__in=CONCERN_KINDS)
    if finding is not None:
        parents = parents.exclude(pk=finding.pk)
    if finding is not None:
        initial = FindingForm.initial_for(finding)
    else:
        initial = FindingForm.initial_for_new(inspection)
    return FindingForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        inspection=inspection,
        parents=parents,
        all_forces_count=Organisation.objects.territorial_forces().count(),
    )


def _render_form(request, form, inspection, finding=None):
    return render(
        request,
        "findings/form.html",
        {
            "form": form,
            "inspection": inspection,
            "finding": finding,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def finding_create(request, inspection_pk):
    """Add a finding to an inspection (inspectorate editors only)."""
    inspection, access = get_inspection_for_user(request.user, inspection_pk)
    if not access.can_edit:
        raise PermissionDenied
    form = _finding_form(request, inspection)
    if request.method == "POST" and form.is_valid():
        try:
            finding = create_finding(
                actor=request.user, inspection=inspection, **form.service_data()
            )
        except ValidationError as exc:
            add_service_errors(form, exc, form.error_field_map())
        else:
            messages.success(request, f"{finding.title} has been added")
            return redirect(finding)
    return _render_form(request, form, inspection)


@login_required
@require_http_methods(["GET", "POST"])
def finding_edit(request, pk):
    """Change a finding (inspectorate editors only)."""
    finding, access = get_finding_for_user(request.user, pk)
    if not access.can_edit:
        raise PermissionDenied
    form = _finding_form(request, finding.inspection, finding=finding)
    if request.method == "POST" and form.is_valid():
        try:
            finding = update_finding(finding, actor=request.user, **form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc, form.error_field_map())
        else:
            messages.success(request, f"{finding.title} has been changed")
            return redirect(finding)
    return _render_form(request, form, finding.inspection, finding)


@login_required
@require_http_methods(["GET", "POST"])
def finding_delete(request, pk):
    """Delete a draft finding, after a confirmation page (inspectorate editors only)."""
    finding, access = get_finding_for_user(request.user, pk)
    if not access.can_edit:
        raise PermissionDenied
    errors: list[str] = []
    if request.method == "POST":
        inspection = finding.inspection
        title = finding.title
        try:
            delete_finding(finding, actor=request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, f"{title} has been deleted")
            return redirect(inspection)
    return render(
        request,
        "findings/delete.html",
        {"finding": finding, "access": access, "errors": errors},
        status=400 if errors else 200,
    )
