"""A committee paper whose worker stops mid-way (killed, machine restarted) is not left "being
written" for ever: once the worker's lease has run out, the worker on start or the paper's own
page marks it failed, says why, and offers to try again."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from recreg.audit.models import AuditEvent
from recreg.reports import services
from recreg.reports.models import CommitteePaper, PaperState
from recreg.reports.tasks import generate_committee_paper
from tests.conftest import client_for
from tests.reports.test_pages import REQUEST

LATER = datetime.timedelta(minutes=6)  # past the default five-minute lease


def killed_mid_paper(scene, monkeypatch, persona="pcc_officer", request=REQUEST):
    """A paper whose worker was stopped while typesetting it: the worker's second SIGTERM
    exits from inside the task (SystemExit), past the paper's own error handling."""
    client = client_for(scene.world, persona)
    client.post("/reports/", request)
    paper = CommitteePaper.objects.latest("pk")

    def killed(*args, **kwargs):
        raise SystemExit(1)

    with monkeypatch.context() as patch:
        patch.setattr("recreg.reports.services.render_paper", killed)
        with pytest.raises(SystemExit):
            generate_committee_paper.call(paper.pk)
    paper.refresh_from_db()
    assert paper.state == PaperState.RUNNING and paper.lease_expires_at
    return client, paper


def test_the_page_gives_up_a_paper_left_by_its_worker_and_offers_to_try_again(scene, monkeypatch):
    client, paper = killed_mid_paper(scene, monkeypatch)
    DBTaskResult.objects.filter(pk=paper.task_result_id).update(status="RUNNING")

    # Within the lease the worker may still be at it: the page says it is being written.
    page = client.get(paper.get_absolute_url()).content.decode()
    assert "Being written" in page and 'data-waiting="true"' in page

    monkeypatch.setattr(timezone, "now", lambda: paper.lease_expires_at + LATER)
    page = client.get(paper.get_absolute_url()).content.decode()
    assert "The paper could not be made" in page and 'data-waiting="false"' in page
    assert "background worker stopped" in page and "Try again" in page
    paper.refresh_from_db()
    assert paper.state == PaperState.FAILED and paper.finished_at
    assert DBTaskResult.objects.get(pk=paper.task_result_id).status == "FAILED"
    assert AuditEvent.objects.filter(
        model="reports.committeepaper", note="Committee paper left by its worker"
    ).exists()

    # Trying again queues the same paper afresh, which a live worker then writes.
    response = client.post(f"/reports/papers/{paper.pk}/again/")
    again = CommitteePaper.objects.latest("pk")
    assert again.pk != paper.pk and response["Location"] == again.get_absolute_url()
    assert (again.organisation, again.since, again.meeting_date, again.format) == (
        paper.organisation,
        paper.since,
        paper.meeting_date,
        paper.format,
    )
    assert again.state == PaperState.QUEUED
    monkeypatch.undo()
    assert generate_committee_paper.call(again.pk) == PaperState.DONE


@pytest.mark.django_db(transaction=True)
def test_the_worker_on_start_gives_up_papers_whose_lease_ran_out(scene, monkeypatch):
    _, stalled = killed_mid_paper(scene, monkeypatch)
    _, fresh = killed_mid_paper(scene, monkeypatch, request={**REQUEST, "format": "html"})
    CommitteePaper.objects.filter(pk=stalled.pk).update(
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", "--verbosity=0")
    stalled.refresh_from_db()
    fresh.refresh_from_db()
    assert stalled.state == PaperState.FAILED and stalled.error == services.STALLED_MESSAGE
    # Another worker may still be writing one whose lease holds.
    assert fresh.state == PaperState.RUNNING


def test_a_slow_worker_finishing_a_given_up_paper_does_not_revive_it(scene, monkeypatch):
    client = client_for(scene.world, "pcc_officer")
    client.post("/reports/", REQUEST)
    paper = CommitteePaper.objects.get()
    real_render = services.render_paper

    def slow(content, fmt):
        # While this worker typesets, its lease runs out and the paper is given up.
        later = timezone.now() + services.paper_lease() + LATER
        assert services.recover_stalled_papers(now=later) == 1
        return real_render(content, fmt)

    monkeypatch.setattr("recreg.reports.services.render_paper", slow)

    def files():
        return (
            set(default_storage.listdir("reports")[1])
            if default_storage.exists("reports")
            else set()
        )

    before = files()
    generate_committee_paper.call(paper.pk)
    paper.refresh_from_db()
    assert paper.state == PaperState.FAILED and not paper.stored_name
    # The file it wrote is nobody's: deleted.
    assert files() == before


def test_only_its_reader_may_try_a_failed_paper_again_and_only_once_failed(scene, monkeypatch):
    client, paper = killed_mid_paper(scene, monkeypatch)
    # Still within its lease: not failed, so not to be asked again yet.
    response = client.post(f"/reports/papers/{paper.pk}/again/")
    assert response.status_code == 302 and CommitteePaper.objects.count() == 1
    services.recover_stalled_papers(now=paper.lease_expires_at + LATER)
    for persona in ("force_a_editor", "national_reader"):
        assert (
            client_for(scene.world, persona).post(f"/reports/papers/{paper.pk}/again/").status_code
            == 404
        )
    assert client.get(f"/reports/papers/{paper.pk}/again/").status_code == 405
    assert CommitteePaper.objects.count() == 1
    with pytest.raises(services.PermissionDenied):
        services.retry_committee_paper(paper, actor=scene.world.force_a_editor)
