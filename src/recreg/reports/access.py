"""The one way the reports pages fetch records: each helper applies the reader's access rules
and says what the reader may do.

- A committee paper may be made for a force or a PCC office by anyone who may see that force's
  progress on the pages (its own people, its PCC office, the inspectorate and national
  readers). The paper is built with the requester's own access, and only they may download it;
  to anyone else it does not exist (404).
- An organisation's paper template is changed by its own editors (a force's force editors, a PCC
  office's officers). Others who may make its papers are refused (403); the rest get 404.
- PCC responses are the PCC office's: its officers draft, edit and publish them; the
  inspectorate and national readers may read them; anyone else gets 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from recreg.accounts.roles import Role, capabilities_for
from recreg.organisations.models import Organisation, OrganisationKind
from recreg.reports.models import CommitteePaper, PccResponse

PAPER_KINDS = (OrganisationKind.FORCE, OrganisationKind.PCC_OFFICE)


def subject_force(organisation: Organisation) -> Organisation | None:
    """The force a paper for this organisation is about: itself, or the force a PCC office
    holds to account."""
    if organisation.kind == OrganisationKind.FORCE:
        return organisation
    if organisation.kind == OrganisationKind.PCC_OFFICE:
        return organisation.force
    return None


def paper_organisations(user):
    """The forces and PCC offices this reader may make committee papers for."""
    caps = capabilities_for(user)
    qs = Organisation.objects.filter(kind__in=PAPER_KINDS).select_related("force")
    if caps.is_public:
        return qs.none()
    if caps.sees_whole_register:
        return qs
    # Their own organisation; a PCC officer's include the force the office holds to account.
    return qs.filter(pk__in=caps.organisation_ids)


def may_make_paper(user, organisation: Organisation) -> bool:
    """Whether this reader may make a paper for the organisation (see paper_organisations)."""
    return paper_organisations(user).filter(pk=organisation.pk).exists()


def may_read_force_progress(user, force: Organisation) -> bool:
    """Whether this reader sees the force's progress on the pages."""
    caps = capabilities_for(user)
    return not caps.is_public and (caps.sees_whole_register or force.pk in caps.organisation_ids)


def visible_papers(user):
    """The committee papers this reader asked for (nobody else's)."""
    caps = capabilities_for(user)
    if caps.is_public:
        return CommitteePaper.objects.none()
    return CommitteePaper.objects.filter(requested_by_id=caps.user_id)


def get_paper_for_user(user, pk) -> CommitteePaper:
    """A paper this reader asked for; otherwise 404."""
    try:
        return visible_papers(user).select_related("organisation").get(pk=pk)
    except (CommitteePaper.DoesNotExist, ValueError, TypeError):
        raise Http404("No such paper") from None


@dataclass(frozen=True)
class TemplateAccess:
    can_edit: bool


def edits_template(user, organisation: Organisation) -> bool:
    """Whether this reader changes the organisation's paper template: its own editors."""
    caps = capabilities_for(user)
    if caps.is_public or getattr(user, "organisation_id", None) != organisation.pk:
        return False
    if organisation.kind == OrganisationKind.FORCE:
        return caps.edits_responses
    return organisation.kind == OrganisationKind.PCC_OFFICE and user.role == Role.PCC_OFFICER


def get_template_organisation_for_user(user, slug: str) -> tuple[Organisation, TemplateAccess]:
    """An organisation whose paper template this reader may see (those who may make its
    papers), with whether they may change it; otherwise 404."""
    try:
        organisation = paper_organisations(user).get(slug=slug)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Http404("No such organisation") from None
    return organisation, TemplateAccess(can_edit=edits_template(user, organisation))


# --- PCC responses ----------------------------------------------------------------------------


def pcc_office_of(user) -> Organisation | None:
    """The PCC office this reader is an officer of, if any."""
    caps = capabilities_for(user)
    org = getattr(user, "organisation", None)
    if caps.is_public or org is None or user.role != Role.PCC_OFFICER:
        return None
    if org.kind != OrganisationKind.PCC_OFFICE or org.force_id is None:
        return None
    return org


def visible_pcc_responses(user):
    """PCC responses this reader may read: their own office's, or all for whole-register
    readers."""
    caps = capabilities_for(user)
    qs = PccResponse.objects.all()
    if caps.is_public:
        return qs.none()
    if caps.sees_whole_register:
        return qs
    office = pcc_office_of(user)
    return qs.filter(pcc_office=office) if office else qs.none()


@dataclass(frozen=True)
class PccResponseAccess:
    can_edit: bool


def get_pcc_response_for_user(user, pk) -> tuple[PccResponse, PccResponseAccess]:
    """A PCC response this reader may read, with whether they may change it; otherwise 404."""
    try:
        response = (
            visible_pcc_responses(user)
            .select_related("inspection", "pcc_office", "force", "created_by")
            .get(pk=pk)
        )
    except (PccResponse.DoesNotExist, ValueError, TypeError):
        raise Http404("No such response") from None
    office = pcc_office_of(user)
    return response, PccResponseAccess(
        can_edit=office is not None and office.pk == response.pcc_office_id
    )
