"""The weekly reminder digest: one email per person, only about open work, never to people
who have left, and never sent twice for a week however many workers run."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from recreg.accounts.roles import Role
from recreg.findings import services as finding_services
from recreg.findings.models import FindingKind, FindingState, Response
from recreg.progress import reminders, services
from recreg.progress.models import DigestDelivery, DigestRun, DigestRunState, DigestTrigger
from recreg.progress.tasks import send_weekly_digest
from tests.factories import UserFactory
from tests.progress.conftest import PDF, allocate, response_of, upload


def finding(world, text, to=None):
    return finding_services.create_finding(
        actor=world.inspector,
        inspection=world.inspection_a,
        kind=FindingKind.RECOMMENDATION,
        text=text,
        addressees=[to or world.force_a],
        state=FindingState.PUBLISHED,
    )


@pytest.fixture
def work(world, people, board):
    """Force A responses owned by Alex and led by Sam: overdue, due soon, gone quiet, fine,
    and one closed long ago past its target."""
    today = timezone.localdate()
    now = timezone.now()
    rows = {}
    for key, target, last in (
        ("overdue", today - datetime.timedelta(days=5), now),
        ("soon", today + datetime.timedelta(days=12), now),
        ("quiet", today + datetime.timedelta(days=300), now - datetime.timedelta(days=100)),
        ("fine", today + datetime.timedelta(days=300), now),
    ):
        response = allocate(
            response_of(finding(world, f"The force should fix the {key} thing."), world.force_a),
            people,
            board,
        )
        Response.objects.filter(pk=response.pk).update(target_date=target, last_update_at=last)
        rows[key] = Response.objects.get(pk=response.pk)
    closed = allocate(
        response_of(finding(world, "The force should fix the closed thing."), world.force_a),
        people,
    )
    proposal = services.propose_closure(
        closed,
        statement="Done",
        files=[upload("a.pdf", PDF)],
        expected_version=Response.objects.get(pk=closed.pk).version,
        actor=world.force_a_editor,
    )
    services.decide_closure(
        proposal,
        decision="completed",
        expected_version=Response.objects.get(pk=closed.pk).version,
        actor=world.inspector,
    )
    Response.objects.filter(pk=closed.pk).update(
        target_date=today - datetime.timedelta(days=50),
        last_update_at=now - datetime.timedelta(days=200),
    )
    rows["closed"] = closed
    return rows


def send_now(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run, sent = reminders.run_digest_now()
    return run, sent


def mail_to(address):
    found = [m for m in mail.outbox if m.to == [address]]
    assert len(found) <= 1, f"{address} got {len(found)} digests"
    return found[0] if found else None


def test_each_person_gets_one_digest_of_their_open_work(
    world, people, work, django_capture_on_commit_callbacks
):
    run, sent = send_now(django_capture_on_commit_callbacks)
    owner = mail_to("acc@force-a.test")
    assert owner is not None
    body = owner.body
    assert "Overdue" in body and "fix the overdue thing" not in body  # titles, not texts
    assert f"/progress/responses/{work['overdue'].pk}/" in body
    assert "Due within 30 days" in body and f"/progress/responses/{work['soon'].pk}/" in body
    assert "No update for 90 days" in body and f"/progress/responses/{work['quiet'].pk}/" in body
    assert f"/progress/responses/{work['fine'].pk}/" not in body
    assert f"/progress/responses/{work['closed'].pk}/" not in body
    assert owner.subject.startswith("Recommendations Register: 3 things need your attention")
    html = owner.alternatives[0]
    assert html[1] == "text/html" and "<h2" in html[0]
    assert mail_to("supt@force-a.test") is not None  # the tactical lead too
    assert mail_to("editor@force-a.test") is None  # owns, leads and decides nothing
    assert sent == len(mail.outbox) == DigestDelivery.objects.filter(run=run).count()
    run.refresh_from_db()
    assert run.state == DigestRunState.DONE and run.emails_sent == sent


def test_closed_responses_are_never_reminded(
    world, people, board, django_capture_on_commit_callbacks
):
    closed = allocate(
        response_of(finding(world, "The force should close this."), world.force_a), people
    )
    proposal = services.propose_closure(
        closed,
        statement="Done",
        files=[upload("a.pdf", PDF)],
        expected_version=Response.objects.get(pk=closed.pk).version,
        actor=world.force_a_editor,
    )
    services.decide_closure(
        proposal,
        decision="closed_not_implemented",
        reason="Not feasible",
        expected_version=Response.objects.get(pk=closed.pk).version,
        actor=world.inspector,
    )
    Response.objects.filter(pk=closed.pk).update(target_date=datetime.date(2020, 1, 1))
    # published_a is overdue, but Alex and Sam hold only the closed one.
    send_now(django_capture_on_commit_callbacks)
    assert mail_to("acc@force-a.test") is None
    assert mail_to("supt@force-a.test") is None


def test_people_who_have_left_get_nothing(world, people, work, django_capture_on_commit_callbacks):
    people.owner.is_active = False
    people.owner.save()
    # Sam moved to force B: no longer reminded of force A's work.
    people.lead.organisation = world.force_b
    people.lead.save()
    send_now(django_capture_on_commit_callbacks)
    assert mail_to("acc@force-a.test") is None
    assert mail_to("supt@force-a.test") is None


def test_deciders_hear_of_proposals_and_challenges_waiting(
    world, scene, django_capture_on_commit_callbacks
):
    send_now(django_capture_on_commit_callbacks)
    inspector = mail_to("inspector@hmicfrs.test")
    assert "Closure proposals waiting for your decision" in inspector.body
    assert f"/progress/responses/{scene.response_a.pk}/" in inspector.body
    assert "Wording challenges waiting for your decision" in inspector.body
    assert f"/progress/responses/{scene.fact_check_a.pk}/" in inspector.body
    # Readers decide nothing.
    assert mail_to("reader@hmicfrs.test") is None


def test_a_forces_own_sign_off_goes_to_its_editors(
    world, people, django_capture_on_commit_callbacks
):
    response = allocate(response_of(world.joint_a, world.force_a), people)
    services.propose_closure(
        response,
        statement="Done",
        files=[upload("a.pdf", PDF)],
        expected_version=Response.objects.get(pk=response.pk).version,
        actor=world.force_a_editor,
    )
    send_now(django_capture_on_commit_callbacks)
    assert "Closure proposals" in mail_to("editor2@force-a.test").body
    inspector = mail_to("inspector@hmicfrs.test")
    assert inspector is None or f"/progress/responses/{response.pk}/" not in inspector.body


def test_a_rerun_of_the_same_run_sends_nobody_a_second_copy(
    world, work, django_capture_on_commit_callbacks
):
    run, sent = send_now(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        again = reminders.send_digests(run)
    assert sent > 0 and again == 0
    assert len(mail.outbox) == sent


@pytest.fixture
def due_now(settings):
    # The weekly digest falls due at midnight on Monday, so this week's is always due.
    settings.RECREG_DIGEST_WEEKDAY = 0
    settings.RECREG_DIGEST_HOUR = 0


def test_the_weekly_digest_is_scheduled_once_however_many_workers_ask(world, due_now):
    from django_tasks_db.models import DBTaskResult

    first = reminders.schedule_weekly_digest()
    second = reminders.schedule_weekly_digest()
    assert first.pk == second.pk
    assert DigestRun.objects.filter(trigger=DigestTrigger.SCHEDULED).count() == 1
    assert DBTaskResult.objects.count() == 1
    assert first.task_result_id


def test_a_week_is_never_sent_twice(world, work, due_now, django_capture_on_commit_callbacks):
    run = reminders.schedule_weekly_digest()
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_weekly_digest.call(run.pk)
        # A second worker running the same task finds the run already claimed.
        again = send_weekly_digest.call(run.pk)
    assert sent > 0 and again == 0
    assert len(mail.outbox) == sent
    # Next week's run is now scheduled.
    next_run = DigestRun.objects.get(
        trigger=DigestTrigger.SCHEDULED, week=run.week + datetime.timedelta(days=7)
    )
    assert next_run.state == DigestRunState.SCHEDULED
    assert next_run.due_at > timezone.now()


# The worker closes and reopens database connections between tasks, as a long-running
# process should, so it runs outside the test's wrapping transaction.
@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_due_digest(world, work, due_now):
    out = io.StringIO()
    worker = ("worker", "--batch", "--no-startup-delay", "--no-reload", "--verbosity=0")
    call_command(*worker, stdout=out)
    run = DigestRun.objects.get(
        trigger=DigestTrigger.SCHEDULED, week=reminders.week_of(timezone.now())
    )
    assert run.state == DigestRunState.DONE
    assert mail_to("acc@force-a.test") is not None
    # Starting the worker again sends nothing more this week.
    call_command(*worker, stdout=out)
    assert len([m for m in mail.outbox if m.to == ["acc@force-a.test"]]) == 1


def test_send_reminders_sends_now_or_lists_with_dry_run(
    world, work, django_capture_on_commit_callbacks
):
    out = io.StringIO()
    call_command("send_reminders", "--dry-run", stdout=out)
    assert "acc@force-a.test: 3 items" in out.getvalue()
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=out)
    assert "Sent 2 reminder digests" in out.getvalue()
    assert len(mail.outbox) == 2


def test_inactive_inspectors_hear_nothing(world, scene, django_capture_on_commit_callbacks):
    spare = UserFactory(
        email="gone@hmicfrs.test", role=Role.INSPECTORATE_EDITOR, organisation=world.hmicfrs,
        is_active=False,
    )  # fmt: skip
    send_now(django_capture_on_commit_callbacks)
    assert mail_to(spare.email) is None
    assert mail_to("inspector@hmicfrs.test") is not None
