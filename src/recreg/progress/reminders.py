"""The weekly reminder digest: one email per person, listing what needs them.

Each person's digest lists, for open responses to published findings that they own or lead in
their own organisation: what is due within 30 days, what is overdue, and what has had no update
for 90 days; and for those who sign off or decide: closure proposals and wording challenges
waiting for a decision. Nobody inactive gets one, closed responses never appear, and someone
with nothing to do gets no email.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from recreg.accounts.models import User
from recreg.accounts.roles import Role
from recreg.findings.models import (
    CLOSED_STATES,
    DUE_SOON_DAYS,
    FindingState,
    Response,
    ResponseState,
)
from recreg.progress.access import inspectorate_signs_off_q
from recreg.progress.models import (
    ChallengeState,
    ClosureProposal,
    DigestDelivery,
    DigestRun,
    DigestRunState,
    DigestTrigger,
    WordingChallenge,
)
from recreg.progress.queries import STALE_DAYS

logger = logging.getLogger(__name__)
# A run that was scheduled but has not started this long after it was due is enqueued again
# (its task may have been lost); the run's own claim stops it being sent twice.
RESCUE_AFTER = datetime.timedelta(hours=1)


def site_url() -> str:
    """The address links in emails start with (RECREG_SITE_URL)."""
    return str(getattr(settings, "RECREG_SITE_URL", "http://127.0.0.1:8000")).rstrip("/")


@dataclass
class Item:
    title: str
    detail: str
    url: str


@dataclass
class Digest:
    user: User
    sections: dict[str, list[Item]] = field(default_factory=lambda: defaultdict(list))

    @property
    def count(self) -> int:
        return sum(len(items) for items in self.sections.values())


SECTIONS = (
    ("overdue", "Overdue"),
    ("due_soon", f"Due within {DUE_SOON_DAYS} days"),
    ("stale", f"No update for {STALE_DAYS} days"),
    ("proposals", "Closure proposals waiting for your decision"),
    ("challenges", "Wording challenges waiting for your decision"),
)


def _response_item(response: Response, detail: str) -> Item:
    finding = response.finding
    return Item(
        title=f"{response.organisation.display_name}: {finding.title}",
        detail=detail,
        url=site_url() + reverse("progress:response", args=[response.pk]),
    )


def build_digests(now: datetime.datetime | None = None) -> list[Digest]:
    """Every active person's digest, leaving out anyone with nothing to do."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    stale_before = now - datetime.timedelta(days=STALE_DAYS)
    users = {u.pk: u for u in User.objects.filter(is_active=True).select_related("organisation")}
    digests: dict[int, Digest] = {}

    def add(user_id: int, section: str, item: Item) -> None:
        user = users.get(user_id)
        if user is None:
            return
        digests.setdefault(user_id, Digest(user)).sections[section].append(item)

    mine = (
        Response.objects.open()
        .filter(finding__state=FindingState.PUBLISHED)
        .filter(Q(owner__is_active=True) | Q(tactical_lead__is_active=True))
        .annotate(last_activity=Coalesce("last_update_at", "state_changed_at"))
        .filter(
            Q(target_date__lte=soon)
            | Q(last_activity__lt=stale_before, state=ResponseState.IN_PROGRESS)
        )
        .select_related("finding", "organisation")
        .order_by("target_date", "pk")
    )
    for response in mine:
        sections = []
        if response.target_date is not None and response.target_date < today:
            days = (today - response.target_date).days
            sections.append(
                ("overdue", f"Target date {response.target_date:%d %B %Y}, {days} days ago")
            )
        elif response.target_date is not None and response.target_date <= soon:
            sections.append(("due_soon", f"Target date {response.target_date:%d %B %Y}"))
        if response.state == ResponseState.IN_PROGRESS and response.last_activity < stale_before:
            last = timezone.localtime(response.last_activity)
            word = "Last update" if response.last_update_at else "No update since"
            sections.append(("stale", f"{word} {last:%d %B %Y}"))
        for user_id in {response.owner_id, response.tactical_lead_id} - {None}:
            user = users.get(user_id)
            # Someone who has moved to another organisation is not reminded of its work.
            if user is None or user.organisation_id != response.organisation_id:
                continue
            for section, detail in sections:
                add(user_id, section, _response_item(response, detail))

    proposals = ClosureProposal.objects.filter(
        decision="", response__state=ResponseState.PENDING_SIGN_OFF
    ).select_related("response", "response__finding", "response__organisation", "proposed_by")
    inspectorate_ids = set(
        ClosureProposal.objects.filter(decision="")
        .filter(inspectorate_signs_off_q("response__"))
        .values_list("pk", flat=True)
    )
    inspectorate_editors = [u for u in users.values() if u.role == Role.INSPECTORATE_EDITOR]
    org_editors: dict[int, list[User]] = defaultdict(list)
    for user in users.values():
        if user.role == Role.FORCE_EDITOR and user.organisation_id:
            org_editors[user.organisation_id].append(user)
    for proposal in proposals:
        detail = (
            f"Proposed by {proposal.proposed_by.full_name} on "
            f"{timezone.localtime(proposal.proposed_at):%d %B %Y}"
        )
        item = _response_item(proposal.response, detail)
        deciders = (
            inspectorate_editors
            if proposal.pk in inspectorate_ids
            else org_editors.get(proposal.response.organisation_id, [])
        )
        for user in deciders:
            add(user.pk, "proposals", item)

    challenges = (
        WordingChallenge.objects.filter(state=ChallengeState.PENDING)
        .exclude(response__state__in=CLOSED_STATES)
        .select_related("response", "response__finding", "response__organisation", "raised_by")
    )
    for challenge in challenges:
        detail = (
            f"Raised by {challenge.raised_by.full_name} on "
            f"{timezone.localtime(challenge.raised_at):%d %B %Y}"
        )
        item = _response_item(challenge.response, detail)
        for user in inspectorate_editors:
            add(user.pk, "challenges", item)

    return [d for d in digests.values() if d.count]


def render_digest(digest: Digest) -> EmailMultiAlternatives:
    """The email for one digest, as plain text with an HTML alternative."""
    sections = [
        (title, digest.sections[key]) for key, title in SECTIONS if digest.sections.get(key)
    ]
    context = {
        "user": digest.user,
        "sections": sections,
        "count": digest.count,
        "site_name": settings.SITE_NAME,
        "my_work_url": site_url() + reverse("progress:my_work"),
    }
    subject = (
        f"{settings.SITE_NAME}: {digest.count} thing{'s' if digest.count != 1 else ''} "
        "need your attention this week"
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("progress/email/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[digest.user.email],
    )
    message.attach_alternative(render_to_string("progress/email/digest.html", context), "text/html")
    return message


def week_of(moment: datetime.datetime) -> datetime.date:
    """The Monday of the week a moment falls in, in local time."""
    day = timezone.localtime(moment).date()
    return day - datetime.timedelta(days=day.weekday())


def due_at(week: datetime.date) -> datetime.datetime:
    """When the scheduled digest of a week is sent (RECREG_DIGEST_WEEKDAY, 0 = Monday, and
    RECREG_DIGEST_HOUR, local time)."""
    weekday = int(getattr(settings, "RECREG_DIGEST_WEEKDAY", 0))
    hour = int(getattr(settings, "RECREG_DIGEST_HOUR", 7))
    day = week + datetime.timedelta(days=weekday)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def next_scheduled_week(now: datetime.datetime) -> datetime.date:
    """The week whose scheduled digest is next to send: this week's if it has not been sent
    (even if its time has passed, so a worker that was down catches up), else next week's."""
    this_week = week_of(now)
    done = DigestRun.objects.filter(
        trigger=DigestTrigger.SCHEDULED, week=this_week, state=DigestRunState.DONE
    ).exists()
    return this_week + datetime.timedelta(days=7) if done else this_week


def schedule_weekly_digest(now: datetime.datetime | None = None) -> DigestRun:
    """Make sure the next weekly digest is scheduled exactly once, however many workers ask."""
    from recreg.progress.tasks import send_weekly_digest

    now = now or timezone.now()
    week = next_scheduled_week(now)
    run_at = due_at(week)
    try:
        with transaction.atomic():
            run, created = DigestRun.objects.get_or_create(
                trigger=DigestTrigger.SCHEDULED,
                week=week,
                defaults={"due_at": run_at},
            )
    except IntegrityError:
        # Another worker created it at the same moment.
        return DigestRun.objects.get(trigger=DigestTrigger.SCHEDULED, week=week)
    lost = (
        not created
        and run.state == DigestRunState.SCHEDULED
        and now > run.due_at + RESCUE_AFTER
        and not _task_waiting(run)
    )
    if created or lost:
        result = send_weekly_digest.using(run_after=run.due_at if run.due_at > now else None)
        task_result = result.enqueue(run.pk)
        run.task_result_id = str(task_result.id)
        run.save(update_fields=["task_result_id"])
        logger.info("Weekly digest for the week of %s scheduled for %s", week, run.due_at)
    return run


def _task_waiting(run: DigestRun) -> bool:
    from django.tasks import TaskResultStatus
    from django.tasks.exceptions import TaskResultDoesNotExist

    from recreg.progress.tasks import send_weekly_digest

    if not run.task_result_id:
        return False
    try:
        result = send_weekly_digest.get_result(run.task_result_id)
    except (TaskResultDoesNotExist, NotImplementedError, ValueError):
        return False
    return result.status in (TaskResultStatus.READY, TaskResultStatus.RUNNING)


def claim_run(run_id: int) -> DigestRun | None:
    """Mark a run as started, unless it already has been; only one caller gets it."""
    with transaction.atomic():
        run = DigestRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.state != DigestRunState.SCHEDULED:
            return None
        run.state = DigestRunState.RUNNING
        run.started_at = timezone.now()
        run.save(update_fields=["state", "started_at"])
        return run


def send_digests(run: DigestRun, now: datetime.datetime | None = None) -> int:
    """Send every digest of a run, skipping anyone who already had theirs in it."""
    sent = 0
    for digest in build_digests(now):
        try:
            with transaction.atomic():
                DigestDelivery.objects.create(run=run, user=digest.user, items=digest.count)
                message = render_digest(digest)
                # The email goes only once the delivery is recorded, so a retried run never
                # sends anyone a second copy; a failed send is logged, not retried.
                transaction.on_commit(lambda m=message: _send(m))
        except IntegrityError:
            continue
        sent += 1
    DigestRun.objects.filter(pk=run.pk).update(
        state=DigestRunState.DONE, finished_at=timezone.now(), emails_sent=sent
    )
    return sent


def _send(message: EmailMultiAlternatives) -> None:
    try:
        message.send()
    except Exception:  # noqa: BLE001 - one bad address must not stop the rest
        logger.exception("The reminder digest to %s could not be sent", message.to)


def run_digest_now(now: datetime.datetime | None = None) -> tuple[DigestRun, int]:
    """Send the digest straight away, outside the weekly schedule."""
    now = now or timezone.now()
    run = DigestRun.objects.create(
        trigger=DigestTrigger.MANUAL,
        week=week_of(now),
        due_at=now,
        state=DigestRunState.RUNNING,
        started_at=now,
    )
    return run, send_digests(run, now)
