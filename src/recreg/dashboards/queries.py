"""The counts behind the dashboards: each chart is one aggregate query, however many findings
and responses the register holds (the database counts; Python only lays out the answer).

Which responses a chart counts is the caller's: the public register's states for everyone,
and full progress (RAG, target dates) only where the reader may see it (recreg.dashboards.views).
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
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


def _live_by(day: datetime.date) -> Q:
    """Responses whose finding's report was published by that day."""
    return Q(**{f"{PUBLISHED_ON}__lte": day})


def _closed_by(day: datetime.date) -> Q:
    return Q(state__in=CLOSED_STATES, state_changed_at__lte=_end_of(day))


@dataclass
class TimeSeries:
    months: list[datetime.date]
    series: list[tuple[str, str, list[int]]]  # (key, label, one count per month)

    @property
    def rows(self) -> list[tuple[datetime.date, list[int]]]:
        return [(m, [s[2][i] for s in self.series]) for i, m in enumerate(self.months)]


def states_over_time(responses: QuerySet, today: datetime.date) -> TimeSeries:
    """At the end of each month: responses open, and closed in each way, counting a response
    from its report's publication and closed from its last change of state."""
    ends = month_ends(today)
    aggregates = {}
    for i, end in enumerate(ends):
        aggregates[f"open_{i}"] = Count("pk", filter=_live_by(end) & ~_closed_by(end))
        for state in CLOSED_STATES:
            aggregates[f"{state}_{i}"] = Count(
                "pk",
                filter=_live_by(end) & Q(state=state, state_changed_at__lte=_end_of(end)),
            )
    counts = responses.aggregate(**aggregates)
    series = [("open", OPEN_LABEL, [counts[f"open_{i}"] for i in range(len(ends))])]
    for state in CLOSED_STATES:
        series.append(
            (state, ResponseState(state).label, [counts[f"{state}_{i}"] for i in range(len(ends))])
        )
    return TimeSeries(months=ends, series=series)


@dataclass
class OverdueTrend:
    months: list[datetime.date]
    counts: list[int]
    now: int


def overdue_trend(responses: QuerySet, today: datetime.date) -> OverdueTrend:
    """At the end of each month: open responses past their (current) target date."""
    ends = month_ends(today)
    aggregates = {
        f"m{i}": Count("pk", filter=_live_by(end) & Q(target_date__lt=end) & ~_closed_by(end))
        for i, end in enumerate(ends)
    }
    aggregates["now"] = Count("pk", filter=Q(target_date__lt=today) & ~Q(state__in=CLOSED_STATES))
    counts = responses.aggregate(**aggregates)
    return OverdueTrend(
        months=ends, counts=[counts[f"m{i}"] for i in range(len(ends))], now=counts["now"]
    )


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


def _months_between(start, end) -> int:
    return max(0, (end.year - start.year) * 12 + (end.month - start.month))


def time_to_close(responses: QuerySet) -> list[CloseRow]:
    """For each kind of finding: how many responses closed, the median number of months
    from the report's publication to closing, and how many closed within each span.

    Counted to the month, so the database returns one row per kind and pair of months rather
    than one per response."""
    rows = (
        responses.filter(state__in=CLOSED_STATES, **{f"{PUBLISHED_ON}__isnull": False})
        .order_by()
        .annotate(published=TruncMonth(PUBLISHED_ON), closed=TruncMonth("state_changed_at"))
        .values("finding__kind", "published", "closed")
        .annotate(n=Count("pk"))
    )
    spans: dict[str, list[tuple[int, int]]] = {}
    for row in rows:
        months = _months_between(row["published"], row["closed"])
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
