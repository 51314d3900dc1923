"""Progress on a response: its timeline, and every step the progress pages offer.

Each endpoint fetches through the progress pages' access helpers (404 for a record the reader
may not see, 403 for a step they may not take), reads its body only then, and calls the same
service as the page. Every change carries `expected_version`, the response's `version` as the
client last read it: a change based on an older one is refused with 409 and nothing is saved.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field, StringConstraints

from recreg.accounts.models import User
from recreg.api.auth import OPTIONAL_SECURITY, READ_AUTH, WRITE_AUTH
from recreg.api.bodies import read_body, request_body, uploaded_files
from recreg.api.errors import Conflict, ErrorOut, RequestInvalid
from recreg.api.schemas import (
    MAX_PAGE,
    MAX_PAGE_SIZE,
    Id,
    Out,
    PageMeta,
    PublicResponseOut,
    ResponseOut,
    Text,
)
from recreg.findings.access import get_response_for_user, visible_findings
from recreg.findings.models import RAG, GovernanceBoard, Response
from recreg.progress import queries, services
from recreg.progress.access import (
    get_challenge_for_user,
    get_evidence_for_user,
    get_progress_for_user,
    get_proposal_for_user,
)
from recreg.progress.models import (
    ChallengeState,
    ClosureDecision,
    EvidenceType,
    TimelineEvent,
    TimelineKind,
)

router = Router(tags=["progress"])

TIMELINE_PAGE_SIZE = 50
EvidenceTypeT = Literal[tuple(EvidenceType.values)]  # type: ignore[valid-type]
TimelineKindT = Literal[tuple(TimelineKind.values)]  # type: ignore[valid-type]
ChallengeStateT = Literal[tuple(ChallengeState.values)]  # type: ignore[valid-type]
ClosureDecisionT = Literal[tuple(ClosureDecision.values)]  # type: ignore[valid-type]
RatingT = Literal[tuple(RAG.values)]  # type: ignore[valid-type]
LongText = Annotated[Text, StringConstraints(max_length=services.MAX_TEXT)]
Reason = Annotated[Text, StringConstraints(max_length=services.MAX_REASON)]
PersonKey = (
    Id | Annotated[Text, StringConstraints(strip_whitespace=True, min_length=3, max_length=254)]
)
BoardKey = (
    Id | Annotated[Text, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
)
VERSION_HELP = (
    "The response's `version` as you last read it. If someone has saved the response since, "
    "nothing is saved and the answer is 409: read it again, then make your change again."
)
EVIDENCE_HELP = "Evidence files (PDF, Word, Excel, PNG, JPEG or text), sent as multipart/form-data."
# Every change: who may not (401, 403), what does not exist for this reader (404), a stale
# version or a step the response's state does not allow now (409), a bad value (422).
CHANGE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
                 422: ErrorOut}  # fmt: skip


# --- What the timeline shows ------------------------------------------------------------------


class EvidenceOut(Out):
    id: int
    name: str = Field(validation_alias="download_name")
    file_type: EvidenceTypeT
    content_type: str
    size: int = Field(description="In bytes.")
    description: str
    uploaded_at: datetime.datetime
    download_url: str = Field(description="Where the file is downloaded (never public).")

    @staticmethod
    def resolve_download_url(obj) -> str:
        return reverse("api:downloadEvidence", kwargs={"evidence_id": obj.pk})


class UpdateOut(Out):
    id: int
    narrative: str
    rag: RatingT
    percent_complete: int | None
    corrects: int | None = Field(
        validation_alias="corrects_id", description="The earlier update this one corrects."
    )
    created_at: datetime.datetime
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_evidence(obj) -> list:
        return list(obj.evidence.all())


class TargetChangeOut(Out):
    old_date: datetime.date | None
    new_date: datetime.date
    reason: str


class ProposalOut(Out):
    id: int
    statement: str
    proposed_at: datetime.datetime
    decision: Literal[("", *ClosureDecision.values)] = Field(  # type: ignore[valid-type]
        description="Blank while the proposal waits for a decision."
    )
    decision_reason: str
    superseded_by: int | None = Field(
        validation_alias="superseded_by_id", description="The finding that supersedes this one."
    )
    decided_at: datetime.datetime | None
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_evidence(obj) -> list:
        return list(obj.evidence.all())


class ChallengeOut(Out):
    id: int
    original_text: str
    proposed_text: str
    reason: str
    state: ChallengeStateT
    decision_reason: str
    decided_at: datetime.datetime | None


class DischargeOut(Out):
    reason: str
    override_reason: str = Field(description="Why it was discharged with work still open.")
    open_recommendations: int


class TimelineEventOut(Out):
    """One line of the timeline: what happened, who did it and when, with the record made."""

    id: int
    kind: TimelineKindT
    at: datetime.datetime
    by: str = Field(
        validation_alias="actor_name", description="Who did it, named as they were then."
    )
    summary: str
    update: UpdateOut | None
    evidence: EvidenceOut | None
    target_change: TargetChangeOut | None
    proposal: ProposalOut | None
    challenge: ChallengeOut | None
    discharge: DischargeOut | None


class TimelineOut(PageMeta):
    """A response and a page of its timeline, newest first."""

    response: ResponseOut
    results: list[TimelineEventOut]


class PublicTimelineOut(Out):
    """What the public sees of a public response's progress: its state and when it changed,
    never narratives, evidence, people or dates."""

    response: PublicResponseOut


class ActionOut(Out):
    """The response as it now is (with its new `version`), and the timeline lines the change
    wrote."""

    response: ResponseOut
    events: list[TimelineEventOut]


class TimelineQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(TIMELINE_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


# --- What each step takes ---------------------------------------------------------------------


class Versioned(Schema):
    model_config = ConfigDict(extra="forbid")

    expected_version: int = Field(ge=0, le=2**31 - 1, description=VERSION_HELP)


class AllocateIn(Versioned):
    """The people of the response's organisation who own and lead it, and its board."""

    owner: PersonKey = Field(
        description="The strategic owner (a chief officer): a person's id or email address."
    )
    tactical_lead: PersonKey = Field(
        description="The tactical lead: a person's id or email address."
    )
    governance_board: BoardKey | None = Field(
        None, description="One of the organisation's boards: its id or its name."
    )


class UpdateIn(Versioned):
    """A dated progress update. A correction is a new update naming the one it corrects."""

    narrative: LongText
    rag: RatingT
    percent_complete: int | None = Field(None, ge=0, le=100)
    corrects: Id | None = Field(None, description="An earlier update of this response.")


class EvidenceIn(Versioned):
    """Evidence files on their own, with an optional description."""

    description: Annotated[Text, StringConstraints(max_length=300)] = ""


class TargetDateIn(Versioned):
    """A new target date; moving one already set needs the reason."""

    new_date: datetime.date
    reason: Reason = ""


class ProposeIn(Versioned):
    """A proposal to close the response, with evidence (files sent now, or already attached)."""

    statement: LongText


class DecideClosureIn(Versioned):
    """The decision on a proposal to close a response."""

    decision: ClosureDecisionT
    reason: Reason = Field(
        "", description="Needed to close as not implemented, or to send it back (reopened)."
    )
    superseded_by: Id | None = Field(
        None, description="For superseded: the finding that supersedes this one."
    )


class ChallengeIn(Versioned):
    """A challenge to the finding's wording during the factual accuracy check."""

    proposed_text: Annotated[Text, StringConstraints(max_length=20_000)]
    reason: Reason


class DecideChallengeIn(Versioned):
    """Accept a challenge (the finding takes the proposed wording) or reject it with a
    reason."""

    decision: Literal["accept", "reject"]
    reason: Reason = ""


class DischargeIn(Versioned):
    """Discharge a cause of concern for the organisation."""

    reason: Reason
    override_reason: Reason = Field(
        "",
        description="Needed when some of its recommendations are still open (or it has none).",
    )


# --- Helpers ----------------------------------------------------------------------------------


def _events(response_pk: int):
    return queries.timeline_events(Response(pk=response_pk))


def _last_event(response: Response) -> int:
    return TimelineEvent.objects.filter(response=response).aggregate(n=Max("pk"))["n"] or 0


def _outcome(request: HttpRequest, response_pk: int, since: int) -> ActionOut:
    response, _access = get_response_for_user(request.user, response_pk)
    events = [e for e in _events(response_pk).filter(pk__gt=since).order_by("pk")]
    return ActionOut(
        response=ResponseOut.from_orm(response),
        events=[TimelineEventOut.from_orm(e) for e in events],
    )


def _for_editor(request: HttpRequest, response_id: int) -> Response:
    """The response, if this reader edits its organisation's progress: 404 if they may not
    see it, 403 if they may see it but not change it."""
    response, access = get_progress_for_user(request.user, response_id)
    if not access.edits:
        raise PermissionDenied(
            f"Only editors of {response.organisation.display_name} change its progress"
        )
    return response


def _what(key: int | str) -> str:
    return "id" if isinstance(key, int) or key.isdigit() else "email address"


def _person(organisation, key: int | str) -> User | None:
    """One of the organisation's people, by id or email address."""
    people = User.objects.filter(organisation=organisation)
    if isinstance(key, int) or key.isdigit():  # a form sends every id as text
        return people.filter(pk=int(key)).first()
    return people.filter(email__iexact=key).first()


def _allowed(step: str, response: Response) -> None:
    """409 with the reason, if the response's state does not allow the step now."""
    reason = services.why_not(step, response)
    if reason:
        raise Conflict(reason)


# --- Reading ----------------------------------------------------------------------------------


@router.get(
    "/responses/{response_id}/timeline",
    response={200: TimelineOut | PublicTimelineOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
    operation_id="getResponseTimeline",
    summary="Get a response's timeline",
    description="Allocation, updates, evidence, target date changes, challenges, closure "
    "proposals and decisions, newest first, each with who and when. Readers who may see the "
    "response's progress get TimelineOut; the public gets PublicTimelineOut for a response on "
    "the public register: its state and the date it changed, nothing else.",
)
def get_timeline(request: HttpRequest, response_id: int, query: Query[TimelineQuery]):
    response, access = get_response_for_user(request.user, response_id)
    if not access.sees_progress:
        return PublicTimelineOut(response=PublicResponseOut.from_orm(response))
    events = _events(response.pk)
    count = events.count()
    offset = (query.page - 1) * query.page_size
    rows = list(events[offset : offset + query.page_size]) if offset < count else []
    return TimelineOut(
        response=ResponseOut.from_orm(response),
        count=count,
        page=query.page,
        page_size=query.page_size,
        results=[TimelineEventOut.from_orm(e) for e in rows],
    )


@router.get(
    "/evidence/{evidence_id}",
    response={401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    url_name="downloadEvidence",
    operation_id="downloadEvidence",
    summary="Download an evidence file",
    description="The file itself, for readers who may see its response's progress. Evidence "
    "is never public: without credentials the answer is 401.",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file, as an attachment.",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def download_evidence(request: HttpRequest, evidence_id: int):
    evidence, _access = get_evidence_for_user(request.user, evidence_id)
    try:
        handle = evidence.open()
    except OSError:
        raise Http404("The file is missing") from None
    download = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.download_name,
        content_type=evidence.content_type,
    )
    download["Cache-Control"] = "private, no-store"
    download["Content-Security-Policy"] = "default-src 'none'; sandbox"
    download["X-Content-Type-Options"] = "nosniff"
    return download


# --- Steps an editor of the response's organisation takes -------------------------------------


@router.post(
    "/responses/{response_id}/allocation",
    response={200: ActionOut, **CHANGE_ERRORS},
    auth=WRITE_AUTH,
    operation_id="allocateResponse",
    summary="Allocate a response (its organisation's editors)",
    description="Give the response its strategic owner, tactical lead and governance board, "
    "all of the response's organisation; a response awaiting allocation moves to in progress.",
    openapi_extra=request_body(AllocateIn),
)
def allocate(request: HttpRequest, response_id: int):
    response = _for_editor(request, response_id)
    payload = read_body(request, AllocateIn)
    _allowed("allocate", response)
    org = response.organisation
    errors: dict[str, list[str]] = {}
    people = {}
    for field in ("owner", "tactical_lead"):
        key = getattr(payload, field)
        found = _person(org, key)
        if found is None:
            errors[field] = [f"No one at {org.display_name} has the {_what(key)} {key}"]
        people[field] = found
    board = None
    if payload.governance_board is not None:
        key = payload.governance_board
        boards = GovernanceBoard.objects.filter(organisation=org)
        board = boards.filter(name__iexact=str(key)).first()
        if board is None and (isinstance(key, int) or key.isdigit()):
            board = boards.filter(pk=int(key)).first()
        if board is None:
            what = "id" if isinstance(key, int) else "name"
            errors["governance_board"] = [f"{org.display_name} has no board with the {what} {key}"]
    if errors:
        raise RequestInvalid(errors)
    since = _last_event(response)
    services.allocate_response(
        response,
        owner=people["owner"],
        tactical_lead=people["tactical_lead"],
        governance_board=board,
        expected_version=payload.expected_version,
        actor=request.user,
    )
    return _outcome(request, response.pk, since)


@router.post(
    "/responses/{response_id}/updates",
    response={201: ActionOut, **CHANGE_ERRORS},
    auth=WRITE_AUTH,
    operation_id="postProgressUpdate",
    summary="Post a progress update (its organisation's editors)",
    description="A dated narrative with a RAG rating and, optionally, the percentage complete "
    "and evidence files (send multipart/form-data to include files). Updates are never "
    "changed: a correction is a new update that names the one it corrects.",
    openapi_extra=request_body(UpdateIn, files="files", about=EVIDENCE_HELP),
)
def post_update(request: HttpRequest, response_id: int):
    response = _for_editor(request, response_id)
    payload = read_body(request, UpdateIn)
    _allowed("update", response)
    since = _last_event(response)
    services.post_update(
        response,
        narrative=payload.narrative,
        rag=payload.rag,
        percent_complete=payload.percent_complete,
        corrects=payload.corrects,
        files=uploaded_files(request),
        expected_version=payload.expected_version,
        actor=request.user,
    )
    return Status(201, _outcome(request, response.pk, since))


@router.post(
    "/responses/{response_id}/evidence",
    response={201: ActionOut, **CHANGE_ERRORS},
    auth=WRITE_AUTH,
    operation_id="attachEvidence",
    summary="Attach evidence files (its organisation's editors)",
    description="Evidence files on their own, outside an update: send multipart/form-data "
    "with one or more `files`. Files are checked by their content and size; if any is refused, "
    "none is kept.",
    openapi_extra=request_body(EvidenceIn, files="files", json_too=False, about=EVIDENCE_HELP),
)
def attach_evidence(request: HttpRequest, response_id: int):
    response = _for_editor(request, response_id)
    payload = read_body(request, EvidenceIn)
    _allowed("evidence", response)
    since = _last_event(response)
    services.attach_evidence(
        response,
        files=uploaded_files(request),
        description=payload.description,
        expected_version=payload.expected_version,
        actor=request.user,
    )
    return Status(201, _outcome(request, response.pk, since))


@router.post(
    "/responses/{response_id}/target-date",
    response={201: ActionOut, **CHANGE_ERRORS},
    auth=WRITE_AUTH,
    operation_id="changeTargetDate",
    summary="Set or move the target date (its organisation's editors)",
    description="Moving a target date already set needs the reason; the old date, the new one "
    "and the reason are kept.",
    openapi_extra=request_body(TargetDateIn),
)
def change_target_date(request: HttpRequest, response_id: int):
    response = _for_editor(request, response_id)
    payload = read_body(request, TargetDateIn)
    _allowed("target_date", response)
    since = _last_event(response)
    services.change_target_date(
        response,
        new_date=payload.new_date,
        reason=payload.reason,
        expected_version=payload.expected_version,
        actor=request.user,
    )
    return Status(201, _outcome(request, response.pk, since))


@router.post(
    "/responses/{response_id}/closure-proposals",
    response={201: ActionOut, **CHANGE_ERRORS},
    auth=WRITE_AUTH,
    operation_id="proposeClosure",
    summary="Propose closing a response (its organisation's editors)",
    description="A closing statement with evidence (files sent now as multipart/form-data, or "
    "evidence already attached). The response waits for sign-off: by the inspectorate for a "
    "force's response to its findings, otherwise by the organisation itself.",
    openapi_extra=request_body(ProposeIn, files="files", about=EVIDENCE_HELP),
)
def propose_closure(request: HttpRequest, response_id: int):
    response = _for_editor(request, response_id)
    payload = read_body(request, ProposeIn)
    _allowed("propose", response)
    since = _last_event(response)
    services.propose_closure(
        response,
        statement=payload.statement,
        files=uploaded_files(request),
        expected_version=payload.expected_version,
        actor=request.user,
    )
    return Status(201, _outcome(request, response.pk, since))


@router.post(
    "/responses/{response_id}/challenges",
    response={201: ActionOut, **CHANGE_ERRORS},
    auth=WRITE_AUTH,
    operation_id="challengeWording",
    summary="Challenge a finding's wording (its organisation's editors)",
    description="While the finding is in its factual accuracy check: the wording proposed and "
    "the reason. An inspectorate editor accepts or rejects it.",
    openapi_extra=request_body(ChallengeIn),
)
def raise_challenge(request: HttpRequest, response_id: int):
    response = _for_editor(request, response_id)
    payload = read_body(request, ChallengeIn)
    _allowed("challenge", response)
    since = _last_event(response)
    services.raise_challenge(
        response,
        proposed_text=payload.proposed_text,
        reason=payload.reason,
        expected_version=payload.expected_version,
        actor=request.user,
    )
    return Status(201, _outcome(request, response.pk, since))


# --- Decisions --------------------------------------------------------------------------------


@router.post(
    "/closure-proposals/{proposal_id}/decision",
    response={200: ActionOut, **CHANGE_ERRORS},
    auth=WRITE_AUTH,
    operation_id="decideClosure",
    summary="Decide a proposal to close a response (whoever signs it off)",
    description="completed; superseded (naming the finding that supersedes it); "
    "closed_not_implemented (with a reason); or reopened (sent back, with a reason). The "
    "inspectorate's editors decide for a force's response to its findings; for other "
    "findings, the organisation's own editors.",
    openapi_extra=request_body(DecideClosureIn),
)
def decide_closure(request: HttpRequest, proposal_id: int):
    proposal, access = get_proposal_for_user(request.user, proposal_id)
    if not access.signs_off:
        raise PermissionDenied("Only the organisation that signs off this response decides it")
    payload = read_body(request, DecideClosureIn)
    if not proposal.is_pending:
        raise Conflict("This proposal has already been decided")
    superseding = None
    if payload.superseded_by is not None:
        superseding = visible_findings(request.user).filter(pk=payload.superseded_by).first()
        if superseding is None:
            raise RequestInvalid(
                {"superseded_by": [f"No finding has the id {payload.superseded_by}"]}
            )
    response = proposal.response
    since = _last_event(response)
    services.decide_closure(
        proposal,
        decision=payload.decision,
        reason=payload.reason,
        superseded_by=superseding,
        expected_version=payload.expected_version,
        actor=request.user,
    )
    return _outcome(request, response.pk, since)


@router.post(
    "/challenges/{challenge_id}/decision",
    response={200: ActionOut, **CHANGE_ERRORS},
    auth=WRITE_AUTH,
    operation_id="decideChallenge",
    summary="Accept or reject a wording challenge (inspectorate editors)",
    description="Accepting changes the finding's wording (both versions are kept); rejecting "
    "needs a reason.",
    openapi_extra=request_body(DecideChallengeIn),
)
def decide_challenge(request: HttpRequest, challenge_id: int):
    challenge, access = get_challenge_for_user(request.user, challenge_id)
    if not access.decides_register:
        raise PermissionDenied("Only inspectorate editors decide challenges")
    payload = read_body(request, DecideChallengeIn)
    if not challenge.is_pending:
        raise Conflict("This challenge has already been decided")
    response = challenge.response
    since = _last_event(response)
    services.decide_challenge(
        challenge,
        accept=payload.decision == "accept",
        reason=payload.reason,
        expected_version=payload.expected_version,
        actor=request.user,
    )
    return _outcome(request, response.pk, since)


@router.post(
    "/responses/{response_id}/discharge",
    response={200: ActionOut, **CHANGE_ERRORS},
    auth=WRITE_AUTH,
    operation_id="dischargeConcern",
    summary="Discharge a cause of concern (inspectorate editors)",
    description="Recorded as a decision like any other. With recommendations still open (or "
    "none at all), the reason to go ahead anyway is needed too.",
    openapi_extra=request_body(DischargeIn),
)
def discharge(request: HttpRequest, response_id: int):
    response, access = get_progress_for_user(request.user, response_id)
    if not access.decides_register:
        raise PermissionDenied("Only inspectorate editors discharge causes of concern")
    payload = read_body(request, DischargeIn)
    _allowed("discharge", response)
    since = _last_event(response)
    services.discharge_concern(
        response,
        reason=payload.reason,
        override_reason=payload.override_reason,
        expected_version=payload.expected_version,
        actor=request.user,
    )
    return _outcome(request, response.pk, since)
