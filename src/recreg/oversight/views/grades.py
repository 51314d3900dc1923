"""Grade pages: frameworks, the national matrix, a force's history, entry and CSV import."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from recreg.audit.history import history_for
from recreg.audit.models import AuditEvent
from recreg.core.forms import add_service_errors
from recreg.frameworks.models import Framework
from recreg.inspections.models import Inspection
from recreg.organisations.models import Organisation
from recreg.oversight.access import (
    get_force_for_grades,
    get_framework,
    is_editor,
    require_editor,
    sees_private,
    visible_assessments,
)
from recreg.oversight.forms import (
    GradeEntryForm,
    GradeImportForm,
    forces_for_choice,
    frameworks_for_choice,
)
from recreg.oversight.models import Assessment, Grade
from recreg.oversight.services import (
    grade_field_name,
    grade_targets,
    import_grades,
    record_grades,
    scale_name,
)
from recreg.oversight.tables import grade_counts, grade_history, grade_matrix
from recreg.oversight.views.common import crumbs, oversight_view


def frameworks(request):
    """Every framework with how many forces' grades are published, and a way to a force."""
    visible = visible_assessments(request.user)
    rows = Framework.objects.annotate(
        graded_forces=Count("assessments", filter=Q(assessments__in=visible), distinct=True)
    ).order_by("-start_year", "name")
    force_slug = request.GET.get("force", "")
    if force_slug and Organisation.objects.forces().filter(slug=force_slug).exists():
        return redirect("oversight:grade_history", slug=force_slug)
    return render(
        request,
        "oversight/grades/frameworks.html",
        {
            "frameworks": [(f, scale_name(f)) for f in rows],
            "forces": forces_for_choice(),
            "force_error": "Choose a force from the list" if force_slug else "",
            "can_edit": is_editor(request.user),
            "crumbs": [],
        },
    )


def matrix(request, framework_slug):
    """One framework's grades for every force: forces down, what is graded across."""
    framework, access = get_framework(request.user, framework_slug)
    targets, rows = grade_matrix(framework, request.user)
    return render(
        request,
        "oversight/grades/matrix.html",
        {
            "framework": framework,
            "access": access,
            "scale": scale_name(framework),
            "targets": targets,
            "rows": rows,
            "counts": list(zip(targets, grade_counts(targets, rows), strict=True)),
            "missing_forces": Organisation.objects.territorial_forces()
            .exclude(pk__in=[r.force.pk for r in rows])
            .count(),
            "crumbs": crumbs(("oversight:grades", "Grades")),
        },
    )


def history(request, slug):
    """A force's grades across assessments, as committee papers show them."""
    force, access = get_force_for_grades(request.user, slug)
    table = grade_history(force, request.user)
    return render(
        request,
        "oversight/grades/history.html",
        {
            "force": force,
            "access": access,
            "table": table,
            "private": sees_private(request.user, force),
            "frameworks_for_entry": frameworks_for_choice() if access.can_edit else [],
            "crumbs": crumbs(("oversight:grades", "Grades")),
        },
    )


@oversight_view
@require_http_methods(["GET", "POST"])
def entry(request, framework_slug, force_slug):
    """Enter or change a force's grades under one framework (inspectorate editors)."""
    require_editor(request)
    framework, _ = get_framework(request.user, framework_slug)
    force, _ = get_force_for_grades(request.user, force_slug)
    assessment = Assessment.objects.filter(force=force, framework=framework).first()
    targets = grade_targets(framework)
    initial = {}
    if assessment is not None:
        initial = {"published_on": assessment.published_on, "inspection": assessment.inspection_id}
        by_key = {t.key: t for t in targets}
        for grade in assessment.grades.all():
            target = by_key.get((grade.level, grade.question_area_id or grade.pillar_id))
            if target is not None:
                initial[grade_field_name(target)] = grade.value
    inspections = Inspection.objects.filter(
        Q(programme=framework) | Q(programme__isnull=True), forces_in_scope=force
    ).order_by("-published_on", "title")
    inspections_by_pk = {i.pk: i for i in inspections}
    form = GradeEntryForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        framework=framework,
        targets=targets,
        inspections=list(inspections_by_pk.values()),
    )
    if request.method == "POST" and form.is_valid():
        try:
            record_grades(
                force,
                framework,
                grades=form.grades(),
                published_on=form.cleaned_data["published_on"],
                inspection=inspections_by_pk.get(form.cleaned_data["inspection"]),
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{force.name}’s grades for {framework.short_name} are saved")
            return redirect("oversight:grade_history", slug=force.slug)
    history = []
    if assessment is not None:
        grade_ids = [
            str(pk)
            for pk in Grade.objects.filter(assessment=assessment).values_list("pk", flat=True)
        ]
        history = history_for(
            AuditEvent.objects.filter(
                Q(model="oversight.assessment", object_id=str(assessment.pk))
                | Q(model="oversight.grade", object_id__in=grade_ids)
            )
        )
    return render(
        request,
        "oversight/grades/entry.html",
        {
            "form": form,
            "framework": framework,
            "force": force,
            "scale": scale_name(framework),
            "history": history,
        },
    )


@oversight_view
@require_http_methods(["GET", "POST"])
def import_page(request):
    """Import grades from a CSV file: all rows or none (inspectorate editors)."""
    require_editor(request)
    form = GradeImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = import_grades(form.cleaned_data["file"], actor=request.user)
        except ValidationError as exc:
            problems = exc.messages
            form.add_error(
                "file",
                f"The file has {len(problems)} problem{'s' if len(problems) != 1 else ''}: nothing was imported",
            )
        else:
            messages.success(request, f"Grades imported. {result.summary()}.")
            return redirect(reverse("oversight:grades"))
    return render(request, "oversight/grades/import.html", {"form": form, "problems": problems})
