"""The inspectorate's oversight of forces: grades, monitoring decisions, data returns, liaison
notes, the risk model's configuration and tranche plans.

Grades and monitoring decisions are public once published; data returns and liaison notes are
seen only by the inspectorate and the force they are about (see docs/oversight.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from recreg.frameworks.models import GradeScale
from recreg.organisations.models import OrganisationKind

FORCES_ONLY = {"kind": OrganisationKind.FORCE}


# --- Grades -----------------------------------------------------------------------------------


class GradeValue(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    ADEQUATE = "adequate", "Adequate"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"
    NOT_GRADED = "not_graded", "Not graded"


# Best first. The words are the record; their order is the only thing the scales share, and the
# risk model's configuration says openly how many points each word is worth.
FOUR_POINT_GRADES = (
    GradeValue.OUTSTANDING,
    GradeValue.GOOD,
    GradeValue.REQUIRES_IMPROVEMENT,
    GradeValue.INADEQUATE,
)
FIVE_POINT_GRADES = (
    GradeValue.OUTSTANDING,
    GradeValue.GOOD,
    GradeValue.ADEQUATE,
    GradeValue.REQUIRES_IMPROVEMENT,
    GradeValue.INADEQUATE,
)
GRADED_ORDER = FIVE_POINT_GRADES


def grades_for(scale: str, graded: bool = True) -> tuple[str, ...]:
    """The grades that may be given on this scale (only "not graded" where nothing is graded)."""
    if not graded or scale == GradeScale.UNGRADED:
        return (GradeValue.NOT_GRADED,)
    if scale == GradeScale.FOUR_POINT:
        return FOUR_POINT_GRADES
    return FIVE_POINT_GRADES


class GradeLevel(models.TextChoices):
    AREA = "area", "Question area"
    PILLAR = "pillar", "Pillar"
    OVERALL = "overall", "Overall"


class Assessment(models.Model):
    """One force's assessment under one framework: the grades it was given, and when they were
    published (unpublished grades are seen only by the inspectorate)."""

    force = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="assessments",
        limit_choices_to=FORCES_ONLY,
    )
    framework = models.ForeignKey(
        "frameworks.Framework", on_delete=models.PROTECT, related_name="assessments"
    )
    inspection = models.ForeignKey(
        "inspections.Inspection",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessments",
        help_text="The inspection whose report gave these grades, if it is in the register.",
    )
    published_on = models.DateField(
        null=True, blank=True, help_text="Blank until the grades are published."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["framework__start_year", "force__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "framework"], name="assessment_one_per_force_framework"
            )
        ]

    def __str__(self) -> str:
        return f"{self.framework.short_name}: {self.force}"

    @property
    def is_published(self) -> bool:
        return self.published_on is not None


class Grade(models.Model):
    """One grade of an assessment: for a question area, a pillar, or overall."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="grades")
    level = models.CharField(max_length=10, choices=GradeLevel.choices)
    question_area = models.ForeignKey(
        "frameworks.QuestionArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grades",
    )
    pillar = models.ForeignKey(
        "frameworks.Pillar", on_delete=models.PROTECT, null=True, blank=True, related_name="grades"
    )
    value = models.CharField("grade", max_length=24, choices=GradeValue.choices)

    class Meta:
        ordering = ["assessment", "level", "question_area__order", "pillar__order"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(level="area", question_area__isnull=False, pillar__isnull=True)
                    | Q(level="pillar", question_area__isnull=True, pillar__isnull=False)
                    | Q(level="overall", question_area__isnull=True, pillar__isnull=True)
                ),
                name="grade_level_matches_target",
            ),
            models.UniqueConstraint(
                fields=["assessment", "question_area"],
                condition=Q(level="area"),
                name="grade_one_per_area",
            ),
            models.UniqueConstraint(
                fields=["assessment", "pillar"],
                condition=Q(level="pillar"),
                name="grade_one_per_pillar",
            ),
            models.UniqueConstraint(
                fields=["assessment"], condition=Q(level="overall"), name="grade_one_overall"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.target_name} {self.get_value_display()}"

    @property
    def target_name(self) -> str:
        if self.level == GradeLevel.AREA and self.question_area_id:
            return self.question_area.name
        if self.level == GradeLevel.PILLAR and self.pillar_id:
            return self.pillar.name
        return "Overall"


# --- Monitoring -------------------------------------------------------------------------------


class Tranche(models.Model):
    """One of the three inspection tranches of a year."""

    year = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField()
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="tranche_unique"),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=3), name="tranche_number_1_to_3"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="tranche_dates_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} tranche {self.number}"


class MonitoringRound(models.Model):
    """The monitoring decisions taken about every force at the end of one tranche."""

    tranche = models.OneToOneField(Tranche, on_delete=models.PROTECT, related_name="round")
    meets_on = models.DateField("decision meeting", help_text="When the decisions are taken.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tranche__year", "tranche__number"]

    def __str__(self) -> str:
        return f"Monitoring round {self.tranche}"

    def get_absolute_url(self) -> str:
        return reverse("oversight:round_detail", args=[self.pk])


class MonitoringStage(models.TextChoices):
    SCAN = "scan", "Scan"
    ENGAGE = "engage", "Engage"


class MonitoringDecision(models.Model):
    """A force's monitoring status decided in one round: the word as recorded at the time (for
    example "Engaged" in 2018/19) and the stage it means today."""

    round = models.ForeignKey(MonitoringRound, on_delete=models.PROTECT, related_name="decisions")
    force = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="monitoring_decisions",
        limit_choices_to=FORCES_ONLY,
    )
    status = models.CharField("status as recorded", max_length=60)
    stage = models.CharField(max_length=10, choices=MonitoringStage.choices)
    reasons = models.TextField()
    causes_of_concern = models.ManyToManyField(
        "findings.Finding", blank=True, related_name="monitoring_decisions"
    )
    decided_by = models.CharField(max_length=200, help_text="The person or group who decided.")
    decided_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round__tranche__year", "round__tranche__number", "force__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "force"], name="decision_one_per_round")
        ]
        indexes = [models.Index(fields=["force", "decided_on"])]

    def __str__(self) -> str:
        return f"{self.force}: {self.status} ({self.round.tranche})"


# --- Data returns and liaison notes -----------------------------------------------------------


class IndicatorKind(models.TextChoices):
    NUMBER = "number", "Number"
    PERCENTAGE = "percentage", "Percentage"
    YES_NO = "yes_no", "Yes or no"
    TEXT = "text", "Text"


class ReturnTemplate(models.Model):
    """One version of a data return: its indicators. Revising a template makes a new version;
    windows keep the version they collected."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100)
    version = models.PositiveIntegerField(default=1)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="template_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"


class Indicator(models.Model):
    template = models.ForeignKey(
        ReturnTemplate, on_delete=models.CASCADE, related_name="indicators"
    )
    # The code stays the same across versions, so an indicator's history can be followed.
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=12, choices=IndicatorKind.choices)
    unit = models.CharField(max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["template", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="indicator_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class CollectionWindow(models.Model):
    """A period in which every force submits one data return (twice a year)."""

    template = models.ForeignKey(ReturnTemplate, on_delete=models.PROTECT, related_name="windows")
    name = models.CharField(max_length=100, unique=True)
    opens_on = models.DateField()
    due_on = models.DateField()

    class Meta:
        ordering = ["-due_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("opens_on")), name="window_due_after_open"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("oversight:window_detail", args=[self.pk])


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class DataReturn(models.Model):
    window = models.ForeignKey(CollectionWindow, on_delete=models.PROTECT, related_name="returns")
    force = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="data_returns",
        limit_choices_to=FORCES_ONLY,
    )
    status = models.CharField(
        max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["window", "force__name"]
        constraints = [
            models.UniqueConstraint(fields=["window", "force"], name="return_one_per_window")
        ]

    def __str__(self) -> str:
        return f"{self.window}: {self.force}"

    @property
    def is_submitted(self) -> bool:
        return self.status == ReturnStatus.SUBMITTED

    @property
    def is_late(self) -> bool:
        return bool(self.submitted_at and self.submitted_at.date() > self.window.due_on)


class ReturnValue(models.Model):
    """One indicator's answer, kept as entered (normalised) and as a number or yes/no."""

    data_return = models.ForeignKey(DataReturn, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    text = models.TextField(blank=True)
    number = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    flag = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["data_return", "indicator__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["data_return", "indicator"], name="value_one_per_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.text}"


class Severity(models.IntegerChoices):
    LOW = 1, "Low"
    MEDIUM = 2, "Medium"
    HIGH = 3, "High"


class LiaisonNote(models.Model):
    """Context about a force from its Force Liaison Lead, about one question area."""

    force = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="liaison_notes",
        limit_choices_to=FORCES_ONLY,
    )
    question_area = models.ForeignKey(
        "frameworks.QuestionArea", on_delete=models.PROTECT, related_name="liaison_notes"
    )
    noted_on = models.DateField()
    severity = models.PositiveSmallIntegerField(choices=Severity.choices)
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-noted_on", "-id"]
        indexes = [models.Index(fields=["force", "noted_on"])]

    def __str__(self) -> str:
        return f"{self.force}, {self.noted_on}: {self.text[:60]}"


# --- The risk model and tranche planning ------------------------------------------------------


class RiskConfiguration(models.Model):
    """One version of the risk model's weights and thresholds. Never changed: editing makes a
    new version, so an old score can always be explained by the version it used."""

    version = models.PositiveIntegerField(unique=True)
    weights = models.JSONField(help_text="The weights and thresholds (see recreg.oversight.risk).")
    reason = models.TextField(help_text="Why this version was made.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Risk model version {self.version}"


class TranchePlan(models.Model):
    """Which forces a tranche inspects, and on which question areas."""

    tranche = models.ForeignKey(Tranche, on_delete=models.PROTECT, related_name="plans")
    framework = models.ForeignKey(
        "frameworks.Framework", on_delete=models.PROTECT, related_name="tranche_plans"
    )
    core_areas = models.ManyToManyField(
        "frameworks.QuestionArea", blank=True, related_name="core_in_plans"
    )
    extra_area_count = models.PositiveSmallIntegerField(
        help_text="How many of the highest-ranked other areas each force is inspected on."
    )
    configuration_version = models.PositiveIntegerField(
        help_text="The risk model version the ranking used (0: the built-in defaults)."
    )
    ranked_on = models.DateField()
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-tranche__year", "-tranche__number"]
        constraints = [
            models.UniqueConstraint(fields=["tranche", "framework"], name="plan_one_per_tranche")
        ]

    def __str__(self) -> str:
        return f"Plan for {self.tranche} ({self.framework.short_name})"

    def get_absolute_url(self) -> str:
        return reverse("oversight:plan_detail", args=[self.pk])


class PlannedForce(models.Model):
    plan = models.ForeignKey(TranchePlan, on_delete=models.CASCADE, related_name="forces")
    force = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="tranche_plans",
        limit_choices_to=FORCES_ONLY,
    )
    inspection = models.OneToOneField(
        "inspections.Inspection",
        on_delete=models.PROTECT,
        related_name="tranche_plan_entry",
    )
    override_reason = models.TextField(blank=True)
    # The ranking as computed when the plan was made, every contribution included, so the
    # choice can be defended later whatever the data or configuration become.
    ranking = models.JSONField(default=list)

    class Meta:
        ordering = ["plan", "force__name"]
        constraints = [models.UniqueConstraint(fields=["plan", "force"], name="planned_force_once")]

    def __str__(self) -> str:
        return f"{self.plan}: {self.force}"


class AreaChoice(models.TextChoices):
    CORE = "core", "Core"
    RANKED = "ranked", "Ranked by the risk model"
    ADDED = "added", "Added by the inspector"
    REMOVED = "removed", "Ranked, but removed by the inspector"


class PlannedArea(models.Model):
    planned_force = models.ForeignKey(PlannedForce, on_delete=models.CASCADE, related_name="areas")
    question_area = models.ForeignKey(
        "frameworks.QuestionArea", on_delete=models.PROTECT, related_name="+"
    )
    choice = models.CharField(max_length=10, choices=AreaChoice.choices)
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()

    class Meta:
        ordering = ["planned_force", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["planned_force", "question_area"], name="planned_area_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_area} ({self.get_choice_display()})"

    @property
    def included(self) -> bool:
        return self.choice != AreaChoice.REMOVED
