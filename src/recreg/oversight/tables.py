"""Grade tables as pages show them: a national matrix for one framework, and one force's
grades across frameworks the way committee papers set them out.

Each builder reads in a fixed number of queries, however many forces or frameworks there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from recreg.frameworks.models import Framework, GradeScale, Pillar, QuestionArea
from recreg.organisations.models import Organisation
from recreg.oversight.access import visible_assessments
from recreg.oversight.models import (
    FIVE_POINT_GRADES,
    FOUR_POINT_GRADES,
    Assessment,
    GradeLevel,
    GradeValue,
)
from recreg.oversight.services import GradeTarget, grade_targets, scale_name

# What an empty cell means, said in words for screen readers and everyone else.
NOT_IN_FRAMEWORK = "not part of this framework"
NO_GRADE = "no grade recorded"


@dataclass
class Cell:
    value: str = ""
    empty_reason: str = NO_GRADE
    unpublished: bool = False

    @property
    def label(self) -> str:
        return GradeValue(self.value).label if self.value else ""


@dataclass
class MatrixRow:
    force: Organisation
    assessment: Assessment
    cells: list[Cell]


def grade_matrix(framework: Framework, user) -> tuple[list[GradeTarget], list[MatrixRow]]:
    """The framework's targets (columns) and one row per force with visible grades."""
    targets = grade_targets(framework)
    assessments = (
        visible_assessments(user)
        .filter(framework=framework)
        .select_related("force")
        .prefetch_related("grades")
        .order_by("force__name")
    )
    rows = []
    for assessment in assessments:
        grades = {(g.level, g.question_area_id or g.pillar_id): g for g in assessment.grades.all()}
        cells = []
        for target in targets:
            grade = grades.get(target.key)
            cells.append(
                Cell(
                    value=grade.value if grade else "",
                    unpublished=not assessment.is_published,
                )
            )
        rows.append(MatrixRow(force=assessment.force, assessment=assessment, cells=cells))
    return targets, rows


def grade_counts(targets: list[GradeTarget], rows: list[MatrixRow]) -> list[dict[str, int]]:
    """Per column, how many forces got each grade, best grade first."""
    counts: list[dict[str, int]] = [{} for _ in targets]
    for row in rows:
        for index, cell in enumerate(row.cells):
            if cell.value:
                counts[index][cell.value] = counts[index].get(cell.value, 0) + 1
    order = [*FIVE_POINT_GRADES, GradeValue.NOT_GRADED]
    return [{v: c[v] for v in order if v in c} for c in counts]


@dataclass
class HistoryRow:
    label: str
    kind: str  # "area", "pillar" or "overall"
    other_names: list[str] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)


@dataclass
class GradeHistory:
    assessments: list[Assessment]
    rows: list[HistoryRow]
    scales: list[tuple[str, list[str]]]  # (scale in words, framework short names)

    @property
    def scales_differ(self) -> bool:
        return len(self.scales) > 1


SCALE_WORDS = {
    GradeScale.FOUR_POINT: ", ".join(GradeValue(v).label for v in FOUR_POINT_GRADES),
    GradeScale.FIVE_POINT: ", ".join(GradeValue(v).label for v in FIVE_POINT_GRADES),
    GradeScale.UNGRADED: "not graded",
}


def grade_history(force: Organisation, user) -> GradeHistory:
    """A force's grades: question areas down (matched across frameworks by slug), assessments
    across, oldest first; then pillar and overall grades where frameworks gave them."""
    assessments = list(
        visible_assessments(user)
        .filter(force=force)
        .select_related("framework", "inspection")
        .prefetch_related("grades")
        .order_by("framework__start_year", "framework__name")
    )
    framework_ids = [a.framework_id for a in assessments]
    areas = list(
        QuestionArea.objects.filter(framework_id__in=framework_ids).order_by(
            "-framework__start_year", "order", "pk"
        )
    )
    pillars = list(Pillar.objects.filter(framework_id__in=framework_ids).order_by("order", "pk"))

    # Rows: areas in the newest framework's order, then those only older frameworks had.
    area_rows: dict[str, HistoryRow] = {}
    area_by_framework: dict[tuple[int, str], QuestionArea] = {}
    for area in areas:
        area_by_framework[(area.framework_id, area.slug)] = area
        row = area_rows.get(area.slug)
        if row is None:
            area_rows[area.slug] = HistoryRow(label=area.name, kind=GradeLevel.AREA)
        elif area.name != row.label and area.name not in row.other_names:
            row.other_names.append(area.name)
    pillar_rows: dict[str, HistoryRow] = {}
    pillar_by_framework: dict[tuple[int, str], Pillar] = {}
    for pillar in pillars:
        pillar_by_framework[(pillar.framework_id, pillar.name)] = pillar
        pillar_rows.setdefault(pillar.name, HistoryRow(label=pillar.name, kind=GradeLevel.PILLAR))
    overall = HistoryRow(label="Overall", kind=GradeLevel.OVERALL)
    frameworks_with_pillars = {p.framework_id for p in pillars if p.graded}

    for assessment in assessments:
        grades = {(g.level, g.question_area_id or g.pillar_id): g for g in assessment.grades.all()}
        unpublished = not assessment.is_published
        for slug, row in area_rows.items():
            area = area_by_framework.get((assessment.framework_id, slug))
            row.cells.append(_cell(grades, GradeLevel.AREA, area, unpublished))
        for name, row in pillar_rows.items():
            pillar = pillar_by_framework.get((assessment.framework_id, name))
            row.cells.append(_cell(grades, GradeLevel.PILLAR, pillar, unpublished))
        if assessment.framework_id in frameworks_with_pillars:
            grade = grades.get((GradeLevel.OVERALL, None))
            overall.cells.append(Cell(grade.value if grade else "", NO_GRADE, unpublished))
        else:
            overall.cells.append(Cell("", NOT_IN_FRAMEWORK, unpublished))

    rows = list(area_rows.values()) + list(pillar_rows.values())
    if any(c.value for c in overall.cells):
        rows.append(overall)
    scales: dict[str, list[str]] = {}
    for assessment in assessments:
        scales.setdefault(assessment.framework.grade_scale, []).append(
            assessment.framework.short_name
        )
    return GradeHistory(
        assessments=assessments,
        rows=rows,
        scales=[
            (f"{scale_name_for(scale)} ({SCALE_WORDS.get(scale, scale)})", names)
            for scale, names in scales.items()
        ],
    )


def scale_name_for(scale: str) -> str:
    """A scale's name in words, e.g. "five-point scale"."""
    return scale_name(Framework(grade_scale=scale)).capitalize()


def _cell(grades, level, target, unpublished) -> Cell:
    if target is None:
        return Cell("", NOT_IN_FRAMEWORK, unpublished)
    grade = grades.get((level, target.pk))
    if grade is None:
        return Cell("", NO_GRADE if target.graded else "not graded", unpublished)
    return Cell(grade.value, "", unpublished)
