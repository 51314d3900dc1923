"""The counts behind the dashboards: each chart is one aggregate query, however many findings
and responses the register holds (the database counts; Python only lays out the answer).

Which responses a chart counts is the caller's: the public register's states for everyone,
and full progress (RAG, target dates) only where the reader may see it (recreg.dashboards.views).
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, Count, F, Func, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Cast, ExtractMonth, ExtractYear
from django.utils import timezone

from recreg.findings.models import CLOSED_STATES, RAG, FindingKind, ResponseState

MONTHS = 12
PUBLISHED_ON = "finding__inspection__published_on"

# The states a chart of states over time shows: everything open together, then each way of
# closing, as the public register words them.
OPEN_LABEL = "Open"
CLOSE_BUCKETS = (
    ("Within 6 months", 0, 6),
    ("6 to 12 months", 6, 12),
    ("12 to 24 months", 12, 24),
    ("Over 24 months", 24, None),
)


def month_ends(today: datetime.date, months: int = MONTHS) -> list[datetime.date]:
    """The last day of each of the last `months` months, the current month ending today."""
    ends = []
    year, month = today.year, today.month
    for _ in range(months):
        last = calendar.monthrange(year, month)[1]
        ends.append(min(datetime.date(year, month, last), today))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(ends))


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


@dataclass
class TimeSeries:
    months: list[datetime.date]
    series: list[tuple[str, str, list[int]]]  # (key, label, one count per month)

    @property
    def rows(self) -> list[tuple[datetime.date, list[int]]]:
        return [(m, [s[2][i] for s in self.series]) for i, m in enumerate(self.months)]


def _first_month(field: str, lookup: str, bounds: list) -> Case:
    """Per row, the index of the first month whose bound the field meets (`field__lookup
    bound`), or len(bounds) if none does (a null field meets none)."""
    return Case(
        *(When(**{f"{field}__{lookup}": bound}, then=Value(i)) for i, bound in enumerate(bounds)),
        default=Value(len(bounds)),
        output_field=IntegerField(),
    )


# The monthly charts count in one grouped query: each response is put in the first month by
# whose end its report was published (and closed, and overdue), the database counts responses
# per state and months (a few hundred groups), and the counts at each month's end are added up
# here. Asking the database for one filtered count per month and state instead made it test
# sixty conditions on every one of a hundred thousand responses.


def states_over_time(responses: QuerySet, today: datetime.date) -> TimeSeries:
    """At the end of each month: responses open, and closed in each way, counting a response
    from its report's publication and closed from its last change of state."""
    ends = month_ends(today)
    groups = (
        responses.order_by()
        .annotate(
            live=_first_month(PUBLISHED_ON, "lte", ends),
            changed=_first_month("state_changed_at", "lte", [_end_of(e) for e in ends]),
        )
        .values_list("state", "live", "changed")
        .annotate(n=Count("pk"))
    )
    open_counts = [0] * len(ends)
    closed = {state: [0] * len(ends) for state in CLOSED_STATES}
    for state, live, changed, n in groups:
        for i in range(live, len(ends)):
            if state in closed and changed <= i:
                closed[state][i] += n
            else:
                open_counts[i] += n
    series = [("open", OPEN_LABEL, open_counts)]
    for state in CLOSED_STATES:
        series.append((state, ResponseState(state).label, closed[state]))
    return TimeSeries(months=ends, series=series)


@dataclass
class OverdueTrend:
    months: list[datetime.date]
    counts: list[int]
    now: int


def overdue_trend(responses: QuerySet, today: datetime.date) -> OverdueTrend:
    """At the end of each month: open responses past their (current) target date."""
    ends = month_ends(today)
    groups = (
        responses.order_by()
        .annotate(
            is_closed=Case(
                When(state__in=CLOSED_STATES, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            live=_first_month(PUBLISHED_ON, "lte", ends),
            changed=_first_month("state_changed_at", "lte", [_end_of(e) for e in ends]),
            late=_first_month("target_date", "lt", ends),
        )
        .values_list("is_closed", "live", "changed", "late")
        .annotate(n=Count("pk"))
    )
    counts = [0] * len(ends)
    now = 0
    for is_closed, live, changed, late, n in groups:
        for i in range(max(live, late), len(ends)):
            if not (is_closed and changed <= i):
                counts[i] += n
        # Overdue now: past its target today (the last month ends today), and not closed,
        # whenever its report was published.
        if not is_closed and late < len(ends):
            now += n
    return OverdueTrend(months=ends, counts=counts, now=now)


@dataclass
class RagRow:
    area: str
    counts: list[int]  # red, amber, green, not rated

    @property
    def total(self) -> int:
        return sum(self.counts)


RAG_COLUMNS = [*(r.label for r in RAG), "Not rated"]


def rag_by_area(responses: QuerySet) -> list[RagRow]:
    """Open responses by RAG rating, for each question area (by name, across frameworks)."""
    rows = (
        responses.exclude(state__in=CLOSED_STATES)
        .order_by()
        .values("finding__question_area__name")
        .annotate(
            **{r.value: Count("pk", filter=Q(rag=r.value)) for r in RAG},
            none=Count("pk", filter=Q(rag="")),
        )
    )
    out = [
        RagRow(
            area=row["finding__question_area__name"] or "No question area",
            counts=[*(row[r.value] for r in RAG), row["none"]],
        )
        for row in rows
    ]
    out.sort(key=lambda r: (r.area == "No question area", r.area))
    return out


@dataclass
class CloseRow:
    kind: str
    closed: int = 0
    median_months: float | None = None
    buckets: list[int] = field(default_factory=lambda: [0] * len(CLOSE_BUCKETS))


def month_number(field: str, *, with_time: bool):
    """The month of a date or time field as one number, year × 12 + month (for a time, in the
    register's time zone), worked out by the database.

    Django's Trunc and Extract functions on SQLite call back into Python once per row, which
    for the national dashboard's hundred thousand responses took a second; SQLite's own
    strftime does it natively, its 'localtime' being the register's zone (Django sets the
    process's TZ to TIME_ZONE). PostgreSQL's EXTRACT is native already."""
    if connection.vendor == "sqlite":
        args = [F(field), *([Value("localtime")] if with_time else [])]
        year = Cast(Func(Value("%Y"), *args, function="strftime"), IntegerField())
        month = Cast(Func(Value("%m"), *args, function="strftime"), IntegerField())
        return year * 12 + month
    return ExtractYear(field) * 12 + ExtractMonth(field)


def time_to_close(responses: QuerySet) -> list[CloseRow]:
    """For each kind of finding: how many responses closed, the median number of months
    from the report's publication to closing, and how many closed within each span.

    Counted to the month, so the database returns one row per kind and pair of months rather
    than one per response."""
    rows = (
        responses.filter(state__in=CLOSED_STATES, **{f"{PUBLISHED_ON}__isnull": False})
        .order_by()
        .annotate(
            published=month_number(PUBLISHED_ON, with_time=False),
            closed=month_number("state_changed_at", with_time=True),
        )
        .values("finding__kind", "published", "closed")
        .annotate(n=Count("pk"))
    )
    spans: dict[str, list[tuple[int, int]]] = {}
    for row in rows:
        months = max(0, row["closed"] - row["published"])
        spans.setdefault(row["finding__kind"], []).append((months, row["n"]))
    out = []
    for kind in FindingKind:
        found = spans.get(kind.value)
        result = CloseRow(kind=kind.label)
        if found:
            result.closed = sum(n for _, n in found)
            result.median_months = _weighted_median(found)
            for months, n in found:
                for index, (_, low, high) in enumerate(CLOSE_BUCKETS):
                    if months >= low and (high is None or months < high):
                        result.buckets[index] += n
                        break
        out.append(result)
    return out


def _weighted_median(pairs: list[tuple[int, int]]) -> float:
    """The median of values given as (value, how many times)."""
    pairs = sorted(pairs)
    total = sum(n for _, n in pairs)
    half = total / 2
    seen = 0
    for index, (value, n) in enumerate(pairs):
        seen += n
        if seen > half:
            return float(value)
        if seen == half:
            following = pairs[index + 1][0] if index + 1 < len(pairs) else value
            return (value + following) / 2
    return float(pairs[-1][0])
