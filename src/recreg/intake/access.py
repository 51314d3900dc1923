"""Who may bring findings in, and the one way views fetch import batches."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404

from recreg.accounts.roles import Role, capabilities_for
from recreg.intake.models import ImportBatch
from recreg.organisations.models import OrganisationKind


def own_force(user):
    """The force whose tracking a force editor or PCC officer keeps, or None."""
    organisation = getattr(user, "organisation", None)
    if organisation is None:
        return None
    if organisation.kind == OrganisationKind.FORCE:
        return organisation
    if organisation.kind == OrganisationKind.PCC_OFFICE:
        return organisation.force
    return None


def keeps_own_tracking(user) -> bool:
    """Force editors and PCC officers may bring in findings of inspections the police
    inspectorate's register leaves out, into their own tracking."""
    caps = capabilities_for(user)
    return (
        not caps.is_public
        and getattr(user, "role", None) in (Role.FORCE_EDITOR, Role.PCC_OFFICER)
        and own_force(user) is not None
    )


def led_by_police_inspectorate(inspection) -> bool:
    """Whether the police inspectorate led this inspection (and so keeps its findings)."""
    return inspection.lead_inspectorate.slug == settings.POLICE_INSPECTORATE_SLUG


def can_upload(user, inspection) -> bool:
    """Whether this user may upload a report for this inspection and review its findings."""
    caps = capabilities_for(user)
    if caps.edits_register:
        return True
    if not keeps_own_tracking(user) or led_by_police_inspectorate(inspection):
        return False
    force = own_force(user)
    return inspection.forces_in_scope.filter(pk=force.pk).exists() or inspection.kind == "joint"


def can_bulk_import(user) -> bool:
    """Bulk import of inspections, findings and grades is for inspectorate editors; force
    editors may import their own responses."""
    caps = capabilities_for(user)
    return caps.edits_register or caps.edits_responses


def can_import(user, kind: str) -> bool:
    """Whether this user may bulk import this kind of row: responses are for any editor (of
    their own organisation's responses); inspections, findings and grades for inspectorate
    editors."""
    caps = capabilities_for(user)
    if kind == "responses":
        return bool(caps.edits_register or caps.edits_responses)
    return bool(caps.edits_register)


def visible_batches(user):
    """Every import batch this user may see: the inspectorate sees all; others see their own
    organisation's."""
    caps = capabilities_for(user)
    qs = ImportBatch.objects.select_related("inspection", "organisation", "created_by")
    if caps.is_public:
        return qs.none()
    if caps.sees_drafts:
        return qs
    return qs.filter(organisation_id__in=caps.organisation_ids)


def get_batch_for_user(user, pk) -> tuple[ImportBatch, bool]:
    """The batch, if this user may see it, and whether they may change it; otherwise 404."""
    try:
        batch = visible_batches(user).get(pk=pk)
    except (ImportBatch.DoesNotExist, ValueError, TypeError):
        raise Http404("No such import") from None
    caps = capabilities_for(user)
    if caps.edits_register:
        can_change = True
    else:
        can_change = keeps_own_tracking(user) and batch.organisation_id in caps.organisation_ids
    return batch, can_change
