"""Page numbers over a queryset: one count and one fetch, whatever the page size."""

from __future__ import annotations

from django.db.models import QuerySet


def page_of(qs: QuerySet, page: int, page_size: int) -> dict:
    """`{"count", "page", "page_size", "results"}` for this page (empty past the last page).

    The queryset should already select and prefetch what its schema reads, so the number of
    queries does not grow with the page size.
    """
    count = qs.count()
    offset = (page - 1) * page_size
    results = list(qs[offset : offset + page_size]) if offset < count else []
    return {"count": count, "page": page, "page_size": page_size, "results": results}
