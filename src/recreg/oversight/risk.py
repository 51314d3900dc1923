"""The risk model: for a force and a framework, a score per question area, with every
contribution and the inputs it came from, so an inspector can defend the choice of areas.

The model is in two halves: `gather_inputs` reads the register into plain `AreaInputs`, and
`score_area` turns those into a score with no database at all, which keeps the arithmetic easy
to test and the same wherever it runs. docs/oversight.md describes the model in words.

A missing input (no grade yet, never inspected, no data return) adds no points, and says so:
it is listed as missing on the contribution and on the area, never counted as a silent zero.
"""

from __future__ import annotations

import copy
import datetime
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from recreg.oversight.models import GRADED_ORDER, GradeValue, IndicatorKind, Severity

# Which kind of finding a weight applies to. An accelerated cause of concern weighs the same as
# any other cause of concern.
FINDING_KIND_KEYS = {
    "cause_of_concern": "cause_of_concern",
    "accelerated_cause_of_concern": "cause_of_concern",
    "recommendation": "recommendation",
    "area_for_improvement": "area_for_improvement",
}
KIND_LABELS = {
    "cause_of_concern": "cause of concern",
    "recommendation": "recommendation",
    "area_for_improvement": "area for improvement",
}
COMPARISONS = {
    "above": "above",
    "below": "below",
    "is_yes": "is yes",
    "is_no": "is no",
}

DEFAULT_WEIGHTS: dict[str, Any] = {
    "grade_points": {
        "outstanding": 0,
        "good": 1,
        "adequate": 2,
        "requires_improvement": 4,
        "inadequate": 6,
    },
    "trend_declined_points": 2,
    "finding_weights": {"cause_of_concern": 5, "recommendation": 2, "area_for_improvement": 1},
    "open_points": 1,
    "overdue_points": 2,
    "red_points": 2,
    "age_points_per_year": 1,
    "age_cap_years": 5,
    "note_points": {"low": 1, "medium": 3, "high": 6},
    "note_window_days": 365,
    "thresholds": [],
}
SEVERITY_KEYS = {Severity.LOW: "low", Severity.MEDIUM: "medium", Severity.HIGH: "high"}


# --- Configuration ----------------------------------------------------------------------------


def _number(value: Any, where: str, errors: dict[str, list[str]]) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        try:
            value = float(str(value).strip())
        except (TypeError, ValueError):
            errors.setdefault(where, []).append(f"Enter a number for {where.replace('_', ' ')}")
            return 0.0
    if value < 0:
        errors.setdefault(where, []).append(
            f"{where.replace('_', ' ').capitalize()} must be 0 or more"
        )
    return float(value)


def validate_weights(raw: dict[str, Any]) -> dict[str, Any]:
    """The weights, checked and completed from the defaults; ValidationError naming each bad
    setting otherwise.

    Points never go below zero and rise with worse grades and more severe notes, which is
    what makes "worse never scores lower" true of every version, not only the defaults.
    """
    errors: dict[str, list[str]] = {}
    weights = copy.deepcopy(DEFAULT_WEIGHTS)
    for key, default in DEFAULT_WEIGHTS.items():
        if key not in raw:
            continue
        value = raw[key]
        if isinstance(default, dict):
            if not isinstance(value, dict):
                errors.setdefault(key, []).append(f"{key} must be a mapping")
                continue
            for sub in default:
                if sub in value:
                    weights[key][sub] = _number(value[sub], f"{key}.{sub}", errors)
            unknown = set(value) - set(default)
            if unknown:
                errors.setdefault(key, []).append(
                    f"Unknown {key} entries: {', '.join(sorted(unknown))}"
                )
        elif key == "thresholds":
            weights[key] = _thresholds(value, errors)
        else:
            weights[key] = _number(value, key, errors)
    unknown = set(raw) - set(DEFAULT_WEIGHTS)
    if unknown:
        errors.setdefault("weights", []).append(f"Unknown settings: {', '.join(sorted(unknown))}")
    points = [weights["grade_points"][g] for g in GRADED_ORDER]
    if any(later < earlier for earlier, later in zip(points, points[1:], strict=False)):
        errors.setdefault("grade_points", []).append(
            "Grade points must not fall as grades get worse (outstanding to inadequate)"
        )
    notes = [weights["note_points"][k] for k in ("low", "medium", "high")]
    if any(later < earlier for earlier, later in zip(notes, notes[1:], strict=False)):
        errors.setdefault("note_points", []).append(
            "Note points must not fall as severity rises (low to high)"
        )
    if errors:
        raise ValidationError(errors)
    return weights


def _thresholds(value: Any, errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        errors.setdefault("thresholds", []).append("Thresholds must be a list")
        return []
    out = []
    for number, item in enumerate(value, start=1):
        where = f"Threshold {number}"
        if not isinstance(item, dict):
            errors.setdefault("thresholds", []).append(f"{where}: not a threshold")
            continue
        indicator = str(item.get("indicator", "")).strip()
        area = str(item.get("area", "")).strip()
        comparison = str(item.get("comparison", "")).strip()
        if not indicator:
            errors.setdefault("thresholds", []).append(f"{where}: name the indicator code")
        if not area:
            errors.setdefault("thresholds", []).append(f"{where}: name the question area slug")
        if comparison not in COMPARISONS:
            errors.setdefault("thresholds", []).append(
                f"{where}: the comparison must be one of {', '.join(COMPARISONS)}"
            )
        limit = None
        if comparison in ("above", "below"):
            try:
                limit = float(str(item.get("value", "")).strip())
            except ValueError:
                errors.setdefault("thresholds", []).append(f"{where}: the value must be a number")
        sub_errors: dict[str, list[str]] = {}
        points = _number(item.get("points", ""), "points", sub_errors)
        for messages in sub_errors.values():
            errors.setdefault("thresholds", []).extend(f"{where}: {m}" for m in messages)
        out.append(
            {
                "indicator": indicator,
                "comparison": comparison,
                "value": limit,
                "area": area,
                "points": points,
            }
        )
    return out


# --- Inputs and scores ------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeObservation:
    value: str
    framework: str
    published_on: datetime.date | None


@dataclass(frozen=True)
class FindingCounts:
    open: int = 0
    overdue: int = 0
    red: int = 0


@dataclass(frozen=True)
class NoteObservation:
    noted_on: datetime.date
    severity: int


@dataclass(frozen=True)
class IndicatorObservation:
    threshold: dict[str, Any]
    # The latest submitted value: a number, True/False, or None when there is none.
    value: float | bool | None
    window: str = ""
    indicator_name: str = ""


@dataclass
class AreaInputs:
    slug: str
    name: str
    order: int = 0
    pk: int | None = None
    # Newest first; "not graded" entries are left out.
    grades: list[GradeObservation] = field(default_factory=list)
    findings: dict[str, FindingCounts] = field(default_factory=dict)
    last_inspected_on: datetime.date | None = None
    last_inspected_in: str = ""
    notes: list[NoteObservation] = field(default_factory=list)
    indicators: list[IndicatorObservation] = field(default_factory=list)


@dataclass
class Contribution:
    input: str
    label: str
    points: float
    missing: bool
    detail: str
    inputs: dict[str, Any] = field(default_factory=dict)


@dataclass
class AreaScore:
    slug: str
    name: str
    score: float
    contributions: list[Contribution]
    pk: int | None = None
    order: int = 0
    rank: int = 0

    @property
    def missing(self) -> list[str]:
        return [c.label for c in self.contributions if c.missing]

    def as_dict(self) -> dict[str, Any]:
        """The score as JSON-ready data, contributions included."""
        return {
            "rank": self.rank,
            "slug": self.slug,
            "name": self.name,
            "score": self.score,
            "missing": self.missing,
            "contributions": [asdict(c) for c in self.contributions],
        }


def _date(value: datetime.date | None) -> str:
    return date_format(value, "j F Y") if value else "no date"


def _grade_label(value: str) -> str:
    return GradeValue(value).label if value in GradeValue.values else value


def score_area(inputs: AreaInputs, weights: dict[str, Any], today: datetime.date) -> AreaScore:
    """The area's score from its inputs: the sum of its contributions, each explained."""
    contributions = [
        _grade_contribution(inputs, weights),
        _trend_contribution(inputs, weights),
        _findings_contribution(inputs, weights),
        _age_contribution(inputs, weights, today),
        _notes_contribution(inputs, weights, today),
        *_indicator_contributions(inputs, weights),
    ]
    total = round(sum(c.points for c in contributions), 2)
    return AreaScore(
        slug=inputs.slug,
        name=inputs.name,
        score=total,
        contributions=contributions,
        pk=inputs.pk,
        order=inputs.order,
    )


def _grade_contribution(inputs: AreaInputs, weights: dict[str, Any]) -> Contribution:
    if not inputs.grades:
        return Contribution(
            "grade", "Latest grade", 0.0, True, "Missing: this area has no published grade yet"
        )
    latest = inputs.grades[0]
    points = float(weights["grade_points"].get(latest.value, 0))
    return Contribution(
        "grade",
        "Latest grade",
        points,
        False,
        f"{_grade_label(latest.value)} in {latest.framework} "
        f"(published {_date(latest.published_on)}): {points:g} points",
        {
            "grade": latest.value,
            "framework": latest.framework,
            "published_on": latest.published_on.isoformat() if latest.published_on else None,
            "points_for_grade": points,
        },
    )


def _trend_contribution(inputs: AreaInputs, weights: dict[str, Any]) -> Contribution:
    if len(inputs.grades) < 2:
        return Contribution(
            "trend",
            "Trend",
            0.0,
            True,
            "Missing: a trend needs two published grades for this area",
        )
    latest, previous = inputs.grades[0], inputs.grades[1]
    # Grades from different scales are compared by their order only (outstanding best,
    # inadequate worst), never as numbers on one axis.
    now, before = GRADED_ORDER.index(latest.value), GRADED_ORDER.index(previous.value)
    if now > before:
        trend, points = "declined", float(weights["trend_declined_points"])
    elif now < before:
        trend, points = "improved", 0.0
    else:
        trend, points = "unchanged", 0.0
    return Contribution(
        "trend",
        "Trend",
        points,
        False,
        f"{trend.capitalize()}: {_grade_label(previous.value)} in {previous.framework}, "
        f"then {_grade_label(latest.value)} in {latest.framework}: {points:g} points",
        {
            "trend": trend,
            "previous_grade": previous.value,
            "previous_framework": previous.framework,
            "latest_grade": latest.value,
        },
    )


def _findings_contribution(inputs: AreaInputs, weights: dict[str, Any]) -> Contribution:
    per_kind: dict[str, FindingCounts] = {}
    for kind, counts in inputs.findings.items():
        key = FINDING_KIND_KEYS.get(kind, kind)
        have = per_kind.get(key, FindingCounts())
        per_kind[key] = FindingCounts(
            have.open + counts.open, have.overdue + counts.overdue, have.red + counts.red
        )
    points = 0.0
    parts = []
    detail_inputs: dict[str, Any] = {}
    for key in ("cause_of_concern", "recommendation", "area_for_improvement"):
        counts = per_kind.get(key, FindingCounts())
        detail_inputs[key] = asdict(counts)
        if not (counts.open or counts.overdue or counts.red):
            continue
        weight = float(weights["finding_weights"][key])
        kind_points = weight * (
            counts.open * float(weights["open_points"])
            + counts.overdue * float(weights["overdue_points"])
            + counts.red * float(weights["red_points"])
        )
        points += kind_points
        parts.append(
            f"{KIND_LABELS[key]}: {counts.open} open, {counts.overdue} overdue, "
            f"{counts.red} rated red (weight {weight:g}): {kind_points:g} points"
        )
    detail = "; ".join(parts) if parts else "No open findings in this area: 0 points"
    return Contribution("findings", "Open findings", round(points, 2), False, detail, detail_inputs)


def _age_contribution(
    inputs: AreaInputs, weights: dict[str, Any], today: datetime.date
) -> Contribution:
    if inputs.last_inspected_on is None:
        return Contribution(
            "last_inspected",
            "Time since last inspected",
            0.0,
            True,
            "Missing: no published assessment has graded this area",
        )
    years = max(0.0, (today - inputs.last_inspected_on).days / 365.25)
    counted = min(years, float(weights["age_cap_years"]))
    points = round(counted * float(weights["age_points_per_year"]), 2)
    return Contribution(
        "last_inspected",
        "Time since last inspected",
        points,
        False,
        f"Last graded in {inputs.last_inspected_in} (published {_date(inputs.last_inspected_on)}),"
        f" {years:.1f} years ago: {points:g} points",
        {
            "last_inspected_on": inputs.last_inspected_on.isoformat(),
            "years": round(years, 2),
            "years_counted": round(counted, 2),
        },
    )


def _notes_contribution(
    inputs: AreaInputs, weights: dict[str, Any], today: datetime.date
) -> Contribution:
    window = int(weights["note_window_days"])
    since = today - datetime.timedelta(days=window)
    counted = [n for n in inputs.notes if since <= n.noted_on <= today]
    by_severity: dict[str, int] = defaultdict(int)
    for note in counted:
        by_severity[SEVERITY_KEYS.get(note.severity, "low")] += 1
    points = sum(float(weights["note_points"][k]) * n for k, n in by_severity.items())
    if counted:
        detail = (
            ", ".join(f"{by_severity[k]} {k}" for k in ("high", "medium", "low") if by_severity[k])
            + f" severity note(s) in the last {window} days: {points:g} points"
        )
    else:
        detail = f"No liaison notes on this area in the last {window} days: 0 points"
    return Contribution(
        "liaison_notes",
        "Liaison notes",
        round(points, 2),
        False,
        detail,
        {"window_days": window, **{k: by_severity.get(k, 0) for k in ("low", "medium", "high")}},
    )


def threshold_passed(threshold: dict[str, Any], value: float | bool) -> bool:
    """Whether a value is past the threshold."""
    comparison = threshold["comparison"]
    if comparison == "is_yes":
        return value is True
    if comparison == "is_no":
        return value is False
    if isinstance(value, bool) or threshold.get("value") is None:
        return False
    if comparison == "above":
        return value > threshold["value"]
    return value < threshold["value"]


def _indicator_contributions(inputs: AreaInputs, weights: dict[str, Any]) -> list[Contribution]:
    out = []
    for obs in inputs.indicators:
        t = obs.threshold
        rule = COMPARISONS[t["comparison"]] + (
            f" {t['value']:g}" if t["comparison"] in ("above", "below") else ""
        )
        name = obs.indicator_name or t["indicator"]
        label = f"Data return: {name}"
        inputs_dict = {"indicator": t["indicator"], "threshold": rule, "window": obs.window}
        if obs.value is None:
            out.append(
                Contribution(
                    "data_return",
                    label,
                    0.0,
                    True,
                    f"Missing: no submitted value for {t['indicator']} (threshold: {rule})",
                    {**inputs_dict, "value": None},
                )
            )
            continue
        passed = threshold_passed(t, obs.value)
        points = float(t["points"]) if passed else 0.0
        shown = ("yes" if obs.value else "no") if isinstance(obs.value, bool) else f"{obs.value:g}"
        out.append(
            Contribution(
                "data_return",
                label,
                points,
                False,
                f"{shown} in {obs.window} ({'past' if passed else 'within'} the threshold: "
                f"{rule}): {points:g} points",
                {**inputs_dict, "value": obs.value, "past_threshold": passed},
            )
        )
    return out


def rank(scores: list[AreaScore]) -> list[AreaScore]:
    """Highest score first; ties in the framework's own order. Sets each area's rank."""
    ordered = sorted(scores, key=lambda s: (-s.score, s.order, s.slug))
    for number, score in enumerate(ordered, start=1):
        score.rank = number
    return ordered


# --- Reading the register ---------------------------------------------------------------------


@dataclass
class RiskResult:
    force: Any
    framework: Any
    configuration_version: int
    computed_on: datetime.date
    areas: list[AreaScore]

    def as_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data."""
        return {
            "force": {"slug": self.force.slug, "name": self.force.name},
            "framework": {"slug": self.framework.slug, "name": self.framework.name},
            "configuration_version": self.configuration_version,
            "computed_on": self.computed_on.isoformat(),
            "areas": [a.as_dict() for a in self.areas],
        }


def gather_inputs(
    force, framework, weights: dict[str, Any], today: datetime.date
) -> list[AreaInputs]:
    """Everything the model reads about this force, per question area of the framework.

    Areas are matched across frameworks by their slug, so a 2017 grade for "protecting
    vulnerable people" counts for the same area of a later framework.
    """
    from recreg.findings.models import FindingState, Response
    from recreg.oversight.models import Grade, GradeLevel, LiaisonNote, ReturnValue

    areas = list(framework.question_areas.order_by("order", "pk"))
    by_slug = {a.slug: AreaInputs(slug=a.slug, name=a.name, order=a.order, pk=a.pk) for a in areas}
    slugs = list(by_slug)

    grades = (
        Grade.objects.filter(
            level=GradeLevel.AREA,
            assessment__force=force,
            assessment__published_on__isnull=False,
            question_area__slug__in=slugs,
        )
        .exclude(value=GradeValue.NOT_GRADED)
        .select_related("assessment__framework", "question_area")
        .order_by(
            "-assessment__framework__start_year",
            "-assessment__published_on",
            "-assessment_id",
        )
    )
    for grade in grades:
        area = by_slug[grade.question_area.slug]
        published = grade.assessment.published_on
        area.grades.append(
            GradeObservation(grade.value, grade.assessment.framework.short_name, published)
        )
        if area.last_inspected_on is None or (published and published > area.last_inspected_on):
            area.last_inspected_on = published
            area.last_inspected_in = grade.assessment.framework.short_name

    responses = (
        Response.objects.open()
        .filter(organisation=force, finding__question_area__slug__in=slugs)
        .exclude(finding__state=FindingState.DRAFT)
        .values_list("finding__question_area__slug", "finding__kind", "target_date", "rag")
    )
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for slug, kind, target, rag in responses:
        tally = counts[(slug, kind)]
        tally[0] += 1
        if target is not None and target < today:
            tally[1] += 1
        if rag == "red":
            tally[2] += 1
    for (slug, kind), (n_open, n_overdue, n_red) in counts.items():
        by_slug[slug].findings[kind] = FindingCounts(n_open, n_overdue, n_red)

    since = today - datetime.timedelta(days=int(weights["note_window_days"]))
    notes = LiaisonNote.objects.filter(
        force=force, question_area__slug__in=slugs, noted_on__gte=since, noted_on__lte=today
    ).values_list("question_area__slug", "noted_on", "severity")
    for slug, noted_on, severity in notes:
        by_slug[slug].notes.append(NoteObservation(noted_on, severity))

    thresholds = [t for t in weights["thresholds"] if t["area"] in by_slug]
    if thresholds:
        codes = {t["indicator"] for t in thresholds}
        latest: dict[str, ReturnValue] = {}
        values = (
            ReturnValue.objects.filter(
                data_return__force=force,
                data_return__status="submitted",
                indicator__code__in=codes,
            )
            .select_related("indicator", "data_return__window")
            .order_by("data_return__window__due_on", "pk")
        )
        for value in values:
            if value.text == "":
                continue
            latest[value.indicator.code] = value
        for t in thresholds:
            value = latest.get(t["indicator"])
            by_slug[t["area"]].indicators.append(
                IndicatorObservation(
                    threshold=t,
                    value=_typed(value) if value is not None else None,
                    window=value.data_return.window.name if value is not None else "",
                    indicator_name=value.indicator.name if value is not None else "",
                )
            )
    return list(by_slug.values())


def _typed(value) -> float | bool | None:
    if value.indicator.kind == IndicatorKind.YES_NO:
        return value.flag
    if value.number is not None:
        return float(value.number)
    return None


def score_force(
    force, framework, *, today: datetime.date | None = None, configuration=None
) -> RiskResult:
    """The ranked areas of this framework for this force, each with its explanation."""
    from recreg.oversight.services import current_risk_configuration

    today = today or timezone.localdate()
    configuration = configuration or current_risk_configuration()
    weights = validate_weights(configuration.weights)
    scores = [
        score_area(inputs, weights, today)
        for inputs in gather_inputs(force, framework, weights, today)
    ]
    return RiskResult(
        force=force,
        framework=framework,
        configuration_version=configuration.version,
        computed_on=today,
        areas=rank(scores),
    )
