"""The risk ranking, its configuration, and tranche planning (the inspectorate's pages)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from recreg.core.forms import add_service_errors
from recreg.organisations.models import Organisation
from recreg.oversight.access import (
    get_force_for_risk,
    get_framework,
    get_plan_for_inspectorate,
    is_editor,
    require_editor,
    require_inspectorate,
)
from recreg.oversight.forms import (
    NESTED_SETTINGS,
    NUMBER_SETTINGS,
    PlanChoiceForm,
    PlanReviewForm,
    PlanStartForm,
    RiskChooserForm,
    RiskConfigForm,
    forces_for_choice,
    frameworks_for_choice,
    risk_error_map,
)
from recreg.oversight.models import (
    AreaChoice,
    PlannedArea,
    PlannedForce,
    RiskConfiguration,
    Tranche,
    TranchePlan,
)
from recreg.oversight.risk import COMPARISONS, score_force, validate_weights
from recreg.oversight.services import (
    create_tranche_plan,
    current_risk_configuration,
    model_choice,
    revise_risk_configuration,
)
from recreg.oversight.views.common import crumbs, oversight_view


@oversight_view
def risk_index(request):
    """Choose a framework and a force to see the ranking of its question areas."""
    require_inspectorate(request)
    frameworks = frameworks_for_choice()
    forces = forces_for_choice()
    bound = "framework" in request.GET and "force" in request.GET
    form = RiskChooserForm(
        request.GET if bound else None,
        initial={"force": request.GET.get("force", "")},
        frameworks=frameworks,
        forces=forces,
    )
    if bound and form.is_valid():
        return redirect(
            "oversight:risk",
            framework_slug=form.cleaned_data["framework"],
            force_slug=form.cleaned_data["force"],
        )
    return render(
        request,
        "oversight/risk/index.html",
        {
            "form": form,
            "configuration": current_risk_configuration(),
            "crumbs": [],
        },
    )


@oversight_view
def risk_detail(request, framework_slug, force_slug):
    """The ranked question areas of a framework for a force, each score explained."""
    force = get_force_for_risk(request, force_slug)
    framework, _ = get_framework(request.user, framework_slug)
    today = timezone.localdate()
    on_error = ""
    if request.GET.get("on"):
        try:
            today = datetime.date.fromisoformat(request.GET["on"])
        except ValueError:
            on_error = "Enter the date as 2025-03-31"
    result = score_force(force, framework, today=today)
    return render(
        request,
        "oversight/risk/detail.html",
        {
            "force": force,
            "framework": framework,
            "result": result,
            "on_error": on_error,
            "private": True,
            "crumbs": crumbs(("oversight:risk_index", "Risk ranking")),
        },
    )


@oversight_view
def risk_config(request):
    """The risk model's weights (the current version) and every earlier version."""
    require_inspectorate(request)
    current = current_risk_configuration()
    weights = validate_weights(current.weights)
    groups = [
        (
            title,
            [(label, weights[group][key]) for key, label in NESTED_SETTINGS[group].items()],
        )
        for group, title in (
            ("grade_points", "Points for the latest grade"),
            ("finding_weights", "Weights of kinds of finding"),
            ("note_points", "Points for liaison notes"),
        )
    ]
    return render(
        request,
        "oversight/risk/config.html",
        {
            "current": current,
            "groups": groups,
            "numbers": [(label, weights[key]) for key, label in NUMBER_SETTINGS.items()],
            "thresholds": [
                {**t, "comparison_words": COMPARISONS[t["comparison"]]}
                for t in weights["thresholds"]
            ],
            "versions": list(RiskConfiguration.objects.select_related("created_by")),
            "can_edit": is_editor(request.user),
            "crumbs": crumbs(("oversight:risk_index", "Risk ranking")),
        },
    )


@oversight_view
@require_http_methods(["GET", "POST"])
def risk_config_edit(request):
    """Change the weights: saved as a new version (inspectorate editors)."""
    require_editor(request)
    current = current_risk_configuration()
    form = RiskConfigForm(
        request.POST if request.method == "POST" else None,
        initial=RiskConfigForm.initial_for(validate_weights(current.weights)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            configuration = revise_risk_configuration(
                weights=form.weights(), reason=form.cleaned_data["reason"], actor=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc, risk_error_map())
        else:
            messages.success(request, f"{configuration} is now in use")
            return redirect("oversight:risk_config")
    return render(request, "oversight/risk/config_form.html", {"form": form, "current": current})


# --- Planning ---------------------------------------------------------------------------------


@oversight_view
def plans(request):
    """Every tranche plan, newest first."""
    require_inspectorate(request)
    rows = (
        TranchePlan.objects.select_related("tranche", "framework", "created_by")
        .prefetch_related("forces__force")
        .all()
    )
    return render(
        request,
        "oversight/planning/list.html",
        {"plans": rows, "can_edit": is_editor(request.user), "crumbs": []},
    )


@oversight_view
def plan_start(request):
    """Choose the tranche and framework of a new plan (inspectorate editors)."""
    require_editor(request)
    tranches = list(Tranche.objects.order_by("-year", "-number"))
    frameworks = frameworks_for_choice()
    bound = "tranche" in request.GET
    form = PlanStartForm(request.GET if bound else None, tranches=tranches, frameworks=frameworks)
    if bound and form.is_valid():
        return redirect(
            "oversight:plan_create",
            tranche_pk=form.cleaned_data["tranche"],
            framework_slug=form.cleaned_data["framework"],
        )
    return render(
        request,
        "oversight/planning/start.html",
        {"form": form, "has_tranches": bool(tranches)},
    )


def _tranche_or_404(pk) -> Tranche:
    try:
        return Tranche.objects.get(pk=pk)
    except (Tranche.DoesNotExist, ValueError, TypeError):
        raise Http404("No such tranche") from None


@oversight_view
@require_http_methods(["GET", "POST"])
def plan_create(request, tranche_pk, framework_slug):
    """Choose forces and core areas, review the model's ranking per force, record the plan."""
    require_editor(request)
    tranche = _tranche_or_404(tranche_pk)
    framework, _ = get_framework(request.user, framework_slug)
    areas = list(framework.question_areas.order_by("order", "pk"))
    forces = list(Organisation.objects.forces().order_by("name"))
    data = request.POST if request.method == "POST" else request.GET
    bound = "forces" in data or request.method == "POST" or "review" in data
    choice = PlanChoiceForm(data if bound else None, forces=forces, areas=areas)
    context = {
        "tranche": tranche,
        "framework": framework,
        "choice": choice,
        "form": choice,
    }
    if not (bound and choice.is_valid()):
        return render(request, "oversight/planning/choose.html", context)

    chosen_forces = [choice.force_objects[pk] for pk in choice.cleaned_data["forces"]]
    core_ids = set(choice.cleaned_data["core_areas"])
    extra = choice.cleaned_data["extra_area_count"]
    today = timezone.localdate()
    configuration = current_risk_configuration()
    rankings = {
        f.pk: score_force(f, framework, today=today, configuration=configuration).areas
        for f in chosen_forces
    }
    review = PlanReviewForm(
        request.POST if request.method == "POST" else None,
        forces=chosen_forces,
        rankings=rankings,
        core_ids=core_ids,
        extra=extra,
    )
    if request.method == "POST" and review.is_valid():
        try:
            plan = create_tranche_plan(
                tranche=tranche,
                framework=framework,
                forces=chosen_forces,
                core_areas=[choice.area_objects[pk] for pk in sorted(core_ids)],
                extra_area_count=extra,
                selections=review.selections(),
                reasons=review.reasons(),
                note=review.cleaned_data["note"],
                today=today,
                actor=request.user,
            )
        except ValidationError as exc:
            # Errors about the forces, core areas or tranche have no field on this form, so
            # they go to the top of the error summary.
            add_service_errors(review, exc)
        else:
            messages.success(
                request,
                f"The plan for {tranche} is recorded: {len(chosen_forces)} planned "
                f"inspection{'s' if len(chosen_forces) != 1 else ''}",
            )
            return redirect(plan)
    sections = []
    for force in chosen_forces:
        bound_field = review[f"areas_{force.pk}"]
        options = {int(w.data["value"]): w for w in bound_field.subwidgets}
        picked = model_choice(rankings[force.pk], core_ids, extra)
        sections.append(
            {
                "force": force,
                "rows": [
                    {
                        "area": area,
                        "core": area.pk in core_ids,
                        "picked": area.pk in picked,
                        "option": options.get(area.pk),
                    }
                    for area in rankings[force.pk]
                ],
                "field": bound_field,
                "reason": review[f"reason_{force.pk}"],
            }
        )
    context.update(
        {
            "form": review,
            "review": review,
            "sections": sections,
            "core_names": [a.name for a in areas if a.pk in core_ids],
            "extra": extra,
            "configuration": configuration,
            "today": today,
            "back_url": reverse("oversight:plan_create", args=[tranche.pk, framework.slug])
            + "?"
            + request.GET.urlencode()
            if request.method == "GET"
            else "",
        }
    )
    return render(request, "oversight/planning/review.html", context)


@oversight_view
def plan_detail(request, pk):
    """A recorded plan: per force, the areas chosen and why, and the planned inspection."""
    plan = get_plan_for_inspectorate(request, pk)
    planned = list(
        PlannedForce.objects.filter(plan=plan)
        .select_related("force", "inspection")
        .prefetch_related(_planned_areas())
    )
    return render(
        request,
        "oversight/planning/detail.html",
        {
            "plan": plan,
            "planned": planned,
            "core_areas": list(plan.core_areas.order_by("order")),
            "crumbs": crumbs(("oversight:plans", "Tranche plans")),
            "AreaChoice": AreaChoice,
        },
    )


def _planned_areas():
    return Prefetch(
        "areas",
        queryset=PlannedArea.objects.select_related("question_area").order_by("rank"),
    )
