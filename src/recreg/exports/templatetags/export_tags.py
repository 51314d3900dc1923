"""The "Download CSV / Excel" links of a list page, carrying the page's filters."""

from __future__ import annotations

from django import template
from django.urls import reverse

register = template.Library()

# Which page of a list is shown is not a filter: an export holds every page.
PAGE_PARAMETERS = ("page", "overdue_page", "changes_page")


@register.inclusion_tag("exports/includes/downloads.html", takes_context=True)
def export_links(context, route: str, *args, what: str = "this list"):
    """Links to the CSV and Excel exports of the list on this page, with its query string."""
    request = context["request"]
    params = request.GET.copy()
    for name in PAGE_PARAMETERS:
        params.pop(name, None)
    query = params.urlencode()
    suffix = f"?{query}" if query else ""
    return {
        "what": what,
        "csv_url": reverse(route, args=[*args, "csv"]) + suffix,
        "xlsx_url": reverse(route, args=[*args, "xlsx"]) + suffix,
    }
