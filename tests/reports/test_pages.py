"""The reports pages: asking for a paper, the worker writing it, its download; the template
page; the PCC office's responses, from its home page to publication and Word; and every
mutating page refusing those who may not use it, with nothing written."""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from docx import Document

from recreg.audit.models import AuditEvent
from recreg.reports.models import (
    CommitteePaper,
    PaperState,
    PaperTemplate,
    PccResponse,
    PccResponseItem,
)
from recreg.reports.tasks import generate_committee_paper
from tests.conftest import client_for
from tests.reports.conftest import MEETING, SINCE

REQUEST = {
    "organisation": "pcc-a",
    "meeting_date": "30/06/2024",
    "since": "01/01/2024",
    "format": "docx",
}


def test_asking_for_a_paper_queues_it_and_the_worker_writes_it(scene):
    w = scene.world
    client = client_for(w, "pcc_officer")
    page = client.get("/reports/")
    assert page.status_code == 200
    assert "Office of the PCC for Avon Test" in page.content.decode()
    assert "Borset Test Police" not in page.content.decode()

    response = client.post("/reports/", REQUEST)
    paper = CommitteePaper.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/papers/{paper.pk}/"
    assert paper.state == PaperState.QUEUED and paper.requested_by == w.pcc_officer
    assert DBTaskResult.objects.filter(pk=paper.task_result_id).exists()
    assert AuditEvent.objects.filter(model="reports.committeepaper", action="create").exists()

    waiting = client.get(paper.get_absolute_url()).content.decode()
    assert 'data-waiting="true"' in waiting and "Check now" in waiting
    assert client.get(f"/reports/papers/{paper.pk}/download/").status_code == 404

    assert generate_committee_paper.call(paper.pk) == PaperState.DONE
    # A second worker with the same task does nothing.
    assert generate_committee_paper.call(paper.pk) == "skipped"
    paper.refresh_from_db()
    assert paper.percent == 100 and paper.size > 0

    ready = client.get(paper.get_absolute_url()).content.decode()
    assert "Your paper is ready" in ready and 'data-waiting="false"' in ready
    download = client.get(f"/reports/papers/{paper.pk}/download/")
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"
    assert (
        "committee-paper-office-of-the-pcc-for-avon-test-2024-06-30.docx"
        in (download["Content-Disposition"])
    )
    doc = Document(io.BytesIO(b"".join(download.streaming_content)))
    assert doc.paragraphs[1].style.name == "Title"

    # Nobody else gets it, not even a reader of the whole register.
    for persona in ("inspector", "force_a_editor", "force_b_reader", "national_reader"):
        other = client_for(w, persona)
        assert other.get(paper.get_absolute_url()).status_code == 404
        assert other.get(f"/reports/papers/{paper.pk}/download/").status_code == 404
    assert client_for(w, "anonymous").get(paper.get_absolute_url()).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_writes_a_queued_paper(scene):
    w = scene.world
    client_for(w, "force_a_editor").post("/reports/", {**REQUEST, "organisation": "force-a"})
    paper = CommitteePaper.objects.get()
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", "--verbosity=0")
    paper.refresh_from_db()
    assert paper.state == PaperState.DONE, paper.error


def test_a_force_b_reader_cannot_ask_for_force_a_paper(scene):
    w = scene.world
    client = client_for(w, "force_b_reader")
    for slug in ("force-a", "pcc-a"):
        response = client.post("/reports/", {**REQUEST, "organisation": slug})
        assert response.status_code == 400
        assert "Choose the force or PCC office the paper is for" in response.content.decode()
    assert not CommitteePaper.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"since": "30/06/2024"}, "The previous meeting must be before this meeting"),
        ({"meeting_date": "31/02/2024"}, "Enter a real date, like 31/03/2025"),
        ({"meeting_date": ""}, "Enter the date of the meeting"),
        ({"format": "rtf"}, "Select a valid choice"),
    ],
)
def test_bad_requests_are_form_errors_and_write_nothing(scene, data, message):
    response = client_for(scene.world, "pcc_officer").post("/reports/", {**REQUEST, **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert not CommitteePaper.objects.exists()


def test_a_failed_paper_says_so(scene, monkeypatch):
    w = scene.world
    client = client_for(w, "pcc_officer")
    client.post("/reports/", REQUEST)
    paper = CommitteePaper.objects.get()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("recreg.reports.services.render_paper", broken)
    generate_committee_paper.call(paper.pk)
    page = client.get(paper.get_absolute_url()).content.decode()
    assert "The paper could not be made" in page and "disk full" not in page


# --- Templates -------------------------------------------------------------------------------

TEMPLATE_POST = {
    "committee": "Joint Audit Committee",
    "title": "Inspection update: {force}",
    "intro": "Our <script>alert(1)</script> introduction.",
    "contact_name": "Chris Contact",
    "contact_email": "chris@pcc-a.test",
    "order_fieldwork": "2",
    "order_red": "1",
}


def test_the_pcc_office_changes_its_template_and_papers_follow(scene):
    w = scene.world
    client = client_for(w, "pcc_officer")
    page = client.get("/reports/templates/pcc-a/").content.decode()
    assert 'value="1" selected' in page  # the defaults: every section in order
    response = client.post("/reports/templates/pcc-a/", TEMPLATE_POST)
    assert response.status_code == 302
    template = PaperTemplate.objects.get(organisation=w.pcc_a)
    assert template.sections == ["red", "fieldwork"]
    assert AuditEvent.objects.filter(model="reports.papertemplate").count() == 1
    client.post("/reports/", REQUEST)
    paper = CommitteePaper.objects.get()
    generate_committee_paper.call(paper.pk)
    paper.refresh_from_db()
    doc = Document(paper.open())
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "1. Outstanding findings rated red",
        "2. Inspections with fieldwork since the last meeting",
    ]
    assert any("<script>alert(1)</script>" in p.text for p in doc.paragraphs)


def test_template_errors_are_shown_and_nothing_is_saved(scene):
    client = client_for(scene.world, "pcc_officer")
    clash = {**TEMPLATE_POST, "order_red": "2"}
    response = client.post("/reports/templates/pcc-a/", clash)
    assert response.status_code == 400
    assert "Give each section its own place" in response.content.decode()
    none = {k: v for k, v in TEMPLATE_POST.items() if not k.startswith("order_")}
    response = client.post("/reports/templates/pcc-a/", none)
    assert "Choose at least one section" in response.content.decode()
    bad_email = {**TEMPLATE_POST, "contact_email": "not an address"}
    assert client.post("/reports/templates/pcc-a/", bad_email).status_code == 400
    assert not PaperTemplate.objects.exists()


@pytest.mark.parametrize(
    "persona, status",
    [
        ("inspector", 403),
        ("national_reader", 403),
        ("force_a_editor", 404),
        ("force_b_reader", 404),
        ("anonymous", 302),
    ],
)
def test_others_may_not_change_the_pcc_template(scene, persona, status):
    response = client_for(scene.world, persona).post("/reports/templates/pcc-a/", TEMPLATE_POST)
    assert response.status_code == status
    assert not PaperTemplate.objects.exists()


def test_a_force_reader_may_not_change_the_force_template(scene):
    w = scene.world
    from tests.factories import UserFactory

    reader = UserFactory(email="r@force-a.test", role="force_reader", organisation=w.force_a)
    from django.test import Client

    client = Client()
    client.force_login(reader)
    assert client.post("/reports/templates/force-a/", TEMPLATE_POST).status_code == 403
    editor = client_for(w, "force_a_editor")
    assert editor.post("/reports/templates/force-a/", TEMPLATE_POST).status_code == 302


def test_anonymous_may_not_ask_for_papers(scene):
    response = client_for(scene.world, "anonymous").post("/reports/", REQUEST)
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    assert not CommitteePaper.objects.exists()


def test_the_papers_page_reads_in_a_fixed_number_of_queries(scene, django_assert_max_num_queries):
    w = scene.world
    client = client_for(w, "pcc_officer")
    client.post("/reports/", REQUEST)
    with django_assert_max_num_queries(20) as few:
        client.get("/reports/")
    # Taken now: the next request empties the connection's query log.
    count = len(few.captured_queries)
    for _ in range(12):
        client.post("/reports/", REQUEST)
    with django_assert_max_num_queries(count):
        client.get("/reports/")


# --- PCC responses ---------------------------------------------------------------------------


def test_the_pcc_home_lists_responses_due_and_overdue(scene):
    w = scene.world
    today = timezone.localdate()
    # Force A's PEEL report was published 30 days ago, the thematic one 70 days ago.
    w.inspection_a.published_on = today - datetime.timedelta(days=30)
    w.inspection_a.save()
    w.thematic.published_on = today - datetime.timedelta(days=70)
    w.thematic.save()
    client = client_for(w, "pcc_officer")
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == "/reports/pcc/"
    page = client.get("/reports/pcc/").content.decode()
    due = page.split('id="due"')[1].split('id="all"')[0]
    assert w.inspection_a.title in due and "in 26 days" in due
    assert w.thematic.title in due and "14 days late" in due and "Overdue" in due
    assert w.inspection_b.title not in page
    # Reports older than a year are not listed.
    assert scene.older.title not in page


def test_the_pcc_office_drafts_edits_publishes_and_exports_a_response(scene):
    w = scene.world
    client = client_for(w, "pcc_officer")
    started = client.post(f"/reports/pcc/reports/{w.inspection_a.pk}/respond/")
    response = PccResponse.objects.get()
    assert started["Location"] == f"/reports/pcc/responses/{response.pk}/"
    assert response.due_on == w.inspection_a.published_on + datetime.timedelta(days=56)
    item = PccResponseItem.objects.get(response=response)
    assert item.finding == w.published_a
    assert "State: In progress." in item.position and "Safeguarding training under way." in (
        item.position
    )
    # Starting again returns the same draft.
    client.post(f"/reports/pcc/reports/{w.inspection_a.pk}/respond/")
    assert PccResponse.objects.count() == 1

    form = {
        "version": response.version,
        "intro": "The Commissioner welcomes this report.",
        "conclusion": "",
        f"item_{item.pk}_position": item.position,
        f"item_{item.pk}_comment": "I will <b>hold the force to account</b> for this.",
    }
    assert client.post(response.get_absolute_url(), form).status_code == 302
    # A save based on the old version is refused.
    stale = client.post(response.get_absolute_url(), form)
    assert stale.status_code == 400 and "Someone else changed" in stale.content.decode()

    response.refresh_from_db()
    publish_url = f"/reports/pcc/responses/{response.pk}/publish/"
    bad = client.post(
        publish_url,
        {"version": response.version, "published_url": "nope", "published_on": "01/04/2024"},
    )
    assert (
        bad.status_code == 400 and "Enter a web address starting https://" in bad.content.decode()
    )
    done = client.post(
        publish_url,
        {
            "version": response.version,
            "published_url": "https://pcc-a.example.org/responses/peel",
            "published_on": "01/04/2024",
        },
    )
    assert done.status_code == 302
    response.refresh_from_db()
    assert response.is_published and response.published_on == datetime.date(2024, 4, 1)
    assert AuditEvent.objects.filter(model="reports.pccresponse").count() == 3

    word = client.get(f"/reports/pcc/responses/{response.pk}/word/")
    doc = Document(io.BytesIO(word.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "I will <b>hold the force to account</b> for this." in text
    assert "Safeguarding training under way." in text
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == ["Findings"]
    cells = [c.text for row in doc.tables[0].rows for c in row.cells]
    assert "https://pcc-a.example.org/responses/peel" in cells

    page = client.get(response.get_absolute_url()).content.decode()
    assert "&lt;b&gt;hold the force" in page
    # Published: no more changes.
    form["version"] = response.version
    refused = client.post(response.get_absolute_url(), form)
    assert refused.status_code == 400
    assert "can no longer be changed" in refused.content.decode()


@pytest.mark.parametrize(
    "persona, status",
    [("inspector", 403), ("national_reader", 403), ("force_a_editor", 403), ("anonymous", 302)],
)
def test_only_the_pcc_office_starts_responses(scene, persona, status):
    w = scene.world
    response = client_for(w, persona).post(f"/reports/pcc/reports/{w.inspection_a.pk}/respond/")
    assert response.status_code == status
    assert not PccResponse.objects.exists()


def test_the_pcc_office_cannot_respond_to_another_force_report(scene):
    w = scene.world
    response = client_for(w, "pcc_officer").post(
        f"/reports/pcc/reports/{w.inspection_b.pk}/respond/"
    )
    assert response.status_code == 404
    assert not PccResponse.objects.exists()


@pytest.mark.parametrize(
    "persona, status",
    [
        ("inspector", 403),
        ("inspectorate_reader", 403),
        ("national_reader", 403),
        ("force_a_editor", 404),
        ("force_b_reader", 404),
        ("anonymous", 302),
    ],
)
def test_others_may_not_edit_or_publish_a_response(scene, persona, status):
    from recreg.reports import services

    w = scene.world
    response = services.start_pcc_response(w.inspection_a, actor=w.pcc_officer)
    item = response.items.get()
    client = client_for(w, persona)
    edit = client.post(
        response.get_absolute_url(),
        {"version": response.version, "intro": "Hijacked", f"item_{item.pk}_comment": "x"},
    )
    publish = client.post(
        f"/reports/pcc/responses/{response.pk}/publish/",
        {
            "version": response.version,
            "published_url": "https://evil.example/",
            "published_on": "01/04/2024",
        },
    )
    assert edit.status_code == status and publish.status_code == status
    response.refresh_from_db()
    assert response.intro != "Hijacked" and not response.is_published
    assert not re.search("Hijacked", response.items.get().comment)


def test_paper_dates_are_the_scene_dates():
    # The scene's meeting is after its previous meeting; the pages above rely on that.
    assert SINCE < MEETING


def test_the_pcc_home_reads_in_a_fixed_number_of_queries(scene, django_assert_max_num_queries):
    from recreg.reports import services
    from tests.factories import InspectionFactory

    w = scene.world
    today = timezone.localdate()
    client = client_for(w, "pcc_officer")

    def recent_report(n):
        inspection = InspectionFactory(
            title=f"Recent report {n}", published_on=today - datetime.timedelta(days=n)
        )
        inspection.forces_in_scope.set([w.force_a])
        return inspection

    services.start_pcc_response(recent_report(1), actor=w.pcc_officer)
    with django_assert_max_num_queries(20) as few:
        assert client.get("/reports/pcc/").status_code == 200
    count = len(few.captured_queries)
    for n in range(2, 12):
        report = recent_report(n)
        if n % 2:
            services.start_pcc_response(report, actor=w.pcc_officer)
    with django_assert_max_num_queries(count):
        page = client.get("/reports/pcc/")
    assert page.content.decode().count("Recent report") >= 22


def test_an_html_paper_may_use_its_own_stylesheet_and_nothing_else(scene):
    client = client_for(scene.world, "pcc_officer")
    client.post("/reports/", {**REQUEST, "format": "html"})
    paper = CommitteePaper.objects.get()
    assert generate_committee_paper.call(paper.pk) == PaperState.DONE
    download = client.get(f"/reports/papers/{paper.pk}/download/")
    html = b"".join(download.streaming_content).decode()
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert download["Content-Security-Policy"] == (
        f"default-src 'none'; style-src 'sha256-{digest}'; sandbox"
    )
    assert "<script" not in html
