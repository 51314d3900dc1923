"""The one way views and the API fetch findings and responses: each helper applies the reader's
access rules and says what the reader may do with the record."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from recreg.accounts.roles import capabilities_for
from recreg.findings.models import (
    Finding,
    FindingQuerySet,
    FindingState,
    Response,
    public_register_q,
)
from recreg.organisations.models import OrganisationKind


def visible_findings(user) -> FindingQuerySet:
    """Every finding this reader may see."""
    caps = capabilities_for(user)
    qs = Finding.objects.all()
    if caps.is_public:
        return qs.filter(public_register_q())
    if caps.sees_drafts:
        return qs
    if caps.sees_whole_register:
        return qs.exclude(state=FindingState.DRAFT)
    # A list of ids rather than a correlated EXISTS: both engines look the findings up by
    # primary key from the organisation's responses instead of testing every finding.
    own = Q(
        pk__in=Response.objects.filter(organisation_id__in=caps.organisation_ids).values(
            "finding_id"
        )
    )
    return qs.filter(public_register_q() | (own & ~Q(state=FindingState.DRAFT)))


def _not_draft() -> Q:
    """Responses whose finding is not a draft, without joining every response to its finding:
    drafts are few, so their ids make a short list each engine checks by lookup."""
    return ~Q(finding_id__in=Finding.objects.filter(state=FindingState.DRAFT).values("pk"))


def visible_responses(user):
    """Every response this reader may see in full (the public: only public responses' state)."""
    caps = capabilities_for(user)
    qs = Response.objects.all()
    if caps.is_public:
        return qs.public()
    if caps.sees_drafts:
        return qs
    if caps.sees_whole_register:
        return qs.filter(_not_draft())
    return qs.filter(_not_draft(), organisation_id__in=caps.organisation_ids)


def visible_response_states(user):
    """Responses whose state (and only that) this reader may see: those seen in full, plus the
    public register's, which everyone may see."""
    caps = capabilities_for(user)
    if caps.is_public or caps.sees_whole_register:
        return visible_responses(user)
    # One condition per row rather than "id in (every public response)": PostgreSQL would
    # otherwise gather the public register's 400,000 responses for each page at national size.
    return Response.objects.filter(
        (Q(organisation_id__in=caps.organisation_ids) & _not_draft())
        | (public_register_q("finding__") & Q(organisation__kind=OrganisationKind.FORCE))
    )


@dataclass(frozen=True)
class FindingAccess:
    can_edit: bool
    can_delete: bool
    sees_history: bool


def get_finding_for_user(user, pk) -> tuple[Finding, FindingAccess]:
    """The finding, if this reader may see it, with what they may do; otherwise 404."""
    try:
        finding = (
            visible_findings(user)
            .select_related(
                "inspection",
                "inspection__lead_inspectorate",
                "question_area",
                "question_area__framework",
                "parent",
            )
            .get(pk=pk)
        )
    except (Finding.DoesNotExist, ValueError, TypeError):
        raise Http404("No such finding") from None
    caps = capabilities_for(user)
    editor = bool(caps and caps.edits_register)
    return finding, FindingAccess(
        can_edit=editor,
        can_delete=editor and finding.state == FindingState.DRAFT,
        sees_history=bool(caps and not caps.is_public),
    )


@dataclass(frozen=True)
class ResponseAccess:
    sees_progress: bool
    can_edit: bool


def get_response_for_user(user, pk) -> tuple[Response, ResponseAccess]:
    """The response, if this reader may see it, with what they may do; otherwise 404."""
    try:
        response = (
            visible_responses(user)
            .select_related(
                "finding",
                "finding__inspection",
                "organisation",
                "owner",
                "tactical_lead",
                "governance_board",
            )
            .get(pk=pk)
        )
    except (Response.DoesNotExist, ValueError, TypeError):
        raise Http404("No such response") from None
    caps = capabilities_for(user)
    sees = bool(caps and not caps.is_public)
    return response, ResponseAccess(
        sees_progress=sees,
        can_edit=bool(
            caps and caps.edits_responses and response.organisation_id in caps.organisation_ids
        ),
    )
