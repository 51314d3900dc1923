"""Small pieces of presentation shared by the register's pages: tag colours, who a finding is
addressed to, its deadline in words and a summary of progress.

Every tag carries its state as text; the colour only repeats it.
"""

from __future__ import annotations

import datetime
import functools
from collections import Counter
from dataclasses import dataclass, field
from html import escape

from django import template
from django.template.defaultfilters import truncatewords
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import mark_safe

from recreg.findings.models import AddresseeScope, FindingKind, FindingState, ResponseState
from recreg.inspections.models import InspectionState

register = template.Library()

RESPONSE_TAG_CLASSES = {
    ResponseState.AWAITING_ALLOCATION: "govuk-tag--grey",
    ResponseState.IN_PROGRESS: "",
    ResponseState.PENDING_SIGN_OFF: "govuk-tag--yellow",
    ResponseState.COMPLETED: "govuk-tag--green",
    ResponseState.SUPERSEDED: "govuk-tag--purple",
    ResponseState.CLOSED_NOT_IMPLEMENTED: "govuk-tag--pink",
}
STAGE_TAG_CLASSES = {
    FindingState.DRAFT: "govuk-tag--grey",
    FindingState.FACT_CHECK: "govuk-tag--yellow",
    FindingState.PUBLISHED: "govuk-tag--teal",
}
# What get_kind_display() and get_state_display() give, without the dictionary of choices
# Django builds for each call (twice for each of a page's rows).
KIND_LABELS = dict(FindingKind.choices)
STAGE_LABELS = dict(FindingState.choices)
INSPECTION_TAG_CLASSES = {
    InspectionState.PLANNED: "govuk-tag--grey",
    InspectionState.FIELDWORK: "",
    InspectionState.AWAITING_PUBLICATION: "govuk-tag--yellow",
    InspectionState.PUBLISHED: "govuk-tag--teal",
}


@register.filter
def response_tag_class(state: str) -> str:
    """The tag colour of a response state."""
    return RESPONSE_TAG_CLASSES.get(state, "govuk-tag--grey")


@register.filter
def stage_tag_class(state: str) -> str:
    """The tag colour of a finding's stage."""
    return STAGE_TAG_CLASSES.get(state, "govuk-tag--grey")


@register.filter
def inspection_tag_class(state: str) -> str:
    """The tag colour of an inspection's state."""
    return INSPECTION_TAG_CLASSES.get(state, "govuk-tag--grey")


# The register's "Addressed to" column names up to this many addressees, else counts them.
ADDRESSEES_NAMED = 3


@register.filter
def addressed_to(finding) -> str:
    """Who the finding is addressed to, in a few words: from `addressee_count` and
    `addressee_names` where the view set them (recreg.findings.views.attach_addressee_names),
    else from prefetched addressees."""
    names = getattr(finding, "addressee_names", None)
    if names is None:
        names = [org.display_name for org in finding.addressees.all()]
        count = len(names)
    else:
        count = finding.addressee_count
    if finding.addressee_scope == AddresseeScope.ALL_FORCES:
        return f"All forces ({count})"
    if not count:
        return "No one yet"
    if count > ADDRESSEES_NAMED:
        return f"{count} organisations"
    return ", ".join(names)


@register.filter
def deadline_in_words(finding) -> str:
    """The resolved deadline as a date, else the deadline as written, else "None"."""
    if finding.deadline_date:
        return day_month_year(finding.deadline_date)
    if finding.deadline_text:
        return finding.deadline_text
    return "None"


@dataclass
class Progress:
    total: int = 0
    single: object = None
    states: list[tuple[str, int, str]] = field(default_factory=list)
    overdue: int = 0
    due_soon: int = 0


def summarise(responses, today: datetime.date) -> Progress:
    """Counts of the responses by state, with how many are overdue or due soon."""
    responses = list(responses)
    counts = Counter(r.state for r in responses)
    return Progress(
        total=len(responses),
        single=responses[0] if len(responses) == 1 else None,
        states=[
            (state.label, counts[state], RESPONSE_TAG_CLASSES[state])
            for state in ResponseState
            if counts[state]
        ],
        overdue=sum(1 for r in responses if r.is_overdue(today)),
        due_soon=sum(1 for r in responses if r.is_due_soon(today)),
    )


# The two tags below run for every row of the register and of My work: built in Python
# rather than an included template each, which cost a template render per row
# (the register's 50 rows spent more time in them than in fetching the rows).


@register.simple_tag
def progress_summary(responses, today: datetime.date) -> str:
    """A compact summary of progress for a register row, from the row's SeenResponse values
    (recreg.findings.views.attach_progress)."""
    progress = summarise(responses, today)
    if not progress.total:
        return mark_safe(
            '<span class="govuk-hint govuk-!-margin-0">No responses you can see</span>'
        )  # noqa: S308 - constant markup
    # Values escaped with `escape` as register_row's are (format_html's per-argument checks
    # were a sixth of a page's rows); the rest is constant markup.
    if progress.single is not None:
        response = progress.single
        return mark_safe(  # noqa: S308 - every value is escaped
            f'<span class="govuk-visually-hidden">{escape(response.organisation_name)}: </span>'
            f'<strong class="govuk-tag {response_tag_class(response.state)}">'
            f"{escape(response.get_state_display())}</strong>{due_status(response, today)}"
        )
    items = "".join(
        f"<li>{count} {escape(label.lower())}</li>" for label, count, _css in progress.states
    )
    overdue = f"<li><strong>{progress.overdue} overdue</strong></li>" if progress.overdue else ""
    due_soon = f"<li>{progress.due_soon} due soon</li>" if progress.due_soon else ""
    return mark_safe(  # noqa: S308 - every value is a number or escaped
        f'<p class="govuk-body-s govuk-!-margin-bottom-1">{progress.total} organisations:</p>\n'
        f'<ul class="govuk-list govuk-body-s govuk-!-margin-bottom-0">\n  {items}\n'
        f"  {overdue}\n  {due_soon}\n</ul>"
    )


@functools.lru_cache(maxsize=4096)
def _day_month_year(day: datetime.date, language: str | None) -> str:
    # A page names the same few publication and deadline dates row after row.
    return date_format(day, "j M Y")


def day_month_year(day: datetime.date) -> str:
    """A date as "3 Dec 2026", in the active language."""
    return _day_month_year(day, translation.get_language())


@register.simple_tag
def register_row(finding, *, public: bool, today: datetime.date) -> str:
    """One row of the register's table: the finding, its deadline, who it is addressed to
    and (for signed-in readers) a summary of the progress they can see.

    Built here rather than in the page's template for the same reason as progress_summary:
    a page of 50 rows spent a third of its time resolving the row's variables and filters.
    Every value from the record is escaped with `escape`; the rest is constant markup.
    `today` is the page's, read once by the view rather than twice for every row."""
    inspection = finding.inspection
    kind = (
        f'<br><span class="govuk-body-s govuk-!-margin-0">{escape(KIND_LABELS.get(finding.kind, finding.kind))}</span>'
        if finding.reference
        else ""
    )
    stage = (
        f'<br><strong class="govuk-tag {stage_tag_class(finding.state)} govuk-!-margin-top-1">'
        f"{escape(STAGE_LABELS.get(finding.state, finding.state))}</strong>"
        if not public and finding.state != FindingState.PUBLISHED
        else ""
    )
    published = (
        f"published {day_month_year(inspection.published_on)}"
        if inspection.published_on
        else "not yet published"
    )
    progress = (
        f'\n  <td class="govuk-table__cell">{progress_summary(finding.visible_response_list, today)}</td>'
        if not public
        else ""
    )
    return mark_safe(  # noqa: S308 - every value above and below is escaped
        '<tr class="govuk-table__row">\n'
        '  <td class="govuk-table__cell">\n'
        f'    <a class="govuk-link govuk-!-font-weight-bold" href="{escape(finding.get_absolute_url())}">'
        f"{escape(finding.title)}</a>{kind}{stage}\n"
        '    <p class="govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-1">'
        f"{escape(truncatewords(finding.text, 40))}</p>\n"
        '    <p class="govuk-body-s govuk-!-margin-bottom-0 recreg-secondary-text">From '
        f'<a class="govuk-link" href="{escape(inspection.get_absolute_url())}">'
        f"{escape(inspection.title)}</a>, {published}</p>\n"
        "  </td>\n"
        f'  <td class="govuk-table__cell">{escape(deadline_in_words(finding))}</td>\n'
        f'  <td class="govuk-table__cell">{escape(addressed_to(finding))}</td>{progress}\n'
        "</tr>"
    )


@register.simple_tag
def due_status(response, today: datetime.date | None = None) -> str:
    """Overdue or due soon, in words, for one response."""
    today = today or timezone.localdate()
    if response.is_overdue(today):
        return mark_safe(
            ' <strong class="govuk-tag govuk-tag--red recreg-tag-gap">Overdue</strong>'
        )  # noqa: S308 - constant markup
    if response.is_due_soon(today):
        return mark_safe(
            ' <strong class="govuk-tag govuk-tag--orange recreg-tag-gap">Due soon</strong>'
        )  # noqa: S308 - constant markup
    return ""


@register.simple_tag
def page_numbers(page_obj) -> list[int | None]:
    """Page numbers around the current page and at the ends; None where some are left out.

    When the count was capped (see recreg.core.paging.CappedPaginator) the last page is not
    known, so the numbers end with a gap after the page following the current one.
    """
    numbers: list[int | None] = [
        None if number == page_obj.paginator.ELLIPSIS else number
        for number in page_obj.paginator.get_elided_page_range(
            page_obj.number, on_each_side=1, on_ends=1
        )
    ]
    if getattr(page_obj.paginator, "capped", False):
        numbers = [n for n in numbers if n is None or n <= page_obj.number + 1]
        while numbers and numbers[-1] is None:
            numbers.pop()
        numbers.append(None)
    return numbers
