"""The one way progress pages fetch responses and the records hanging off them.

Each helper returns the record with what the reader may do with it, or raises Http404 when the
reader may not see it. Progress is never public: the public gets 404 here (and the views send
anonymous readers to sign in first).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.http import Http404

from recreg.accounts.roles import Capabilities, capabilities_for
from recreg.core.sql import Constant
from recreg.findings.access import get_response_for_user, visible_responses
from recreg.findings.models import Response
from recreg.organisations.models import Organisation, OrganisationKind
from recreg.progress.models import ClosureProposal, Evidence, ProgressUpdate, WordingChallenge


def inspectorate_signs_off(response: Response) -> bool:
    """Whether closing this response is the police inspectorate's decision: a force's response
    to a finding from an inspection the police inspectorate led."""
    return (
        response.organisation.kind == OrganisationKind.FORCE
        and response.finding.inspection.lead_inspectorate.slug == settings.POLICE_INSPECTORATE_SLUG
    )


def inspectorate_signs_off_q(prefix: str = "") -> Q:
    """inspectorate_signs_off as a query condition (prefix reaches the response)."""
    return Q(
        **{
            f"{prefix}organisation__kind": Constant(OrganisationKind.FORCE),
            f"{prefix}finding__lead_inspectorate__slug": Constant(
                settings.POLICE_INSPECTORATE_SLUG
            ),
        }
    )


def sign_off_q(caps: Capabilities, prefix: str = "") -> Q:
    """The responses whose closure this reader decides (prefix reaches the response)."""
    q = Q(pk__in=[])
    if caps.edits_register:
        q |= inspectorate_signs_off_q(prefix)
    if caps.edits_responses:
        q |= ~inspectorate_signs_off_q(prefix) & Q(
            **{f"{prefix}organisation_id__in": caps.organisation_ids}
        )
    return q


@dataclass(frozen=True)
class ProgressAccess:
    """What a reader who sees a response's progress may do with it, by role alone. Whether the
    response's state allows each step right now is the services' question."""

    edits: bool  # an editor of the response's organisation
    signs_off: bool  # decides proposals to close it
    decides_register: bool  # an inspectorate editor: decides challenges and discharges

    @property
    def acts(self) -> bool:
        return self.edits or self.signs_off or self.decides_register


def _progress_access(caps: Capabilities, response: Response) -> ProgressAccess:
    edits = bool(caps.edits_responses and response.organisation_id in caps.organisation_ids)
    signs_off = caps.edits_register if inspectorate_signs_off(response) else edits
    return ProgressAccess(
        edits=edits, signs_off=bool(signs_off), decides_register=caps.edits_register
    )


def get_progress_for_user(user, pk) -> tuple[Response, ProgressAccess]:
    """A response whose progress this reader may see, with what they may do; otherwise 404."""
    response, access = get_response_for_user(user, pk)
    if not access.sees_progress:
        raise Http404("No such response")
    return response, _progress_access(capabilities_for(user), response)


def access_to(user, response: Response) -> ProgressAccess:
    """What this reader may do with a response already fetched through an access helper."""
    return _progress_access(capabilities_for(user), response)


def _get_child(user, queryset, pk, what: str):
    caps = capabilities_for(user)
    if caps.is_public:
        raise Http404(f"No such {what}")
    try:
        obj = (
            queryset.filter(response__in=visible_responses(user))
            .select_related(
                "response",
                "response__finding",
                "response__finding__inspection",
                "response__finding__inspection__lead_inspectorate",
                "response__organisation",
            )
            .get(pk=pk)
        )
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"No such {what}") from None
    return obj, _progress_access(caps, obj.response)


def get_evidence_for_user(user, pk) -> tuple[Evidence, ProgressAccess]:
    """Evidence whose response this reader may see in full; otherwise 404."""
    return _get_child(user, Evidence.objects.all(), pk, "evidence")


def get_update_for_user(user, pk) -> tuple[ProgressUpdate, ProgressAccess]:
    """A progress update whose response this reader may see in full; otherwise 404."""
    return _get_child(user, ProgressUpdate.objects.all(), pk, "update")


def get_proposal_for_user(user, pk) -> tuple[ClosureProposal, ProgressAccess]:
    """A closure proposal whose response this reader may see in full; otherwise 404."""
    return _get_child(user, ClosureProposal.objects.all(), pk, "closure proposal")


def get_challenge_for_user(user, pk) -> tuple[WordingChallenge, ProgressAccess]:
    """A wording challenge whose response this reader may see in full; otherwise 404."""
    return _get_child(user, WordingChallenge.objects.all(), pk, "challenge")


@dataclass(frozen=True)
class OrganisationAccess:
    sees_progress: bool
    edits: bool  # an editor of this organisation: keeps its boards, reassigns its work


def get_organisation_for_user(user, slug: str) -> tuple[Organisation, OrganisationAccess]:
    """An organisation whose progress this reader may see (its own people, its PCC, the
    inspectorate and national readers), with what they may do; otherwise 404."""
    caps = capabilities_for(user)
    try:
        org = Organisation.objects.select_related("region").get(
            slug=slug, kind__in=[OrganisationKind.FORCE, OrganisationKind.NATIONAL_BODY]
        )
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Http404("No such organisation") from None
    sees = not caps.is_public and (caps.sees_whole_register or org.pk in caps.organisation_ids)
    if not sees:
        raise Http404("No such organisation")
    return org, OrganisationAccess(
        sees_progress=True, edits=bool(caps.edits_responses and org.pk in caps.organisation_ids)
    )
