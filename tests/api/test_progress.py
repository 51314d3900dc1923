"""Progress through the API: the timeline, every step the pages offer, the same access rules,
the optimistic version check, and the audit trail."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
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
from recreg.progress.models import (
    ClosureProposal,
    ConcernDischarge,
    Evidence,
    ProgressUpdate,
    TargetDateChange,
    WordingChallenge,
)
from tests.api.conftest import ApiClient, token_for
from tests.factories import UserFactory
from tests.progress.conftest import EXE, PDF, upload


class Team:
    """Force A's chief officer, superintendent and board, and an editor of force B."""


@pytest.fixture
def team(world):
    t = Team()
    t.owner = UserFactory(
        email="acc@force-a.test",
        full_name="Alex Chief",
        role=Role.FORCE_READER,
        organisation=world.force_a,
    )
    t.lead = UserFactory(
        email="supt@force-a.test",
        full_name="Sam Super",
        role=Role.FORCE_READER,
        organisation=world.force_a,
    )
    t.board = GovernanceBoard.objects.create(organisation=world.force_a, name="Crime Board")
    t.b_editor = UserFactory(
        email="editor@force-b.test",
        full_name="Ben Editor",
        role=Role.FORCE_EDITOR,
        organisation=world.force_b,
    )
    return t


def response_of(finding, organisation) -> Response:
    return Response.objects.get(finding=finding, organisation=organisation)


@pytest.fixture
def response_a(world):
    return response_of(world.published_a, world.force_a)


@pytest.fixture
def response_b(world):
    return response_of(world.published_b, world.force_b)


def version(response) -> int:
    return Response.objects.get(pk=response.pk).version


def as_user(user) -> ApiClient:
    return ApiClient(Client(), token_for(user))


def allocate(client, response, team, **extra):
    return client.post(
        f"/responses/{response.pk}/allocation",
        {
            "owner": team.owner.pk,
            "tactical_lead": team.lead.pk,
            "governance_board": team.board.pk,
            "expected_version": version(response),
            **extra,
        },
    )


def allocate_b(team, response_b):
    response = allocate(
        as_user(team.b_editor),
        response_b,
        team,
        owner=team.b_editor.pk,
        tactical_lead=team.b_editor.pk,
        governance_board=None,
    )
    assert response.status_code == 200, response.content


def errors_by_field(response) -> dict:
    body = response.json()
    return {e["field"]: e["message"] for e in body["errors"]}


# --- Allocation, the version check and the audit trail ----------------------------------------


def test_an_editor_allocates_and_the_timeline_says_who_and_when(world, api_as, team, response_a):
    client = api_as("force_a_editor")
    audited = AuditEvent.objects.for_object(response_a).count()
    answer = allocate(client, response_a, team)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["response"]["state"] == ResponseState.IN_PROGRESS
    assert body["response"]["owner"]["name"] == "Alex Chief"
    assert body["response"]["governance_board"]["name"] == "Crime Board"
    assert body["response"]["version"] == response_a.version + 1
    [event] = body["events"]
    assert event["kind"] == "allocated"
    assert event["by"] == "Edith Editor"
    assert "Alex Chief" in event["summary"]
    assert AuditEvent.objects.for_object(response_a).count() == audited + 1
    assert AuditEvent.objects.for_object(response_a).last().actor == world.force_a_editor
    timeline = client.get(f"/responses/{response_a.pk}/timeline").json()
    assert [e["kind"] for e in timeline["results"]] == ["allocated"]
    assert timeline["response"]["version"] == body["response"]["version"]


def test_people_and_boards_by_email_and_name(api_as, team, response_a):
    answer = allocate(
        api_as("force_a_editor"),
        response_a,
        team,
        owner="ACC@force-a.test",
        tactical_lead=team.lead.email,
        governance_board="crime board",
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()["response"]
    assert (body["owner"]["id"], body["tactical_lead"]["id"]) == (team.owner.pk, team.lead.pk)
    assert body["governance_board"]["id"] == team.board.pk


def test_a_stale_version_is_refused_with_409_and_nothing_is_saved(api_as, team, response_a):
    client = api_as("force_a_editor")
    stale = version(response_a)
    assert allocate(client, response_a, team).status_code == 200
    answer = allocate(client, response_a, team, expected_version=stale, governance_board=None)
    assert answer.status_code == 409
    body = answer.json()
    assert "Someone else changed this response" in body["detail"]
    assert body["errors"][0]["field"] == "expected_version"
    assert Response.objects.get(pk=response_a.pk).governance_board == team.board


def test_bad_values_are_422_naming_the_field(world, api_as, team, response_a):
    client = api_as("force_a_editor")
    stranger = team.b_editor.pk
    answer = allocate(client, response_a, team, owner=stranger)
    assert answer.status_code == 422
    assert "owner" in errors_by_field(answer)
    answer = allocate(client, response_a, team, governance_board="No Such Board")
    assert answer.status_code == 422
    assert set(errors_by_field(answer)) == {"governance_board"}
    answer = client.post(f"/responses/{response_a.pk}/allocation", {"owner": team.owner.pk})
    assert answer.status_code == 422
    assert {"tactical_lead", "expected_version"} <= set(errors_by_field(answer))
    answer = client.post(f"/responses/{response_a.pk}/allocation", raw="{not json")
    assert answer.status_code == 400
    assert allocate(client, response_a, team).status_code == 200
    answer = client.post(
        f"/responses/{response_a.pk}/updates",
        {"narrative": "Going well.", "rag": "blue", "expected_version": version(response_a)},
    )
    assert answer.status_code == 422
    assert set(errors_by_field(answer)) == {"rag"}
    answer = client.post(
        f"/responses/{response_a.pk}/updates",
        {"narrative": "  ", "rag": "red", "expected_version": version(response_a)},
    )
    assert answer.status_code == 422
    assert set(errors_by_field(answer)) == {"narrative"}
    assert not ProgressUpdate.objects.exists()


def test_a_step_the_state_does_not_allow_is_409_with_the_reason(api_as, response_a):
    answer = api_as("force_a_editor").post(
        f"/responses/{response_a.pk}/updates",
        {"narrative": "Started.", "rag": "green", "expected_version": version(response_a)},
    )
    assert answer.status_code == 409
    assert "Allocate this response" in answer.json()["detail"]


# --- Updates and evidence ---------------------------------------------------------------------


def test_an_update_with_evidence_and_its_download(world, api_as, team, response_a, response_b):
    client = api_as("force_a_editor")
    allocate(client, response_a, team)
    answer = client.post_form(
        f"/responses/{response_a.pk}/updates",
        {
            "narrative": "The new safeguarding policy is live.",
            "rag": "amber",
            "percent_complete": "60",
            "expected_version": str(version(response_a)),
            "files": [upload("policy.pdf", PDF)],
        },
    )
    assert answer.status_code == 201, answer.content
    [event] = answer.json()["events"]
    update = event["update"]
    assert (update["rag"], update["percent_complete"]) == ("amber", 60)
    [evidence] = update["evidence"]
    assert evidence["name"] == "policy.pdf" and evidence["file_type"] == "pdf"
    assert answer.json()["response"]["rag"] == "amber"
    url = evidence["download_url"]
    assert url == f"/api/v1/evidence/{evidence['id']}"
    download = client.client.get(url, headers=client.headers)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Cache-Control"] == "private, no-store"
    # Never public; hidden from another force; readable by A's PCC office.
    assert api_as("anonymous").client.get(url).status_code == 401
    b = as_user(team.b_editor)
    assert b.client.get(url, headers=b.headers).status_code == 404
    pcc = api_as("pcc_officer")
    assert pcc.client.get(url, headers=pcc.headers).status_code == 200
    # A correction names the update it corrects.
    correction = client.post(
        f"/responses/{response_a.pk}/updates",
        {
            "narrative": "Correction: the policy went live in March, not April.",
            "rag": "amber",
            "corrects": update["id"],
            "expected_version": version(response_a),
        },
    )
    assert correction.status_code == 201, correction.content
    assert correction.json()["events"][0]["update"]["corrects"] == update["id"]
    assert AuditEvent.objects.for_object(ProgressUpdate.objects.last()).exists()


def test_a_bad_file_is_refused_and_nothing_is_kept(api_as, team, response_a, settings):
    client = api_as("force_a_editor")
    allocate(client, response_a, team)
    answer = client.post_form(
        f"/responses/{response_a.pk}/updates",
        {
            "narrative": "Here is the plan.",
            "rag": "green",
            "expected_version": str(version(response_a)),
            "files": [upload("plan.pdf", EXE)],
        },
    )
    assert answer.status_code == 422
    assert "files" in errors_by_field(answer)
    assert not ProgressUpdate.objects.exists() and not Evidence.objects.exists()


def test_evidence_on_its_own(api_as, team, response_a):
    client = api_as("force_a_editor")
    allocate(client, response_a, team)
    answer = client.post_form(
        f"/responses/{response_a.pk}/evidence",
        {
            "description": "Board minutes",
            "expected_version": str(version(response_a)),
            "files": [upload("minutes.txt", "Minutes of the board.\n"), upload("a.pdf", PDF)],
        },
    )
    assert answer.status_code == 201, answer.content
    events = answer.json()["events"]
    assert [e["kind"] for e in events] == ["evidence", "evidence"]
    assert {e["evidence"]["description"] for e in events} == {"Board minutes"}
    # Without files there is nothing to attach.
    answer = client.post(
        f"/responses/{response_a.pk}/evidence", {"expected_version": version(response_a)}
    )
    assert answer.status_code == 422
    assert "files" in errors_by_field(answer)


# --- Target dates -----------------------------------------------------------------------------


def test_moving_a_target_date_needs_a_reason(api_as, response_a):
    client = api_as("force_a_editor")
    new_date = (timezone.localdate() + datetime.timedelta(days=200)).isoformat()
    answer = client.post(
        f"/responses/{response_a.pk}/target-date",
        {"new_date": new_date, "expected_version": version(response_a)},
    )
    assert answer.status_code == 422
    assert set(errors_by_field(answer)) == {"reason"}
    answer = client.post(
        f"/responses/{response_a.pk}/target-date",
        {"new_date": "31/02/2030", "reason": "x", "expected_version": version(response_a)},
    )
    assert answer.status_code == 422
    assert "new_date" in errors_by_field(answer)
    old = Response.objects.get(pk=response_a.pk).target_date
    answer = client.post(
        f"/responses/{response_a.pk}/target-date",
        {
            "new_date": new_date,
            "reason": "Training ends later.",
            "expected_version": version(response_a),
        },
    )
    assert answer.status_code == 201, answer.content
    change = answer.json()["events"][0]["target_change"]
    assert change == {
        "old_date": old.isoformat(),
        "new_date": new_date,
        "reason": "Training ends later.",
    }
    assert answer.json()["response"]["target_date"] == new_date
    assert AuditEvent.objects.for_object(TargetDateChange.objects.get()).exists()


# --- Closure ----------------------------------------------------------------------------------


def propose(client, response, **extra):
    return client.post_form(
        f"/responses/{response.pk}/closure-proposals",
        {
            "statement": "Done and audited.",
            "expected_version": str(version(response)),
            "files": [upload("audit.pdf", PDF)],
            **extra,
        },
    )


def test_propose_then_the_inspectorate_completes_and_the_public_sees_it(
    world, api_as, team, response_a
):
    editor = api_as("force_a_editor")
    allocate(editor, response_a, team)
    answer = propose(editor, response_a)
    assert answer.status_code == 201, answer.content
    proposal = answer.json()["events"][0]["proposal"]
    assert answer.json()["response"]["state"] == ResponseState.PENDING_SIGN_OFF
    assert len(proposal["evidence"]) == 1
    decide = f"/closure-proposals/{proposal['id']}/decision"
    # The force does not sign off the inspectorate's findings.
    refused = editor.post(
        decide, {"decision": "completed", "expected_version": version(response_a)}
    )
    assert refused.status_code == 403
    inspector = api_as("inspector")
    answer = inspector.post(
        decide, {"decision": "completed", "expected_version": version(response_a)}
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["response"]["state"] == ResponseState.COMPLETED
    assert answer.json()["events"][0]["by"] == "Ines Inspector"
    assert AuditEvent.objects.for_object(ClosureProposal.objects.get()).count() == 2
    again = inspector.post(
        decide, {"decision": "reopened", "reason": "x", "expected_version": version(response_a)}
    )
    assert again.status_code == 409
    # The public sees the state and when it changed, and nothing else.
    public = api_as("anonymous").get(f"/responses/{response_a.pk}/timeline")
    assert public.status_code == 200
    assert public.json() == {
        "response": {
            "id": response_a.pk,
            "finding": world.published_a.pk,
            "organisation": {"slug": "force-a", "name": "Avon Test Police", "kind": "force"},
            "state": "completed",
            "state_changed_at": public.json()["response"]["state_changed_at"],
        }
    }
    assert "Done and audited" not in public.content.decode()


def test_decisions_that_need_more_are_422(api_as, team, response_a, world):
    editor = api_as("force_a_editor")
    allocate(editor, response_a, team)
    proposal = propose(editor, response_a).json()["events"][0]["proposal"]
    decide = f"/closure-proposals/{proposal['id']}/decision"
    inspector = api_as("inspector")
    for body, field in [
        ({"decision": "superseded"}, "superseded_by"),
        ({"decision": "superseded", "superseded_by": 2**62}, "superseded_by"),
        ({"decision": "closed_not_implemented"}, "reason"),
        ({"decision": "maybe"}, "decision"),
    ]:
        answer = inspector.post(decide, {**body, "expected_version": version(response_a)})
        assert answer.status_code == 422, body
        assert field in errors_by_field(answer), body
    answer = inspector.post(
        decide,
        {
            "decision": "superseded",
            "superseded_by": world.national_all.pk,
            "expected_version": version(response_a),
        },
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["events"][0]["proposal"]["superseded_by"] == world.national_all.pk


def test_sent_back_then_closed_as_not_implemented(api_as, team, response_a):
    editor = api_as("force_a_editor")
    inspector = api_as("inspector")
    allocate(editor, response_a, team)
    proposal = propose(editor, response_a).json()["events"][0]["proposal"]
    answer = inspector.post(
        f"/closure-proposals/{proposal['id']}/decision",
        {
            "decision": "reopened",
            "reason": "No evidence of audit.",
            "expected_version": version(response_a),
        },
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["response"]["state"] == ResponseState.IN_PROGRESS
    assert answer.json()["events"][0]["proposal"]["decision_reason"] == "No evidence of audit."
    # The evidence attached before still counts for the next proposal.
    proposal = propose(editor, response_a, files=[]).json()["events"][0]["proposal"]
    answer = inspector.post(
        f"/closure-proposals/{proposal['id']}/decision",
        {
            "decision": "closed_not_implemented",
            "reason": "The force decided not to do this.",
            "expected_version": version(response_a),
        },
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["response"]["state"] == ResponseState.CLOSED_NOT_IMPLEMENTED
    # A closed response takes no more updates.
    answer = editor.post(
        f"/responses/{response_a.pk}/updates",
        {"narrative": "More.", "rag": "green", "expected_version": version(response_a)},
    )
    assert answer.status_code == 409
    assert "closed" in answer.json()["detail"]


# --- Wording challenges and causes of concern --------------------------------------------------


def test_a_challenge_and_its_decision(world, api_as):
    response = response_of(world.fact_check_a, world.force_a)
    editor = api_as("force_a_editor")
    answer = editor.post(
        f"/responses/{response.pk}/challenges",
        {
            "proposed_text": "The force should review its custody staffing at night.",
            "reason": "Day shifts were fully staffed.",
            "expected_version": version(response),
        },
    )
    assert answer.status_code == 201, answer.content
    challenge = answer.json()["events"][0]["challenge"]
    assert challenge["state"] == "pending"
    decide = f"/challenges/{challenge['id']}/decision"
    assert (
        editor.post(
            decide, {"decision": "accept", "expected_version": version(response)}
        ).status_code
        == 403
    )
    inspector = api_as("inspector")
    answer = inspector.post(decide, {"decision": "reject", "expected_version": version(response)})
    assert answer.status_code == 422
    assert "reason" in errors_by_field(answer)
    answer = inspector.post(decide, {"decision": "accept", "expected_version": version(response)})
    assert answer.status_code == 200, answer.content
    assert answer.json()["events"][0]["challenge"]["state"] == "accepted"
    world.fact_check_a.refresh_from_db()
    assert world.fact_check_a.text == "The force should review its custody staffing at night."
    assert AuditEvent.objects.for_object(WordingChallenge.objects.get()).count() == 2


def test_discharging_a_cause_of_concern(world, api_as):
    concern = finding_services.create_finding(
        actor=world.inspector,
        inspection=world.inspection_a,
        kind=FindingKind.CAUSE_OF_CONCERN,
        text="The force does not respond to calls quickly enough.",
        addressees=[world.force_a],
        state=FindingState.PUBLISHED,
    )
    response = response_of(concern, world.force_a)
    url = f"/responses/{response.pk}/discharge"
    assert (
        api_as("force_a_editor").post(url, {"reason": "Done", "expected_version": 0}).status_code
        == 403
    )
    inspector = api_as("inspector")
    answer = inspector.post(
        url, {"reason": "Calls are answered.", "expected_version": version(response)}
    )
    assert answer.status_code == 422
    assert "override_reason" in errors_by_field(answer)
    answer = inspector.post(
        url,
        {
            "reason": "Calls are answered.",
            "override_reason": "Its improvement was checked on inspection.",
            "expected_version": version(response),
        },
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["response"]["state"] == ResponseState.COMPLETED
    assert answer.json()["events"][0]["discharge"]["open_recommendations"] == 0
    assert AuditEvent.objects.for_object(ConcernDischarge.objects.get()).exists()
    again = inspector.post(url, {"reason": "Again", "expected_version": version(response)})
    assert again.status_code == 409


# --- Another force's responses ----------------------------------------------------------------


def test_force_a_cannot_touch_force_b_responses(world, api_as, team, response_b):
    allocate_b(team, response_b)
    b = as_user(team.b_editor)
    b.post_form(
        f"/responses/{response_b.pk}/updates",
        {
            "narrative": "Review started.",
            "rag": "red",
            "expected_version": str(version(response_b)),
            "files": [upload("review.pdf", PDF)],
        },
    )
    evidence = Evidence.objects.get(response=response_b)
    before = version(response_b)
    a = api_as("force_a_editor")
    form = {"expected_version": str(before), "files": [upload("x.pdf", PDF)]}
    attempts = [
        a.post_form(f"/responses/{response_b.pk}/updates", {**form, "narrative": "x", "rag": "red"}),
        a.post_form(f"/responses/{response_b.pk}/evidence", form),
        a.post_form(f"/responses/{response_b.pk}/closure-proposals", {**form, "statement": "x"}),
        a.post(f"/responses/{response_b.pk}/allocation", {"owner": 1, "tactical_lead": 1, "expected_version": before}),
        a.post(f"/responses/{response_b.pk}/target-date", {"new_date": "2030-01-01", "reason": "x", "expected_version": before}),
        a.get(f"/responses/{response_b.pk}/timeline"),
        a.get(f"/evidence/{evidence.pk}"),
    ]  # fmt: skip
    assert [r.status_code for r in attempts] == [404] * len(attempts)
    assert version(response_b) == before
    assert Evidence.objects.filter(response=response_b).count() == 1
    # Readers who see it but may not change it are refused, not hidden.
    for persona in ("inspectorate_reader", "national_reader"):
        answer = api_as(persona).post(
            f"/responses/{response_b.pk}/updates",
            {"narrative": "x", "rag": "red", "expected_version": before},
        )
        assert answer.status_code == 403, persona
    assert api_as("anonymous").post(f"/responses/{response_b.pk}/updates", {}).status_code == 401


# --- The timeline's cost ----------------------------------------------------------------------


def _timeline_queries(client, response, page_size):
    with CaptureQueriesContext(connection) as ctx:
        answer = client.get(f"/responses/{response.pk}/timeline", {"page_size": page_size})
    assert answer.status_code == 200, answer.content
    return len(ctx.captured_queries), answer.json()


@pytest.mark.parametrize(("persona", "session"), [("inspector", False), ("force_a_editor", True)])
def test_the_timeline_costs_the_same_queries_however_long(
    world, api_as, team, response_a, persona, session
):
    editor = api_as("force_a_editor")
    allocate(editor, response_a, team)
    for n in range(6):
        answer = editor.post_form(
            f"/responses/{response_a.pk}/updates",
            {
                "narrative": f"Update {n}.",
                "rag": "green",
                "expected_version": str(version(response_a)),
                "files": [upload(f"u{n}.pdf", PDF)],
            },
        )
        assert answer.status_code == 201
    propose(editor, response_a)
    client = api_as(persona, session=session)
    client.get(f"/responses/{response_a.pk}/timeline")  # the first call may touch the token
    # Two lines (the proposal and an update) already need both evidence lists.
    small, body_small = _timeline_queries(client, response_a, 2)
    large, body_large = _timeline_queries(client, response_a, 100)
    assert len(body_small["results"]) == 2
    assert len(body_large["results"]) == body_large["count"] == 8
    assert small == large
    # Who is asking (1 to 3), the response, the count, the page and its two evidence lists.
    assert large <= 3 + 5
