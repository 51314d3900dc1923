"""The dashboards' monthly counts, checked against a plain count of every response: one
grouped query must say exactly what one filtered count per month would, at the edges of
months (a report published on a month's last day, a response closed at half past midnight
British Summer Time, which is still the previous day in UTC) as everywhere else."""

from __future__ import annotations

import datetime
import itertools
import zoneinfo

from django.utils import timezone

from recreg.dashboards import queries
from recreg.findings.models import CLOSED_STATES, FindingKind, Response, ResponseState
from recreg.inspections.models import Inspection
from tests.dashboards.conftest import more_responses

LONDON = zoneinfo.ZoneInfo("Europe/London")
TODAY = datetime.date(2024, 6, 12)


def _end(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=LONDON)


def _arrange(world) -> list[Response]:
    more_responses(world, 12)
    Inspection.objects.filter(pk=world.inspection_a.pk).update(
        published_on=datetime.date(2024, 1, 31)
    )
    Inspection.objects.filter(pk=world.thematic.pk).update(published_on=datetime.date(2024, 3, 1))
    utc = datetime.UTC
    changes = [
        datetime.datetime(2024, 3, 31, 23, 30, tzinfo=utc),  # 00:30 on 1 April in London
        datetime.datetime(2024, 1, 31, 23, 30, tzinfo=utc),  # still 31 January in London
        datetime.datetime(2024, 5, 31, 22, 59, tzinfo=utc),  # 23:59 on 31 May in London
        datetime.datetime(2024, 6, 12, 9, 0, tzinfo=utc),  # today
        datetime.datetime(2024, 7, 1, 9, 0, tzinfo=utc),  # after today: counted nowhere
    ]
    targets = [
        datetime.date(2024, 2, 29),
        datetime.date(2024, 3, 1),
        datetime.date(2024, 6, 11),
        datetime.date(2024, 6, 12),
        None,
    ]
    states = [
        ResponseState.IN_PROGRESS,
        ResponseState.COMPLETED,
        ResponseState.SUPERSEDED,
        ResponseState.CLOSED_NOT_IMPLEMENTED,
    ]
    responses = list(Response.objects.select_related("finding__inspection").order_by("pk"))
    combos = itertools.cycle(itertools.product(states, changes, targets))
    for response, (state, changed, target) in zip(responses, combos, strict=False):
        Response.objects.filter(pk=response.pk).update(
            state=state, state_changed_at=changed, target_date=target
        )
    return list(Response.objects.select_related("finding__inspection").order_by("pk"))


def test_states_and_overdue_by_month_match_a_count_of_every_response(world):
    rows = _arrange(world)
    ends = queries.month_ends(TODAY)
    got = queries.states_over_time(Response.objects.all(), TODAY)
    overdue = queries.overdue_trend(Response.objects.all(), TODAY)
    for i, end in enumerate(ends):

        def closed_by(r, end=end):
            changed = r.state_changed_at
            return r.state in CLOSED_STATES and changed <= _end(end)

        published = [(r, r.finding.inspection.published_on) for r in rows]
        live = [r for r, day in published if day is not None and day <= end]
        assert got.series[0][2][i] == sum(1 for r in live if not closed_by(r)), end
        for key, _, counts in got.series[1:]:
            assert counts[i] == sum(1 for r in live if r.state == key and closed_by(r)), end
        late = [r for r in live if r.target_date and r.target_date < end and not closed_by(r)]
        assert overdue.counts[i] == len(late), end
    assert overdue.now == sum(
        1 for r in rows if r.target_date and r.target_date < TODAY and r.state not in CLOSED_STATES
    )
    published = [r for r in rows if r.finding.inspection.published_on is not None]
    assert sum(counts[-1] for _, _, counts in got.series) == len(published) > 10


def test_time_to_close_counts_months_in_british_time(world):
    rows = _arrange(world)
    got = {row.kind: row for row in queries.time_to_close(Response.objects.all())}
    for kind in FindingKind:
        spans = []
        for r in rows:
            if r.finding.kind != kind or r.state not in CLOSED_STATES:
                continue
            published = r.finding.inspection.published_on
            if published is None:
                continue
            closed = timezone.localtime(r.state_changed_at, LONDON)
            months = (closed.year - published.year) * 12 + closed.month - published.month
            spans.append(max(0, months))
        row = got[kind.label]
        assert row.closed == len(spans)
        assert row.buckets[0] == sum(1 for m in spans if m < 6)
        if spans:
            ordered = sorted(spans)
            middle = len(ordered) // 2
            median = (
                ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
            )
            assert row.median_months == median
    # The response closed at 00:30 on 1 April (London) counts as April: some span is 1 month
    # from the report of 1 March, and 2 months from that of 31 January.
    assert any(row.closed for row in got.values())
