"""Pages of long lists, and the query strings their links carry."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator


def query_without(request, *names: str) -> str:
    """The page's query string without these parameters (and always without the page)."""
    params = request.GET.copy()
    for name in ("page", *names):
        params.pop(name, None)
    return params.urlencode()


def page_of(request, queryset) -> Page:
    """The page the request asks for (a wrong page number gives the nearest real one)."""
    return Paginator(queryset, settings.REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
