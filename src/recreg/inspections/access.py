"""The one way views and the API fetch inspections."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from recreg.accounts.roles import capabilities_for
from recreg.core.rules import ComposedPerReader
from recreg.core.sql import Constant
from recreg.findings.access import visible_findings
from recreg.inspections.models import Inspection, InspectionState


@ComposedPerReader
def visible_inspections(caps):
    """Every inspection this reader may see."""
    qs = Inspection.objects.all()
    public = Q(
        state=Constant(InspectionState.PUBLISHED),
        lead_inspectorate__slug=Constant(settings.POLICE_INSPECTORATE_SLUG),
    )
    if caps.is_public:
        return qs.filter(public)
    if caps.sees_whole_register:
        return qs
    in_scope = Exists(
        Inspection.forces_in_scope.through.objects.filter(
            inspection_id=OuterRef("pk"), organisation_id__in=caps.organisation_ids
        )
    )
    has_findings = Exists(visible_findings.build(caps).filter(inspection_id=OuterRef("pk")))
    return qs.filter(public | in_scope | has_findings)


@dataclass(frozen=True)
class InspectionAccess:
    can_edit: bool
    sees_history: bool


def get_inspection_for_user(user, pk) -> tuple[Inspection, InspectionAccess]:
    """The inspection, if this reader may see it, with what they may do; otherwise 404."""
    try:
        inspection = (
            visible_inspections(user).select_related("programme", "lead_inspectorate").get(pk=pk)
        )
    except (Inspection.DoesNotExist, ValueError, TypeError):
        raise Http404("No such inspection") from None
    caps = capabilities_for(user)
    return inspection, InspectionAccess(
        can_edit=bool(caps and caps.edits_register),
        sees_history=bool(caps and not caps.is_public),
    )
