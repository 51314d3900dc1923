"""Page numbers over a queryset: one count and one fetch, whatever the page size."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from ninja.renderers import JSONRenderer

from recreg.core.paging import capped_count
from recreg.core.statements import CompiledList


def page_of(
    qs: QuerySet | CompiledList,
    page: int,
    page_size: int,
    *,
    cap: int | None = None,
    fetch: Callable[[Any], list] = list,
) -> dict:
    """`{"count", "page", "page_size", "results"}` for this page (empty past the last page).

    The queryset should already select and prefetch what its schema reads, so the number of
    queries does not grow with the page size.

    With a `cap`, rows are counted only that far past the page's start, as the register page
    counts them: up to the cap `count` is exact and `count_exact` true; past it `count` is one
    more than the rows known to exist (so a next page exists whenever `count` is beyond this
    page) and `count_exact` is false.

    `fetch` turns the page's slice into its results (by default, records); a CompiledList's
    slice is its rows as {field: value}.
    """
    offset = (page - 1) * page_size
    if cap is None:
        count = qs.count()
        exact = True
    else:
        found = capped_count(qs, offset, cap)
        count = offset + found
        exact = found <= cap
        if found == 0 and offset > 0:
            count = qs.count()  # past the end: the exact total, as without a cap
    results = fetch(qs[offset : offset + page_size]) if offset < count else []
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "count_exact": exact,
        "results": results,
    }


def rendered(page: dict) -> HttpResponse:
    """A 200 answer of a page already in its schema's dumped shape, rendered as ninja renders
    a validated one (the API keeps ninja's JSON renderer)."""
    renderer = JSONRenderer()
    return HttpResponse(
        renderer.render(None, page, response_status=200),  # type: ignore[arg-type]
        content_type=f"{renderer.media_type}; charset={renderer.charset}",
    )
