"""The inspections pages: the list, one inspection with its findings, and the editors' forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from recreg.accounts.roles import capabilities_for
from recreg.audit.history import history_of
from recreg.core.forms import add_service_errors
from recreg.core.paging import page_of, query_without
from recreg.findings.access import visible_findings
from recreg.findings.views import addressee_prefetch
from recreg.inspections.access import get_inspection_for_user, visible_inspections
from recreg.inspections.forms import InspectionFilterForm, InspectionForm
from recreg.inspections.services import create_inspection, update_inspection
from recreg.intake.access import can_upload
from recreg.organisations.models import Organisation


def inspection_list(request):
    """Inspections the reader may see, filtered, a page at a time, in a fixed number of
    queries."""
    caps = capabilities_for(request.user)
    forces = list(Organisation.objects.forces().only("id", "name", "slug"))
    form = InspectionFilterForm(request.GET, forces=forces, show_state=not caps.is_public)
    form.is_valid()
    chosen = form.cleaned_data

    finding_counts = (
        visible_findings(request.user)
        .filter(inspection_id=OuterRef("pk"))
        .order_by()
        .values("inspection_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    inspections = (
        visible_inspections(request.user)
        .select_related("lead_inspectorate", "programme")
        .prefetch_related(
            Prefetch(
                "forces_in_scope",
                queryset=Organisation.objects.only("id", "name", "short_name", "slug"),
            )
        )
        .annotate(finding_count=Coalesce(Subquery(finding_counts, output_field=IntegerField()), 0))
        # Work not yet published comes first: it is what the inspectorate is busy with.
        .order_by(F("published_on").desc(nulls_first=True), "-fieldwork_start", "title", "pk")
    )
    if chosen.get("state"):
        inspections = inspections.filter(state=chosen["state"])
    if chosen.get("kind"):
        inspections = inspections.filter(kind=chosen["kind"])
    if chosen.get("force"):
        inspections = inspections.filter(forces_in_scope__slug=chosen["force"])
    page_obj = page_of(request, inspections)
    return render(
        request,
        "inspections/list.html",
        {
            "form": form,
            "is_filtered": any(chosen.get(name) for name in ("state", "kind", "force")),
            "page_obj": page_obj,
            "query_without_page": query_without(request),
        },
    )


def inspection_detail(request, pk):
    """One inspection: what, who, when, the findings the reader may see, and its history."""
    inspection, access = get_inspection_for_user(request.user, pk)
    findings = (
        visible_findings(request.user)
        .filter(inspection=inspection)
        .select_related("question_area")
        .prefetch_related(addressee_prefetch())
        .order_by("sequence", "id")
    )
    return render(
        request,
        "inspections/detail.html",
        {
            "inspection": inspection,
            "access": access,
            "can_import": can_upload(request.user, inspection),
            "partners": list(inspection.partner_inspectorates.all()),
            "forces": list(inspection.forces_in_scope.all()),
            "findings": list(findings),
            "history": history_of(inspection) if access.sees_history else [],
        },
    )


def _render_form(request, form, inspection=None):
    return render(request, "inspections/form.html", {"form": form, "inspection": inspection})


@login_required
@require_http_methods(["GET", "POST"])
def inspection_create(request):
    """Add an inspection (inspectorate editors only)."""
    if not capabilities_for(request.user).edits_register:
        raise PermissionDenied
    form = InspectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = create_inspection(actor=request.user, **form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{inspection.title} has been added")
            return redirect(inspection)
    return _render_form(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_edit(request, pk):
    """Change an inspection (inspectorate editors only)."""
    inspection, access = get_inspection_for_user(request.user, pk)
    if not access.can_edit:
        raise PermissionDenied
    form = InspectionForm(
        request.POST if request.method == "POST" else None,
        initial=InspectionForm.initial_for(inspection),
    )
    if request.method == "POST" and form.is_valid():
        try:
            inspection = update_inspection(inspection, actor=request.user, **form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{inspection.title} has been changed")
            return redirect(inspection)
    return _render_form(request, form, inspection)
