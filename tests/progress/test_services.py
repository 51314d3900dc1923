"""Every progress service: what it does, what it refuses, and the audit trail it writes."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from recreg.accounts.roles import Role
from recreg.audit.models import AuditEvent
from recreg.findings import services as finding_services
from recreg.findings.models import (
    FindingKind,
    FindingState,
    GovernanceBoard,
    Response,
    ResponseState,
)
from recreg.progress import services
from recreg.progress.models import (
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
from tests.factories import UserFactory
from tests.progress.conftest import (
    EXE,
    PDF,
    PNG,
    allocate,
    docx,
    response_of,
    stored_files,
    upload,
    zip_bomb_docx,
)


def events(instance, action=None):
    qs = AuditEvent.objects.for_object(instance)
    return list(qs.filter(action=action) if action else qs)


def fresh(response) -> Response:
    return Response.objects.get(pk=response.pk)


# Boards and allocation


def test_an_editor_adds_a_board_to_their_own_list(world):
    board = services.add_governance_board(
        world.force_a, name="  Service   Improvement Board ", actor=world.force_a_editor
    )
    assert board.name == "Service Improvement Board"
    assert board.organisation == world.force_a
    assert events(board, "create")


def test_board_names_are_unique_in_an_organisation(world, board):
    with pytest.raises(ValidationError) as refused:
        services.add_governance_board(
            world.force_a, name="crime governance board", actor=world.force_a_editor
        )
    assert "already has a board" in refused.value.message_dict["name"][0]
    with pytest.raises(ValidationError):
        services.add_governance_board(world.force_a, name=" ", actor=world.force_a_editor)


@pytest.mark.parametrize("persona", ["force_b_reader", "pcc_officer", "inspector"])
def test_only_the_organisations_editors_add_boards(world, persona):
    with pytest.raises(PermissionDenied):
        services.add_governance_board(world.force_a, name="Board", actor=getattr(world, persona))
    assert not GovernanceBoard.objects.exists()


def test_allocation_moves_a_new_response_into_progress(world, people, board, response_a):
    assert response_a.state == ResponseState.AWAITING_ALLOCATION
    before = response_a.version
    response = allocate(response_a, people, board, actor=world.force_a_editor)
    response = fresh(response)
    assert (response.owner, response.tactical_lead, response.governance_board) == (
        people.owner,
        people.lead,
        board,
    )
    assert response.state == ResponseState.IN_PROGRESS
    assert response.version == before + 1
    audit = events(response, "update")[-1]
    assert audit.note == "Allocated"
    assert audit.changes["owner_id"] == [None, people.owner.pk]
    assert audit.changes["state"] == ["awaiting_allocation", "in_progress"]
    line = TimelineEvent.objects.get(response=response)
    assert line.kind == TimelineKind.ALLOCATED
    assert "Alex Chief" in line.summary and "Crime Governance Board" in line.summary


def test_allocation_takes_people_and_boards_of_the_organisation_only(world, people, response_a):
    other_board = GovernanceBoard.objects.create(organisation=world.force_b, name="B board")
    with pytest.raises(ValidationError) as refused:
        services.allocate_response(
            response_a,
            owner=people.force_b_editor,
            tactical_lead=None,
            governance_board=other_board,
            expected_version=response_a.version,
            actor=world.force_a_editor,
        )
    errors = refused.value.message_dict
    assert "people of Avon Test Police" in errors["owner"][0]
    assert errors["tactical_lead"] == ["Choose the tactical lead"]
    assert "boards of Avon Test Police" in errors["governance_board"][0]
    assert fresh(response_a).owner is None


def test_an_inactive_person_cannot_be_allocated(world, people, response_a):
    people.owner.is_active = False
    people.owner.save()
    with pytest.raises(ValidationError, match="strategic owner"):
        allocate(response_a, people, actor=world.force_a_editor)


@pytest.mark.parametrize(
    "persona", ["force_b_reader", "pcc_officer", "inspector", "national_reader"]
)
def test_only_editors_of_the_organisation_allocate(world, people, response_a, persona):
    with pytest.raises(PermissionDenied):
        allocate(response_a, people, actor=getattr(world, persona))
    assert fresh(response_a).version == response_a.version


def test_a_force_editor_cannot_allocate_another_forces_response(world, people, response_b):
    with pytest.raises(PermissionDenied):
        services.allocate_response(
            response_b,
            owner=people.force_b_editor,
            tactical_lead=people.force_b_editor,
            expected_version=response_b.version,
            actor=world.force_a_editor,
        )


def test_reassigning_hands_over_everything_a_person_holds(world, people, board):
    first = allocate(response_of(world.published_a, world.force_a), people, board)
    second = allocate(response_of(world.national_all, world.force_a), people, board)
    held = list(services.responses_held_by(world.force_a, people.owner))
    assert {r.pk for r in held} == {first.pk, second.pk}
    count = services.reassign_responses(
        world.force_a,
        person=people.owner,
        new_owner=people.other_editor,
        new_tactical_lead=None,
        expected_token=services.reassignment_token(held),
        actor=world.force_a_editor,
    )
    assert count == 2
    for response in (first, second):
        response = fresh(response)
        assert response.owner == people.other_editor
        assert response.tactical_lead == people.lead
        assert events(response, "update")[-1].note == "Reassigned from Alex Chief"
        assert TimelineEvent.objects.filter(
            response=response, kind=TimelineKind.REASSIGNED
        ).exists()


def test_reassigning_needs_someone_for_each_role_held(world, people, board):
    allocate(response_of(world.published_a, world.force_a), people, board)
    held = list(services.responses_held_by(world.force_a, people.lead))
    with pytest.raises(ValidationError) as refused:
        services.reassign_responses(
            world.force_a,
            person=people.lead,
            new_owner=None,
            new_tactical_lead=people.lead,
            expected_token=services.reassignment_token(held),
            actor=world.force_a_editor,
        )
    assert "Choose someone other than Sam Super" in refused.value.message_dict["new_tactical_lead"]


def test_reassigning_refuses_a_stale_list(world, people, board):
    response = allocate(response_of(world.published_a, world.force_a), people, board)
    token = services.reassignment_token(services.responses_held_by(world.force_a, people.owner))
    services.change_target_date(
        response,
        new_date=timezone.localdate() + datetime.timedelta(days=60),
        reason="Board asked for more time",
        expected_version=fresh(response).version,
        actor=world.force_a_editor,
    )
    with pytest.raises(services.StaleResponse):
        services.reassign_responses(
            world.force_a,
            person=people.owner,
            new_owner=people.other_editor,
            new_tactical_lead=None,
            expected_token=token,
            actor=world.force_a_editor,
        )
    assert fresh(response).owner == people.owner


def test_only_the_organisations_editors_reassign(world, people):
    with pytest.raises(PermissionDenied):
        services.reassign_responses(
            world.force_a,
            person=people.owner,
            new_owner=people.lead,
            new_tactical_lead=None,
            expected_token="",
            actor=world.pcc_officer,
        )


# Updates


def post(response, actor, **kwargs):
    kwargs.setdefault("narrative", "The new safeguarding policy is in force.")
    kwargs.setdefault("rag", "amber")
    return services.post_update(
        response, expected_version=fresh(response).version, actor=actor, **kwargs
    )


def test_an_update_sets_the_responses_rag_and_date(world, allocated_a, file_store):
    update = post(
        allocated_a,
        world.force_a_editor,
        percent_complete=40,
        files=[upload("plan.pdf", PDF), upload("photo.png", PNG)],
    )
    response = fresh(allocated_a)
    assert response.rag == "amber"
    assert response.last_update_at == update.created_at
    assert update.percent_complete == 40
    evidence = list(update.evidence.order_by("pk"))
    assert [e.download_name for e in evidence] == ["plan.pdf", "photo.png"]
    assert [e.content_type for e in evidence] == ["application/pdf", "image/png"]
    assert len(stored_files(file_store)) == 2
    for item in evidence:
        assert item.stored_name.startswith("evidence/")
        assert "plan" not in item.stored_name and "photo" not in item.stored_name
        assert events(item, "create")
    assert events(update, "create")
    assert events(response, "update")[-1].changes["rag"] == ["", "amber"]
    assert TimelineEvent.objects.filter(update=update, kind=TimelineKind.UPDATE).exists()


def test_a_correction_is_a_new_update_that_says_what_it_corrects(world, allocated_a):
    first = post(allocated_a, world.force_a_editor, rag="green")
    correction = post(
        allocated_a, world.force_a_editor, rag="red", corrects=first, narrative="Not yet live."
    )
    assert correction.corrects == first
    assert ProgressUpdate.objects.filter(response=allocated_a).count() == 2
    first.refresh_from_db()
    assert first.rag == "green"
    assert fresh(allocated_a).rag == "red"
    with pytest.raises(PermissionError):
        first.save()
    with pytest.raises(PermissionError):
        first.delete()


def test_an_update_cannot_correct_another_responses_update(world, people, allocated_a):
    other = allocate(response_of(world.national_all, world.force_a), people)
    theirs = post(other, world.force_a_editor)
    with pytest.raises(ValidationError) as refused:
        post(allocated_a, world.force_a_editor, corrects=theirs.pk)
    assert "corrects" in refused.value.message_dict


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"narrative": "  "}, "narrative"),
        ({"rag": "blue"}, "rag"),
        ({"percent_complete": 101}, "percent_complete"),
        ({"percent_complete": "half"}, "percent_complete"),
    ],
)
def test_bad_updates_are_refused(world, allocated_a, changes, field):
    with pytest.raises(ValidationError) as refused:
        post(allocated_a, world.force_a_editor, **changes)
    assert field in refused.value.message_dict
    assert not ProgressUpdate.objects.exists()
    assert fresh(allocated_a).version == allocated_a.version


def test_updates_wait_for_allocation_and_publication(world, response_a):
    with pytest.raises(ValidationError, match="Allocate this response"):
        post(response_a, world.force_a_editor)
    fact_check = response_of(world.fact_check_a, world.force_a)
    with pytest.raises(ValidationError, match="once the finding is published"):
        post(fact_check, world.force_a_editor)


@pytest.mark.parametrize(
    "persona", ["force_b_reader", "pcc_officer", "inspector", "national_reader"]
)
def test_only_the_organisations_editors_post_updates(world, allocated_a, persona):
    with pytest.raises(PermissionDenied):
        post(allocated_a, getattr(world, persona))


def test_a_force_editor_cannot_post_on_another_forces_response(world, people, response_b):
    with pytest.raises(PermissionDenied):
        post(response_b, world.force_a_editor)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.pdf", EXE, "must be a PDF"),
        ("empty.pdf", b"", "is empty"),
        ("plan.docx", zip_bomb_docx(), "zip bomb"),
    ],
)
def test_a_bad_file_refuses_the_whole_update_and_stores_nothing(
    world, allocated_a, file_store, name, data, message
):
    with pytest.raises(ValidationError) as refused:
        post(allocated_a, world.force_a_editor, files=[upload("good.pdf", PDF), upload(name, data)])
    assert message in refused.value.message_dict["files"][0]
    assert stored_files(file_store) == []
    assert not ProgressUpdate.objects.exists()
    assert not Evidence.objects.exists()
    assert fresh(allocated_a).version == allocated_a.version


def test_an_oversize_file_is_refused(world, allocated_a, file_store, settings):
    settings.RECREG_EVIDENCE_MAX_BYTES = 64
    with pytest.raises(ValidationError, match="must be smaller than 64"):
        post(allocated_a, world.force_a_editor, files=[upload("plan.pdf", PDF + b" " * 100)])
    assert stored_files(file_store) == []
    assert not Evidence.objects.exists()


def test_files_already_stored_are_removed_if_the_transaction_fails(
    world, allocated_a, file_store, monkeypatch
):
    # The second file's row fails after the first file and its row were saved.
    real = services.record_create
    calls = {"n": 0}

    def failing(instance, **kwargs):
        if isinstance(instance, Evidence):
            calls["n"] += 1
            if calls["n"] == 2:
                raise RuntimeError("database went away")
        return real(instance, **kwargs)

    monkeypatch.setattr(services, "record_create", failing)
    with pytest.raises(RuntimeError):
        post(
            allocated_a,
            world.force_a_editor,
            files=[upload("a.pdf", PDF), upload("b.pdf", PDF)],
        )
    assert stored_files(file_store) == []
    assert not Evidence.objects.exists()
    assert not ProgressUpdate.objects.exists()


def test_attaching_evidence_on_its_own(world, allocated_a, file_store):
    rows = services.attach_evidence(
        allocated_a,
        files=[upload("plan.docx", docx())],
        description="Signed action plan",
        expected_version=allocated_a.version,
        actor=world.force_a_editor,
    )
    assert rows[0].description == "Signed action plan"
    assert rows[0].file_type == "docx"
    assert len(stored_files(file_store)) == 1
    assert fresh(allocated_a).version == allocated_a.version + 1
    assert events(rows[0], "create")
    assert TimelineEvent.objects.filter(evidence=rows[0]).exists()
    with pytest.raises(ValidationError, match="Choose a file"):
        services.attach_evidence(
            allocated_a, files=[], expected_version=fresh(allocated_a).version,
            actor=world.force_a_editor,
        )  # fmt: skip


def test_a_force_editor_cannot_attach_to_another_forces_response(world, response_b, file_store):
    with pytest.raises(PermissionDenied):
        services.attach_evidence(
            response_b,
            files=[upload("plan.pdf", PDF)],
            expected_version=response_b.version,
            actor=world.force_a_editor,
        )
    assert stored_files(file_store) == []


# Optimistic concurrency


def test_a_save_based_on_a_stale_version_is_refused(world, people, allocated_a):
    opened = allocated_a.version
    post(allocated_a, world.force_a_editor, narrative="First editor's update")
    with pytest.raises(services.StaleResponse) as refused:
        services.post_update(
            allocated_a,
            narrative="Second editor's update",
            rag="green",
            expected_version=opened,
            actor=people.other_editor,
        )
    assert refused.value.messages[0].startswith(
        "Someone else changed this response since you opened it"
    )
    assert list(ProgressUpdate.objects.values_list("narrative", flat=True)) == [
        "First editor's update"
    ]
    assert fresh(allocated_a).rag == "amber"


def test_every_change_raises_the_version(world, people, allocated_a):
    versions = [fresh(allocated_a).version]
    post(allocated_a, world.force_a_editor)
    versions.append(fresh(allocated_a).version)
    services.change_target_date(
        allocated_a,
        new_date=timezone.localdate() + datetime.timedelta(days=10),
        reason="Slipped",
        expected_version=versions[-1],
        actor=world.force_a_editor,
    )
    versions.append(fresh(allocated_a).version)
    services.propose_closure(
        allocated_a,
        statement="Done",
        files=[upload("a.pdf", PDF)],
        expected_version=versions[-1],
        actor=world.force_a_editor,
    )
    versions.append(fresh(allocated_a).version)
    assert versions == sorted(set(versions))


# Target dates


def test_moving_a_target_date_keeps_the_history(world, allocated_a):
    old = fresh(allocated_a).target_date
    assert old == world.published_a.deadline_date
    new = timezone.localdate() + datetime.timedelta(days=90)
    change = services.change_target_date(
        allocated_a,
        new_date=new,
        reason="The new IT system arrives in the spring",
        expected_version=allocated_a.version,
        actor=world.force_a_editor,
    )
    assert (change.old_date, change.new_date, change.changed_by) == (
        old,
        new,
        world.force_a_editor,
    )
    assert fresh(allocated_a).target_date == new
    assert events(change, "create")
    audit = events(allocated_a, "update")[-1]
    assert audit.changes["target_date"] == [old.isoformat(), new.isoformat()]
    assert audit.note == "The new IT system arrives in the spring"
    line = TimelineEvent.objects.get(target_change=change)
    assert "Moved the target date" in line.summary


def test_moving_a_target_date_needs_a_reason_and_a_real_new_date(world, allocated_a):
    base = {"expected_version": allocated_a.version, "actor": world.force_a_editor}
    with pytest.raises(ValidationError) as refused:
        services.change_target_date(
            allocated_a, new_date=timezone.localdate() + datetime.timedelta(days=5), reason=" ",
            **base,
        )  # fmt: skip
    assert refused.value.message_dict["reason"] == ["Enter the reason the target date is changing"]
    with pytest.raises(ValidationError, match="same as the current"):
        services.change_target_date(
            allocated_a, new_date=allocated_a.target_date, reason="x", **base
        )
    with pytest.raises(ValidationError, match="today or in the future"):
        services.change_target_date(
            allocated_a, new_date=datetime.date(2020, 1, 1), reason="x", **base
        )
    assert not TargetDateChange.objects.exists()


def test_a_first_target_date_needs_no_reason(world, people):
    response = allocate(response_of(world.joint_a, world.force_a), people)
    assert response.target_date is None
    change = services.change_target_date(
        response,
        new_date=timezone.localdate() + datetime.timedelta(days=30),
        reason="",
        expected_version=fresh(response).version,
        actor=world.force_a_editor,
    )
    assert change.old_date is None


# Closure


def propose(response, actor, **kwargs):
    kwargs.setdefault("statement", "The policy is live and audited.")
    kwargs.setdefault("files", [upload("audit.pdf", PDF)])
    return services.propose_closure(
        response, expected_version=fresh(response).version, actor=actor, **kwargs
    )


def decide(proposal, actor, decision, **kwargs):
    return services.decide_closure(
        proposal,
        decision=decision,
        expected_version=fresh(proposal.response).version,
        actor=actor,
        **kwargs,
    )


def test_proposing_closure_waits_for_sign_off(world, allocated_a, file_store):
    proposal = propose(allocated_a, world.force_a_editor)
    response = fresh(allocated_a)
    assert response.state == ResponseState.PENDING_SIGN_OFF
    assert response.state_changed_at == proposal.proposed_at
    assert proposal.evidence.count() == 1
    assert events(proposal, "create")
    assert events(response, "update")[-1].note == "Closure proposed"
    assert "the inspectorate" in TimelineEvent.objects.get(proposal=proposal).summary
    with pytest.raises(ValidationError, match="already waiting"):
        propose(response, world.force_a_editor)


def test_a_proposal_needs_a_statement_and_evidence(world, allocated_a):
    with pytest.raises(ValidationError) as refused:
        propose(allocated_a, world.force_a_editor, statement="", files=[])
    assert set(refused.value.message_dict) == {"statement", "files"}
    post(allocated_a, world.force_a_editor, files=[upload("plan.pdf", PDF)])
    # Evidence already on the response will do.
    assert propose(allocated_a, world.force_a_editor, files=[])


def test_a_response_must_be_allocated_before_closure_is_proposed(world, response_a):
    with pytest.raises(ValidationError, match="Allocate"):
        propose(response_a, world.force_a_editor)


@pytest.mark.parametrize("persona", ["force_b_reader", "pcc_officer", "inspector"])
def test_only_the_organisations_editors_propose_closure(world, allocated_a, persona):
    with pytest.raises(PermissionDenied):
        propose(allocated_a, getattr(world, persona))


def test_the_inspectorate_completes_its_findings_responses(world, allocated_a):
    proposal = propose(allocated_a, world.force_a_editor)
    with pytest.raises(PermissionDenied):
        decide(proposal, world.force_a_editor, ClosureDecision.COMPLETED)
    decided = decide(proposal, world.inspector, ClosureDecision.COMPLETED)
    response = fresh(allocated_a)
    assert response.state == ResponseState.COMPLETED
    assert decided.decided_by == world.inspector
    assert events(proposal, "update")[-1].changes["decision"] == ["", "completed"]
    assert events(response, "update")[-1].note == "Closure decision: Completed"
    with pytest.raises(ValidationError, match="already been decided"):
        services.decide_closure(
            proposal,
            decision=ClosureDecision.REOPENED,
            reason="Changed my mind",
            expected_version=response.version,
            actor=world.inspector,
        )


def test_reopening_needs_a_reason_and_goes_back_to_in_progress(world, allocated_a):
    proposal = propose(allocated_a, world.force_a_editor)
    with pytest.raises(ValidationError) as refused:
        decide(proposal, world.inspector, ClosureDecision.REOPENED)
    assert refused.value.message_dict["reason"] == ["Enter the reason for this decision"]
    decide(proposal, world.inspector, ClosureDecision.REOPENED, reason="No evidence of audit")
    assert fresh(allocated_a).state == ResponseState.IN_PROGRESS
    # The force can propose again.
    assert propose(allocated_a, world.force_a_editor)


def test_closing_as_not_implemented_needs_a_reason(world, allocated_a):
    proposal = propose(allocated_a, world.force_a_editor)
    with pytest.raises(ValidationError):
        decide(proposal, world.inspector, ClosureDecision.CLOSED_NOT_IMPLEMENTED)
    decide(
        proposal,
        world.inspector,
        ClosureDecision.CLOSED_NOT_IMPLEMENTED,
        reason="The force chose a different approach",
    )
    assert fresh(allocated_a).state == ResponseState.CLOSED_NOT_IMPLEMENTED


def test_superseding_links_the_later_finding(world, allocated_a):
    proposal = propose(allocated_a, world.force_a_editor)
    with pytest.raises(ValidationError) as refused:
        decide(proposal, world.inspector, ClosureDecision.SUPERSEDED)
    assert "superseded_by" in refused.value.message_dict
    with pytest.raises(ValidationError, match="cannot supersede itself"):
        decide(
            proposal, world.inspector, ClosureDecision.SUPERSEDED, superseded_by=world.published_a
        )
    with pytest.raises(ValidationError, match="not a draft"):
        decide(proposal, world.inspector, ClosureDecision.SUPERSEDED, superseded_by=world.draft_a)
    decided = decide(
        proposal, world.inspector, ClosureDecision.SUPERSEDED, superseded_by=world.national_all
    )
    assert decided.superseded_by == world.national_all
    assert fresh(allocated_a).state == ResponseState.SUPERSEDED
    assert "superseded by" in TimelineEvent.objects.filter(proposal=proposal).first().summary


def test_other_inspectorates_findings_are_signed_off_by_the_force(world, people):
    response = allocate(response_of(world.joint_a, world.force_a), people)
    proposal = propose(response, world.force_a_editor)
    with pytest.raises(PermissionDenied):
        decide(proposal, world.inspector, ClosureDecision.COMPLETED)
    decide(proposal, people.other_editor, ClosureDecision.COMPLETED)
    assert fresh(response).state == ResponseState.COMPLETED


def test_closed_responses_take_no_more_changes(world, allocated_a):
    proposal = propose(allocated_a, world.force_a_editor)
    decide(proposal, world.inspector, ClosureDecision.COMPLETED)
    response = fresh(allocated_a)
    with pytest.raises(ValidationError, match="closed"):
        post(response, world.force_a_editor)
    with pytest.raises(ValidationError, match="closed"):
        services.change_target_date(
            response,
            new_date=timezone.localdate() + datetime.timedelta(days=3),
            reason="x",
            expected_version=response.version,
            actor=world.force_a_editor,
        )


# Factual accuracy check


def challenge(world, **kwargs):
    response = response_of(world.fact_check_a, world.force_a)
    kwargs.setdefault("proposed_text", "The force should review its custody staffing at night.")
    kwargs.setdefault("reason", "Day shifts were fully staffed throughout the inspection.")
    return services.raise_challenge(
        response, expected_version=response.version, actor=world.force_a_editor, **kwargs
    )


def test_a_force_challenges_wording_during_the_check(world):
    raised = challenge(world)
    assert raised.state == ChallengeState.PENDING
    assert raised.original_text == world.fact_check_a.text
    assert events(raised, "create")
    assert TimelineEvent.objects.filter(challenge=raised).exists()
    with pytest.raises(ValidationError, match="still waiting"):
        challenge(world)


def test_challenges_are_only_for_the_check_and_need_new_wording_and_a_reason(world, people):
    with pytest.raises(ValidationError) as refused:
        challenge(world, proposed_text=world.fact_check_a.text, reason="")
    assert set(refused.value.message_dict) == {"proposed_text", "reason"}
    published = allocate(response_of(world.published_a, world.force_a), people)
    with pytest.raises(ValidationError, match="only during the factual accuracy check"):
        services.raise_challenge(
            published,
            proposed_text="Other words",
            reason="Because",
            expected_version=fresh(published).version,
            actor=world.force_a_editor,
        )


def test_only_the_addressed_forces_editors_challenge(world):
    response = response_of(world.fact_check_b, world.force_b)
    with pytest.raises(PermissionDenied):
        services.raise_challenge(
            response,
            proposed_text="x",
            reason="y",
            expected_version=response.version,
            actor=world.force_a_editor,
        )


def test_accepting_a_challenge_changes_the_finding_and_keeps_both_versions(world):
    raised = challenge(world)
    response = raised.response
    with pytest.raises(PermissionDenied):
        services.decide_challenge(
            raised,
            accept=True,
            expected_version=fresh(response).version,
            actor=world.force_a_editor,
        )
    services.decide_challenge(
        raised, accept=True, expected_version=fresh(response).version, actor=world.inspector
    )
    raised.refresh_from_db()
    world.fact_check_a.refresh_from_db()
    assert raised.state == ChallengeState.ACCEPTED
    assert world.fact_check_a.text == raised.proposed_text
    assert raised.original_text != raised.proposed_text
    text_change = events(world.fact_check_a, "update")[-1]
    assert text_change.changes["text"] == [raised.original_text, raised.proposed_text]
    assert events(raised, "update")


def test_rejecting_a_challenge_needs_a_reason(world):
    raised = challenge(world)
    version = fresh(raised.response).version
    with pytest.raises(ValidationError):
        services.decide_challenge(
            raised, accept=False, expected_version=version, actor=world.inspector
        )
    services.decide_challenge(
        raised, accept=False, reason="Our notes show otherwise", expected_version=version,
        actor=world.inspector,
    )  # fmt: skip
    raised.refresh_from_db()
    world.fact_check_a.refresh_from_db()
    assert raised.state == ChallengeState.REJECTED
    assert world.fact_check_a.text == raised.original_text


def test_a_challenge_to_outdated_wording_cannot_be_accepted(world):
    raised = challenge(world)
    finding_services.update_finding(world.fact_check_a, actor=world.inspector, text="Rewritten.")
    with pytest.raises(ValidationError, match="wording has changed"):
        services.decide_challenge(
            raised, accept=True, expected_version=fresh(raised.response).version,
            actor=world.inspector,
        )  # fmt: skip
    assert WordingChallenge.objects.get(pk=raised.pk).state == ChallengeState.PENDING


# Causes of concern


@pytest.fixture
def concern(world):
    concern = finding_services.create_finding(
        actor=world.inspector,
        inspection=world.inspection_a,
        kind=FindingKind.CAUSE_OF_CONCERN,
        text="The force does not protect vulnerable people well enough.",
        addressees=[world.force_a],
        state=FindingState.PUBLISHED,
    )
    child = finding_services.create_finding(
        actor=world.inspector,
        inspection=world.inspection_a,
        kind=FindingKind.RECOMMENDATION,
        parent=concern,
        text="Within three months, the force should train every call handler.",
        addressees=[world.force_a],
        state=FindingState.PUBLISHED,
    )
    return concern, child


def discharge(response, actor, **kwargs):
    kwargs.setdefault("reason", "Re-inspection found the risk addressed")
    return services.discharge_concern(
        response, expected_version=fresh(response).version, actor=actor, **kwargs
    )


def test_a_concern_with_open_recommendations_needs_an_override(world, people, concern):
    cause, child = concern
    response = response_of(cause, world.force_a)
    with pytest.raises(ValidationError) as refused:
        discharge(response, world.inspector)
    assert (
        "1 of its 1 recommendations are still open"
        in refused.value.message_dict["override_reason"][0]
    )
    done = discharge(response, world.inspector, override_reason="Risk to the public removed")
    assert done.open_recommendations == 1
    assert fresh(response).state == ResponseState.COMPLETED
    assert events(done, "create")


def test_a_concern_is_discharged_once_its_recommendations_are_closed(world, people, concern):
    cause, child = concern
    child_response = allocate(response_of(child, world.force_a), people)
    proposal = propose(child_response, world.force_a_editor)
    decide(proposal, world.inspector, ClosureDecision.COMPLETED)
    response = response_of(cause, world.force_a)
    with pytest.raises(PermissionDenied):
        discharge(response, world.force_a_editor)
    done = discharge(response, world.inspector)
    assert done.override_reason == ""
    assert done.decided_by == world.inspector
    assert ConcernDischarge.objects.count() == 1
    assert TimelineEvent.objects.filter(discharge=done, kind=TimelineKind.DISCHARGED).exists()
    with pytest.raises(ValidationError, match="closed"):
        discharge(fresh(response), world.inspector)


def test_only_a_cause_of_concern_is_discharged(world, allocated_a):
    with pytest.raises(ValidationError, match="Only a cause of concern"):
        discharge(allocated_a, world.inspector)


def test_proposals_are_one_at_a_time_in_the_database(world, allocated_a):
    from django.db import IntegrityError, transaction

    propose(allocated_a, world.force_a_editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        ClosureProposal.objects.create(
            response=allocated_a, statement="again", proposed_by=world.force_a_editor
        )


def test_a_national_body_signs_off_its_own_responses(world):
    """A national body's response is closed by the body's own editors, not the inspectorate."""
    body_editor = UserFactory(
        email="editor@home-office.test", role=Role.FORCE_EDITOR, organisation=world.home_office
    )
    body_owner = UserFactory(
        email="owner@home-office.test", role=Role.FORCE_READER, organisation=world.home_office
    )
    response = response_of(world.national_body, world.home_office)
    response = services.allocate_response(
        response,
        owner=body_owner,
        tactical_lead=body_owner,
        governance_board=None,
        expected_version=response.version,
        actor=body_editor,
    )
    proposal = propose(response, body_editor)
    for outsider in (world.inspector, world.force_a_editor):
        with pytest.raises(PermissionDenied):
            decide(proposal, outsider, ClosureDecision.COMPLETED)
    decide(proposal, body_editor, ClosureDecision.COMPLETED)
    assert fresh(response).state == ResponseState.COMPLETED
