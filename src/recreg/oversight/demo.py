"""Demo oversight data: grades for every territorial force under every framework present,
monitoring rounds for 2023 to 2025 with a few forces in Engage (and some that left), and for
2018 and 2019, whose decisions say "Engaged" as they were recorded then, a data
return template with two collection windows, a risk model version with thresholds, and a few
liaison notes.

Everything goes through the oversight services, so the audit trail reads as in real use. Draws
come from generators seeded by a fixed string and the thing drawn for (a force, a framework),
so the same database gives the same data, and loading twice changes nothing: each record is
looked up by its natural key first.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from recreg.accounts.models import User
from recreg.accounts.roles import Role
from recreg.findings.models import CONCERN_KINDS, Finding, FindingState
from recreg.frameworks.models import Framework, GradeScale, QuestionArea
from recreg.inspections.models import Inspection, InspectionState
from recreg.organisations.models import Organisation
from recreg.oversight.models import (
    Assessment,
    CollectionWindow,
    DataReturn,
    GradeLevel,
    GradeValue,
    LiaisonNote,
    MonitoringDecision,
    MonitoringRound,
    MonitoringStage,
    ReturnTemplate,
    RiskConfiguration,
    Severity,
    Tranche,
    grades_for,
)
from recreg.oversight.risk import DEFAULT_WEIGHTS
from recreg.oversight.services import (
    IndicatorSpec,
    SystemActor,
    add_liaison_note,
    create_collection_window,
    create_monitoring_round,
    create_return_template,
    grade_targets,
    record_grades,
    record_monitoring_decision,
    revise_risk_configuration,
    save_data_return,
)

SEED = "recreg-oversight-demo"
DEMO_ACTOR = SystemActor("demo data")
DECIDED_BY = "Monitoring review meeting (HM Inspector of Constabulary, chair)"

# Tranches of a year: (number, start month/day, end month/day, decision meeting month/day).
TRANCHES = (
    (1, (1, 8), (4, 30), (5, 21)),
    (2, (5, 6), (8, 29), (9, 17)),
    (3, (9, 8), (12, 19), (1, 21)),
)
MONITORED_YEARS = (2023, 2024, 2025)
# The integrated PEEL years, whose decisions said "Engaged": kept as recorded, meaning Engage.
EARLIER_YEARS = (2018, 2019)
# Each era of monitoring: its years, the word its decisions used for Engage, and its own draw.
ERAS = ((EARLIER_YEARS, "Engaged", "engage-2018"), (MONITORED_YEARS, "Engage", "engage"))

TEMPLATE_NAME = "Force data return"
INDICATORS = (
    IndicatorSpec(
        "calls-999-answered-10s", "999 calls answered within 10 seconds", "percentage", "%"
    ),
    IndicatorSpec(
        "emergency-attendance-minutes",
        "Median time to attend emergency incidents",
        "number",
        "minutes",
    ),
    IndicatorSpec(
        "charge-rate", "Charge or summons rate for all recorded crime", "percentage", "%"
    ),
    IndicatorSpec(
        "investigations-over-12-months",
        "Investigations open for more than 12 months",
        "number",
        "investigations",
    ),
    IndicatorSpec(
        "lapsed-vetting", "Officers and staff whose vetting has lapsed", "number", "people"
    ),
    IndicatorSpec(
        "custody-app-compliant",
        "Every custody suite meets authorised professional practice",
        "yes_no",
    ),
)
WINDOWS = (
    ("Spring 2025", datetime.date(2025, 3, 3), datetime.date(2025, 4, 30)),
    ("Autumn 2025", datetime.date(2025, 9, 1), datetime.date(2025, 10, 31)),
)
THRESHOLDS = [
    {
        "indicator": "calls-999-answered-10s",
        "comparison": "below",
        "value": 85,
        "area": "responding-to-the-public",
        "points": 3,
    },
    {
        "indicator": "emergency-attendance-minutes",
        "comparison": "above",
        "value": 15,
        "area": "responding-to-the-public",
        "points": 2,
    },
    {
        "indicator": "charge-rate",
        "comparison": "below",
        "value": 6,
        "area": "investigating-crime",
        "points": 3,
    },
    {
        "indicator": "investigations-over-12-months",
        "comparison": "above",
        "value": 400,
        "area": "investigating-crime",
        "points": 2,
    },
    {
        "indicator": "lapsed-vetting",
        "comparison": "above",
        "value": 50,
        "area": "building-the-workforce",
        "points": 3,
    },
    {
        "indicator": "custody-app-compliant",
        "comparison": "is_no",
        "value": None,
        "area": "managing-offenders",
        "points": 2,
    },
]

ENGAGE_REASONS = (
    "The force has not made enough progress on the causes of concern in its last PEEL "
    "inspection, and its response to emergency calls has got worse.",
    "Inspectors found serious weaknesses in how the force protects vulnerable people, with "
    "risk assessments missing for a large share of domestic abuse cases.",
    "The force's crime data recording fell well below the expected standard and its "
    "investigation backlog has grown for three years.",
    "Leadership and governance have not addressed long-standing weaknesses in vetting and "
    "counter-corruption.",
)
EXIT_REASONS = (
    "The force has made sustained progress against its improvement plan and has addressed "
    "the causes of concern. It returns to routine monitoring.",
    "Revisits found that the force's handling of emergency calls and its safeguarding have "
    "improved and the improvements are embedded.",
)
SCAN_REASONS = (
    "No significant concerns. Routine monitoring continues.",
    "Progress on recommendations is in line with expectations.",
    "The force is addressing its areas for improvement; no escalation needed.",
)
NOTE_TEXTS = (
    (
        Severity.HIGH,
        "Call handling has fallen behind target again after the new control room "
        "system went live; the force expects recovery in three months.",
    ),
    (
        Severity.MEDIUM,
        "The force has moved its public protection unit under a new command; "
        "caseloads per investigator remain high.",
    ),
    (Severity.LOW, "New chief officer team in post; early signs of a clearer improvement plan."),
    (
        Severity.MEDIUM,
        "Vetting renewals are behind schedule because of staff shortages in the vetting unit.",
    ),
    (
        Severity.HIGH,
        "Concerns raised by the PCC's office about the quality of file "
        "preparation for charging decisions.",
    ),
    (Severity.LOW, "Neighbourhood policing restructure completed on time."),
)


def _rng(*key: Any) -> random.Random:
    return random.Random(":".join([SEED, *map(str, key)]))


def _actor():
    # The demo's inspectorate editor, if the demo loader made one, so pages show a person;
    # otherwise the system, named as "demo data" in the audit trail.
    user = (
        User.objects.filter(role=Role.INSPECTORATE_EDITOR, is_active=True).order_by("email").first()
    )
    return user or DEMO_ACTOR


def load_demo_oversight(*, today: datetime.date | None = None) -> dict[str, int]:
    """Load the demo oversight data into a register that already has forces and frameworks
    (doing nothing otherwise); returns how many of each record were added."""
    forces = list(Organisation.objects.territorial_forces().order_by("slug"))
    frameworks = list(Framework.objects.order_by("start_year", "slug"))
    if not forces or not frameworks:
        return {}
    today = today or timezone.localdate()
    before = _counts()
    actor = _actor()
    with transaction.atomic():
        _grades(forces, frameworks, today, actor)
        _monitoring(forces, today, actor)
        _returns(forces, today, actor)
        _risk_configuration(actor)
        _notes(forces, frameworks, today, actor)
    after = _counts()
    return {name: after[name] - before[name] for name in after}


def _counts() -> dict[str, int]:
    return {
        "assessments": Assessment.objects.count(),
        "monitoring rounds": MonitoringRound.objects.count(),
        "monitoring decisions": MonitoringDecision.objects.count(),
        "return templates": ReturnTemplate.objects.count(),
        "collection windows": CollectionWindow.objects.count(),
        "data returns": DataReturn.objects.count(),
        "liaison notes": LiaisonNote.objects.count(),
        "risk model versions": RiskConfiguration.objects.count(),
    }


# --- Grades -----------------------------------------------------------------------------------

FOUR_CUTS = (
    (1.25, GradeValue.OUTSTANDING),
    (-0.35, GradeValue.GOOD),
    (-1.4, GradeValue.REQUIRES_IMPROVEMENT),
)
FIVE_CUTS = (
    (1.35, GradeValue.OUTSTANDING),
    (0.35, GradeValue.GOOD),
    (-0.55, GradeValue.ADEQUATE),
    (-1.45, GradeValue.REQUIRES_IMPROVEMENT),
)


def _grade(scale: str, score: float) -> str:
    for cut, value in FOUR_CUTS if scale == GradeScale.FOUR_POINT else FIVE_CUTS:
        if score >= cut:
            return value
    return GradeValue.INADEQUATE


def _publication(framework: Framework, force: Organisation, today: datetime.date):
    """When a force's grades under a framework were published, or None if not yet."""
    inspection = (
        Inspection.objects.filter(
            programme=framework, forces_in_scope=force, state=InspectionState.PUBLISHED
        )
        .order_by("-published_on")
        .first()
    )
    if inspection is not None:
        return inspection, inspection.published_on
    rng = _rng("published", framework.slug, force.slug)
    span_years = max(1, framework.end_year - framework.start_year + 1)
    day = datetime.date(framework.start_year, 6, 1) + datetime.timedelta(
        days=rng.randrange(0, 365 * span_years)
    )
    return None, (day if day <= today else None)


def _grades(forces, frameworks, today, actor) -> None:
    done = set(Assessment.objects.values_list("force_id", "framework_id"))
    for framework in frameworks:
        if framework.start_year > today.year:
            continue
        targets = grade_targets(framework)
        for force in forces:
            if (force.pk, framework.pk) in done:
                continue
            inspection, published_on = _publication(framework, force, today)
            if published_on is None:
                continue  # not yet assessed under this framework
            # A force's standing drifts slowly; each area varies around it.
            quality = _rng("quality", force.slug).gauss(0.1, 0.7)
            drift = _rng("drift", force.slug, framework.slug).gauss(0, 0.35)
            area_scores: dict[int, list[float]] = {}
            grades: dict[tuple[str, int | None], str] = {}
            for target in targets:
                if target.level != GradeLevel.AREA:
                    continue
                if grades_for(framework.grade_scale, target.area.graded) == (
                    GradeValue.NOT_GRADED,
                ):
                    grades[target.key] = GradeValue.NOT_GRADED
                    continue
                score = (
                    quality
                    + drift
                    + _rng("area", force.slug, framework.slug, target.area.slug).gauss(0, 0.65)
                )
                grades[target.key] = _grade(framework.grade_scale, score)
                area_scores.setdefault(target.area.pillar_id or 0, []).append(score)
            pillar_means = []
            for target in targets:
                if target.level == GradeLevel.PILLAR:
                    scores = area_scores.get(target.pillar.pk)
                    if not target.pillar.graded:
                        grades[target.key] = GradeValue.NOT_GRADED
                    elif scores:
                        mean = sum(scores) / len(scores)
                        pillar_means.append(mean)
                        grades[target.key] = _grade(framework.grade_scale, mean)
                elif target.level == GradeLevel.OVERALL and pillar_means:
                    grades[target.key] = _grade(
                        framework.grade_scale, sum(pillar_means) / len(pillar_means)
                    )
            record_grades(
                force,
                framework,
                grades=grades,
                published_on=published_on,
                inspection=inspection,
                actor=actor,
            )


# --- Monitoring -------------------------------------------------------------------------------


def _rounds(today, actor, years) -> list[MonitoringRound]:
    rounds = []
    for year in years:
        for number, start, end, meet in TRANCHES:
            meets_on = datetime.date(year + (1 if meet[0] < start[0] else 0), *meet)
            if meets_on > today:
                continue
            existing = MonitoringRound.objects.filter(
                tranche__year=year, tranche__number=number
            ).first()
            if existing is None:
                if Tranche.objects.filter(year=year, number=number).exists():
                    # A tranche someone else made keeps its dates; the round is added to it.
                    tranche = Tranche.objects.get(year=year, number=number)
                    start_date, end_date = tranche.starts_on, tranche.ends_on
                else:
                    start_date = datetime.date(year, *start)
                    end_date = datetime.date(year, *end)
                existing = create_monitoring_round(
                    year=year,
                    tranche_number=number,
                    starts_on=start_date,
                    ends_on=end_date,
                    meets_on=meets_on,
                    actor=actor,
                )
            rounds.append(existing)
    return rounds


def _engage_plan(forces, n_rounds: int, seed: str) -> dict[int, tuple[int, int | None]]:
    """For a handful of forces, the round they enter Engage and the round they leave (None if
    they are still in it)."""
    rng = _rng(seed)
    chosen = rng.sample(forces, k=min(7, len(forces)))
    plan = {}
    for index, force in enumerate(chosen):
        enter = rng.randrange(0, max(1, n_rounds - 1))
        # The first four leave again after three to five rounds if there is time; the rest
        # are still in Engage.
        leave = enter + rng.randrange(3, 6) if index < 4 else None
        if leave is not None and leave >= n_rounds:
            leave = None
        plan[force.pk] = (enter, leave)
    return plan


def _concerns_for(force) -> list[Finding]:
    return list(
        Finding.objects.filter(kind__in=CONCERN_KINDS, responses__organisation=force)
        .exclude(state=FindingState.DRAFT)
        .order_by("pk")
        .distinct()[:3]
    )


def _monitoring(forces, today, actor) -> None:
    for years, engage_word, seed in ERAS:
        _monitoring_era(forces, today, actor, years=years, engage_word=engage_word, seed=seed)


def _monitoring_era(forces, today, actor, *, years, engage_word: str, seed: str) -> None:
    rounds = _rounds(today, actor, years)
    if not rounds:
        return
    plan = _engage_plan(forces, len(rounds), seed)
    decided = set(MonitoringDecision.objects.values_list("round_id", "force_id"))
    for index, monitoring_round in enumerate(rounds):
        for force in forces:
            if (monitoring_round.pk, force.pk) in decided:
                continue
            rng = _rng("decision", monitoring_round.tranche, force.slug)
            enter, leave = plan.get(force.pk, (None, None))
            engaged = enter is not None and index >= enter and (leave is None or index < leave)
            concerns: list[Finding] = []
            if engaged:
                status = engage_word
                if index == enter:
                    reasons = rng.choice(ENGAGE_REASONS)
                    concerns = _concerns_for(force)
                else:
                    reasons = (
                        f"The force remains {engage_word.lower()}: progress against its "
                        "improvement plan is reviewed by the national oversight group."
                    )
            else:
                status = "Scan"
                reasons = rng.choice(EXIT_REASONS) if leave == index else rng.choice(SCAN_REASONS)
            record_monitoring_decision(
                monitoring_round,
                force,
                status=status,
                stage=MonitoringStage.ENGAGE if engaged else MonitoringStage.SCAN,
                reasons=reasons,
                decided_on=monitoring_round.meets_on,
                decided_by=DECIDED_BY,
                causes_of_concern=concerns,
                actor=actor,
            )


# --- Data returns -----------------------------------------------------------------------------


def _values(force, window_name: str) -> dict[str, str]:
    rng = _rng("return", force.slug, window_name)
    base = _rng("quality", force.slug).gauss(0.1, 0.7)
    return {
        "calls-999-answered-10s": f"{min(99.5, max(55.0, 86 + base * 6 + rng.gauss(0, 4))):.1f}",
        "emergency-attendance-minutes": f"{max(6.0, 13 - base * 2 + rng.gauss(0, 2)):.1f}",
        "charge-rate": f"{max(3.0, 6.5 + base * 1.2 + rng.gauss(0, 0.8)):.1f}",
        "investigations-over-12-months": str(max(20, int(300 - base * 120 + rng.gauss(0, 90)))),
        "lapsed-vetting": str(max(0, int(30 - base * 20 + rng.gauss(0, 18)))),
        "custody-app-compliant": "yes" if rng.random() > 0.25 else "no",
    }


def _returns(forces, today, actor) -> None:
    template = ReturnTemplate.objects.filter(name=TEMPLATE_NAME).order_by(
        "-version"
    ).first() or create_return_template(
        name=TEMPLATE_NAME,
        indicators=list(INDICATORS),
        notes="Collected twice a year from every territorial force.",
        actor=actor,
    )
    editors: dict[int, Any] = {}
    for user in User.objects.filter(role=Role.FORCE_EDITOR, is_active=True).order_by("email"):
        editors.setdefault(user.organisation_id, user)
    for name, opens_on, due_on in WINDOWS:
        if opens_on > today:
            continue
        window = CollectionWindow.objects.filter(name=name).first() or create_collection_window(
            template=template, name=name, opens_on=opens_on, due_on=due_on, actor=actor
        )
        started = set(DataReturn.objects.filter(window=window).values_list("force_id", flat=True))
        codes = {i.code for i in window.template.indicators.all()}
        for force in forces:
            if force.pk in started:
                continue
            rng = _rng("submission", force.slug, name)
            roll = rng.random()
            if roll < 0.05:
                continue  # missing: nothing started
            values = {k: v for k, v in _values(force, name).items() if k in codes}
            submit = roll >= 0.1  # otherwise a draft, saved but never submitted
            data_return = save_data_return(window, force, values=values, submit=submit, actor=actor)
            if submit:
                # The demo backdates submission to a plausible day around the due date (a few
                # late); the audit trail keeps the real time of loading.
                days = rng.randrange(-25, 2) if roll >= 0.2 else rng.randrange(3, 20)
                when = datetime.datetime.combine(
                    due_on + datetime.timedelta(days=days),
                    datetime.time(10, rng.randrange(0, 60)),
                    tzinfo=timezone.get_current_timezone(),
                )
                DataReturn.objects.filter(pk=data_return.pk).update(submitted_at=when)


def _risk_configuration(actor) -> None:
    if RiskConfiguration.objects.exists():
        return
    revise_risk_configuration(
        weights={**DEFAULT_WEIGHTS, "thresholds": THRESHOLDS},
        reason="First version: the default weights, with thresholds for the force data return.",
        actor=actor,
    )


# --- Liaison notes ----------------------------------------------------------------------------


def _notes(forces: Iterable[Organisation], frameworks, today, actor) -> None:
    latest = frameworks[-1]
    areas = list(QuestionArea.objects.filter(framework=latest, graded=True).order_by("order"))
    if not areas:
        return
    existing = set(LiaisonNote.objects.values_list("force_id", "text"))
    for force in _rng("notes").sample(list(forces), k=min(12, len(list(forces)))):
        rng = _rng("note", force.slug)
        for _ in range(rng.randrange(1, 4)):
            # Every draw is made before deciding to skip, so a second load draws the same.
            severity, text = rng.choice(NOTE_TEXTS)
            area = rng.choice(areas)
            days_ago = rng.randrange(5, 300)
            if (force.pk, text) in existing:
                continue
            existing.add((force.pk, text))
            add_liaison_note(
                force,
                question_area=area,
                noted_on=today - datetime.timedelta(days=days_ago),
                severity=severity,
                text=text,
                actor=actor,
            )
