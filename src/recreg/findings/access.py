"""The one way views and the API fetch findings and responses: each helper applies the reader's
access rules and says what the reader may do with the record."""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import CharField, Exists, F, Func, OuterRef, Q, Subquery
from django.db.models.lookups import Exact, In, IsNull
from django.http import Http404

from recreg.accounts.roles import capabilities_for
from recreg.core.rules import ComposedPerReader, reader_key
from recreg.core.sql import Constant
from recreg.core.statements import CompiledRecords, CompiledRows, KeptStatements
from recreg.findings.models import (
    AddresseeScope,
    Finding,
    FindingQuerySet,
    FindingState,
    Response,
    in_public_register,
    public_register_q,
)
from recreg.organisations.models import OrganisationKind


@ComposedPerReader
def visible_findings(caps) -> FindingQuerySet:
    """Every finding this reader may see."""
    qs = Finding.objects.all()
    if caps.is_public:
        return qs.filter(_public_q())
    if caps.sees_drafts:
        return qs
    if caps.sees_whole_register:
        return qs.exclude(state=Constant(FindingState.DRAFT))
    own = _own_findings(caps)
    return qs.filter(public_register_q() | (own & ~Q(state=Constant(FindingState.DRAFT))))


def _own_findings(caps) -> Exists | IsNull:
    """Findings addressed to one of the reader's organisations.

    As a list of ids, each engine gathers the organisation's ~11,000 response rows before it
    looks at a single finding: SQLite rebuilds the list for every statement (15-20 ms per
    count and per page at national size), and PostgreSQL hashes it (4-5 ms a statement).
    PostgreSQL makes the same hash of an EXISTS under the rule's OR. Asked row by row on the
    (finding, organisation) unique index, only the rows the public rule did not already admit
    are probed, so a page stops after its rows: SQLite does that for a correlated EXISTS, and
    PostgreSQL for a scalar subquery, which it never turns into a hash (its page of the
    register went from 5 ms to under 1).
    """
    own_responses = Response.objects.filter(
        finding=OuterRef("pk"), organisation_id__in=caps.organisation_ids
    )
    if connection.vendor == "sqlite":
        return Exists(own_responses)
    return IsNull(Subquery(own_responses.order_by().values("pk")[:1]), False)


def _public_q() -> Q:
    """The public register rule for a list the public reads, ordered by the inspections' index.

    On SQLite the rule's equalities on the finding's state and scope lead the planner to read
    every public finding through the (state, scope, inspection) index and sort 90,000 of
    them for one page (70 ms); with those two columns compared as `+column` (SQLite's way of
    saying "not through an index"), it walks the inspections newest first and stops after a
    page (under 1 ms). The rows are the same.
    """
    if connection.vendor != "sqlite":
        return public_register_q()
    return Q(
        NoIndex("state", FindingState.PUBLISHED),
        NoIndexIn("addressee_scope", [AddresseeScope.FORCES, AddresseeScope.ALL_FORCES]),
        lead_inspectorate__slug=settings.POLICE_INSPECTORATE_SLUG,
    )


def _not_draft() -> Q:
    """Responses whose finding is not a draft, without joining every response to its finding:
    drafts are few, so their ids make a short list each engine checks by lookup."""
    drafts = Finding.objects.filter(state=Constant(FindingState.DRAFT))
    return ~Q(finding_id__in=drafts.values("pk"))


@ComposedPerReader
def visible_responses(caps):
    """Every response this reader may see in full (the public: only public responses' state)."""
    qs = Response.objects.all()
    if caps.is_public:
        return qs.public()
    if caps.sees_drafts:
        return qs
    if caps.sees_whole_register:
        return qs.filter(_not_draft())
    return qs.filter(_not_draft(), organisation_id__in=caps.organisation_ids)


@ComposedPerReader
def visible_response_states(caps):
    """Responses whose state (and only that) this reader may see: those seen in full, plus the
    public register's, which everyone may see."""
    if caps.is_public or caps.sees_whole_register:
        return visible_responses.build(caps)
    # One condition per row rather than "id in (every public response)": PostgreSQL would
    # otherwise gather the public register's 400,000 responses for each page at national size.
    return Response.objects.filter(
        (Q(organisation_id__in=caps.organisation_ids) & _not_draft())
        | (public_register_q("finding__") & Q(organisation__kind=Constant(OrganisationKind.FORCE)))
    )


def responses_on(user, finding: Finding):
    """visible_responses(user) of one finding the reader may see, settled from the finding's
    own state where the rule would test each response's finding in SQL."""
    caps = capabilities_for(user)
    responses = Response.objects.filter(finding=finding)
    if caps.is_public:
        return responses.of_forces() if in_public_register(finding) else responses.none()
    if caps.sees_drafts:
        return responses
    if finding.state == FindingState.DRAFT:
        return responses.none()
    if caps.sees_whole_register:
        return responses
    return responses.filter(organisation_id__in=caps.organisation_ids)


def response_states_on(user, finding: Finding):
    """visible_response_states(user) of one finding the reader may see, in the same way.

    On PostgreSQL a finding's page spent more time planning the whole rule (five tables and an
    OR) than reading its rows: the plan cache keeps no generic plan for it."""
    caps = capabilities_for(user)
    if caps.is_public or caps.sees_whole_register:
        return responses_on(user, finding)
    seen = []
    if finding.state != FindingState.DRAFT:
        seen.append(Q(organisation_id__in=caps.organisation_ids))
    if in_public_register(finding):
        seen.append(Q(organisation__kind=Constant(OrganisationKind.FORCE)))
    if not seen:
        return Response.objects.none()
    return Response.objects.filter(functools.reduce(operator.or_, seen), finding=finding)


def findings_of_seen_responses(responses) -> FindingQuerySet:
    """The findings of these responses, which must come from visible_responses or
    visible_response_states for the same reader.

    Every finding of a response whose state a reader may see is a finding that reader may see
    (tests/findings/test_access_rules.py holds each role's rules to that), so the finding's
    own rule is not asked again: on a filtered list it joined every candidate to its
    inspection and lead inspectorate and probed its responses, for rows already admitted.
    """
    return Finding.objects.filter(pk__in=responses.values("finding_id"))


def _unindexed(column: str) -> Func:
    # SQLite reads `+column` as the column's value with no index behind it.
    return Func(F(column), template="+%(expressions)s", output_field=CharField())


def NoIndex(column: str, value) -> Exact:  # noqa: N802 - reads as the condition it builds
    """`column = value`, never answered through an index of that column (SQLite only)."""
    return Exact(_unindexed(column), value)


def NoIndexIn(column: str, values: list) -> In:  # noqa: N802 - reads as the condition it builds
    """`column IN (values)`, never answered through an index of that column (SQLite only)."""
    return In(_unindexed(column), values)


@dataclass(frozen=True)
class FindingAccess:
    can_edit: bool
    can_delete: bool
    sees_history: bool


# What a finding's pages show of it, read with it; and the stand-in for its id in the kept
# statement (negative: never an id).
FINDING_RELATED = (
    "inspection", "inspection__lead_inspectorate", "question_area", "question_area__framework",
    "parent",
)  # fmt: skip
ONE_FINDING = -7_000_001
FINDINGS = KeptStatements()


def get_finding_for_user(user, pk) -> tuple[Finding, FindingAccess]:
    """The finding, if this reader may see it, with what they may do; otherwise 404."""
    try:
        pk = int(pk)
    except (ValueError, TypeError):
        raise Http404("No such finding") from None
    if not 0 < pk < 2**63:  # no id is out of a 64-bit column's range
        raise Http404("No such finding")
    # Compiled once for each kind of reader: building the rule and its five joins into SQL
    # took longer than running it (docs/performance.md, fifteenth round).
    statement = FINDINGS.get(
        ("finding", reader_key(user)),
        lambda: CompiledRecords(visible_findings(user).filter(pk=ONE_FINDING), FINDING_RELATED),
    )
    found = statement.records(statement.params_with({ONE_FINDING: pk}))
    if not found:
        raise Http404("No such finding")
    finding = found[0]
    caps = capabilities_for(user)
    editor = bool(caps and caps.edits_register)
    return finding, FindingAccess(
        can_edit=editor,
        can_delete=editor and finding.state == FindingState.DRAFT,
        sees_history=bool(caps and not caps.is_public),
    )


def may_see_finding(user, pk: int) -> bool:
    """Whether this reader may see the finding with this id (one that exists)."""
    statement = FINDINGS.get(
        ("may see", reader_key(user)),
        lambda: CompiledRows(visible_findings(user).filter(pk=ONE_FINDING), ["id"]),
    )
    return bool(statement.fetch(params=statement.params_with({ONE_FINDING: int(pk)})))


def children_of(user, finding: Finding) -> list[Finding]:
    """The findings under this one (a cause of concern's recommendations) that this reader may
    see, in order."""
    statement = FINDINGS.get(
        ("children", reader_key(user)),
        lambda: CompiledRecords(
            # The children's ids first (the parent index), so that no engine walks the
            # register to test the reader's rule before it finds them.
            visible_findings(user)
            .filter(pk__in=Finding.objects.filter(parent_id=ONE_FINDING).values("pk"))
            .order_by("sequence", "id")
        ),
    )
    return statement.records(statement.params_with({ONE_FINDING: finding.pk}))


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
