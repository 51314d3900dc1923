"""Every change to a response's progress goes through these functions.

Each runs in one transaction with its audit events and its timeline line, re-checks who may do
it (views check first, so a refusal here means a caller skipped that), refuses a save based on
a stale copy of the response (its `version`), and raises ValidationError with messages keyed by
field for anything wrong with the input, before writing anything.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from recreg.accounts.models import User
from recreg.accounts.roles import capabilities_for
from recreg.audit.services import record_create, record_update, snapshot
from recreg.findings.access import visible_findings
from recreg.findings.models import (
    RAG,
    Finding,
    FindingState,
    GovernanceBoard,
    Response,
    ResponseState,
)
from recreg.findings.services import update_finding
from recreg.organisations.models import Organisation
from recreg.progress.access import access_to
from recreg.progress.evidence import CheckedFile, StoredFiles, check_files, stored_files
from recreg.progress.models import (
    DECISION_STATES,
    ChallengeState,
    ClosureDecision,
    ClosureProposal,
    ConcernDischarge,
    Evidence,
    ProgressUpdate,
    TargetDateChange,
    TimelineEvent,
    TimelineKind,
    WordingChallenge,
)

STALE_MESSAGE = (
    "Someone else changed this response since you opened it. Nothing has been saved: "
    "check the latest details, then make your change again."
)
STALE_MANY_MESSAGE = (
    "Someone else changed some of these responses since you opened this page. Nothing has "
    "been saved: check the latest list, then reassign again."
)
MAX_TEXT = 10_000
MAX_REASON = 2_000


class StaleResponse(ValidationError):
    """The change was based on an older version of the response than the one saved."""

    def __init__(self, message: str = STALE_MESSAGE):
        super().__init__(message, code="stale")


Errors = dict[str, list[str]]


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _text(errors: Errors, field: str, value: str | None, *, missing: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        _add(errors, field, missing)
    elif len(value) > limit:
        _add(errors, field, f"Use {limit:,} characters or fewer")
    return value


def _optional_text(errors: Errors, field: str, value: str | None, *, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        _add(errors, field, f"Use {limit:,} characters or fewer")
    return value


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _lock(response: Response) -> Response:
    """The response as saved, locked until the transaction ends."""
    locked = (
        Response.objects.select_for_update(of=("self",))
        .select_related(
            "finding",
            "finding__inspection",
            "finding__inspection__lead_inspectorate",
            "organisation",
            "owner",
            "tactical_lead",
            "governance_board",
        )
        .get(pk=response.pk)
    )
    return locked


def _check_version(response: Response, expected_version) -> None:
    """Refuse a change based on an older copy of the response than the one saved."""
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        raise StaleResponse() from None
    if expected != response.version:
        raise StaleResponse()


def _save_response(response: Response, before: dict, fields: Sequence[str], *, actor, note: str):
    """Save changed fields with a new version, and audit the change."""
    response.version += 1
    response.save(update_fields=[*fields, "version", "updated_at"])
    record_update(response, before, actor=actor, note=note)


def _set_state(response: Response, state: str, at: datetime.datetime) -> list[str]:
    response.state = state
    response.state_changed_at = at
    return ["state", "state_changed_at"]


def _timeline(response: Response, kind: str, *, actor, summary: str, **links: Any):
    return TimelineEvent.objects.create(
        response=response,
        organisation_id=response.organisation_id,
        kind=kind,
        actor=actor,
        actor_name=actor.full_name or actor.email,
        summary=summary[:300],
        **links,
    )


def _require_editor(actor, response: Response) -> None:
    if not access_to(actor, response).edits:
        raise PermissionDenied("Only editors of the organisation change its progress")


STEPS = ("allocate", "update", "evidence", "target_date", "propose", "decide", "challenge",
         "discharge")  # fmt: skip


def why_not(step: str, response: Response) -> str | None:
    """Why this step cannot be taken on the response as it stands, or None if it can. (Who may
    take it is recreg.progress.access's question.)"""
    finding = response.finding
    if step == "challenge":
        if finding.state != FindingState.FACT_CHECK:
            return "Wording can be challenged only during the factual accuracy check"
        if WordingChallenge.objects.filter(
            response=response, state=ChallengeState.PENDING
        ).exists():
            return "Your earlier challenge is still waiting for a decision"
        return None
    if step == "decide":
        if response.state != ResponseState.PENDING_SIGN_OFF:
            return "No proposal to close this response is waiting for a decision"
        return None
    if response.is_closed:
        return f"This response is closed ({response.get_state_display()})"
    if step in ("allocate", "target_date"):
        return None
    if finding.state != FindingState.PUBLISHED:
        return "Progress can be recorded once the finding is published"
    if step == "discharge":
        if not finding.is_concern:
            return "Only a cause of concern can be discharged"
        return None
    if step in ("update", "propose") and response.state == ResponseState.AWAITING_ALLOCATION:
        return "Allocate this response to an owner and a tactical lead first"
    if step == "propose" and response.state == ResponseState.PENDING_SIGN_OFF:
        return "A proposal to close this response is already waiting for a decision"
    return None


def _refuse(errors: Errors, step: str, response: Response) -> None:
    reason = why_not(step, response)
    if reason:
        _add(errors, "__all__", reason)


def _name(user) -> str:
    return user.full_name or user.email if user else ""


def _store_evidence(
    files: StoredFiles,
    checked: Iterable[CheckedFile],
    *,
    response: Response,
    actor,
    update: ProgressUpdate | None = None,
    proposal: ClosureProposal | None = None,
    description: str = "",
    at: datetime.datetime,
) -> list[Evidence]:
    rows = []
    for item in checked:
        evidence = Evidence(
            response=response,
            update=update,
            proposal=proposal,
            original_name=item.original_name,
            download_name=item.download_name,
            file_type=item.kind.type,
            content_type=item.kind.content_type,
            size=item.size,
            sha256=item.sha256,
            description=description,
            uploaded_by=actor,
            uploaded_at=at,
        )
        evidence.stored_name = files.save(item)
        evidence.save()
        record_create(evidence, actor=actor)
        rows.append(evidence)
    return rows


def _check_files(errors: Errors, files) -> list[CheckedFile]:
    try:
        return check_files(files or [])
    except ValidationError as exc:
        for message in exc.messages:
            _add(errors, "files", message)
        return []


# Governance boards and allocation


@transaction.atomic
def add_governance_board(organisation: Organisation, *, name: str, actor) -> GovernanceBoard:
    """Add a governance board to the list an organisation keeps."""
    caps = capabilities_for(actor)
    if not (caps.edits_responses and organisation.pk in caps.organisation_ids):
        raise PermissionDenied("Only editors of the organisation change its boards")
    errors: Errors = {}
    name = " ".join(
        _text(errors, "name", name, missing="Enter the board's name", limit=200).split()
    )
    if (
        name
        and GovernanceBoard.objects.filter(organisation=organisation, name__iexact=name).exists()
    ):
        _add(errors, "name", f"{organisation.display_name} already has a board called {name}")
    _raise(errors)
    board = GovernanceBoard.objects.create(organisation=organisation, name=name)
    record_create(board, actor=actor)
    return board


def _check_person(errors: Errors, field: str, person, organisation, label: str) -> None:
    if person is None:
        _add(errors, field, f"Choose the {label}")
    elif person.organisation_id != organisation.pk or not person.is_active:
        _add(errors, field, f"Choose the {label} from the people of {organisation.display_name}")


@transaction.atomic
def allocate_response(
    response: Response,
    *,
    owner: User | None,
    tactical_lead: User | None,
    governance_board: GovernanceBoard | None = None,
    expected_version,
    actor,
) -> Response:
    """Give a response its strategic owner, tactical lead and governance board; a response
    awaiting allocation moves to in progress."""
    response = _lock(response)
    _require_editor(actor, response)
    _check_version(response, expected_version)
    errors: Errors = {}
    _refuse(errors, "allocate", response)
    org = response.organisation
    _check_person(errors, "owner", owner, org, "strategic owner")
    _check_person(errors, "tactical_lead", tactical_lead, org, "tactical lead")
    if governance_board is not None and (
        governance_board.organisation_id != org.pk
        or not (governance_board.is_active or governance_board.pk == response.governance_board_id)
    ):
        _add(errors, "governance_board", f"Choose one of the boards of {org.display_name}")
    if not errors and (
        response.owner_id == getattr(owner, "pk", None)
        and response.tactical_lead_id == getattr(tactical_lead, "pk", None)
        and response.governance_board_id == getattr(governance_board, "pk", None)
        and response.state != ResponseState.AWAITING_ALLOCATION
    ):
        _add(errors, "__all__", "This response is already allocated to these people and board")
    _raise(errors)
    before = snapshot(response)
    now = timezone.now()
    response.owner = owner
    response.tactical_lead = tactical_lead
    response.governance_board = governance_board
    fields = ["owner", "tactical_lead", "governance_board"]
    if response.state == ResponseState.AWAITING_ALLOCATION:
        fields += _set_state(response, ResponseState.IN_PROGRESS, now)
    _save_response(response, before, fields, actor=actor, note="Allocated")
    board = governance_board.name if governance_board else "no board"
    _timeline(
        response,
        TimelineKind.ALLOCATED,
        actor=actor,
        summary=f"Allocated to {_name(owner)} (strategic owner) and {_name(tactical_lead)} "
        f"(tactical lead), overseen by {board}",
        details={
            "owner": _name(owner),
            "tactical_lead": _name(tactical_lead),
            "governance_board": governance_board.name if governance_board else "",
        },
    )
    return response


def responses_held_by(organisation: Organisation, person: User):
    """The open responses of an organisation that this person owns or leads."""
    return (
        Response.objects.open()
        .filter(organisation=organisation)
        .filter(Q(owner=person) | Q(tactical_lead=person))
        .order_by("pk")
    )


def reassignment_token(responses: Iterable[Response]) -> str:
    """A fingerprint of these responses' versions, carried by the reassign page so a change
    made meanwhile is noticed."""
    text = ",".join(f"{r.pk}:{r.version}" for r in sorted(responses, key=lambda r: r.pk))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@transaction.atomic
def reassign_responses(
    organisation: Organisation,
    *,
    person: User | None,
    new_owner: User | None,
    new_tactical_lead: User | None,
    expected_token: str,
    actor,
) -> int:
    """Hand everything one person owns or leads in an organisation to others, in one step."""
    caps = capabilities_for(actor)
    if not (caps.edits_responses and organisation.pk in caps.organisation_ids):
        raise PermissionDenied("Only editors of the organisation reassign its work")
    errors: Errors = {}
    if person is None or person.organisation_id != organisation.pk:
        raise ValidationError({"person": [f"Choose someone from {organisation.display_name}"]})
    responses = list(responses_held_by(organisation, person).select_for_update())
    if reassignment_token(responses) != expected_token:
        raise StaleResponse(STALE_MANY_MESSAGE)
    if not responses:
        _add(errors, "person", f"{_name(person)} owns or leads no open responses")
        _raise(errors)
    owns = any(r.owner_id == person.pk for r in responses)
    leads = any(r.tactical_lead_id == person.pk for r in responses)
    for field, new, needed, label in (
        ("new_owner", new_owner, owns, "new strategic owner"),
        ("new_tactical_lead", new_tactical_lead, leads, "new tactical lead"),
    ):
        if not needed:
            continue
        _check_person(errors, field, new, organisation, label)
        if new is not None and new.pk == person.pk:
            _add(errors, field, f"Choose someone other than {_name(person)}")
    _raise(errors)
    for response in responses:
        before = snapshot(response)
        fields, roles = [], []
        if response.owner_id == person.pk:
            response.owner = new_owner
            fields.append("owner")
            roles.append(f"strategic owner to {_name(new_owner)}")
        if response.tactical_lead_id == person.pk:
            response.tactical_lead = new_tactical_lead
            fields.append("tactical_lead")
            roles.append(f"tactical lead to {_name(new_tactical_lead)}")
        note = f"Reassigned from {_name(person)}"
        _save_response(response, before, fields, actor=actor, note=note)
        _timeline(
            response,
            TimelineKind.REASSIGNED,
            actor=actor,
            summary=f"{note}: {' and '.join(roles)}",
            details={"from": _name(person)},
        )
    return len(responses)


# Progress updates and evidence


def _corrected_update(errors: Errors, response: Response, corrects) -> ProgressUpdate | None:
    if corrects in (None, ""):
        return None
    pk = corrects.pk if isinstance(corrects, ProgressUpdate) else corrects
    found = ProgressUpdate.objects.filter(response=response, pk=pk).first() if pk else None
    if found is None:
        _add(errors, "corrects", "Choose an earlier update of this response")
    return found


def _percent(errors: Errors, value) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if not 0 <= number <= 100:
        _add(errors, "percent_complete", "Percentage complete must be a whole number from 0 to 100")
        return None
    return number


def post_update(
    response: Response,
    *,
    narrative: str,
    rag: str,
    percent_complete: int | None = None,
    corrects: ProgressUpdate | int | None = None,
    files: Iterable = (),
    expected_version,
    actor,
) -> ProgressUpdate:
    """Post a dated progress update with a RAG rating and evidence; the response takes its
    RAG and the date of its latest update."""
    # The files are saved inside the transaction and removed again if it fails, commit
    # included, so neither a row nor a file is left half-written.
    with stored_files() as storage, transaction.atomic():
        response = _lock(response)
        _require_editor(actor, response)
        _check_version(response, expected_version)
        errors: Errors = {}
        _refuse(errors, "update", response)
        narrative = _text(
            errors, "narrative", narrative, missing="Enter the update", limit=MAX_TEXT
        )
        if rag not in RAG.values:
            _add(errors, "rag", "Choose a RAG rating: red, amber or green")
        percent = _percent(errors, percent_complete)
        corrected = _corrected_update(errors, response, corrects)
        checked = _check_files(errors, files)
        _raise(errors)
        now = timezone.now()
        update = ProgressUpdate.objects.create(
            response=response,
            narrative=narrative,
            rag=rag,
            percent_complete=percent,
            corrects=corrected,
            author=actor,
            created_at=now,
        )
        record_create(update, actor=actor)
        _store_evidence(storage, checked, response=response, actor=actor, update=update, at=now)
        before = snapshot(response)
        response.rag = rag
        response.last_update_at = now
        note = "Progress update" if corrected is None else "Correction of an earlier update"
        _save_response(response, before, ["rag", "last_update_at"], actor=actor, note=note)
        rating = RAG(rag).label + (f", {percent}% complete" if percent is not None else "")
        if corrected is not None:
            when = date_format(timezone.localtime(corrected.created_at), "j F Y")
            summary = f"Corrected the update of {when} ({rating})"
        else:
            summary = f"Posted a progress update ({rating})"
        _timeline(response, TimelineKind.UPDATE, actor=actor, summary=summary, update=update)
        return update


def attach_evidence(
    response: Response,
    *,
    files: Iterable,
    description: str = "",
    expected_version,
    actor,
) -> list[Evidence]:
    """Attach evidence files to a response on their own, outside an update."""
    with stored_files() as storage, transaction.atomic():
        response = _lock(response)
        _require_editor(actor, response)
        _check_version(response, expected_version)
        errors: Errors = {}
        _refuse(errors, "evidence", response)
        description = _optional_text(errors, "description", description, limit=300)
        files = [f for f in (files or []) if f is not None]
        if not files:
            _add(errors, "files", "Choose a file to attach")
        checked = _check_files(errors, files)
        _raise(errors)
        now = timezone.now()
        rows = _store_evidence(
            storage, checked, response=response, actor=actor, description=description, at=now
        )
        before = snapshot(response)
        _save_response(response, before, [], actor=actor, note="Evidence added")
        for evidence in rows:
            _timeline(
                response,
                TimelineKind.EVIDENCE,
                actor=actor,
                summary=f"Added evidence: {evidence.download_name}",
                evidence=evidence,
            )
        return rows


# Target dates


@transaction.atomic
def change_target_date(
    response: Response,
    *,
    new_date: datetime.date | None,
    reason: str,
    expected_version,
    actor,
) -> TargetDateChange:
    """Set or move a response's target date; moving it needs a reason, and the old date, the
    new one and the reason are kept."""
    response = _lock(response)
    _require_editor(actor, response)
    _check_version(response, expected_version)
    errors: Errors = {}
    _refuse(errors, "target_date", response)
    old = response.target_date
    if new_date is None:
        _add(errors, "new_date", "Enter the new target date")
    elif new_date == old:
        _add(errors, "new_date", "The new target date is the same as the current one")
    elif new_date < timezone.localdate():
        _add(errors, "new_date", "The new target date must be today or in the future")
    if old is not None:
        reason = _text(
            errors,
            "reason",
            reason,
            missing="Enter the reason the target date is changing",
            limit=MAX_REASON,
        )
    else:
        reason = _optional_text(errors, "reason", reason, limit=MAX_REASON)
    _raise(errors)
    assert new_date is not None  # checked above; for the type checker
    change = TargetDateChange.objects.create(
        response=response, old_date=old, new_date=new_date, reason=reason, changed_by=actor
    )
    record_create(change, actor=actor)
    before = snapshot(response)
    response.target_date = new_date
    _save_response(response, before, ["target_date"], actor=actor, note=reason or "Target date set")
    new_words = date_format(new_date, "j F Y")
    summary = (
        f"Moved the target date from {date_format(old, 'j F Y')} to {new_words}"
        if old
        else f"Set the target date to {new_words}"
    )
    _timeline(
        response, TimelineKind.TARGET_DATE, actor=actor, summary=summary, target_change=change
    )
    return change


# Closure


def propose_closure(
    response: Response,
    *,
    statement: str,
    files: Iterable = (),
    expected_version,
    actor,
) -> ClosureProposal:
    """Propose closing a response with a closing statement and evidence; it waits for
    sign-off."""
    with stored_files() as storage, transaction.atomic():
        response = _lock(response)
        _require_editor(actor, response)
        _check_version(response, expected_version)
        errors: Errors = {}
        _refuse(errors, "propose", response)
        statement = _text(
            errors,
            "statement",
            statement,
            missing="Enter the closing statement",
            limit=MAX_TEXT,
        )
        files = [f for f in (files or []) if f is not None]
        checked = _check_files(errors, files)
        if not files and not response.evidence.exists():
            _add(errors, "files", "Attach evidence that the work is done")
        _raise(errors)
        now = timezone.now()
        proposal = ClosureProposal.objects.create(
            response=response, statement=statement, proposed_by=actor, proposed_at=now
        )
        record_create(proposal, actor=actor)
        _store_evidence(storage, checked, response=response, actor=actor, proposal=proposal, at=now)
        before = snapshot(response)
        fields = _set_state(response, ResponseState.PENDING_SIGN_OFF, now)
        _save_response(response, before, fields, actor=actor, note="Closure proposed")
        who = (
            "the inspectorate"
            if not access_to(actor, response).signs_off
            else response.organisation.display_name
        )
        _timeline(
            response,
            TimelineKind.CLOSURE_PROPOSED,
            actor=actor,
            summary=f"Proposed closing this response, for sign-off by {who}",
            proposal=proposal,
        )
        return proposal


@transaction.atomic
def decide_closure(
    proposal: ClosureProposal,
    *,
    decision: str,
    reason: str = "",
    superseded_by: Finding | None = None,
    expected_version,
    actor,
) -> ClosureProposal:
    """Decide a closure proposal: completed, superseded (by a later finding), closed – not
    implemented (with a reason), or reopened (with a reason, back to in progress)."""
    response = _lock(proposal.response)
    if not access_to(actor, response).signs_off:
        raise PermissionDenied("Only the organisation that signs off may decide this")
    _check_version(response, expected_version)
    proposal = ClosureProposal.objects.select_for_update().get(pk=proposal.pk)
    errors: Errors = {}
    if not proposal.is_pending:
        _add(errors, "__all__", "This proposal has already been decided")
    if decision not in ClosureDecision.values:
        _add(errors, "decision", "Choose a decision")
    needs_reason = decision in (ClosureDecision.CLOSED_NOT_IMPLEMENTED, ClosureDecision.REOPENED)
    if needs_reason:
        reason = _text(
            errors,
            "reason",
            reason,
            missing="Enter the reason for this decision",
            limit=MAX_REASON,
        )
    else:
        reason = _optional_text(errors, "reason", reason, limit=MAX_REASON)
    if decision == ClosureDecision.SUPERSEDED:
        if superseded_by is None:
            _add(errors, "superseded_by", "Choose the finding that supersedes this one")
        elif superseded_by.pk == response.finding_id:
            _add(errors, "superseded_by", "A finding cannot supersede itself")
        elif (
            not visible_findings(actor)
            .filter(pk=superseded_by.pk)
            .exclude(state=FindingState.DRAFT)
            .exists()
        ):
            _add(errors, "superseded_by", "Choose a finding that is not a draft")
    else:
        superseded_by = None
    _raise(errors)
    now = timezone.now()
    proposal_before = snapshot(proposal)
    proposal.decision = decision
    proposal.decision_reason = reason
    proposal.superseded_by = superseded_by
    proposal.decided_by = actor
    proposal.decided_at = now
    proposal.save()
    label = ClosureDecision(decision).label
    record_update(proposal, proposal_before, actor=actor, note=f"Decided: {label}")
    before = snapshot(response)
    fields = _set_state(response, DECISION_STATES[ClosureDecision(decision)], now)
    _save_response(response, before, fields, actor=actor, note=f"Closure decision: {label}")
    if decision == ClosureDecision.REOPENED:
        summary = "Sent back: reopened and in progress again"
    elif decision == ClosureDecision.SUPERSEDED and superseded_by is not None:
        summary = f"Closed as superseded by {superseded_by.title}"
    else:
        summary = f"Closed as {label.lower()}"
    _timeline(
        response, TimelineKind.CLOSURE_DECIDED, actor=actor, summary=summary, proposal=proposal
    )
    return proposal


# Factual accuracy check


@transaction.atomic
def raise_challenge(
    response: Response,
    *,
    proposed_text: str,
    reason: str,
    expected_version,
    actor,
) -> WordingChallenge:
    """Challenge the wording of a finding in its factual accuracy check."""
    response = _lock(response)
    _require_editor(actor, response)
    _check_version(response, expected_version)
    finding = response.finding
    errors: Errors = {}
    _refuse(errors, "challenge", response)
    proposed_text = _text(
        errors,
        "proposed_text",
        proposed_text,
        missing="Enter the wording you propose",
        limit=20_000,
    )
    if proposed_text and proposed_text == finding.text.strip():
        _add(errors, "proposed_text", "The wording you propose is the same as the current wording")
    reason = _text(
        errors, "reason", reason, missing="Enter the reason for the challenge", limit=MAX_REASON
    )
    _raise(errors)
    challenge = WordingChallenge.objects.create(
        response=response,
        original_text=finding.text,
        proposed_text=proposed_text,
        reason=reason,
        raised_by=actor,
    )
    record_create(challenge, actor=actor)
    before = snapshot(response)
    _save_response(response, before, [], actor=actor, note="Wording challenged")
    _timeline(
        response,
        TimelineKind.CHALLENGE_RAISED,
        actor=actor,
        summary="Challenged the wording of the finding",
        challenge=challenge,
    )
    return challenge


@transaction.atomic
def decide_challenge(
    challenge: WordingChallenge,
    *,
    accept: bool,
    reason: str = "",
    expected_version,
    actor,
) -> WordingChallenge:
    """Accept a wording challenge (the finding's text changes, both versions kept) or reject
    it with a reason."""
    response = _lock(challenge.response)
    if not capabilities_for(actor).edits_register:
        raise PermissionDenied("Only inspectorate editors decide challenges")
    _check_version(response, expected_version)
    challenge = WordingChallenge.objects.select_for_update().get(pk=challenge.pk)
    finding = Finding.objects.select_for_update().get(pk=response.finding_id)
    errors: Errors = {}
    if not challenge.is_pending:
        _add(errors, "__all__", "This challenge has already been decided")
    if accept:
        reason = _optional_text(errors, "reason", reason, limit=MAX_REASON)
        if finding.state != FindingState.FACT_CHECK:
            _add(
                errors,
                "__all__",
                "The factual accuracy check is over, so the wording can no longer change "
                "through a challenge",
            )
        elif finding.text != challenge.original_text:
            _add(
                errors,
                "__all__",
                "The finding's wording has changed since this challenge was made, so it "
                "cannot be accepted as it stands: reject it with a reason, or change the "
                "finding itself",
            )
    else:
        reason = _text(
            errors,
            "reason",
            reason,
            missing="Enter the reason for rejecting the challenge",
            limit=MAX_REASON,
        )
    _raise(errors)
    if accept:
        try:
            update_finding(finding, actor=actor, text=challenge.proposed_text)
        except ValidationError as exc:
            raise ValidationError(
                {"__all__": [f"The finding could not take this wording: {m}" for m in exc.messages]}
            ) from None
    before_challenge = snapshot(challenge)
    challenge.state = ChallengeState.ACCEPTED if accept else ChallengeState.REJECTED
    challenge.decision_reason = reason
    challenge.decided_by = actor
    challenge.decided_at = timezone.now()
    challenge.save()
    record_update(challenge, before_challenge, actor=actor, note=challenge.get_state_display())
    before = snapshot(response)
    _save_response(response, before, [], actor=actor, note="Challenge decided")
    _timeline(
        response,
        TimelineKind.CHALLENGE_DECIDED,
        actor=actor,
        summary="Accepted the challenge: the finding's wording changed"
        if accept
        else "Rejected the challenge",
        challenge=challenge,
    )
    return challenge


# Causes of concern


def open_recommendations(response: Response) -> tuple[int, int]:
    """How many of a cause of concern's recommendations for this organisation are still open,
    out of how many."""
    children = Response.objects.filter(
        finding__parent_id=response.finding_id, organisation_id=response.organisation_id
    )
    return children.open().count(), children.count()


@transaction.atomic
def discharge_concern(
    response: Response,
    *,
    reason: str,
    override_reason: str = "",
    expected_version,
    actor,
) -> ConcernDischarge:
    """Discharge a cause of concern for an organisation: an inspectorate decision, once its
    recommendations are closed or with a reason to go ahead anyway."""
    response = _lock(response)
    if not capabilities_for(actor).edits_register:
        raise PermissionDenied("Only inspectorate editors discharge causes of concern")
    _check_version(response, expected_version)
    errors: Errors = {}
    _refuse(errors, "discharge", response)
    reason = _text(
        errors, "reason", reason, missing="Enter the reason for the decision", limit=MAX_REASON
    )
    still_open, total = open_recommendations(response)
    if still_open or not total:
        override_reason = _text(
            errors,
            "override_reason",
            override_reason,
            missing=(
                f"{still_open} of its {total} recommendations are still open: give the reason "
                "to discharge it anyway"
                if total
                else "It has no recommendations: give the reason to discharge it anyway"
            ),
            limit=MAX_REASON,
        )
    else:
        override_reason = ""
    _raise(errors)
    now = timezone.now()
    discharge = ConcernDischarge.objects.create(
        response=response,
        reason=reason,
        override_reason=override_reason,
        open_recommendations=still_open,
        decided_by=actor,
        decided_at=now,
    )
    record_create(discharge, actor=actor)
    before = snapshot(response)
    fields = _set_state(response, ResponseState.COMPLETED, now)
    _save_response(response, before, fields, actor=actor, note="Cause of concern discharged")
    _timeline(
        response,
        TimelineKind.DISCHARGED,
        actor=actor,
        summary="Discharged the cause of concern"
        + (
            f" with {still_open} recommendation{'s' if still_open != 1 else ''} still open"
            if still_open
            else ""
        ),
        discharge=discharge,
    )
    return discharge
