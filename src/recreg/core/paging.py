"""Pages of long lists, and the query strings their links carry."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from recreg.core.statements import CompiledList


def query_without(request, *names: str) -> str:
    """The page's query string without these parameters (and always without the page)."""
    params = request.GET.copy()
    for name in ("page", *names):
        params.pop(name, None)
    return params.urlencode()


def requested_page(raw) -> int:
    """The page number asked for, 1 when it is missing or unreadable."""
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return max(number, 1)


def capped_count(queryset: QuerySet | CompiledList, start: int, cap: int) -> int:
    """How many rows there are from `start`, counting no further than `cap` + 1 of them.

    A count of the national register's ~100,000 visible findings costs more than the rest of
    the page; counting a bounded window costs at most `cap` rows, whatever the register's size.
    Order does not change how many rows a window holds, so the count drops it, and the ids
    alone are counted (not a search's rank, which PostgreSQL would compute for every match).
    """
    if isinstance(queryset, CompiledList):
        return queryset.capped_count(start, cap)
    return queryset.order_by().values("pk")[start : start + cap + 1].count()


def exact_count(queryset: QuerySet | CompiledList) -> int:
    """How many rows there are in all (unordered: order does not change how many)."""
    if isinstance(queryset, CompiledList):
        return queryset.count()
    return queryset.order_by().count()


class CappedPaginator(Paginator):
    """A paginator that counts at most `cap` rows past the start of the page asked for.

    Up to the cap the count is exact. Past it, `capped` is true and `count` is one more than
    the rows known to exist (`count_at_least`), so the next page always exists and the last
    page is unknown: the list says "more than N" and its pagination has no last page.
    """

    def __init__(self, object_list, per_page, *, cap: int, start: int = 0) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap
        self.start = start
        self.capped = False

    @cached_property
    def count(self) -> int:
        found = capped_count(self.object_list, self.start, self.cap)
        if found == 0 and self.start > 0:
            # Past the end (a page number typed in): the exact count finds the last page.
            return exact_count(self.object_list)
        if found > self.cap:
            self.capped = True
        return self.start + found

    @property
    def count_at_least(self) -> int:
        """The rows known to exist: the exact count, or the cap's worth past the page start."""
        count = self.count  # sets `capped`
        return count - 1 if self.capped else count


def page_of(request, queryset, *, cap: int | None = None) -> Page:
    """The page the request asks for (a wrong page number gives the nearest real one).

    With a `cap`, the total is counted only that far past the page (see CappedPaginator).
    """
    size = settings.REGISTER_PAGE_SIZE
    raw = request.GET.get("page")
    if cap is None:
        return Paginator(queryset, size).get_page(raw)
    start = (requested_page(raw) - 1) * size
    return CappedPaginator(queryset, size, cap=cap, start=start).get_page(raw)
