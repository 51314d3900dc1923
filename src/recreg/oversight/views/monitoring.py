"""Monitoring pages: rounds, decisions, the public Engage list and a force's history."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from recreg.audit.history import history_of
from recreg.core.forms import add_service_errors
from recreg.findings.access import visible_findings
from recreg.findings.models import CONCERN_KINDS, FindingState
from recreg.organisations.models import Organisation
from recreg.oversight.access import (
    get_decision_for_user,
    get_force_for_monitoring,
    get_round_for_user,
    is_editor,
    require_editor,
    sees_private,
)
from recreg.oversight.engage import engage_periods, engage_summary
from recreg.oversight.forms import DecisionForm, RoundForm
from recreg.oversight.models import MonitoringDecision, MonitoringRound, MonitoringStage
from recreg.oversight.services import (
    create_monitoring_round,
    record_monitoring_decision,
    update_monitoring_decision,
)
from recreg.oversight.views.common import crumbs, oversight_view


def rounds(request):
    """Every monitoring round, newest first, with how many forces each put in Engage."""
    rows = (
        MonitoringRound.objects.select_related("tranche")
        .annotate(
            decided=Count("decisions"),
            engaged=Count("decisions", filter=Q(decisions__stage=MonitoringStage.ENGAGE)),
        )
        .order_by("-tranche__year", "-tranche__number")
    )
    return render(
        request,
        "oversight/monitoring/rounds.html",
        {
            "rounds": rows,
            "can_edit": is_editor(request.user),
            "crumbs": [],
        },
    )


@oversight_view
@require_http_methods(["GET", "POST"])
def round_create(request):
    """Add the monitoring round of a tranche (inspectorate editors)."""
    require_editor(request)
    form = RoundForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            monitoring_round = create_monitoring_round(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{monitoring_round} has been added")
            return redirect(monitoring_round)
    return render(request, "oversight/monitoring/round_form.html", {"form": form})


def round_detail(request, pk):
    """One round: each force's decision, and the forces still to decide about."""
    monitoring_round, access = get_round_for_user(request.user, pk)
    decisions = {
        d.force_id: d
        for d in monitoring_round.decisions.select_related("force").order_by("force__name")
    }
    forces = Organisation.objects.territorial_forces().order_by("name")
    rows = [(force, decisions.pop(force.pk, None)) for force in forces]
    # Decisions about forces that are not territorial (e.g. a national force) still show.
    rows += [(d.force, d) for d in decisions.values()]
    return render(
        request,
        "oversight/monitoring/round.html",
        {
            "round": monitoring_round,
            "access": access,
            "rows": rows,
            "engaged": sum(1 for _, d in rows if d and d.stage == MonitoringStage.ENGAGE),
            "history": history_of(monitoring_round) if access.sees_history else [],
            "crumbs": crumbs(("oversight:monitoring", "Monitoring")),
        },
    )


def _concerns_for(user, force):
    return list(
        visible_findings(user)
        .filter(kind__in=CONCERN_KINDS, responses__organisation=force)
        .exclude(state=FindingState.DRAFT)
        .select_related("inspection")
        .order_by("-inspection__published_on", "sequence")
        .distinct()
    )


@oversight_view
@require_http_methods(["GET", "POST"])
def decision_create(request, pk, slug):
    """Record a force's decision in a round (inspectorate editors)."""
    require_editor(request)
    monitoring_round, _ = get_round_for_user(request.user, pk)
    force = get_force_for_monitoring(request.user, slug)
    existing = MonitoringDecision.objects.filter(round=monitoring_round, force=force).first()
    if existing is not None:
        return redirect("oversight:decision_edit", pk=existing.pk)
    form = DecisionForm(
        request.POST if request.method == "POST" else None,
        initial={"decided_by": request.user.full_name, "decided_on": monitoring_round.meets_on},
        concerns=_concerns_for(request.user, force),
    )
    if request.method == "POST" and form.is_valid():
        try:
            decision = record_monitoring_decision(
                monitoring_round, force, actor=request.user, **form.service_data()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"{force.name}: {decision.status} recorded for {monitoring_round.tranche}"
            )
            return redirect(monitoring_round)
    return render(
        request,
        "oversight/monitoring/decision_form.html",
        {"form": form, "round": monitoring_round, "force": force, "decision": None},
    )


@oversight_view
@require_http_methods(["GET", "POST"])
def decision_edit(request, pk):
    """Correct a recorded decision (inspectorate editors)."""
    require_editor(request)
    decision, _ = get_decision_for_user(request.user, pk)
    form = DecisionForm(
        request.POST if request.method == "POST" else None,
        initial={
            "status": decision.status,
            "stage": decision.stage,
            "reasons": decision.reasons,
            "decided_by": decision.decided_by,
            "decided_on": decision.decided_on,
            "causes_of_concern": list(decision.causes_of_concern.values_list("pk", flat=True)),
        },
        concerns=_concerns_for(request.user, decision.force),
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_monitoring_decision(decision, actor=request.user, **form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"The decision about {decision.force.name} has been changed")
            return redirect("oversight:decision_detail", pk=decision.pk)
    return render(
        request,
        "oversight/monitoring/decision_form.html",
        {"form": form, "round": decision.round, "force": decision.force, "decision": decision},
    )


def decision_detail(request, pk):
    """One decision: status, reasons, the causes of concern it rests on, who and when."""
    decision, access = get_decision_for_user(request.user, pk)
    return render(
        request,
        "oversight/monitoring/decision.html",
        {
            "decision": decision,
            "access": access,
            "concerns": list(
                visible_findings(request.user)
                .filter(monitoring_decisions=decision)
                .select_related("inspection")
            ),
            "history": history_of(decision) if access.sees_history else [],
            "crumbs": crumbs(
                ("oversight:monitoring", "Monitoring"),
                (("oversight:round_detail", [decision.round_id]), str(decision.round.tranche)),
            ),
        },
    )


def engage(request):
    """The public list: forces in Engage now (since when, why) and those that left."""
    current, left = engage_summary()
    return render(
        request,
        "oversight/monitoring/engage.html",
        {
            "current": current,
            "left": left,
            "crumbs": crumbs(("oversight:monitoring", "Monitoring")),
        },
    )


def force_history(request, slug):
    """A force's monitoring decisions, newest first, with its spells in Engage."""
    force = get_force_for_monitoring(request.user, slug)
    if force is None:
        raise Http404
    concerns = visible_findings(request.user).select_related("inspection")
    decisions = list(
        MonitoringDecision.objects.filter(force=force)
        .select_related("round__tranche")
        .prefetch_related(
            Prefetch("causes_of_concern", queryset=concerns, to_attr="visible_concerns")
        )
        .order_by("-round__tranche__year", "-round__tranche__number", "-decided_on")
    )
    periods = engage_periods(MonitoringDecision.objects.filter(force=force))
    return render(
        request,
        "oversight/monitoring/force.html",
        {
            "force": force,
            "decisions": decisions,
            "periods": list(reversed(periods)),
            "current": decisions[0] if decisions else None,
            "private": sees_private(request.user, force),
            "crumbs": crumbs(("oversight:monitoring", "Monitoring")),
        },
    )
