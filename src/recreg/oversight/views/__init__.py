"""The oversight pages. Views stay thin: access helpers fetch, services change."""

from __future__ import annotations

from django.shortcuts import render

from recreg.accounts.roles import capabilities_for
from recreg.organisations.models import OrganisationKind


def index(request):
    """The way in: public pages for everyone, working pages for the inspectorate and forces."""
    caps = capabilities_for(request.user)
    organisation = getattr(request.user, "organisation", None)
    own_force = (
        organisation
        if organisation is not None and organisation.kind == OrganisationKind.FORCE
        else None
    )
    return render(
        request,
        "oversight/index.html",
        {"inspectorate": caps.sees_drafts, "own_force": own_force, "can_edit": caps.edits_register},
    )
