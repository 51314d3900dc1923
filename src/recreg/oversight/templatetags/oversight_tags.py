"""Presentation of oversight records: tag colours for grades, stages, severities and returns.

Every tag prints its word; the colour only repeats it, so nothing depends on seeing colour.
"""

from __future__ import annotations

from django import template

from recreg.oversight.models import GradeValue, MonitoringStage, Severity

register = template.Library()

GRADE_CLASSES = {
    GradeValue.OUTSTANDING: "govuk-tag--teal",
    GradeValue.GOOD: "govuk-tag--green",
    GradeValue.ADEQUATE: "govuk-tag--yellow",
    GradeValue.REQUIRES_IMPROVEMENT: "govuk-tag--orange",
    GradeValue.INADEQUATE: "govuk-tag--red",
    GradeValue.NOT_GRADED: "govuk-tag--grey",
}
STAGE_CLASSES = {
    MonitoringStage.SCAN: "govuk-tag--grey",
    MonitoringStage.ENGAGE: "govuk-tag--orange",
}
SEVERITY_CLASSES = {
    Severity.LOW: "govuk-tag--grey",
    Severity.MEDIUM: "govuk-tag--yellow",
    Severity.HIGH: "govuk-tag--red",
}


@register.filter
def grade_tag_class(value: str) -> str:
    """The tag colour of a grade."""
    return GRADE_CLASSES.get(value, "govuk-tag--grey")


@register.filter
def grade_label(value: str) -> str:
    """A grade's word."""
    return GradeValue(value).label if value in GradeValue.values else value


@register.filter
def stage_class(stage: str) -> str:
    """The tag colour of a monitoring stage."""
    return STAGE_CLASSES.get(stage, "govuk-tag--grey")


@register.filter
def severity_class(severity: int) -> str:
    """The tag colour of a liaison note's severity."""
    return SEVERITY_CLASSES.get(severity, "govuk-tag--grey")


@register.filter
def points(value) -> str:
    """A score or number of points without needless decimals (6, 2.5)."""
    try:
        return f"{float(value):g}"
    except (TypeError, ValueError):
        return str(value)
