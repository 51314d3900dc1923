"""Findings (recommendations, areas for improvement, causes of concern) and the responses of
each organisation they are addressed to."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from recreg.core.links import url_for_pk
from recreg.core.sql import Constant, constants
from recreg.inspections.models import Inspection


class FindingKind(models.TextChoices):
    RECOMMENDATION = "recommendation", "Recommendation"
    AREA_FOR_IMPROVEMENT = "area_for_improvement", "Area for improvement"
    CAUSE_OF_CONCERN = "cause_of_concern", "Cause of concern"
    ACCELERATED_CAUSE_OF_CONCERN = "accelerated_cause_of_concern", "Accelerated cause of concern"


def finding_title(reference: str, kind: str) -> str:
    """What a finding is called in lists: its reference, else its kind ("Recommendation")."""
    return reference or FindingKind(kind).label


CONCERN_KINDS: tuple[str, ...] = (
    FindingKind.CAUSE_OF_CONCERN,
    FindingKind.ACCELERATED_CAUSE_OF_CONCERN,
)


class FindingState(models.TextChoices):
    DRAFT = "draft", "Draft"
    FACT_CHECK = "fact_check", "Factual accuracy check"
    PUBLISHED = "published", "Published"


class AddresseeScope(models.TextChoices):
    FORCES = "forces", "Named forces"
    ALL_FORCES = "all_forces", "All forces"
    NATIONAL_BODY = "national_body", "National body"


class DeadlineKind(models.TextChoices):
    NONE = "none", "No deadline"
    DATE = "date", "A date"
    MONTH = "month", "By the end of a month"
    MONTHS = "months", "Months from publication"
    IMMEDIATE = "immediate", "Immediately"


class Theme(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def public_register_q(prefix: str = "") -> Q:
    """The public register rule, once: published, led by the police inspectorate, for forces.

    `prefix` lets other models apply the rule through a relation (e.g. "finding__").
    """
    return Q(
        **{
            f"{prefix}state": Constant(FindingState.PUBLISHED),
            f"{prefix}lead_inspectorate__slug": Constant(settings.POLICE_INSPECTORATE_SLUG),
            f"{prefix}addressee_scope__in": constants(
                [AddresseeScope.FORCES, AddresseeScope.ALL_FORCES]
            ),
        }
    )


def in_public_register(finding: Finding) -> bool:
    """public_register_q() for one finding already read, from its own fields and its
    inspection's lead inspectorate (read with it, or one query more)."""
    if finding.state != FindingState.PUBLISHED:
        return False
    if finding.addressee_scope not in (AddresseeScope.FORCES, AddresseeScope.ALL_FORCES):
        return False
    lead = finding.inspection.lead_inspectorate
    return lead is not None and lead.slug == settings.POLICE_INSPECTORATE_SLUG


class FindingQuerySet(models.QuerySet["Finding"]):
    def bulk_create(self, objs, *args, **kwargs):
        """bulk_create(), with each finding's copy of its inspection's lead inspectorate filled
        in (Finding.lead_inspectorate), as save() fills it."""
        objs = list(objs)
        unread = {o.inspection_id for o in objs if not Finding.inspection.is_cached(o)}
        leads = dict(
            Inspection.objects.filter(pk__in=unread).values_list("pk", "lead_inspectorate_id")
        )
        for finding in objs:
            if Finding.inspection.is_cached(finding):
                finding.lead_inspectorate_id = finding.inspection.lead_inspectorate_id
            else:
                finding.lead_inspectorate_id = leads[finding.inspection_id]
        return super().bulk_create(objs, *args, **kwargs)

    def public(self) -> FindingQuerySet:
        """Findings in the public register."""
        return self.filter(public_register_q())

    def with_overdue_for(self, organisation_ids=None) -> FindingQuerySet:
        """Only findings with an overdue response (of these organisations, if given)."""
        responses = Response.objects.overdue().filter(finding=OuterRef("pk"))
        if organisation_ids is not None:
            responses = responses.filter(organisation_id__in=organisation_ids)
        return self.filter(Exists(responses))

    def addressed_to(self, organisation_ids) -> FindingQuerySet:
        """Findings with a response for any of these organisations."""
        return self.filter(
            Exists(
                Response.objects.filter(
                    finding=OuterRef("pk"), organisation_id__in=organisation_ids
                )
            )
        )


class Finding(models.Model):
    inspection = models.ForeignKey(
        "inspections.Inspection", on_delete=models.PROTECT, related_name="findings"
    )
    kind = models.CharField(max_length=32, choices=FindingKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The cause of concern this recommendation belongs to.",
    )
    reference = models.CharField(max_length=60, blank=True, help_text="The label as printed.")
    text = models.TextField()
    sequence = models.PositiveIntegerField(default=0)
    question_area = models.ForeignKey(
        "frameworks.QuestionArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="findings")
    addressee_scope = models.CharField(
        max_length=20, choices=AddresseeScope.choices, default=AddresseeScope.FORCES
    )
    addressees = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="addressed_findings"
    )
    deadline_text = models.CharField(max_length=200, blank=True, help_text="As written.")
    deadline_kind = models.CharField(
        max_length=12, choices=DeadlineKind.choices, default=DeadlineKind.NONE
    )
    deadline_months = models.PositiveSmallIntegerField(null=True, blank=True)
    deadline_date = models.DateField(null=True, blank=True)
    state = models.CharField(
        max_length=12, choices=FindingState.choices, default=FindingState.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # A copy of the inspection's lead inspectorate, so the public register rule judges a
    # finding without joining its inspection: PostgreSQL hashed all the register's inspections
    # to count a page of a force's findings (docs/performance.md). Kept by save() and
    # bulk_create() here and by Inspection.save() when the lead changes.
    lead_inspectorate = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,
    )

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["inspection_id", "sequence", "id"]
        indexes = [
            models.Index(fields=["state", "kind"]),
            models.Index(fields=["inspection", "sequence"]),
            models.Index(fields=["question_area"]),
            models.Index(fields=["deadline_date"]),
            models.Index(fields=["-created_at"]),
            # Who may see a finding (its stage, scope and inspection), read without the row.
            models.Index(
                fields=["state", "addressee_scope", "inspection"], name="finding_visibility_idx"
            ),
            # The public register's findings counted without reading a row (PostgreSQL: 0.9 ms
            # for a page's capped count by scanning the table, 0.25 ms through this).
            models.Index(
                fields=["state", "addressee_scope", "lead_inspectorate"], name="finding_public_idx"
            ),
        ]

    def __str__(self) -> str:
        label = self.reference or self.get_kind_display()
        return f"{label}: {self.text[:60]}"

    def save(self, *args, **kwargs) -> None:
        """Save, keeping the copy of the inspection's lead inspectorate."""
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "inspection" in update_fields:
            self.lead_inspectorate_id = self.inspection.lead_inspectorate_id
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "lead_inspectorate"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return url_for_pk("findings:detail", self.pk)

    @property
    def title(self) -> str:
        return finding_title(self.reference, self.kind)

    @property
    def is_concern(self) -> bool:
        return self.kind in CONCERN_KINDS

    @property
    def is_public(self) -> bool:
        return Finding.objects.public().filter(pk=self.pk).exists()


class GovernanceBoard(models.Model):
    """A board inside an organisation that oversees findings (e.g. a Crime Governance Board)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="boards"
    )
    name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="board_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ResponseState(models.TextChoices):
    AWAITING_ALLOCATION = "awaiting_allocation", "Awaiting allocation"
    IN_PROGRESS = "in_progress", "In progress"
    PENDING_SIGN_OFF = "pending_sign_off", "Pending sign-off"
    COMPLETED = "completed", "Completed"
    SUPERSEDED = "superseded", "Superseded"
    CLOSED_NOT_IMPLEMENTED = "closed_not_implemented", "Closed – not implemented"


class RAG(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


CLOSED_STATES = (
    ResponseState.COMPLETED,
    ResponseState.SUPERSEDED,
    ResponseState.CLOSED_NOT_IMPLEMENTED,
)
OPEN_STATES = tuple(state for state in ResponseState if state not in CLOSED_STATES)
DUE_SOON_DAYS = 30


def is_overdue_on(state: str, target_date: datetime.date | None, today: datetime.date) -> bool:
    """Whether a response in this state with this target date is overdue on `today`."""
    return state not in CLOSED_STATES and target_date is not None and target_date < today


def is_due_soon_on(state: str, target_date: datetime.date | None, today: datetime.date) -> bool:
    """Whether a response in this state with this target date falls due within
    DUE_SOON_DAYS of `today` (and is not already overdue)."""
    if state in CLOSED_STATES or target_date is None or target_date < today:
        return False
    return (target_date - today).days <= DUE_SOON_DAYS


class ResponseQuerySet(models.QuerySet["Response"]):
    def open(self) -> ResponseQuerySet:
        """Responses not yet closed.

        Named as the open states rather than "not a closed state", so an index that leads
        with (organisation, state) reads just an organisation's open responses."""
        return self.filter(state__in=constants(OPEN_STATES))

    def overdue(self, today: datetime.date | None = None) -> ResponseQuerySet:
        """Open responses past their target date."""
        today = today or timezone.localdate()
        return self.open().filter(target_date__lt=today)

    def public(self) -> ResponseQuerySet:
        """Responses whose state the public may see: a force's, to a public finding."""
        return self.filter(public_register_q("finding__")).of_forces()

    def of_forces(self) -> ResponseQuerySet:
        """Forces' responses: of a finding already known to be public, those the public sees."""
        from recreg.organisations.models import OrganisationKind

        return self.filter(organisation__kind=Constant(OrganisationKind.FORCE))


class Response(models.Model):
    """One organisation's progress on one finding."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="responses")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="responses"
    )
    state = models.CharField(
        max_length=24, choices=ResponseState.choices, default=ResponseState.AWAITING_ALLOCATION
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    target_date = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_responses",
        help_text="The strategic owner: a chief officer.",
    )
    tactical_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_responses",
    )
    governance_board = models.ForeignKey(
        GovernanceBoard,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responses",
    )
    # Kept in step with the latest progress update (recreg.progress) so lists and overviews
    # need no subquery per row.
    rag = models.CharField(max_length=10, choices=RAG.choices, blank=True)
    last_update_at = models.DateTimeField(null=True, blank=True)
    # Raised on every change, so a save based on a stale copy can be refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["finding_id", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["finding", "organisation"], name="response_one_per_organisation"
            )
        ]
        indexes = [
            # An organisation's responses in one state, by target date: the filtered register
            # ("in progress and overdue") reads just those, not every overdue response.
            models.Index(
                fields=["organisation", "state", "target_date", "finding"],
                name="response_org_state_target_idx",
            ),
            models.Index(fields=["state", "target_date"]),
            models.Index(fields=["owner"]),
            models.Index(fields=["tactical_lead"]),
            models.Index(fields=["organisation", "rag"]),
            # An organisation's counts by state and rating, and its overdue list in date order.
            # Each also holds the state and the finding, which the counts test (closed or not,
            # the finding a draft or not): with them the counts of a force's 11,000 responses
            # are read from the index alone, without visiting each row.
            models.Index(
                fields=["organisation", "state", "rag", "finding"],
                name="response_org_state_rag_f_idx",
            ),
            models.Index(
                fields=["organisation", "target_date", "state", "finding"],
                name="response_org_target_f_idx",
            ),
            # An organisation's overdue list, in date order, without passing the closed
            # responses among the overdue dates (nine in ten of a force's past target dates).
            # SQLite leaves it be: it cannot match the condition to a statement's parameters.
            models.Index(
                fields=["organisation", "target_date"],
                condition=models.Q(state__in=OPEN_STATES),
                name="response_org_open_target_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.finding.title}"

    def get_absolute_url(self) -> str:
        return url_for_pk("findings:response", self.pk)

    @property
    def is_closed(self) -> bool:
        return self.state in CLOSED_STATES

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return is_overdue_on(self.state, self.target_date, today or timezone.localdate())

    def is_due_soon(self, today: datetime.date | None = None) -> bool:
        return is_due_soon_on(self.state, self.target_date, today or timezone.localdate())


class ResponseCount(models.Model):
    """How many of an organisation's responses are in each state and RAG rating, by the state
    of their finding: a force overview's counts, read in a handful of rows rather than from
    the organisation's 10,000 responses.

    Kept by database triggers (migration 0011), in the transaction of every insert, change or
    delete of a response and every change of a finding's state, whichever code or bulk load
    makes it; the app never writes it. Not in backups: a restore's inserts count again.
    docs/adr/0005-response-counts-kept-by-triggers.md says why triggers."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    finding_state = models.CharField(max_length=24, choices=FindingState.choices)
    state = models.CharField(max_length=24, choices=ResponseState.choices)
    rag = models.CharField(max_length=10, choices=RAG.choices, blank=True)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "finding_state", "state", "rag"],
                name="response_count_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.finding_state} {self.state} {self.rag}: {self.n}"
