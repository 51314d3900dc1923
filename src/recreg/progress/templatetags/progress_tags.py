"""Presentation of progress: RAG tags and the words for a response's timeline entries.

Every tag carries its meaning as text; the colour only repeats it.
"""

from __future__ import annotations

import datetime
import functools
from html import escape

from django import template
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince

from recreg.core.links import url_for_pk
from recreg.findings.models import RAG, finding_title
from recreg.findings.templatetags.recreg_tags import day_month_year
from recreg.progress.models import TimelineKind

register = template.Library()

RAG_TAG_CLASSES = {
    RAG.RED: "govuk-tag--red",
    RAG.AMBER: "govuk-tag--orange",
    RAG.GREEN: "govuk-tag--green",
}


@register.filter
def rag_tag_class(rag: str) -> str:
    """The tag colour of a RAG rating."""
    return RAG_TAG_CLASSES.get(rag, "govuk-tag--grey")


@register.filter
def rag_label(rag: str) -> str:
    """A RAG rating in words ("Not rated" when there is none)."""
    return RAG(rag).label if rag in RAG.values else "Not rated"


@register.simple_tag
def rag_tag(rag: str) -> str:
    """A RAG rating as a tag."""
    # A plain tag, not an included template, made once per rating and language: lists show
    # one on every row, and building each afresh was a tenth of the force overview's rendering.
    return _rag_tag(rag, translation.get_language())


@functools.lru_cache(maxsize=64)
def _rag_tag(rag: str, language: str | None) -> str:
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>', rag_tag_class(rag), rag_label(rag)
    )


# The two rows below are built here, not in the overview's template, for the same reason as
# the register's rows (recreg_tags.register_row): an overview's two lists of 50 rows spent
# most of the page's time resolving template variables. Every value from a record is escaped.


@functools.lru_cache(maxsize=4096)
def _time_since(day: datetime.date, today: datetime.date, language: str | None) -> str:
    # Target dates repeat down a list, and today is the same for every row.
    return timesince(day, today)


@register.simple_tag
def overdue_row(row: dict, today) -> str:
    """A row of an overview's overdue list (queries.OVERDUE_ROW_VALUES): the finding, how long
    overdue, RAG and owner."""
    title = finding_title(row["finding__reference"], row["finding__kind"])
    target = row["target_date"]
    ago = _time_since(target, today, translation.get_language())
    return mark_safe(  # noqa: S308 - every value is escaped
        '<tr class="govuk-table__row">\n'
        f'  <td class="govuk-table__cell"><a class="govuk-link" href="{escape(progress_url(row["id"]))}">'
        f'{escape(title)}</a><br><span class="govuk-body-s">{escape(row["finding__inspection__title"])}</span></td>\n'
        f'  <td class="govuk-table__cell recreg-nowrap">{escape(day_month_year(target))}'
        f'<br><span class="govuk-body-s">{escape(ago)} ago</span></td>\n'
        f'  <td class="govuk-table__cell">{rag_tag(row["rag"])}</td>\n'
        f'  <td class="govuk-table__cell">{escape(row["owner__full_name"] or "Not allocated")}</td>\n'
        "</tr>"
    )


@register.simple_tag
def change_row(row: dict) -> str:
    """A row of an overview's changes (queries.CHANGE_ROW_VALUES): when, which finding, what
    happened and who did it."""
    at = timezone.localtime(row["at"])
    title = finding_title(row["response__finding__reference"], row["response__finding__kind"])
    return mark_safe(  # noqa: S308 - every value is escaped
        '<tr class="govuk-table__row">\n'
        f'  <td class="govuk-table__cell recreg-nowrap"><time datetime="{escape(at.isoformat())}">'
        f"{escape(day_month_year(at.date()))}</time></td>\n"
        f'  <td class="govuk-table__cell"><a class="govuk-link" href="{escape(progress_url(row["response_id"]))}">'
        f"{escape(title)}</a></td>\n"
        f'  <td class="govuk-table__cell"><strong>{escape(TimelineKind(row["kind"]).label)}</strong>: '
        f"{escape(row['summary'])}</td>\n"
        f'  <td class="govuk-table__cell">{escape(row["actor_name"])}</td>\n'
        "</tr>"
    )


@register.filter
def progress_url(response_pk: int) -> str:
    """The address of a response's progress page (the rows of a list link to one each)."""
    return url_for_pk("progress:response", response_pk)


@register.simple_tag(takes_context=True)
def page_url(context, param: str, number: int) -> str:
    """The current address with one list's page number set, keeping every other parameter."""
    params = context["request"].GET.copy()
    params[param] = number
    return "?" + params.urlencode()
