"""Data returns: templates, collection windows, a force's return, and each indicator's history;
and the Force Liaison Lead's notes. All of it is seen only by the inspectorate and the force
it is about."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from recreg.accounts.roles import capabilities_for
from recreg.audit.history import history_of
from recreg.core.forms import add_service_errors
from recreg.frameworks.models import QuestionArea
from recreg.organisations.models import Organisation, OrganisationKind
from recreg.oversight.access import (
    SignInRequired,
    get_force_private,
    get_return_for_user,
    get_template_for_inspectorate,
    get_window_for_inspectorate,
    is_editor,
    require_editor,
    visible_notes,
)
from recreg.oversight.forms import NoteForm, ReturnForm, TemplateForm, WindowForm
from recreg.oversight.models import (
    CollectionWindow,
    DataReturn,
    Indicator,
    ReturnStatus,
    ReturnTemplate,
)
from recreg.oversight.services import (
    add_liaison_note,
    create_collection_window,
    create_return_template,
    revise_return_template,
    save_data_return,
)
from recreg.oversight.views.common import crumbs, oversight_view


def _own_force(user) -> Organisation | None:
    org = getattr(user, "organisation", None)
    return org if org is not None and org.kind == OrganisationKind.FORCE else None


@oversight_view
def index(request):
    """Data returns: the inspectorate sees every template and window; a force its own returns."""
    caps = capabilities_for(request.user)
    if caps.is_public:
        raise SignInRequired
    force = _own_force(request.user)
    if not caps.sees_drafts and force is None:
        raise PermissionDenied
    windows = CollectionWindow.objects.select_related("template").annotate(
        submitted=Count("returns", filter=Q(returns__status=ReturnStatus.SUBMITTED)),
        late=Count(
            "returns",
            filter=Q(
                returns__status=ReturnStatus.SUBMITTED,
                returns__submitted_at__date__gt=F("due_on"),
            ),
        ),
    )
    own = {}
    if force is not None and not caps.sees_drafts:
        own = {r.window_id: r for r in DataReturn.objects.filter(force=force)}
    templates = []
    if caps.sees_drafts:
        latest: dict[str, ReturnTemplate] = {}
        for template in ReturnTemplate.objects.order_by("slug", "-version"):
            latest.setdefault(template.slug, template)
        templates = list(latest.values())
    return render(
        request,
        "oversight/returns/index.html",
        {
            "windows": [(w, own.get(w.pk)) for w in windows],
            "templates": templates,
            "force": force if not caps.sees_drafts else None,
            "inspectorate": caps.sees_drafts,
            "can_edit": caps.edits_register,
            "forces_expected": Organisation.objects.territorial_forces().count(),
            "today": timezone.localdate(),
            "crumbs": [],
        },
    )


@oversight_view
@require_http_methods(["GET", "POST"])
def template_create(request):
    """Define a new data return template (inspectorate editors)."""
    require_editor(request)
    form = TemplateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            template = create_return_template(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{template} has been created")
            return redirect("oversight:template_detail", pk=template.pk)
    return render(request, "oversight/returns/template_form.html", {"form": form})


@oversight_view
def template_detail(request, pk):
    """A template version's indicators, and its other versions."""
    template = get_template_for_inspectorate(request, pk)
    return render(
        request,
        "oversight/returns/template.html",
        {
            "template": template,
            "indicators": list(template.indicators.all()),
            "versions": list(ReturnTemplate.objects.filter(slug=template.slug)),
            "windows": list(template.windows.all()),
            "is_latest": not ReturnTemplate.objects.filter(
                slug=template.slug, version__gt=template.version
            ).exists(),
            "can_edit": is_editor(request.user),
            "history": history_of(template),
            "crumbs": crumbs(("oversight:returns", "Data returns")),
        },
    )


@oversight_view
@require_http_methods(["GET", "POST"])
def template_revise(request, pk):
    """Make the next version of a template (inspectorate editors)."""
    require_editor(request)
    template = get_template_for_inspectorate(request, pk)
    form = TemplateForm(
        request.POST if request.method == "POST" else None,
        initial={"indicators": TemplateForm.lines_for(template)},
        revising=template,
    )
    if request.method == "POST" and form.is_valid():
        try:
            revised = revise_return_template(
                template,
                indicators=form.cleaned_data["indicators"],
                notes=form.cleaned_data["notes"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{revised} has been created")
            return redirect("oversight:template_detail", pk=revised.pk)
    return render(
        request, "oversight/returns/template_form.html", {"form": form, "template": template}
    )


@oversight_view
@require_http_methods(["GET", "POST"])
def window_create(request):
    """Open a collection window (inspectorate editors)."""
    require_editor(request)
    latest: dict[str, ReturnTemplate] = {}
    for template in ReturnTemplate.objects.order_by("slug", "-version"):
        latest.setdefault(template.slug, template)
    form = WindowForm(
        request.POST if request.method == "POST" else None, templates=list(latest.values())
    )
    if request.method == "POST" and form.is_valid():
        try:
            window = create_collection_window(actor=request.user, **form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"The {window} window is open")
            return redirect(window)
    return render(request, "oversight/returns/window_form.html", {"form": form})


@oversight_view
def window_detail(request, pk):
    """Every force's return for a window: submitted, late, in draft, or missing."""
    window = get_window_for_inspectorate(request, pk)
    today = timezone.localdate()
    returns = {r.force_id: r for r in window.returns.select_related("force", "window").order_by()}
    rows = []
    for force in Organisation.objects.territorial_forces().order_by("name"):
        data_return = returns.pop(force.pk, None)
        rows.append((force, data_return, _state(window, data_return, today)))
    for data_return in returns.values():
        rows.append((data_return.force, data_return, _state(window, data_return, today)))
    return render(
        request,
        "oversight/returns/window.html",
        {
            "window": window,
            "rows": rows,
            "late": [r for r in rows if r[2] == "late"],
            "missing": [r for r in rows if r[2] == "missing"],
            "past_due": today > window.due_on,
            "crumbs": crumbs(("oversight:returns", "Data returns")),
        },
    )


STATE_LABELS = {
    "on_time": "Submitted",
    "late": "Submitted late",
    "draft": "Draft saved",
    "missing": "Missing",
    "not_started": "Not started",
}


def _state(window, data_return, today) -> str:
    if data_return is not None and data_return.is_submitted:
        return "late" if data_return.is_late else "on_time"
    if today > window.due_on:
        return "missing"
    return "draft" if data_return is not None else "not_started"


@oversight_view
@require_http_methods(["GET", "POST"])
def return_edit(request, pk, slug):
    """A force's return for a window: a form while it is a draft, then the values submitted."""
    window, force, data_return, access = get_return_for_user(request.user, pk, slug)
    indicators = list(window.template.indicators.all())
    editable = access.can_fill_returns and not (data_return and data_return.is_submitted)
    if request.method == "POST" and not access.can_fill_returns:
        raise PermissionDenied
    values = {}
    if data_return is not None:
        by_indicator = {v.indicator_id: v for v in data_return.values.all()}
        values = {i.code: by_indicator[i.pk].text for i in indicators if i.pk in by_indicator}
    form = ReturnForm(
        request.POST if request.method == "POST" and editable else None,
        initial=values,
        indicators=indicators,
    )
    if request.method == "POST" and editable and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            save_data_return(window, force, values=form.values(), submit=submit, actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if submit:
                messages.success(request, f"{force.name}’s return for {window} has been submitted")
            else:
                messages.success(request, "Your draft has been saved. It is not submitted yet.")
            return redirect("oversight:return_edit", pk=window.pk, slug=force.slug)
    elif request.method == "POST" and not editable:
        messages.info(request, "This return has been submitted and cannot be changed")
        return redirect("oversight:return_edit", pk=window.pk, slug=force.slug)
    rows = [(i, values.get(i.code, "")) for i in indicators]
    return render(
        request,
        "oversight/returns/return.html",
        {
            "window": window,
            "force": force,
            "data_return": data_return,
            "form": form,
            "editable": editable,
            "rows": rows,
            "private": True,
            "history": history_of(data_return) if data_return is not None else [],
            "crumbs": crumbs(
                ("oversight:returns", "Data returns"),
                (("oversight:force_returns", [force.slug]), force.name),
            ),
        },
    )


@oversight_view
def force_returns(request, slug):
    """Each indicator's values for a force over the windows, oldest window first."""
    force, access = get_force_private(request.user, slug)
    windows = list(CollectionWindow.objects.select_related("template").order_by("due_on", "pk"))
    indicators = list(
        Indicator.objects.filter(template__windows__in=windows)
        .select_related("template")
        .distinct()
        .order_by("-template__version", "order", "pk")
    )
    returns = {
        r.window_id: r
        for r in DataReturn.objects.filter(force=force).prefetch_related("values__indicator")
    }
    rows: dict[str, dict] = {}
    for indicator in indicators:
        row = rows.setdefault(
            indicator.code, {"name": indicator.name, "unit": indicator.unit, "cells": []}
        )
        row.setdefault("kinds", set()).add(indicator.get_kind_display())
    for row in rows.values():
        row["cells"] = []
    for window in windows:
        data_return = returns.get(window.pk)
        by_code = {}
        if data_return is not None:
            by_code = {v.indicator.code: v.text for v in data_return.values.all()}
        template_codes = {i.code for i in indicators if i.template_id == window.template_id}
        for code, row in rows.items():
            row["cells"].append(
                {
                    "value": by_code.get(code, ""),
                    "asked": code in template_codes,
                    "draft": data_return is not None and not data_return.is_submitted,
                }
            )
    return render(
        request,
        "oversight/returns/force.html",
        {
            "force": force,
            "access": access,
            "windows": [(w, returns.get(w.pk)) for w in windows],
            "rows": rows,
            "private": True,
            "crumbs": crumbs(("oversight:returns", "Data returns")),
        },
    )


# --- Liaison notes ----------------------------------------------------------------------------


@oversight_view
def force_notes(request, slug):
    """The Force Liaison Lead's notes about a force, newest first."""
    force, access = get_force_private(request.user, slug)
    notes = visible_notes(request.user, force).select_related("question_area__framework", "author")
    return render(
        request,
        "oversight/notes/list.html",
        {"force": force, "access": access, "notes": list(notes), "private": True, "crumbs": []},
    )


@oversight_view
@require_http_methods(["GET", "POST"])
def note_create(request, slug):
    """Add a liaison note about a force (inspectorate editors)."""
    force, access = get_force_private(request.user, slug)
    if not access.can_add_notes:
        raise PermissionDenied
    areas = list(
        QuestionArea.objects.select_related("framework").order_by("-framework__start_year", "order")
    )
    form = NoteForm(
        request.POST if request.method == "POST" else None,
        initial={"noted_on": timezone.localdate()},
        areas=areas,
    )
    if request.method == "POST" and form.is_valid():
        try:
            add_liaison_note(force, actor=request.user, **form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Your note about {force.name} has been added")
            return redirect("oversight:force_notes", slug=force.slug)
    return render(request, "oversight/notes/form.html", {"form": form, "force": force})
