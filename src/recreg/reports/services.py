"""Every change in the reports app goes through these functions: each runs in one transaction
with its audit event, re-checks who may do it (views check first, so a refusal here means a
caller skipped that) and raises ValidationError keyed by field for anything wrong with the
input, before writing anything."""

from __future__ import annotations

import datetime
import logging
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models import Q
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.text import slugify

from recreg.audit.services import record_create, record_update, snapshot
from recreg.inspections.models import Inspection
from recreg.organisations.models import Organisation
from recreg.reports.access import (
    edits_template,
    may_make_paper,
    pcc_office_of,
    subject_force,
)
from recreg.reports.content import build_committee_paper
from recreg.reports.models import (
    SECTIONS,
    CommitteePaper,
    PaperFormat,
    PaperState,
    PaperTemplate,
    PccResponse,
    PccResponseItem,
    PccResponseState,
    pcc_due_date,
)
from recreg.reports.pcc import default_intro, draft_items, reports_about
from recreg.reports.render import render_paper

logger = logging.getLogger(__name__)

Errors = dict[str, list[str]]
MAX_LINE = 300
MAX_TEXT = 10_000
STALE_MESSAGE = (
    "Someone else changed this response since you opened it. Nothing has been saved: check "
    "the latest wording, then make your change again."
)


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _text(errors: Errors, field: str, value: Any, limit: int) -> str:
    text = str(value or "").strip()
    if len(text) > limit:
        _add(errors, field, f"Use {limit:,} characters or fewer")
    return text


# --- Committee paper templates ----------------------------------------------------------------

TEMPLATE_FIELDS = {
    "committee": 200,
    "title": 300,
    "agenda_item": 60,
    "purpose": 2_000,
    "recommendation": 2_000,
    "intro": MAX_TEXT,
    "contact_name": 200,
    "contact_role": 200,
    "contact_email": 254,
    "contact_phone": 60,
}


def save_paper_template(
    organisation: Organisation, *, sections: list[str], actor, **values: Any
) -> PaperTemplate:
    """Save an organisation's committee paper template: its wording, and which sections the
    paper has in what order (blank wording takes the defaults)."""
    if not edits_template(actor, organisation):
        raise PermissionDenied
    errors: Errors = {}
    unknown = set(values) - set(TEMPLATE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown template fields: {sorted(unknown)}")
    cleaned = {
        name: _text(errors, name, values.get(name), limit)
        for name, limit in TEMPLATE_FIELDS.items()
    }
    if cleaned["contact_email"]:
        try:
            EmailValidator()(cleaned["contact_email"])
        except ValidationError:
            _add(errors, "contact_email", "Enter an email address like name@example.org")
    order = [key for key in sections if key]
    if any(key not in SECTIONS for key in order):
        _add(errors, "sections", "Choose sections from the list")
    elif len(set(order)) != len(order):
        _add(errors, "sections", "Give each section its own place")
    elif not order:
        _add(errors, "sections", "Choose at least one section")
    _raise(errors)
    with transaction.atomic():
        template = (
            PaperTemplate.objects.select_for_update().filter(organisation=organisation).first()
        )
        if template is None:
            template = PaperTemplate(organisation=organisation, **cleaned, sections=order)
            template.updated_by = actor
            template.save()
            record_create(template, actor=actor)
            return template
        before = snapshot(template)
        for name, value in cleaned.items():
            setattr(template, name, value)
        template.sections = order
        template.updated_by = actor
        template.save()
        record_update(template, before, actor=actor)
    return template


# --- Committee papers -------------------------------------------------------------------------


def _check_dates(errors: Errors, since: Any, meeting: Any) -> None:
    if not isinstance(meeting, datetime.date):
        _add(errors, "meeting_date", "Enter the date of the meeting")
    if not isinstance(since, datetime.date):
        _add(errors, "since", "Enter the date of the previous meeting")
    if errors:
        return
    if since >= meeting:
        _add(errors, "since", "The previous meeting must be before this meeting")
    elif (meeting - since).days > 5 * 366:
        _add(errors, "since", "The previous meeting must be within five years of this one")


def check_paper_request(
    organisation: Organisation | None, *, since: Any, meeting_date: Any, fmt: str, actor
) -> None:
    """Raise ValidationError (by field) or PermissionDenied for a paper that cannot be made."""
    errors: Errors = {}
    if organisation is None:
        _add(errors, "organisation", "Choose the force or PCC office the paper is for")
    elif subject_force(organisation) is None:
        _add(errors, "organisation", "Papers are made for a force or a PCC office with a force")
    if fmt not in PaperFormat.values:
        _add(errors, "format", "Choose Word, PDF or a web page")
    _check_dates(errors, since, meeting_date)
    _raise(errors)
    assert organisation is not None
    if not may_make_paper(actor, organisation):
        raise PermissionDenied


def request_committee_paper(
    organisation: Organisation | None,
    *,
    since: Any,
    meeting_date: Any,
    fmt: str,
    actor,
) -> CommitteePaper:
    """Ask the background worker for a committee paper, made as the person asking."""
    from recreg.reports.tasks import generate_committee_paper

    check_paper_request(organisation, since=since, meeting_date=meeting_date, fmt=fmt, actor=actor)
    assert organisation is not None
    with transaction.atomic():
        paper = CommitteePaper.objects.create(
            organisation=organisation,
            since=since,
            meeting_date=meeting_date,
            format=fmt,
            requested_by=actor,
            stage="Waiting for the background worker",
        )
        # The database queue takes the task in this same transaction, so a paper never waits
        # for a task that was not queued, nor a task for a paper that was not saved.
        result = generate_committee_paper.enqueue(paper.pk)
        paper.task_result_id = str(result.id)
        paper.save(update_fields=["task_result_id"])
        record_create(paper, actor=actor)
    return paper


def write_committee_paper(
    organisation: Organisation,
    *,
    since: datetime.date,
    meeting_date: datetime.date,
    fmt: str,
    user,
) -> bytes:
    """The paper's file, made now as this reader (for the command line and the worker)."""
    content = build_committee_paper(organisation, since=since, meeting=meeting_date, user=user)
    return render_paper(content, fmt)


STALLED_MESSAGE = (
    "The background worker stopped while it was writing this paper, so it was not finished. "
    "Try again; if it stops again, tell the register's support team."
)


def paper_lease() -> datetime.timedelta:
    """How long a worker holds a paper between two steps: far longer than writing the largest
    paper takes (seconds), short enough that nobody waits long for one a dead worker left."""
    return datetime.timedelta(seconds=getattr(settings, "RECREG_PAPER_LEASE_SECONDS", 300))


def _progress(paper: CommitteePaper, stage: str, percent: int) -> None:
    paper.stage, paper.percent = stage, percent
    CommitteePaper.objects.filter(pk=paper.pk, state=PaperState.RUNNING).update(
        stage=stage, percent=percent, lease_expires_at=timezone.now() + paper_lease()
    )


def recover_stalled_papers(*, now: datetime.datetime | None = None, paper_id=None) -> int:
    """Mark failed every paper still running after its worker's lease ran out (the worker was
    killed or its machine stopped mid-paper), so it is not shown as being written for ever and
    its reader can ask again. Run by the worker on start and by the paper's page; returns how
    many it marked."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    expired = Q(lease_expires_at__lt=now) | Q(
        # Papers started before leases were kept: their start is their lease's start.
        lease_expires_at__isnull=True,
        started_at__lt=now - paper_lease(),
    )
    stalled = CommitteePaper.objects.filter(expired, state=PaperState.RUNNING)
    if paper_id is not None:
        stalled = stalled.filter(pk=paper_id)
    count = 0
    for paper_pk in stalled.values_list("pk", flat=True):
        with transaction.atomic():
            # Locked and checked again: the worker may have finished it meanwhile.
            paper = (
                CommitteePaper.objects.select_for_update()
                .filter(expired, pk=paper_pk, state=PaperState.RUNNING)
                .first()
            )
            if paper is None:
                continue
            before = snapshot(paper)
            paper.state, paper.stage, paper.error = PaperState.FAILED, "Failed", STALLED_MESSAGE
            paper.finished_at = now
            paper.save()
            record_update(paper, before, actor=None, note="Committee paper left by its worker")
            # The queue's own record of the task stays "running" too: close it, so it is
            # pruned with the other finished results.
            if paper.task_result_id:
                DBTaskResult.objects.filter(
                    pk=paper.task_result_id, status=TaskResultStatus.RUNNING
                ).update(status=TaskResultStatus.FAILED, finished_at=now)
        logger.warning("Committee paper %s was left running by its worker: marked failed", paper_pk)
        count += 1
    return count


def retry_committee_paper(paper: CommitteePaper, *, actor) -> CommitteePaper:
    """Ask again for a paper that failed, with the same organisation, dates and format."""
    if paper.requested_by_id != getattr(actor, "pk", None):
        raise PermissionDenied
    if paper.state != PaperState.FAILED:
        raise ValidationError("Only a paper that could not be made can be asked for again.")
    return request_committee_paper(
        paper.organisation,
        since=paper.since,
        meeting_date=paper.meeting_date,
        fmt=paper.format,
        actor=actor,
    )


def _still_ours(paper: CommitteePaper) -> bool:
    """Lock the paper; whether this worker still holds it (it was not marked failed as left
    by its worker meanwhile)."""
    current = CommitteePaper.objects.select_for_update().filter(pk=paper.pk).first()
    if current is None or current.state != PaperState.RUNNING:
        logger.warning("Committee paper %s was given up while being written", paper.pk)
        if current is not None:
            paper.state, paper.stage, paper.error = current.state, current.stage, current.error
        return False
    return True


def generate_paper_file(paper_id: int) -> CommitteePaper | None:
    """Write a queued paper and keep its file (run by the worker); None if another worker
    has it already."""
    started = timezone.now()
    claimed = CommitteePaper.objects.filter(pk=paper_id, state=PaperState.QUEUED).update(
        state=PaperState.RUNNING,
        started_at=started,
        lease_expires_at=started + paper_lease(),
        stage="Reading the register",
        percent=10,
    )
    if not claimed:
        return None
    paper = CommitteePaper.objects.select_related("organisation", "requested_by").get(pk=paper_id)
    before = snapshot(paper)
    try:
        content = build_committee_paper(
            paper.organisation,
            since=paper.since,
            meeting=paper.meeting_date,
            user=paper.requested_by,
        )
        _progress(paper, f"Writing the {PaperFormat(paper.format).label}", 50)
        data = render_paper(content, paper.format)
        _progress(paper, "Saving the file", 90)
        name = f"reports/{secrets.token_hex(16)}.{paper.format}"
        stored = default_storage.save(name, ContentFile(data))
    except Exception as exc:
        logger.exception("Committee paper %s failed", paper_id)
        with transaction.atomic():
            if not _still_ours(paper):
                return paper
            paper.state = PaperState.FAILED
            paper.error = (
                "You may no longer see this organisation's progress."
                if isinstance(exc, PermissionDenied)
                else "Something went wrong while writing the paper. Try again; if it fails again, "
                "tell the register's support team."
            )
            paper.stage, paper.finished_at = "Failed", timezone.now()
            paper.save()
            record_update(paper, before, actor=None, note="Committee paper failed")
        return paper
    slug = slugify(paper.organisation.short_name or paper.organisation.name)
    with transaction.atomic():
        if not _still_ours(paper):
            # Marked failed as left by its worker while this one was slow: that paper's
            # reader has been told so, and may have asked again; this file is nobody's.
            default_storage.delete(stored)
            return paper
        paper.state, paper.stage, paper.percent = PaperState.DONE, "Ready", 100
        paper.stored_name, paper.size = stored, len(data)
        paper.download_name = f"committee-paper-{slug}-{paper.meeting_date:%Y-%m-%d}.{paper.format}"
        paper.finished_at = timezone.now()
        paper.save()
        record_update(paper, before, actor=None, note="Committee paper written")
    return paper


# --- PCC responses ----------------------------------------------------------------------------


def start_pcc_response(inspection: Inspection, *, actor) -> PccResponse:
    """Draft the actor's PCC office's response to a report about its force, from the register:
    each finding for the force with the force's current position. Starting twice returns the
    draft already made."""
    office = pcc_office_of(actor)
    if office is None:
        raise PermissionDenied
    force = office.force
    assert force is not None
    if (
        inspection.published_on is None
        or not reports_about(actor, force).filter(pk=inspection.pk).exists()
    ):
        raise ValidationError(
            {"inspection": ["This report is not about your force, or is not published"]}
        )
    with transaction.atomic():
        existing = PccResponse.objects.filter(inspection=inspection, pcc_office=office).first()
        if existing is not None:
            return existing
        response = PccResponse(
            inspection=inspection,
            pcc_office=office,
            force=force,
            due_on=pcc_due_date(inspection.published_on),
            created_by=actor,
        )
        response.intro = default_intro(response)
        response.save()
        PccResponseItem.objects.bulk_create(
            PccResponseItem(response=response, finding=r.finding, order=n, position=position)
            for n, (r, position) in enumerate(draft_items(actor, inspection, force))
        )
        record_create(response, actor=actor, note="Drafted from the register")
    return response


def _lock_pcc(response: PccResponse, actor, expected_version) -> PccResponse:
    office = pcc_office_of(actor)
    if office is None or office.pk != response.pcc_office_id:
        raise PermissionDenied
    locked = PccResponse.objects.select_for_update().get(pk=response.pk)
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        expected = -1
    if expected != locked.version:
        raise ValidationError(STALE_MESSAGE, code="stale")
    if locked.is_published:
        raise ValidationError("This response is published: it can no longer be changed.")
    return locked


def edit_pcc_response(
    response: PccResponse,
    *,
    intro: str,
    conclusion: str,
    items: dict[int, dict[str, str]],
    expected_version,
    actor,
) -> PccResponse:
    """Save the office's wording of a draft response: its introduction and conclusion, and per
    finding the force's position and the PCC's comment (items: {item id: {position, comment}})."""
    with transaction.atomic():
        locked = _lock_pcc(response, actor, expected_version)
        errors: Errors = {}
        before = snapshot(locked)
        locked.intro = _text(errors, "intro", intro, MAX_TEXT)
        locked.conclusion = _text(errors, "conclusion", conclusion, MAX_TEXT)
        rows = {item.pk: item for item in locked.items.select_for_update()}
        changed = []
        for item_id, texts in items.items():
            item = rows.get(item_id)
            if item is None:
                _add(errors, "items", "A finding in this form is not part of the response")
                continue
            position = _text(errors, f"item_{item_id}_position", texts.get("position"), MAX_TEXT)
            comment = _text(errors, f"item_{item_id}_comment", texts.get("comment"), MAX_TEXT)
            if (position, comment) != (item.position, item.comment):
                changed.append((item, snapshot(item)))
                item.position, item.comment = position, comment
        _raise(errors)
        for item, item_before in changed:
            item.save(update_fields=["position", "comment"])
            record_update(item, item_before, actor=actor, note="Wording of the PCC response")
        locked.version += 1
        locked.save()
        record_update(locked, before, actor=actor)
    return locked


def publish_pcc_response(
    response: PccResponse, *, url: str, published_on: Any, expected_version, actor
) -> PccResponse:
    """Mark a response published, with the web address the office published it at."""
    with transaction.atomic():
        locked = _lock_pcc(response, actor, expected_version)
        errors: Errors = {}
        url = (url or "").strip()
        if not url:
            _add(errors, "published_url", "Enter the web address the response is published at")
        else:
            try:
                URLValidator(schemes=["https", "http"])(url)
            except ValidationError:
                _add(errors, "published_url", "Enter a web address starting https://")
            if len(url) > 500:
                _add(errors, "published_url", "Use 500 characters or fewer")
        if not isinstance(published_on, datetime.date):
            _add(errors, "published_on", "Enter the date it was published")
        elif published_on > timezone.localdate():
            _add(errors, "published_on", "The date it was published cannot be in the future")
        elif published_on < (locked.inspection.published_on or published_on):
            _add(errors, "published_on", "The response cannot be published before the report")
        _raise(errors)
        before = snapshot(locked)
        locked.state = PccResponseState.PUBLISHED
        locked.published_url, locked.published_on = url, published_on
        locked.version += 1
        locked.save()
        record_update(locked, before, actor=actor, note="PCC response published")
    return locked
