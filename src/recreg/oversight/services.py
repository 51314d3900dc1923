"""Every change the inspectorate's oversight makes goes through these functions, each in one
transaction with its audit events.

Only inspectorate editors change grades, monitoring, templates, windows, liaison notes, the
risk model and plans. The one exception is a data return: a force's own editors fill it in
(an inspectorate editor may too, on the force's behalf, and the audit trail says who did).
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify

from recreg.accounts.roles import capabilities_for
from recreg.audit.models import AuditAction
from recreg.audit.services import (
    record_create,
    record_delete,
    record_event,
    record_update,
    snapshot,
)
from recreg.findings.models import CONCERN_KINDS, Finding, FindingState
from recreg.frameworks.models import Framework, GradeScale, Pillar, QuestionArea
from recreg.inspections.models import InspectionKind, InspectionState
from recreg.organisations.models import Organisation, OrganisationKind
from recreg.oversight.models import (
    AreaChoice,
    Assessment,
    CollectionWindow,
    DataReturn,
    Grade,
    GradeLevel,
    GradeValue,
    Indicator,
    IndicatorKind,
    LiaisonNote,
    MonitoringDecision,
    MonitoringRound,
    MonitoringStage,
    PlannedArea,
    PlannedForce,
    ReturnStatus,
    ReturnTemplate,
    ReturnValue,
    RiskConfiguration,
    Severity,
    Tranche,
    TranchePlan,
    grades_for,
)
from recreg.oversight.risk import DEFAULT_WEIGHTS, score_force, validate_weights

Errors = dict[str, list[str]]


@dataclass(frozen=True)
class SystemActor:
    """Who acts when no person does: the command line or the demo loader. Audit events name
    it; it may do what an inspectorate editor may."""

    label: str
    pk: None = None

    def __str__(self) -> str:
        return self.label


COMMAND_LINE = SystemActor("command line")


def _require_editor(actor) -> None:
    if isinstance(actor, SystemActor):
        return
    if not capabilities_for(actor).edits_register:
        raise PermissionError("Only inspectorate editors change the inspectorate's oversight")


def _person(actor):
    """The actor as a user for a foreign key (None for the system)."""
    return actor if getattr(actor, "pk", None) else None


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _add(errors: Errors, key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def _require_force(force, errors: Errors, key: str = "force") -> None:
    if force is None or force.kind != OrganisationKind.FORCE:
        _add(errors, key, "Choose a police force")


# --- Grades -----------------------------------------------------------------------------------


def overall_graded(framework: Framework) -> bool:
    """Whether the framework gives an overall grade: those that grade pillars do."""
    return framework.pillars.filter(graded=True).exists()


def scale_words(values: Iterable[str]) -> str:
    """Grade values as the words a reader knows, e.g. "Outstanding, Good, Inadequate"."""
    return ", ".join(GradeValue(v).label for v in values)


def scale_name(framework: Framework) -> str:
    """The framework's scale in words."""
    names: dict[str, str] = {
        GradeScale.FOUR_POINT: "four-point scale",
        GradeScale.FIVE_POINT: "five-point scale",
        GradeScale.UNGRADED: "no grading scale",
    }
    return names.get(framework.grade_scale, framework.grade_scale)


@dataclass
class GradeTarget:
    """What one grade is for: a question area, a pillar, or the framework overall."""

    level: str
    area: QuestionArea | None = None
    pillar: Pillar | None = None

    @property
    def key(self) -> tuple[str, int | None]:
        obj = self.area or self.pillar
        return (self.level, obj.pk if obj else None)

    @property
    def name(self) -> str:
        if self.area is not None:
            return self.area.name
        if self.pillar is not None:
            return f"{self.pillar.name} (pillar)"
        return "Overall"

    def allowed(self, framework: Framework) -> tuple[str, ...]:
        """The grades this target may be given on its framework's scale."""
        graded = True
        if self.area is not None:
            graded = self.area.graded
        elif self.pillar is not None:
            graded = self.pillar.graded
        return grades_for(framework.grade_scale, graded)


def grade_targets(framework: Framework) -> list[GradeTarget]:
    """Everything of a framework a force can be graded on, in the order reports print it."""
    targets = [
        GradeTarget(GradeLevel.AREA, area=a)
        for a in framework.question_areas.select_related("pillar").order_by(
            "pillar__order", "order", "pk"
        )
    ]
    targets += [GradeTarget(GradeLevel.PILLAR, pillar=p) for p in framework.pillars.all()]
    if overall_graded(framework):
        targets.append(GradeTarget(GradeLevel.OVERALL))
    return targets


def _check_grade(target: GradeTarget, value: str, framework: Framework) -> str | None:
    allowed = target.allowed(framework)
    if value in allowed:
        return None
    if value not in GradeValue.values:
        return f"“{value}” is not a grade"
    if allowed == (GradeValue.NOT_GRADED,):
        return f"{target.name} is not graded in {framework.short_name}: choose “Not graded”"
    return (
        f"{GradeValue(value).label} is not on the {scale_name(framework)} of "
        f"{framework.short_name} ({scale_words(allowed)})"
    )


def _apply_grades(
    assessment: Assessment,
    wanted: Mapping[tuple[str, int | None], str],
    targets: dict[tuple[str, int | None], GradeTarget],
    *,
    actor,
    remove_blank: bool,
) -> tuple[int, int]:
    """Create, change (and, if asked, remove) the assessment's grades; (created, changed)."""
    existing = {(g.level, g.question_area_id or g.pillar_id): g for g in assessment.grades.all()}
    created = changed = 0
    for key, value in wanted.items():
        grade = existing.get(key)
        target = targets[key]
        # The note names what was graded, so the assessment's trail reads on its own.
        note = f"{target.name}: {GradeValue(value).label if value else 'removed'}"
        if not value:
            if grade is not None and remove_blank:
                before = snapshot(grade)
                grade.delete()
                record_delete(grade, before, actor=actor, note=note)
                # Also on the assessment, whose trail is where a reader looks for it.
                record_event(
                    actor=actor,
                    action=AuditAction.UPDATE,
                    instance=assessment,
                    changes={},
                    note=f"Grade removed: {target.name}",
                )
                changed += 1
            continue
        if grade is None:
            grade = Grade.objects.create(
                assessment=assessment,
                level=target.level,
                question_area=target.area,
                pillar=target.pillar,
                value=value,
            )
            record_create(grade, actor=actor, note=note)
            created += 1
        elif grade.value != value:
            before = snapshot(grade)
            grade.value = value
            grade.save(update_fields=["value"])
            record_update(grade, before, actor=actor, note=note)
            changed += 1
    return created, changed


def _assessment_for(force, framework, *, actor) -> tuple[Assessment, bool]:
    assessment = (
        Assessment.objects.select_for_update().filter(force=force, framework=framework).first()
    )
    if assessment is not None:
        return assessment, False
    assessment = Assessment.objects.create(force=force, framework=framework)
    return assessment, True


@transaction.atomic
def record_grades(
    force: Organisation,
    framework: Framework,
    *,
    grades: Mapping[tuple[str, int | None], str],
    published_on: datetime.date | None = None,
    inspection=None,
    actor,
) -> Assessment:
    """Record a force's grades under a framework: keys are ("area", area id), ("pillar",
    pillar id) or ("overall", None); a blank value removes that grade."""
    _require_editor(actor)
    errors: Errors = {}
    _require_force(force, errors)
    targets = {t.key: t for t in grade_targets(framework)}
    for key, value in grades.items():
        target = targets.get(key)
        if target is None:
            _add(errors, "grades", f"{key[0]} {key[1]} is not part of {framework.short_name}")
            continue
        if value:
            problem = _check_grade(target, value, framework)
            if problem:
                _add(errors, grade_field_name(target), problem)
    if inspection is not None and inspection.programme_id not in (None, framework.pk):
        _add(errors, "inspection", f"Choose an inspection of {framework.short_name}")
    _raise(errors)
    assessment, is_new = _assessment_for(force, framework, actor=actor)
    before = snapshot(assessment)
    assessment.published_on = published_on
    assessment.inspection = inspection
    assessment.save()
    if is_new:
        record_create(assessment, actor=actor)
    else:
        record_update(assessment, before, actor=actor)
    _apply_grades(assessment, grades, targets, actor=actor, remove_blank=True)
    return assessment


def grade_field_name(target: GradeTarget) -> str:
    """The form field (and error key) of a grade target."""
    if target.level == GradeLevel.OVERALL:
        return "overall"
    obj = target.area or target.pillar
    assert obj is not None  # an area or pillar grade always has its target
    return f"{target.level}_{obj.pk}"


@dataclass
class GradeImportResult:
    rows: int = 0
    assessments_created: int = 0
    grades_created: int = 0
    grades_changed: int = 0
    assessments: list[Assessment] = field(default_factory=list)

    def summary(self) -> str:
        """The import in one sentence."""
        return (
            f"{self.rows} rows read: {self.grades_created} grades added, "
            f"{self.grades_changed} changed, {self.assessments_created} new assessments"
        )


@transaction.atomic
def import_grades(text: str, *, actor) -> GradeImportResult:
    """Import grades from CSV text, all or nothing: any bad row and nothing is written.

    The ValidationError lists every problem as "Row N, column “name”: what is wrong"."""
    from recreg.oversight.grades_csv import parse_grades_csv

    _require_editor(actor)
    groups = parse_grades_csv(text)  # raises ValidationError naming rows and columns
    result = GradeImportResult(rows=sum(len(g.grades) for g in groups))
    for group in groups:
        assessment, is_new = _assessment_for(group.force, group.framework, actor=actor)
        before = snapshot(assessment)
        if group.published_on is not None:
            assessment.published_on = group.published_on
        assessment.save()
        if is_new:
            record_create(assessment, actor=actor, note="Imported from CSV")
            result.assessments_created += 1
        else:
            record_update(assessment, before, actor=actor, note="Imported from CSV")
        targets = {t.key: t for t in group.targets}
        created, changed = _apply_grades(
            assessment, group.grades, targets, actor=actor, remove_blank=False
        )
        result.grades_created += created
        result.grades_changed += changed
        result.assessments.append(assessment)
    return result


# --- Monitoring -------------------------------------------------------------------------------

# The words used for monitoring stages over the years, and the stage each means today.
STATUS_WORDS = {
    "scan": MonitoringStage.SCAN,
    "engage": MonitoringStage.ENGAGE,
    "engaged": MonitoringStage.ENGAGE,
}


def stage_for_status(status: str) -> str | None:
    """The stage a recorded status word means, or None if the word is not known."""
    return STATUS_WORDS.get(" ".join(status.lower().split()))


@transaction.atomic
def create_monitoring_round(
    *,
    year: int,
    tranche_number: int,
    starts_on: datetime.date,
    ends_on: datetime.date,
    meets_on: datetime.date,
    actor,
) -> MonitoringRound:
    """Create the monitoring round of a tranche (and the tranche, if it is new)."""
    _require_editor(actor)
    errors: Errors = {}
    if not 1 <= int(tranche_number) <= 3:
        _add(errors, "tranche_number", "A year has three tranches: enter 1, 2 or 3")
    if not 2000 <= int(year) <= 2100:
        _add(errors, "year", "Enter a year like 2024")
    if starts_on and ends_on and ends_on < starts_on:
        _add(errors, "ends_on", "The tranche must end on or after the day it starts")
    if meets_on and starts_on and meets_on < starts_on:
        _add(errors, "meets_on", "The decision meeting must be on or after the tranche starts")
    tranche = Tranche.objects.filter(year=year, number=tranche_number).first()
    if tranche is not None and MonitoringRound.objects.filter(tranche=tranche).exists():
        _add(errors, "tranche_number", f"{tranche} already has a monitoring round")
    _raise(errors)
    if tranche is None:
        tranche = Tranche.objects.create(
            year=year, number=tranche_number, starts_on=starts_on, ends_on=ends_on
        )
        record_create(tranche, actor=actor)
    elif (tranche.starts_on, tranche.ends_on) != (starts_on, ends_on):
        before = snapshot(tranche)
        tranche.starts_on, tranche.ends_on = starts_on, ends_on
        tranche.save()
        record_update(tranche, before, actor=actor)
    monitoring_round = MonitoringRound.objects.create(tranche=tranche, meets_on=meets_on)
    record_create(monitoring_round, actor=actor)
    return monitoring_round


def _check_decision(decision: MonitoringDecision, concerns: list[Finding], errors: Errors):
    status = (decision.status or "").strip()
    decision.status = status
    decision.reasons = (decision.reasons or "").strip()
    decision.decided_by = (decision.decided_by or "").strip()
    if not status:
        _add(errors, "status", "Enter the status as it was recorded, for example Engage")
    known = stage_for_status(status) if status else None
    if not decision.stage:
        if status and known is None:
            _add(
                errors,
                "stage",
                f"Say which stage “{status}” means today: Scan or Engage",
            )
        decision.stage = known or ""
    elif decision.stage not in MonitoringStage.values:
        _add(errors, "stage", "Choose Scan or Engage")
    elif known is not None and known != decision.stage:
        _add(
            errors,
            "stage",
            f"“{status}” means {MonitoringStage(known).label}, not "
            f"{MonitoringStage(decision.stage).label}",
        )
    if not decision.reasons:
        _add(errors, "reasons", "Enter the reasons for the decision")
    if not decision.decided_by:
        _add(errors, "decided_by", "Enter who decided")
    if decision.decided_on is None:
        _add(errors, "decided_on", "Enter the date of the decision")
    addressed = set()
    if concerns:
        addressed = set(
            Finding.objects.filter(
                pk__in=[c.pk for c in concerns], responses__organisation=decision.force
            ).values_list("pk", flat=True)
        )
    for concern in concerns:
        if concern.kind not in CONCERN_KINDS:
            _add(errors, "causes_of_concern", f"{concern.title} is not a cause of concern")
        elif concern.pk not in addressed:
            _add(
                errors,
                "causes_of_concern",
                f"{concern.title} is not addressed to {decision.force}",
            )
        elif concern.state == FindingState.DRAFT:
            _add(errors, "causes_of_concern", f"{concern.title} is still a draft")


@transaction.atomic
def record_monitoring_decision(
    monitoring_round: MonitoringRound,
    force: Organisation,
    *,
    status: str,
    reasons: str,
    decided_on: datetime.date | None,
    decided_by: str = "",
    stage: str = "",
    causes_of_concern: Iterable[Finding] = (),
    actor,
) -> MonitoringDecision:
    """Record a force's monitoring decision in a round: the status word as recorded, the stage
    it means, the reasons and the causes of concern it rests on."""
    _require_editor(actor)
    errors: Errors = {}
    _require_force(force, errors)
    concerns = list(causes_of_concern)
    # Built from a plain mapping: the date may still be missing here, and is checked below.
    fields: dict[str, Any] = {
        "round": monitoring_round,
        "force": force,
        "status": status,
        "stage": stage,
        "reasons": reasons,
        "decided_on": decided_on,
        "decided_by": decided_by or str(getattr(actor, "full_name", "") or actor),
        "recorded_by": _person(actor),
    }
    decision = MonitoringDecision(**fields)
    if (
        force is not None
        and MonitoringDecision.objects.filter(round=monitoring_round, force=force).exists()
    ):
        _add(errors, "force", f"A decision about {force} is already recorded in this round")
    if not errors.get("force"):
        _check_decision(decision, concerns, errors)
    _raise(errors)
    decision.save()
    decision.causes_of_concern.set(concerns)
    record_create(decision, actor=actor, m2m=("causes_of_concern",))
    return decision


DECISION_FIELDS = ("status", "stage", "reasons", "decided_by", "decided_on")


@transaction.atomic
def update_monitoring_decision(
    decision: MonitoringDecision, *, actor, **changes: Any
) -> MonitoringDecision:
    """Correct a recorded decision (its status, stage, reasons, who and when, concerns)."""
    _require_editor(actor)
    decision = MonitoringDecision.objects.select_for_update().get(pk=decision.pk)
    before = snapshot(decision, ("causes_of_concern",))
    concerns = changes.pop("causes_of_concern", None)
    unknown = set(changes) - set(DECISION_FIELDS)
    if unknown:
        raise ValueError(f"Not fields of a decision: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(decision, name, value)
    if "status" in changes and "stage" not in changes:
        decision.stage = ""
    concerns = list(decision.causes_of_concern.all()) if concerns is None else list(concerns)
    errors: Errors = {}
    _check_decision(decision, concerns, errors)
    _raise(errors)
    decision.save()
    decision.causes_of_concern.set(concerns)
    record_update(decision, before, actor=actor, m2m=("causes_of_concern",))
    return decision


# --- Data returns -----------------------------------------------------------------------------

YES_WORDS = {"yes", "y", "true"}
NO_WORDS = {"no", "n", "false"}
TEXT_LIMIT = 2000


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    kind: str
    unit: str = ""


def _check_indicators(indicators: list[IndicatorSpec], errors: Errors) -> None:
    if not indicators:
        _add(errors, "indicators", "Add at least one indicator")
    seen: set[str] = set()
    for number, spec in enumerate(indicators, start=1):
        where = f"Indicator {number}"
        if not spec.code or slugify(spec.code) != spec.code:
            _add(
                errors,
                "indicators",
                f"{where}: the code must be lower-case letters, numbers and hyphens",
            )
        elif spec.code in seen:
            _add(errors, "indicators", f"{where}: the code {spec.code} is used twice")
        seen.add(spec.code)
        if not spec.name.strip():
            _add(errors, "indicators", f"{where}: enter a name")
        if spec.kind not in IndicatorKind.values:
            _add(
                errors,
                "indicators",
                f"{where}: the type must be one of {', '.join(IndicatorKind.values)}",
            )


def _save_indicators(template: ReturnTemplate, indicators: list[IndicatorSpec], *, actor):
    for order, spec in enumerate(indicators, start=1):
        indicator = Indicator.objects.create(
            template=template,
            code=spec.code,
            name=spec.name.strip(),
            kind=spec.kind,
            unit=spec.unit.strip(),
            order=order,
        )
        record_create(indicator, actor=actor)


@transaction.atomic
def create_return_template(
    *, name: str, indicators: list[IndicatorSpec], notes: str = "", actor
) -> ReturnTemplate:
    """Create version 1 of a data return template with its indicators."""
    _require_editor(actor)
    errors: Errors = {}
    name = (name or "").strip()
    slug = slugify(name)[:100]
    if not name:
        _add(errors, "name", "Enter a name for the template")
    elif ReturnTemplate.objects.filter(slug=slug).exists():
        _add(errors, "name", f"A template called {name} exists: revise it instead")
    _check_indicators(indicators, errors)
    _raise(errors)
    template = ReturnTemplate.objects.create(name=name, slug=slug, version=1, notes=notes)
    record_create(template, actor=actor)
    _save_indicators(template, indicators, actor=actor)
    return template


@transaction.atomic
def revise_return_template(
    template: ReturnTemplate, *, indicators: list[IndicatorSpec], notes: str = "", actor
) -> ReturnTemplate:
    """Make the next version of a template; windows already opened keep their version."""
    _require_editor(actor)
    errors: Errors = {}
    _check_indicators(indicators, errors)
    latest = ReturnTemplate.objects.filter(slug=template.slug).order_by("-version").first()
    if latest is not None and latest.pk != template.pk:
        _add(errors, "indicators", f"Revise the latest version ({latest.version}) instead")
    _raise(errors)
    revised = ReturnTemplate.objects.create(
        name=template.name, slug=template.slug, version=template.version + 1, notes=notes
    )
    record_create(revised, actor=actor, note=f"Revision of version {template.version}")
    _save_indicators(revised, indicators, actor=actor)
    return revised


@transaction.atomic
def create_collection_window(
    *,
    template: ReturnTemplate,
    name: str,
    opens_on: datetime.date,
    due_on: datetime.date,
    actor,
) -> CollectionWindow:
    """Open a collection window: every force is asked for one return by the due date."""
    _require_editor(actor)
    errors: Errors = {}
    name = (name or "").strip()
    if not name:
        _add(errors, "name", "Enter a name, for example Spring 2025")
    elif CollectionWindow.objects.filter(name=name).exists():
        _add(errors, "name", f"There is already a window called {name}")
    if template is None:
        _add(errors, "template", "Choose a template")
    if opens_on and due_on and due_on < opens_on:
        _add(errors, "due_on", "The due date must be on or after the day the window opens")
    _raise(errors)
    window = CollectionWindow.objects.create(
        template=template, name=name, opens_on=opens_on, due_on=due_on
    )
    record_create(window, actor=actor)
    return window


def parse_value(indicator: Indicator, raw: str) -> tuple[str, decimal.Decimal | None, bool | None]:
    """Read a typed answer: (text as kept, number, yes/no). ValueError says what is wrong."""
    text = (raw or "").strip()
    unit = f" {indicator.unit}" if indicator.unit else ""
    if indicator.kind in (IndicatorKind.NUMBER, IndicatorKind.PERCENTAGE):
        cleaned = text.replace(",", "")
        if indicator.kind == IndicatorKind.PERCENTAGE:
            cleaned = cleaned.rstrip("%").strip()
        try:
            number = decimal.Decimal(cleaned)
        except decimal.InvalidOperation:
            raise ValueError(
                f"{indicator.name} must be a number{unit and ' (in' + unit + ')'}, like 42"
                if indicator.kind == IndicatorKind.NUMBER
                else f"{indicator.name} must be a percentage, like 12.5"
            ) from None
        if not number.is_finite():
            raise ValueError(f"{indicator.name} must be a number")
        if indicator.kind == IndicatorKind.PERCENTAGE and not 0 <= number <= 100:
            raise ValueError(f"{indicator.name} must be a percentage between 0 and 100")
        if abs(number) >= decimal.Decimal("1e12"):
            raise ValueError(f"{indicator.name} is too large")
        number = number.quantize(decimal.Decimal("0.0001"))
        return format(number.normalize(), "f"), number, None
    if indicator.kind == IndicatorKind.YES_NO:
        word = text.lower()
        if word in YES_WORDS:
            return "yes", None, True
        if word in NO_WORDS:
            return "no", None, False
        raise ValueError(f"{indicator.name} must be yes or no")
    if len(text) > TEXT_LIMIT:
        raise ValueError(f"{indicator.name} must be {TEXT_LIMIT} characters or fewer")
    return text, None, None


def _require_return_writer(actor, force: Organisation) -> None:
    if isinstance(actor, SystemActor):
        return
    caps = capabilities_for(actor)
    if caps.edits_register:
        return
    own_force = getattr(actor, "organisation_id", None) == force.pk
    if caps.edits_responses and own_force:
        return
    raise PermissionError("Only the force's editors (or an inspectorate editor) fill in returns")


@transaction.atomic
def save_data_return(
    window: CollectionWindow,
    force: Organisation,
    *,
    values: Mapping[str, str],
    submit: bool = False,
    actor,
) -> DataReturn:
    """Save a force's return for a window as a draft, or submit it (once; then it is fixed).

    Values are keyed by indicator code. Every value is checked against its indicator's type;
    a submitted return must answer every indicator."""
    _require_return_writer(actor, force)
    errors: Errors = {}
    _require_force(force, errors)
    _raise(errors)
    data_return = DataReturn.objects.select_for_update().filter(window=window, force=force).first()
    if data_return is not None and data_return.is_submitted:
        raise ValidationError(
            {
                "__all__": [
                    f"This return was submitted on "
                    f"{date_format(timezone.localtime(data_return.submitted_at), 'j F Y')} "
                    "and cannot be changed"
                ]
            }
        )
    today = timezone.localdate()
    if submit and today < window.opens_on:
        _add(
            errors,
            "__all__",
            f"The window opens on {date_format(window.opens_on, 'j F Y')}: save a draft until then",
        )
    indicators = list(window.template.indicators.all())
    codes = {i.code for i in indicators}
    for code in values:
        if code not in codes:
            _add(errors, "__all__", f"{code} is not an indicator of {window.template}")
    parsed: dict[str, tuple[str, decimal.Decimal | None, bool | None]] = {}
    for indicator in indicators:
        raw = (values.get(indicator.code) or "").strip()
        if not raw:
            if submit:
                _add(errors, indicator.code, f"Enter a value for {indicator.name}")
            parsed[indicator.code] = ("", None, None)
            continue
        try:
            parsed[indicator.code] = parse_value(indicator, raw)
        except ValueError as exc:
            _add(errors, indicator.code, str(exc))
    _raise(errors)
    is_new = data_return is None
    if data_return is None:
        data_return = DataReturn(window=window, force=force)
    before = snapshot(data_return)
    if submit:
        data_return.status = ReturnStatus.SUBMITTED
        data_return.submitted_at = timezone.now()
        data_return.submitted_by = _person(actor)
    data_return.save()
    if is_new:
        record_create(data_return, actor=actor)
    else:
        record_update(data_return, before, actor=actor)
    existing = {v.indicator_id: v for v in data_return.values.all()}
    for indicator in indicators:
        text, number, flag = parsed[indicator.code]
        value = existing.get(indicator.pk)
        if value is None:
            if not text:
                continue
            value = ReturnValue.objects.create(
                data_return=data_return, indicator=indicator, text=text, number=number, flag=flag
            )
            record_create(value, actor=actor)
            continue
        before_value = snapshot(value)
        value.text, value.number, value.flag = text, number, flag
        value.save()
        record_update(value, before_value, actor=actor)
    return data_return


# --- Liaison notes ----------------------------------------------------------------------------


@transaction.atomic
def add_liaison_note(
    force: Organisation,
    *,
    question_area: QuestionArea | None,
    noted_on: datetime.date | None,
    severity: int | None,
    text: str,
    actor,
) -> LiaisonNote:
    """Add the Force Liaison Lead's note about a force and one of its question areas."""
    _require_editor(actor)
    errors: Errors = {}
    _require_force(force, errors)
    text = (text or "").strip()
    if question_area is None:
        _add(errors, "question_area", "Choose the question area the note is about")
    if noted_on is None:
        _add(errors, "noted_on", "Enter the date of the note")
    elif noted_on > timezone.localdate():
        _add(errors, "noted_on", "The date of the note must be today or in the past")
    if severity not in Severity.values:
        _add(errors, "severity", "Choose a severity: low, medium or high")
    if not text:
        _add(errors, "text", "Enter the note")
    _raise(errors)
    fields: dict[str, Any] = {
        "force": force,
        "question_area": question_area,
        "noted_on": noted_on,
        "severity": severity,
        "text": text,
        "author": _person(actor),
    }
    note = LiaisonNote.objects.create(**fields)
    record_create(note, actor=actor)
    return note


# --- The risk model ---------------------------------------------------------------------------


def current_risk_configuration() -> RiskConfiguration:
    """The latest version of the risk model's weights, or the built-in defaults (version 0,
    not saved) until the inspectorate makes one."""
    latest = RiskConfiguration.objects.order_by("-version").first()
    if latest is not None:
        return latest
    return RiskConfiguration(version=0, weights=DEFAULT_WEIGHTS, reason="Built-in defaults")


@transaction.atomic
def revise_risk_configuration(*, weights: dict[str, Any], reason: str, actor) -> RiskConfiguration:
    """Save new weights and thresholds as the next version; earlier versions stay as they were."""
    _require_editor(actor)
    errors: Errors = {}
    reason = (reason or "").strip()
    try:
        checked = validate_weights(weights)
    except ValidationError as exc:
        checked = {}
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if not reason:
        _add(errors, "reason", "Say why the weights are changing")
    _raise(errors)
    # Locking the table's latest row keeps two editors from both making the same version.
    latest = RiskConfiguration.objects.select_for_update().order_by("-version").first()
    configuration = RiskConfiguration.objects.create(
        version=(latest.version if latest else 0) + 1,
        weights=checked,
        reason=reason,
        created_by=_person(actor),
    )
    record_create(configuration, actor=actor)
    return configuration


# --- Tranche planning -------------------------------------------------------------------------


def model_choice(ranking, core_ids: set[int], extra: int) -> set[int]:
    """The areas the model picks: the core areas plus the `extra` highest-ranked others."""
    others = [a.pk for a in ranking if a.pk not in core_ids]
    return set(core_ids) | set(others[:extra])


@transaction.atomic
def create_tranche_plan(
    *,
    tranche: Tranche,
    framework: Framework,
    forces: Iterable[Organisation],
    core_areas: Iterable[QuestionArea],
    extra_area_count: int,
    selections: Mapping[int, Iterable[int]] | None = None,
    reasons: Mapping[int, str] | None = None,
    note: str = "",
    today: datetime.date | None = None,
    actor,
) -> TranchePlan:
    """Plan a tranche: per force, the core areas plus the areas the risk model ranks highest,
    unless the inspector chose otherwise and said why. Each force gets a planned inspection.

    `selections` maps a force's id to the area ids chosen for it; `reasons` a force's id to
    why the choice differs from the model's."""
    from recreg.inspections.services import create_inspection

    _require_editor(actor)
    today = today or timezone.localdate()
    forces = list(forces)
    core = list(core_areas)
    selections = selections or {}
    reasons = reasons or {}
    errors: Errors = {}
    area_ids = set(framework.question_areas.values_list("pk", flat=True))
    if not forces:
        _add(errors, "forces", "Choose at least one force")
    for force in forces:
        if force.kind != OrganisationKind.FORCE:
            _add(errors, "forces", f"{force} is not a police force")
    for area in core:
        if area.pk not in area_ids:
            _add(errors, "core_areas", f"{area} is not a question area of {framework.short_name}")
    if extra_area_count is None or not 0 <= int(extra_area_count) <= len(area_ids):
        _add(
            errors,
            "extra_area_count",
            f"Enter a number of extra areas from 0 to {len(area_ids)}",
        )
    if TranchePlan.objects.filter(tranche=tranche, framework=framework).exists():
        _add(errors, "tranche", f"{tranche} already has a plan for {framework.short_name}")
    already = set(
        PlannedForce.objects.filter(plan__tranche=tranche, force__in=forces).values_list(
            "force__name", flat=True
        )
    )
    for name in sorted(already):
        _add(errors, "forces", f"{name} is already planned in {tranche}")
    inspectorate = Organisation.objects.filter(
        slug=settings.POLICE_INSPECTORATE_SLUG, kind=OrganisationKind.INSPECTORATE
    ).first()
    if inspectorate is None:
        _add(errors, "__all__", "The police inspectorate is not in the register")
    _raise(errors)

    configuration = current_risk_configuration()
    core_ids = {a.pk for a in core}
    plans = []
    for force in forces:
        result = score_force(force, framework, today=today, configuration=configuration)
        picked = model_choice(result.areas, core_ids, int(extra_area_count))
        chosen = set(selections.get(force.pk, picked))
        reason = (reasons.get(force.pk) or "").strip()
        if chosen - area_ids:
            _add(errors, f"areas_{force.pk}", f"Choose areas of {framework.short_name}")
        if core_ids - chosen:
            _add(errors, f"areas_{force.pk}", f"Keep the core areas for {force}")
        if chosen != picked and not reason:
            _add(
                errors,
                f"reason_{force.pk}",
                f"Give a reason for changing the areas the model chose for {force}",
            )
        plans.append((force, result, picked, chosen, reason))
    _raise(errors)

    plan = TranchePlan.objects.create(
        tranche=tranche,
        framework=framework,
        extra_area_count=int(extra_area_count),
        configuration_version=configuration.version,
        ranked_on=today,
        note=(note or "").strip(),
        created_by=_person(actor),
    )
    plan.core_areas.set(core)
    record_create(plan, actor=actor, m2m=("core_areas",))
    for force, result, picked, chosen, reason in plans:
        inspection = create_inspection(
            actor=actor,
            title=f"{framework.short_name} inspection of {force.name} ({tranche})",
            programme=framework,
            kind=InspectionKind.FORCE,
            lead_inspectorate=inspectorate,
            forces_in_scope=[force],
            state=InspectionState.PLANNED,
            fieldwork_start=tranche.starts_on,
            fieldwork_end=tranche.ends_on,
        )
        planned = PlannedForce.objects.create(
            plan=plan,
            force=force,
            inspection=inspection,
            override_reason=reason if chosen != picked else "",
            ranking=[a.as_dict() for a in result.areas],
        )
        record_create(planned, actor=actor)
        for scored in result.areas:
            if scored.pk in core_ids:
                choice = AreaChoice.CORE
            elif scored.pk in picked and scored.pk in chosen:
                choice = AreaChoice.RANKED
            elif scored.pk in chosen:
                choice = AreaChoice.ADDED
            elif scored.pk in picked:
                choice = AreaChoice.REMOVED
            else:
                continue
            planned_area = PlannedArea.objects.create(
                planned_force=planned,
                question_area_id=scored.pk,
                choice=choice,
                rank=scored.rank,
                score=scored.score,
            )
            record_create(planned_area, actor=actor)
    return plan
