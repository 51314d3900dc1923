"""Reading a grades CSV file: every row checked, every problem named by row and column.

The first row names the columns (any order, any case):

    force, framework, level, area, grade, published_on

- force: the force's slug or name;
- framework: the framework's slug or name (e.g. peel-2023-25);
- level: area (the default when blank or absent), pillar or overall;
- area: the question area's slug or name, or the pillar's name for a pillar grade; blank for
  an overall grade;
- grade: the grade in words (Outstanding, Good, Adequate, Requires improvement, Inadequate,
  Not graded), on the framework's own scale;
- published_on (optional): the date the grades were published, e.g. 2024-03-14 or 14/03/2024.

Row numbers are as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from recreg.core.forms import DATE_INPUT_FORMATS
from recreg.frameworks.models import Framework
from recreg.organisations.models import Organisation, OrganisationKind
from recreg.oversight.models import GradeLevel, GradeValue

REQUIRED = ("force", "framework", "grade")
KNOWN = ("force", "framework", "level", "area", "grade", "published_on")
MAX_ROWS = 20_000


@dataclass
class GradeGroup:
    """The rows of one force's assessment under one framework."""

    force: Organisation
    framework: Framework
    targets: list = field(default_factory=list)
    grades: dict = field(default_factory=dict)
    published_on: datetime.date | None = None
    published_row: int = 0


def _key(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def _parse_date(text: str) -> datetime.date | None:
    for fmt in DATE_INPUT_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


GRADE_WORDS = {_key(label): value for value, label in GradeValue.choices} | {
    _key(value): value for value in GradeValue.values
}
LEVEL_WORDS = {_key(label): value for value, label in GradeLevel.choices} | {
    _key(value): value for value in GradeLevel.values
}


class _Lookups:
    """Forces, frameworks and their areas, each read once for the whole file."""

    def __init__(self):
        forces = list(Organisation.objects.filter(kind=OrganisationKind.FORCE))
        self.forces = {f.slug: f for f in forces} | {f.name.lower(): f for f in forces}
        frameworks = list(Framework.objects.all())
        self.frameworks = (
            {f.slug: f for f in frameworks}
            | {f.name.lower(): f for f in frameworks}
            | {f.short_name.lower(): f for f in frameworks}
        )
        self._targets: dict[int, list] = {}

    def targets(self, framework: Framework) -> list:
        from recreg.oversight.services import grade_targets

        if framework.pk not in self._targets:
            self._targets[framework.pk] = grade_targets(framework)
        return self._targets[framework.pk]


def parse_grades_csv(text: str) -> list[GradeGroup]:
    """The file's grades grouped by force and framework; ValidationError listing every problem
    ("Row 3, column “grade”: …") if any row is wrong."""
    from recreg.oversight.services import _check_grade

    problems: list[str] = []
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise ValidationError(["The file is empty: the first row must name the columns"]) from None
    except csv.Error as exc:
        raise ValidationError([f"Row 1: the file is not readable as CSV ({exc})"]) from None
    columns = [_key(h) for h in header]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ValidationError(
            [
                f"Row 1: column “{c}” is missing (the columns are {', '.join(KNOWN)})"
                for c in missing
            ]
        )
    for number, name in enumerate(columns, start=1):
        if name and name not in KNOWN:
            problems.append(f"Row 1, column {number}: “{header[number - 1]}” is not a column")
        elif name and columns.index(name) != number - 1:
            problems.append(f"Row 1, column {number}: “{header[number - 1]}” appears twice")

    lookups = _Lookups()
    groups: dict[tuple[int, int], GradeGroup] = {}
    seen: dict[tuple, int] = {}
    row_number = 1
    try:
        for row_number, row in enumerate(reader, start=2):
            if row_number > MAX_ROWS + 1:
                problems.append(f"The file has more than {MAX_ROWS} rows: split it")
                break
            if not any(cell.strip() for cell in row):
                continue
            cells = {
                name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(columns)
            }
            _read_row(row_number, cells, lookups, groups, seen, problems, _check_grade)
    except csv.Error as exc:
        problems.append(f"Row {row_number}: the file is not readable as CSV ({exc})")
    if problems:
        raise ValidationError(problems)
    if not groups:
        raise ValidationError(["The file has no grades: add a row per grade under the header"])
    return list(groups.values())


def _read_row(row_number, cells, lookups, groups, seen, problems, check_grade) -> None:
    def problem(column: str, message: str) -> None:
        problems.append(f"Row {row_number}, column “{column}”: {message}")

    force_text, framework_text = cells.get("force", ""), cells.get("framework", "")
    force = lookups.forces.get(force_text.lower()) or lookups.forces.get(force_text)
    framework = lookups.frameworks.get(framework_text.lower()) or lookups.frameworks.get(
        framework_text
    )
    if not force_text:
        problem("force", "enter the force's slug or name")
    elif force is None:
        problem("force", f"“{force_text}” is not a police force in the register")
    if not framework_text:
        problem("framework", "enter the framework's slug, for example peel-2023-25")
    elif framework is None:
        problem("framework", f"“{framework_text}” is not a framework in the register")

    level_text = cells.get("level", "")
    level = LEVEL_WORDS.get(_key(level_text)) if level_text else GradeLevel.AREA
    if level is None:
        problem("level", f"“{level_text}” is not a level: use area, pillar or overall")

    grade_text = cells.get("grade", "")
    value = GRADE_WORDS.get(_key(grade_text))
    if not grade_text:
        problem("grade", "enter a grade")
    elif value is None:
        problem("grade", f"“{grade_text}” is not a grade")

    published_text = cells.get("published_on", "")
    published = _parse_date(published_text) if published_text else None
    if published_text and published is None:
        problem("published_on", f"“{published_text}” is not a date: use 2024-03-14")

    if framework is None or level is None:
        return
    target = _find_target(framework, level, cells.get("area", ""), lookups, problem)
    if target is None:
        return
    if value is not None:
        issue = check_grade(target, value, framework)
        if issue:
            problem("grade", issue)
    if force is None:
        return
    key = (force.pk, framework.pk, target.key)
    if key in seen:
        problems.append(
            f"Row {row_number}: {target.name} for {force} in {framework.short_name} is "
            f"already graded in row {seen[key]}"
        )
        return
    seen[key] = row_number
    group = groups.get((force.pk, framework.pk))
    if group is None:
        group = groups[(force.pk, framework.pk)] = GradeGroup(force=force, framework=framework)
    if published is not None:
        if group.published_on is not None and group.published_on != published:
            problem(
                "published_on",
                f"row {group.published_row} gives {group.published_on.isoformat()} for the "
                "same assessment: one assessment has one publication date",
            )
        else:
            group.published_on, group.published_row = published, row_number
    group.targets.append(target)
    group.grades[target.key] = value


def _find_target(framework, level, area_text, lookups, problem):
    targets = lookups.targets(framework)
    if level == GradeLevel.OVERALL:
        found = [t for t in targets if t.level == GradeLevel.OVERALL]
        if area_text:
            problem("area", "leave the area blank for an overall grade")
            return None
        if not found:
            problem("level", f"{framework.short_name} has no overall grade")
            return None
        return found[0]
    if not area_text:
        problem(
            "area",
            "enter the question area's slug or name"
            if level == GradeLevel.AREA
            else "enter the pillar's name",
        )
        return None
    wanted = area_text.lower()
    for target in targets:
        if target.level != level:
            continue
        obj = target.area or target.pillar
        names = {obj.name.lower()}
        if target.area is not None:
            names.add(target.area.slug)
        if wanted in names:
            return target
    if level == GradeLevel.PILLAR:
        problem("area", f"“{area_text}” is not a pillar of {framework.short_name}")
    else:
        problem("area", f"“{area_text}” is not a question area of {framework.short_name}")
    return None
