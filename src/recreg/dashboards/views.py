"""Dashboards: a national one and one per force, each chart drawn as SVG on the server with
its data table beside it.

What each reader sees (docs/open-data.md has it as a table):
- Everyone, the public included, sees the charts of states: responses by state over time and
  time to close by kind, counted over the responses whose state they may see (the public: the
  public register; others: what the register shows them), and published grades.
- Overdue and RAG ratings are progress, which the public never sees: those charts appear only
  to signed-in readers, counted over the responses whose progress they see in full (on a
  force's dashboard: only if they see that force's progress).
Every dashboard costs a fixed number of queries, however many findings there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.views.decorators.http import require_GET

from recreg.accounts.roles import capabilities_for
from recreg.dashboards import queries, svg
from recreg.findings.access import visible_response_states, visible_responses
from recreg.frameworks.models import Framework
from recreg.organisations.models import Organisation
from recreg.oversight.access import visible_assessments
from recreg.oversight.models import FIVE_POINT_GRADES, GradeValue
from recreg.oversight.tables import grade_counts, grade_history, grade_matrix

STATE_COLOURS = {
    "open": "#1d70b8",
    "completed": "#00703c",
    "superseded": "#4c2c92",
    "closed_not_implemented": "#505a5f",
}
RAG_COLOURS = ["#d4351c", "#f47738", "#00703c", "#626a6e"]
BUCKET_COLOURS = ["#00703c", "#1d70b8", "#f47738", "#d4351c"]
GRADE_COLOURS = {
    GradeValue.OUTSTANDING: "#28a197",
    GradeValue.GOOD: "#00703c",
    GradeValue.ADEQUATE: "#b58840",
    GradeValue.REQUIRES_IMPROVEMENT: "#f47738",
    GradeValue.INADEQUATE: "#d4351c",
    GradeValue.NOT_GRADED: "#626a6e",
}


@dataclass
class Panel:
    """One chart and its data table."""

    id: str
    title: str
    intro: str
    chart: str
    headers: list[str]
    rows: list[tuple[str, list]]
    note: str = ""
    footer: list[tuple[str, list]] = field(default_factory=list)


def _month(day) -> str:
    return format_date(day, "M Y")


def states_panel(responses: QuerySet, today, scope: str) -> Panel:
    """Responses by state at the end of each month."""
    data = queries.states_over_time(responses, today)
    series = [svg.Series(label, STATE_COLOURS[key], values) for key, label, values in data.series]
    latest = data.rows[-1][1] if data.rows else []
    summary = ", ".join(
        f"{count:,} {label.lower()}"
        for (_, label, _), count in zip(data.series, latest, strict=True)
    )
    return Panel(
        id="states",
        title="Responses by state over time",
        intro=(
            f"{scope} at the end of each month, from each report’s publication. Closed "
            "responses count from their last change of state."
        ),
        chart=svg.columns(
            "chart-states",
            title="Responses by state at the end of each month",
            desc=(
                f"Stacked columns for each month from {_month(data.months[0])} to "
                f"{_month(data.months[-1])}. At the latest month: {summary}. "
                "The table beside the chart gives every number."
            ),
            categories=[format_date(m, "M y") for m in data.months],
            series=series,
        ),
        headers=["Month", *(label for _, label, _ in data.series)],
        rows=[(format_date(m, "M Y"), values) for m, values in data.rows],
    )


def overdue_panel(responses: QuerySet, today, scope: str) -> Panel:
    """Overdue responses at the end of each month."""
    data = queries.overdue_trend(responses, today)
    return Panel(
        id="overdue",
        title="Overdue responses",
        intro=(
            f"{scope}: open responses past their target date at the end of each month "
            f"(judged by today’s target dates). Overdue today: {data.now:,}."
        ),
        chart=svg.columns(
            "chart-overdue",
            title="Overdue responses at the end of each month",
            desc=(
                f"Columns for each month from {_month(data.months[0])} to "
                f"{_month(data.months[-1])}, from {data.counts[0]:,} to {data.counts[-1]:,} "
                "overdue. The table beside the chart gives every number."
            ),
            categories=[format_date(m, "M y") for m in data.months],
            series=[svg.Series("Overdue", "#d4351c", data.counts)],
        ),
        headers=["Month", "Overdue"],
        rows=[(_month(m), [n]) for m, n in zip(data.months, data.counts, strict=True)],
    )


def rag_panel(responses: QuerySet, scope: str) -> Panel:
    """Open responses by RAG rating for each question area."""
    rows = queries.rag_by_area(responses)
    labels = queries.RAG_COLUMNS
    totals = [sum(r.counts[i] for r in rows) for i in range(len(labels))]
    return Panel(
        id="rag",
        title="RAG ratings by question area",
        intro=f"{scope}: open responses by their latest RAG rating.",
        chart=svg.bars(
            "chart-rag",
            title="Open responses by RAG rating for each question area",
            desc=(
                f"Stacked bars for {len(rows)} question area{'s' if len(rows) != 1 else ''}. "
                + "In all: "
                + ", ".join(
                    f"{n:,} {label.lower()}" for label, n in zip(labels, totals, strict=True)
                )
                + ". The table beside the chart gives every number."
            ),
            categories=[r.area for r in rows],
            series=[
                svg.Series(label, RAG_COLOURS[i], [r.counts[i] for r in rows])
                for i, label in enumerate(labels)
            ],
        ),
        headers=["Question area", *labels],
        rows=[(r.area, r.counts) for r in rows],
        footer=[("All areas", totals)] if rows else [],
        note="" if rows else "No open responses.",
    )


def close_panel(responses: QuerySet, scope: str) -> Panel:
    """How long responses took to close, by kind of finding."""
    rows = queries.time_to_close(responses)
    labels = [label for label, _, _ in queries.CLOSE_BUCKETS]
    closed = sum(r.closed for r in rows)
    return Panel(
        id="close",
        title="Time to close by kind of finding",
        intro=(
            f"{scope}: closed responses by the months from the report’s publication to "
            "closing, counted to the month."
        ),
        chart=svg.bars(
            "chart-close",
            title="Closed responses by time to close, for each kind of finding",
            desc=(
                f"Stacked bars for each kind of finding, {closed:,} closed responses in all. "
                + "; ".join(
                    f"{r.kind}: {r.closed:,} closed"
                    + (
                        f", median {r.median_months:g} months"
                        if r.median_months is not None
                        else ""
                    )
                    for r in rows
                )
                + ". The table beside the chart gives every number."
            ),
            categories=[r.kind for r in rows],
            series=[
                svg.Series(label, BUCKET_COLOURS[i], [r.buckets[i] for r in rows])
                for i, label in enumerate(labels)
            ],
        ),
        headers=["Kind", "Closed", "Median months", *labels],
        rows=[
            (
                r.kind,
                [
                    r.closed,
                    "–" if r.median_months is None else f"{r.median_months:g}",
                    *r.buckets,
                ],
            )
            for r in rows
        ],
    )


def grade_panel(user) -> tuple[Panel | None, Framework | None, list, list]:
    """The latest framework's grades: a chart of how many forces got each grade per area,
    and the matrix of every force's grades."""
    framework = (
        Framework.objects.filter(pk__in=visible_assessments(user).values("framework"))
        .order_by("-start_year", "-pk")
        .first()
    )
    if framework is None:
        return None, None, [], []
    targets, matrix = grade_matrix(framework, user)
    counts = grade_counts(targets, matrix)
    grades = [g for g in (*FIVE_POINT_GRADES, GradeValue.NOT_GRADED) if any(g in c for c in counts)]
    labels = [GradeValue(g).label for g in grades]
    panel = Panel(
        id="grades",
        title=f"Grades: {framework.short_name}",
        intro=f"How many forces got each grade, for each thing {framework.name} grades.",
        chart=svg.bars(
            "chart-grades",
            title=f"Forces by grade for each area of {framework.short_name}",
            desc=(
                f"Stacked bars for {len(targets)} graded areas, {len(matrix)} forces. "
                "The table beside the chart gives every number."
            ),
            categories=[t.name for t in targets],
            series=[
                svg.Series(GradeValue(g).label, GRADE_COLOURS[g], [c.get(g, 0) for c in counts])
                for g in grades
            ],
            unit="forces",
        ),
        headers=["Graded", *labels],
        rows=[
            (t.name, [c.get(g, 0) for g in grades]) for t, c in zip(targets, counts, strict=True)
        ],
    )
    return panel, framework, targets, matrix


def _progress_scope(caps) -> str:
    if caps.sees_whole_register:
        return "All responses"
    return "The responses whose progress you can see"


@require_GET
def national(request):
    """The national dashboard: the whole register as this reader may see it."""
    user = request.user
    caps = capabilities_for(user)
    today = timezone.localdate()
    states = visible_response_states(user)
    state_scope = "The public register’s responses" if caps.is_public else "Responses"
    panels = [states_panel(states, today, state_scope)]
    if not caps.is_public:
        progress = visible_responses(user)
        scope = _progress_scope(caps)
        panels += [overdue_panel(progress, today, scope), rag_panel(progress, scope)]
    panels.append(close_panel(states, state_scope))
    grades, framework, targets, matrix = grade_panel(user)
    if grades:
        panels.append(grades)
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "title": "National dashboard",
            "organisation": None,
            "panels": panels,
            "caps": caps,
            "framework": framework,
            "matrix": matrix,
            "targets": targets,
            "today": today,
            "sees_progress": not caps.is_public,
            "partial_progress": not caps.is_public and not caps.sees_whole_register,
            "forces": list(Organisation.objects.forces().only("name", "slug").order_by("name")),
        },
    )


@require_GET
def force(request, slug: str):
    """A force's dashboard: its responses, its grades over the years."""
    user = request.user
    caps = capabilities_for(user)
    try:
        org = Organisation.objects.forces().get(slug=slug)
    except Organisation.DoesNotExist:
        raise Http404("No such force") from None
    today = timezone.localdate()
    states = visible_response_states(user).filter(organisation=org)
    state_scope = (
        f"{org.name}’s responses in the public register"
        if caps.is_public
        else f"{org.name}’s responses"
    )
    panels = [states_panel(states, today, state_scope)]
    sees_progress = not caps.is_public and (
        caps.sees_whole_register or org.pk in caps.organisation_ids
    )
    if sees_progress:
        progress = visible_responses(user).filter(organisation=org)
        scope = f"{org.name}’s responses"
        panels += [overdue_panel(progress, today, scope), rag_panel(progress, scope)]
    panels.append(close_panel(states, state_scope))
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "title": f"Dashboard: {org.name}",
            "organisation": org,
            "panels": panels,
            "caps": caps,
            "history": grade_history(org, user),
            "today": today,
            "sees_progress": sees_progress,
        },
    )
