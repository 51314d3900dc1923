"""/grades: forces' grades per assessment, recorded by inspectorate editors (one force and
framework at a time, or a CSV file of many), through the grade pages' own services.

Published grades are public; unpublished ones are seen by the inspectorate only. Grades from
different scales are never turned into numbers: each assessment says which scale it uses.
"""

from __future__ import annotations

import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from recreg.api.auth import OPTIONAL_SECURITY, READ_AUTH, WRITE_AUTH
from recreg.api.bodies import MULTIPART, is_multipart, read_body, request_body
from recreg.api.errors import ErrorOut, RequestInvalid, RowsInvalid
from recreg.api.imports import ImportErrorOut, row_errors, uploaded_file
from recreg.api.pagination import page_of
from recreg.api.schemas import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    FrameworkRef,
    Id,
    OrganisationRef,
    Out,
    PageMeta,
    QuestionAreaRef,
    Slug,
)
from recreg.frameworks.models import Framework, GradeScale
from recreg.inspections.access import visible_inspections
from recreg.organisations.models import Organisation, OrganisationKind
from recreg.oversight.access import is_editor, visible_assessments
from recreg.oversight.models import Grade, GradeLevel, GradeValue
from recreg.oversight.services import (
    grade_field_name,
    grade_targets,
    import_grades,
    record_grades,
)

router = Router(tags=["grades"])

GradeValueT = Literal[tuple(GradeValue.values)]  # type: ignore[valid-type]
GradeLevelT = Literal[tuple(GradeLevel.values)]  # type: ignore[valid-type]
GradeScaleT = Literal[tuple(GradeScale.values)]  # type: ignore[valid-type]
ORDER = ("framework__start_year", "framework__name", "force__name", "pk")


class PillarRef(Out):
    id: int
    name: str


class GradeOut(Out):
    level: GradeLevelT
    question_area: QuestionAreaRef | None = Field(description="For a question area's grade.")
    pillar: PillarRef | None = Field(description="For a pillar's grade.")
    value: GradeValueT
    label: str = Field(description="The grade in words, as the report printed it.")

    @staticmethod
    def resolve_label(obj) -> str:
        return obj.get_value_display()


class AssessmentOut(Out):
    """One force's grades under one framework."""

    id: int
    force: OrganisationRef
    framework: FrameworkRef
    scale: GradeScaleT = Field(
        description="The framework's grade scale: grades on different scales are different "
        "words, not points on one axis."
    )
    inspection: int | None = Field(
        validation_alias="inspection_id", description="The inspection that gave the grades."
    )
    published_on: datetime.date | None = Field(
        description="Null until published (only the inspectorate sees unpublished grades)."
    )
    grades: list[GradeOut]

    @staticmethod
    def resolve_scale(obj) -> str:
        return obj.framework.grade_scale

    @staticmethod
    def resolve_grades(obj) -> list:
        return list(obj.grades.all())


class AssessmentPage(PageMeta):
    results: list[AssessmentOut]


class GradeQuery(Schema):
    force: Slug | None = Field(None, description="A force's slug.")
    framework: Slug | None = Field(None, description="A framework's slug, e.g. peel-2023-25.")
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class GradeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    level: GradeLevelT = GradeLevel.AREA.value
    question_area: Id | None = Field(None, description="For an area grade: the area's id.")
    pillar: Id | None = Field(None, description="For a pillar grade: the pillar's id.")
    value: Literal[("", *GradeValue.values)] | None = Field(  # type: ignore[valid-type]
        description="The grade; blank or null removes it."
    )


class GradesIn(Schema):
    """A force's grades under a framework. Only the grades sent are changed; the publication
    date and inspection are set as sent."""

    model_config = ConfigDict(extra="forbid")

    force: Slug
    framework: Slug
    published_on: datetime.date | None = Field(None, description="Null: not yet published.")
    inspection: Id | None = None
    grades: list[GradeIn] = Field(max_length=500)


class GradeImportOut(Schema):
    rows: int
    assessments_created: int
    grades_created: int
    grades_changed: int
    summary: str


def _assessments(user):
    return (
        visible_assessments(user)
        .select_related("force", "framework")
        .prefetch_related(
            Prefetch("grades", queryset=Grade.objects.select_related("question_area", "pillar"))
        )
        .order_by(*ORDER)
    )


def _require_editor(user) -> None:
    if not is_editor(user):
        raise PermissionError("Only inspectorate editors record grades")


@router.get(
    "/grades",
    response={200: AssessmentPage, 401: ErrorOut, 422: ErrorOut},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
    operation_id="listGrades",
    summary="List grades by force and assessment",
    description="Assessments (a force's grades under one framework) this reader may see, "
    "oldest framework first: a force's grade history with `force`, one framework's national "
    "picture with `framework`.",
)
def list_grades(request: HttpRequest, query: Query[GradeQuery]):
    qs = _assessments(request.user)
    errors: dict[str, list[str]] = {}
    if query.force:
        if not Organisation.objects.filter(slug=query.force, kind=OrganisationKind.FORCE).exists():
            errors["force"] = [f"No force has the slug ‘{query.force}’"]
        qs = qs.filter(force__slug=query.force)
    if query.framework:
        if not Framework.objects.filter(slug=query.framework).exists():
            errors["framework"] = [f"No framework has the slug ‘{query.framework}’"]
        qs = qs.filter(framework__slug=query.framework)
    if errors:
        raise RequestInvalid(errors)
    return page_of(qs, query.page, query.page_size)


def _keys(payload: GradesIn) -> tuple[dict, dict[str, list[str]]]:
    grades: dict[tuple[str, int | None], str] = {}
    errors: dict[str, list[str]] = {}
    for item in payload.grades:
        target = {"area": item.question_area, "pillar": item.pillar, "overall": None}[item.level]
        if item.level != GradeLevel.OVERALL and target is None:
            field = "question_area" if item.level == GradeLevel.AREA else "pillar"
            errors.setdefault("grades", []).append(f"A grade at {item.level} level needs {field}")
            continue
        key = (item.level, target)
        if key in grades:
            errors.setdefault("grades", []).append(f"{item.level} {target or ''} is sent twice")
        grades[key] = item.value or ""
    return grades, errors


@router.post(
    "/grades",
    response={200: AssessmentOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    operation_id="recordGrades",
    summary="Record a force's grades under a framework (inspectorate editors)",
    description="Each grade is for a question area, a pillar or the framework overall, on the "
    "framework's own scale; a blank value removes that grade. Every change is in the audit "
    "trail.",
    openapi_extra=request_body(GradesIn),
)
def post_grades(request: HttpRequest):
    _require_editor(request.user)
    payload = read_body(request, GradesIn)
    errors: dict[str, list[str]] = {}
    force = Organisation.objects.filter(slug=payload.force, kind=OrganisationKind.FORCE).first()
    if force is None:
        errors["force"] = [f"No force has the slug ‘{payload.force}’"]
    framework = Framework.objects.filter(slug=payload.framework).first()
    if framework is None:
        errors["framework"] = [f"No framework has the slug ‘{payload.framework}’"]
    inspection = None
    if payload.inspection is not None:
        inspection = visible_inspections(request.user).filter(pk=payload.inspection).first()
        if inspection is None:
            errors["inspection"] = [f"No inspection has the id {payload.inspection}"]
    grades, grade_errors = _keys(payload)
    for field, messages in grade_errors.items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise RequestInvalid(errors)
    assert force is not None and framework is not None  # checked above
    try:
        assessment = record_grades(
            force,
            framework,
            grades=grades,
            published_on=payload.published_on,
            inspection=inspection,
            actor=request.user,
        )
    except ValidationError as exc:
        # The service names a grade by its form field ("area_12"); the API by its target.
        names = {grade_field_name(t): t.name for t in grade_targets(framework)}
        raise RequestInvalid(
            [
                {"field": "grades", "message": f"{names[key]}: {message}"}
                if key in names
                else {"field": key if key != "__all__" else None, "message": message}
                for key, messages in exc.message_dict.items()
                for message in messages
            ]
        ) from None
    return _assessments(request.user).get(pk=assessment.pk)


@router.post(
    "/grades/import",
    response={
        200: GradeImportOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        422: ImportErrorOut,
    },
    auth=WRITE_AUTH,
    operation_id="importGrades",
    summary="Import grades from a CSV file (inspectorate editors)",
    description="The grade import page's CSV (columns force, framework, level, area, grade, "
    "published_on), sent as a multipart/form-data field `file` or as a text/csv body. All rows "
    "or none: any problem and nothing is imported, with every problem named by row and column.",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                MULTIPART: {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                },
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    },
)
def import_grades_csv(request: HttpRequest):
    _require_editor(request.user)
    data = uploaded_file(request) if is_multipart(request) else request.body
    if not data:
        raise RequestInvalid({"file": ["Send the CSV file"]})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RequestInvalid(
            {"file": ["The file is not UTF-8 text: save it as CSV (UTF-8)"]}
        ) from None
    try:
        result = import_grades(text, actor=request.user)
    except ValidationError as exc:
        problems = row_errors(exc.messages)
        raise RowsInvalid(
            f"Nothing was imported: {len(problems)} problem{'s' if len(problems) != 1 else ''}",
            problems,
        ) from None
    return GradeImportOut(
        rows=result.rows,
        assessments_created=result.assessments_created,
        grades_created=result.grades_created,
        grades_changed=result.grades_changed,
        summary=result.summary(),
    )
