"""Progress on a response: dated updates with evidence, target date changes, closure proposals
and decisions, factual accuracy challenges, discharges of causes of concern, and the timeline
that tells all of them in order.

Everything here hangs off a findings.Response, so whoever may see the response sees its
progress and nobody else does (see recreg.progress.access). Rows are written once by the
services in recreg.progress.services; the only later change is a decision filling in its own
fields.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from recreg.findings.models import RAG, ResponseState


class AppendOnly(models.Model):
    """A record that is written once and never changed or deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError(f"{self._meta.verbose_name} records are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(f"{self._meta.verbose_name} records are never deleted")


class ProgressUpdate(AppendOnly):
    """A dated narrative of progress with a RAG rating. A correction is a new update."""

    response = models.ForeignKey(
        "findings.Response", on_delete=models.PROTECT, related_name="progress_updates"
    )
    narrative = models.TextField()
    rag = models.CharField("RAG rating", max_length=10, choices=RAG.choices)
    percent_complete = models.PositiveSmallIntegerField(null=True, blank=True)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        help_text="The earlier update this one corrects.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="progress_updates"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["response", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_complete__isnull=True) | Q(percent_complete__lte=100),
                name="progress_update_percent_at_most_100",
            )
        ]

    def __str__(self) -> str:
        return f"Update of {self.created_at:%d %b %Y} on response {self.response_id}"


class EvidenceType(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word document"
    XLSX = "xlsx", "Excel spreadsheet"
    PNG = "png", "PNG image"
    JPEG = "jpeg", "JPEG image"
    TEXT = "text", "Text file"


class Evidence(AppendOnly):
    """A file kept as evidence of progress, stored under a random name; never public."""

    response = models.ForeignKey(
        "findings.Response", on_delete=models.PROTECT, related_name="evidence"
    )
    update = models.ForeignKey(
        ProgressUpdate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
    )
    proposal = models.ForeignKey(
        "ClosureProposal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
    )
    # The name in Django's default storage: random, so it says nothing about the content.
    stored_name = models.CharField(max_length=255, unique=True)
    original_name = models.CharField(max_length=255)
    download_name = models.CharField(max_length=255)
    file_type = models.CharField(max_length=10, choices=EvidenceType.choices)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField("SHA-256", max_length=64)
    description = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evidence_uploaded"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name_plural = "evidence"
        indexes = [models.Index(fields=["response", "uploaded_at"])]

    def __str__(self) -> str:
        return self.download_name

    def get_absolute_url(self) -> str:
        return reverse("progress:evidence_download", args=[self.pk])

    def open(self):
        """The stored file, opened for reading."""
        return default_storage.open(self.stored_name, "rb")


class TargetDateChange(AppendOnly):
    """A target date set or moved, with the reason."""

    response = models.ForeignKey(
        "findings.Response", on_delete=models.PROTECT, related_name="target_date_changes"
    )
    old_date = models.DateField(null=True, blank=True)
    new_date = models.DateField()
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="target_date_changes"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "id"]
        indexes = [models.Index(fields=["response", "changed_at"])]

    def __str__(self) -> str:
        return f"Target date of response {self.response_id}: {self.old_date} to {self.new_date}"


class ClosureDecision(models.TextChoices):
    COMPLETED = "completed", "Completed"
    SUPERSEDED = "superseded", "Superseded"
    CLOSED_NOT_IMPLEMENTED = "closed_not_implemented", "Closed – not implemented"
    REOPENED = "reopened", "Reopened"


# The state a response takes after each decision.
DECISION_STATES = {
    ClosureDecision.COMPLETED: ResponseState.COMPLETED,
    ClosureDecision.SUPERSEDED: ResponseState.SUPERSEDED,
    ClosureDecision.CLOSED_NOT_IMPLEMENTED: ResponseState.CLOSED_NOT_IMPLEMENTED,
    ClosureDecision.REOPENED: ResponseState.IN_PROGRESS,
}


class ClosureProposal(models.Model):
    """An organisation's proposal to close a response, and the decision on it (the decision
    fields are filled in once, by recreg.progress.services.decide_closure)."""

    response = models.ForeignKey(
        "findings.Response", on_delete=models.PROTECT, related_name="closure_proposals"
    )
    statement = models.TextField()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="closure_proposals"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=24, choices=ClosureDecision.choices, blank=True)
    decision_reason = models.TextField(blank=True)
    superseded_by = models.ForeignKey(
        "findings.Finding",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes_via_closure",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="closure_decisions",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposed_at", "id"]
        indexes = [models.Index(fields=["decision", "proposed_at"])]
        constraints = [
            # At most one proposal waiting for a decision per response.
            models.UniqueConstraint(
                fields=["response"],
                condition=Q(decision=""),
                name="closure_one_pending_per_response",
            )
        ]

    def __str__(self) -> str:
        return f"Closure proposal of {self.proposed_at:%d %b %Y} on response {self.response_id}"

    @property
    def is_pending(self) -> bool:
        return not self.decision


class ChallengeState(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class WordingChallenge(models.Model):
    """A force's challenge to a draft finding's wording during the factual accuracy check.

    The original and proposed wording are both kept here, whatever is decided.
    """

    response = models.ForeignKey(
        "findings.Response", on_delete=models.PROTECT, related_name="wording_challenges"
    )
    original_text = models.TextField()
    proposed_text = models.TextField()
    reason = models.TextField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="wording_challenges"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(
        max_length=10, choices=ChallengeState.choices, default=ChallengeState.PENDING
    )
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="challenge_decisions",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["raised_at", "id"]
        indexes = [models.Index(fields=["state", "raised_at"])]

    def __str__(self) -> str:
        return f"Challenge of {self.raised_at:%d %b %Y} on response {self.response_id}"

    @property
    def is_pending(self) -> bool:
        return self.state == ChallengeState.PENDING


class ConcernDischarge(AppendOnly):
    """The inspectorate's decision that a cause of concern is discharged for an organisation."""

    response = models.OneToOneField(
        "findings.Response", on_delete=models.PROTECT, related_name="discharge"
    )
    reason = models.TextField()
    # Set when the concern was discharged while some of its recommendations were still open.
    override_reason = models.TextField(blank=True)
    open_recommendations = models.PositiveIntegerField(default=0)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="concern_discharges"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Discharge of response {self.response_id}"


class TimelineKind(models.TextChoices):
    ALLOCATED = "allocated", "Allocated"
    REASSIGNED = "reassigned", "Reassigned"
    UPDATE = "update", "Progress update"
    EVIDENCE = "evidence", "Evidence added"
    TARGET_DATE = "target_date", "Target date changed"
    CLOSURE_PROPOSED = "closure_proposed", "Closure proposed"
    CLOSURE_DECIDED = "closure_decided", "Closure decision"
    CHALLENGE_RAISED = "challenge_raised", "Wording challenged"
    CHALLENGE_DECIDED = "challenge_decided", "Challenge decided"
    DISCHARGED = "discharged", "Cause of concern discharged"


class TimelineEvent(AppendOnly):
    """One line of a response's timeline, written by the service that did the thing.

    The audit trail records field values; this says what happened in the words of the work,
    and lets lists ("what changed since…") read one table.
    """

    response = models.ForeignKey(
        "findings.Response", on_delete=models.PROTECT, related_name="timeline_events"
    )
    # The response's organisation, copied when the entry is written, so "what changed at this
    # organisation since…" reads one index range instead of every response's timeline.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    kind = models.CharField(max_length=20, choices=TimelineKind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="timeline_events",
    )
    # Names as they were at the time, so the timeline reads right after people move on.
    actor_name = models.CharField(max_length=200)
    summary = models.CharField(max_length=300)
    details = models.JSONField(default=dict, blank=True)
    update = models.ForeignKey(
        ProgressUpdate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evidence = models.ForeignKey(
        Evidence, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_change = models.ForeignKey(
        TargetDateChange, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposal = models.ForeignKey(
        ClosureProposal, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    challenge = models.ForeignKey(
        WordingChallenge, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    discharge = models.ForeignKey(
        ConcernDischarge, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["response", "at"]),
            models.Index(fields=["at"]),
            # An organisation's recent entries, and how many: the response is there so that
            # the count, which leaves out drafts' responses, reads the index alone.
            models.Index(fields=["organisation", "at", "response"], name="timeline_org_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d %b %Y %H:%M} {self.actor_name}: {self.summary}"


class DigestTrigger(models.TextChoices):
    SCHEDULED = "scheduled", "Weekly schedule"
    MANUAL = "manual", "Run by hand"


class DigestRunState(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    RUNNING = "running", "Running"
    DONE = "done", "Done"


class DigestRun(models.Model):
    """One sending of the reminder digest. A week has at most one scheduled run, so several
    workers never send it twice."""

    week = models.DateField(help_text="The Monday of the week this run is for.")
    trigger = models.CharField(max_length=10, choices=DigestTrigger.choices)
    state = models.CharField(
        max_length=10, choices=DigestRunState.choices, default=DigestRunState.SCHEDULED
    )
    due_at = models.DateTimeField()
    task_result_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    emails_sent = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-week", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["week"],
                condition=Q(trigger="scheduled"),
                name="digest_one_scheduled_run_per_week",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_trigger_display()} digest for the week of {self.week}"


class DigestDelivery(models.Model):
    """One person's digest in one run: written before the email goes, so a retried run skips
    whoever already had theirs."""

    run = models.ForeignKey(DigestRun, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_deliveries"
    )
    items = models.PositiveIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "user"], name="digest_one_per_user_per_run")
        ]

    def __str__(self) -> str:
        return f"Digest for user {self.user_id} in run {self.run_id}"
