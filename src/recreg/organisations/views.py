"""The forces pages: every force by region, and one force's findings and inspections."""

from __future__ import annotations

from itertools import groupby

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, F
from django.shortcuts import render

from recreg.findings.access import visible_findings, visible_responses
from recreg.findings.models import ResponseState
from recreg.inspections.access import visible_inspections
from recreg.organisations.access import get_force_for_user
from recreg.organisations.models import Organisation, OrganisationKind

RECENT_INSPECTIONS = 20


def force_list(request):
    """Every force, grouped by region, with how many findings the reader may see for each, in
    a fixed number of queries."""
    forces = (
        Organisation.objects.forces()
        .select_related("region")
        .order_by(F("region__name").asc(nulls_last=True), "name")
    )
    counts = dict(
        visible_findings(request.user)
        .order_by()
        .values_list("responses__organisation_id")
        .annotate(n=Count("pk", distinct=True))
    )
    regions = []
    for region, members in groupby(forces, key=lambda f: f.region):
        rows = [(force, counts.get(force.pk, 0)) for force in members]
        regions.append((region.name if region else "National and other forces", rows))
    return render(request, "organisations/force_list.html", {"regions": regions})


def force_detail(request, slug):
    """One force: its progress by state, its inspections, and its PCC's office."""
    force, access = get_force_for_user(request.user, slug)
    # A reader who does not see the force's own progress sees its public progress, as anyone
    # may; the access helper's public view says which that is.
    reader = request.user if access.sees_internal else AnonymousUser()
    responses = visible_responses(reader).filter(organisation=force)
    by_state = dict(responses.order_by().values_list("state").annotate(n=Count("pk")))
    states = [(state, by_state.get(state, 0)) for state in ResponseState]
    inspections = (
        visible_inspections(request.user)
        .filter(forces_in_scope=force)
        .select_related("lead_inspectorate")
        .order_by(F("published_on").desc(nulls_first=True), "title")
    )
    return render(
        request,
        "organisations/force_detail.html",
        {
            "force": force,
            "access": access,
            "states": states,
            "total_responses": sum(by_state.values()),
            # Overdue is measured against target dates, which only the force's own readers see.
            "overdue": responses.overdue().count() if access.sees_internal else 0,
            "finding_count": visible_findings(request.user).addressed_to([force.pk]).count(),
            "inspections": list(inspections[:RECENT_INSPECTIONS]),
            "inspection_count": inspections.count(),
            "pcc_offices": list(force.oversight_bodies.filter(kind=OrganisationKind.PCC_OFFICE)),
        },
    )
