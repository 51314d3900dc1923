"""Read-only questions the progress pages and reminders ask: what is overdue, due soon or gone
quiet, what waits for whose decision, and a response's timeline. Each list is built in a fixed
number of queries, however long it is."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from typing import NamedTuple

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from recreg.accounts.roles import Capabilities, capabilities_for
from recreg.core.rules import reader_key
from recreg.core.sql import Constant
from recreg.core.statements import (
    ID_STAND_IN,
    CompiledRecordList,
    CompiledRows,
    KeptStatements,
)
from recreg.findings.access import visible_responses
from recreg.findings.filters import FindingFilters, filter_findings
from recreg.findings.models import (
    CLOSED_STATES,
    DUE_SOON_DAYS,
    RAG,
    FindingState,
    Response,
    ResponseCount,
    ResponseState,
)
from recreg.progress.access import sign_off_q
from recreg.progress.models import (
    ChallengeState,
    ClosureProposal,
    Evidence,
    TimelineEvent,
    WordingChallenge,
)

STALE_DAYS = 90


def with_last_activity(qs: QuerySet) -> QuerySet:
    """Responses annotated with when anything was last reported: the latest update, or the
    last change of state (allocation, reopening) if there has been no update."""
    return qs.annotate(last_activity=Coalesce("last_update_at", "state_changed_at"))


def overdue_q(today: datetime.date) -> Q:
    """Open responses past their target date (with the open filter applied by the caller)."""
    return Q(target_date__lt=today)


def due_soon_q(today: datetime.date) -> Q:
    """Responses due today or within the next 30 days."""
    return Q(target_date__gte=today, target_date__lte=today + datetime.timedelta(DUE_SOON_DAYS))


def stale_q(now: datetime.datetime) -> Q:
    """Responses in progress on a published finding with nothing reported for 90 days (needs
    with_last_activity)."""
    return Q(
        finding__state=FindingState.PUBLISHED,
        state=ResponseState.IN_PROGRESS,
        last_activity__lt=now - datetime.timedelta(days=STALE_DAYS),
    )


# What a row of an overview's lists shows (progress_tags.change_row and overdue_row), read as
# plain values: the two lists of 50 rows were 350 records a page. Not a timeline entry's
# details, which are JSON to decode.
CHANGE_ROW_VALUES = (
    "id", "at", "kind", "summary", "actor_name", "response_id",
    "response__finding__reference", "response__finding__kind",
)  # fmt: skip
OVERDUE_ROW_VALUES = (
    "id", "target_date", "rag", "finding__reference", "finding__kind",
    "finding__inspection__title", "owner__full_name",
)  # fmt: skip


MY_WORK_VIEWS = {
    "all": "All open",
    "overdue": "Overdue",
    "due_soon": "Due soon",
    "stale": f"No update for {STALE_DAYS} days",
    "proposals": "Closure proposals to decide",
    "challenges": "Challenges to decide",
}


@dataclass
class MyWork:
    counts: dict[str, int]
    decides_closures: bool
    decides_challenges: bool
    view: str  # the view listed (see shown_view)


def decides_closures(caps: Capabilities) -> bool:
    """Whether this reader decides any proposals to close a response (sign_off_q says which)."""
    return caps.edits_register or caps.edits_responses


def decides_challenges(caps: Capabilities) -> bool:
    """Whether this reader decides challenges to a finding's wording."""
    return caps.edits_register


def shown_view(view: str, caps: Capabilities) -> str:
    """The view My work lists for this reader when asked for `view`: a list of decisions only
    to those who make them, and all their open work otherwise."""
    if view == "proposals":
        return view if decides_closures(caps) else "all"
    if view == "challenges":
        return view if decides_challenges(caps) else "all"
    return view if view in MY_WORK_VIEWS else "all"


@dataclass
class MyWorkQuestions:
    """What My work asks of the database for one reader and view, as querysets: its counts
    (one row), the decisions waiting (one row each, None for those the reader does not make)
    and the view's list, with the related records each row shows."""

    counts: QuerySet
    proposals: QuerySet | None
    challenges: QuerySet | None
    rows: QuerySet
    related: tuple[str, ...]


_RESPONSE_ROW_RELATED = ("finding", "finding__inspection", "organisation", "owner", "tactical_lead")
_DECISION_RELATED = (
    "response", "response__finding", "response__finding__inspection", "response__organisation",
)  # fmt: skip


def response_rows(qs: QuerySet) -> QuerySet:
    """Responses with what a list row shows, in one query."""
    return qs.select_related(*_RESPONSE_ROW_RELATED)


def _counted(qs: QuerySet, **counts) -> QuerySet:
    # Grouped by nothing, so there is always exactly one row, of zeros when nothing matches.
    return qs.order_by().values(one=Value(1)).annotate(**counts).values(*counts)


def my_work_questions(
    user, view: str, *, me: int, today: datetime.date, now: datetime.datetime
) -> MyWorkQuestions:
    """My work's questions for this reader (whose access rule applies) about the responses
    `me` owns or leads, on `today`, with `now` deciding what has gone quiet. `view` is one
    shown_view() gives."""
    caps = capabilities_for(user)
    mine = with_last_activity(
        visible_responses(user).open().filter(Q(owner_id=me) | Q(tactical_lead_id=me))
    )
    counts = _counted(
        mine,
        all=Count("pk"),
        overdue=Count("pk", filter=overdue_q(today)),
        due_soon=Count("pk", filter=due_soon_q(today)),
        stale=Count("pk", filter=stale_q(now)),
    )
    proposals = ClosureProposal.objects.filter(
        decision="",
        response__state=Constant(ResponseState.PENDING_SIGN_OFF),
        response__in=visible_responses(user),
    ).filter(sign_off_q(caps, "response__"))
    challenges = WordingChallenge.objects.filter(
        state=ChallengeState.PENDING, response__in=visible_responses(user)
    ).exclude(response__state__in=CLOSED_STATES)
    if view == "proposals":
        related = ("proposed_by", *_DECISION_RELATED)
        rows = proposals.order_by("proposed_at", "pk")
    elif view == "challenges":
        related = ("raised_by", *_DECISION_RELATED)
        rows = challenges.order_by("raised_at", "pk")
    else:
        filters = {
            "overdue": overdue_q(today),
            "due_soon": due_soon_q(today),
            "stale": stale_q(now),
        }
        related = _RESPONSE_ROW_RELATED
        rows = mine.filter(filters.get(view, Q())).order_by(
            Coalesce("target_date", datetime.date.max), "pk"
        )
    return MyWorkQuestions(
        counts=counts,
        proposals=_counted(proposals, n=Count("pk")) if decides_closures(caps) else None,
        challenges=_counted(challenges, n=Count("pk")) if decides_challenges(caps) else None,
        rows=rows,
        related=related,
    )


def _summary(view: str, counts: dict, proposals: int | None, challenges: int | None) -> MyWork:
    # None: the reader decides no such thing (my_work_questions asked nothing).
    return MyWork(
        counts={**counts, "proposals": proposals or 0, "challenges": challenges or 0},
        decides_closures=proposals is not None,
        decides_challenges=challenges is not None,
        view=view,
    )


def my_work(user, view: str, *, now: datetime.datetime | None = None):
    """The counts for each view of a person's work, and the list for the view shown (a
    queryset, as the downloads read it)."""
    now = now or timezone.now()
    view = shown_view(view, capabilities_for(user))
    questions = my_work_questions(user, view, me=user.pk, today=timezone.localdate(now), now=now)

    def decisions(qs: QuerySet | None) -> int | None:
        return None if qs is None else qs.get()["n"]

    summary = _summary(
        view,
        questions.counts.get(),
        decisions(questions.proposals),
        decisions(questions.challenges),
    )
    return summary, questions.rows.select_related(*questions.related)


class MyWorkStatements(NamedTuple):
    """My work's statements for one kind of reader, view and day (see my_work_page)."""

    counts: CompiledRows
    proposals: CompiledRows | None
    challenges: CompiledRows | None
    rows: CompiledRecordList
    # The stand-in for the moment before which work has gone quiet, as the statements hold it.
    quiet_since: object


MY_WORK = KeptStatements()
# Stand-ins My work's statements are compiled with, replaced by each request's own: whose work
# it is (ID_STAND_IN), and the moment before which a response has gone quiet (long before any
# register).
_QUIET_SINCE = datetime.datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=datetime.UTC)
_QUIET = datetime.timedelta(days=STALE_DAYS)


def _compiled(qs: QuerySet | None) -> CompiledRows | None:
    return None if qs is None else CompiledRows(qs)


def my_work_page(user, view: str, *, now: datetime.datetime | None = None):
    """my_work() for the page: the same counts, and the list as records for a Paginator, from
    statements compiled once for each kind of reader, view and day.

    Building My work's querysets and compiling them was about half of the page's own time
    (docs/performance.md, eighteenth round). The SQL depends on the reader's capabilities,
    the view and the day; whose work it is and the moment work goes quiet are parameters,
    their values swapped in for the stand-ins on each request."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    caps = capabilities_for(user)
    view = shown_view(view, caps)
    ops = connection.ops

    def build() -> MyWorkStatements:
        questions = my_work_questions(
            user, view, me=ID_STAND_IN, today=today, now=_QUIET_SINCE + _QUIET
        )
        counts = CompiledRows(questions.counts)
        quiet_since = ops.adapt_datetimefield_value(_QUIET_SINCE)
        if quiet_since not in counts.params:
            # Django would have written it in some other form, which the swap would miss.
            raise ImproperlyConfigured("My work's quiet-since stand-in is not in its statement")
        return MyWorkStatements(
            counts=counts,
            proposals=_compiled(questions.proposals),
            challenges=_compiled(questions.challenges),
            rows=CompiledRecordList(questions.rows, questions.related),
            quiet_since=quiet_since,
        )

    # The reader's capabilities but their id shape the SQL (their rule and what they decide).
    key = (reader_key(user), replace(caps, user_id=None), view, today)
    statements = MY_WORK.get(key, build)
    values = {
        ID_STAND_IN: user.pk,
        statements.quiet_since: ops.adapt_datetimefield_value(now - _QUIET),
    }

    def decisions(statement: CompiledRows | None) -> int | None:
        return None if statement is None else statement.tuples()[0][0]

    (counted,) = statements.counts.fetch(params=statements.counts.params_with(values))
    summary = _summary(
        view, counted, decisions(statements.proposals), decisions(statements.challenges)
    )
    # The list's length is the view's count, already read: no statement counts it again.
    return summary, statements.rows.bound(values, summary.counts[view])


@dataclass
class Overview:
    total: int
    by_state: list[tuple[str, str, int]]  # (value, label, count)
    by_rag: list[tuple[str, str, int]]
    no_rag: int


def count_rows(responses: QuerySet) -> QuerySet:
    """How many responses there are of each state and RAG rating, in one query."""
    # COUNT(*), not COUNT(id): the (organisation, state, rag, finding) index then answers alone.
    return responses.order_by().values("state", "rag").annotate(n=Count("*"))


def kept_count_rows(user, org) -> QuerySet | None:
    """count_rows() of all an organisation's responses this reader sees, from the counts the
    database keeps (ResponseCount): a few rows rather than the organisation's 10,000 responses.
    None for a reader whose rule those counts do not hold (the public's)."""
    caps = capabilities_for(user)
    if caps.is_public or not (caps.sees_whole_register or org.pk in caps.organisation_ids):
        return None
    counts = ResponseCount.objects.filter(organisation=org)
    if not caps.sees_drafts:
        # visible_responses(): everything but drafts' responses, for every other reader.
        counts = counts.exclude(finding_state=Constant(FindingState.DRAFT))
    return counts.order_by().values("state", "rag").annotate(n=Sum("n"))


def overview_counts(rows) -> Overview:
    """Counts of responses by state, and of open ones by RAG rating, from count_rows()."""
    by_state: dict[str, int] = {}
    by_rag: dict[str, int] = {}
    no_rag = 0
    for row in rows:
        by_state[row["state"]] = by_state.get(row["state"], 0) + row["n"]
        if row["state"] in CLOSED_STATES:
            continue
        if row["rag"]:
            by_rag[row["rag"]] = by_rag.get(row["rag"], 0) + row["n"]
        else:
            no_rag += row["n"]
    return Overview(
        total=sum(by_state.values()),
        by_state=[(s.value, s.label, by_state.get(s.value, 0)) for s in ResponseState],
        by_rag=[(r.value, r.label, by_rag.get(r.value, 0)) for r in RAG],
        no_rag=no_rag,
    )


def timeline_events(response: Response) -> QuerySet:
    """A response's timeline, newest first, with everything each entry shows."""
    return (
        TimelineEvent.objects.filter(response=response)
        .select_related(
            "update",
            "update__corrects",
            "evidence",
            "target_change",
            "proposal",
            "proposal__superseded_by",
            "challenge",
            "discharge",
        )
        .prefetch_related(
            Prefetch("update__evidence", queryset=Evidence.objects.order_by("pk")),
            Prefetch("proposal__evidence", queryset=Evidence.objects.order_by("pk")),
        )
        .order_by("-at", "-pk")
    )


def organisation_changes_since(user, organisation, since: datetime.datetime) -> QuerySet:
    """Timeline entries of an organisation's responses since a moment, newest first, for a
    reader who may see that organisation's progress (recreg.progress.access).

    Read from the (organisation, at) index: the same entries as changes_since() over the
    organisation's visible responses, without visiting every response's own timeline. Such a
    reader sees all of them but drafts' (which only the inspectorate sees).
    """
    events = TimelineEvent.objects.filter(organisation=organisation, at__gte=since)
    if not capabilities_for(user).sees_drafts:
        # The (few) responses to drafts as a list of ids: testing each entry's response's
        # finding made PostgreSQL join every one of the 500,000 responses (300 ms a page).
        drafts = Response.objects.filter(finding__state=Constant(FindingState.DRAFT))
        events = events.exclude(response_id__in=drafts.values("pk"))
    return events.order_by("-at", "-pk")


def changes_since(responses: QuerySet, since: datetime.datetime) -> QuerySet:
    """Timeline entries of these responses since a moment, newest first."""
    return TimelineEvent.objects.filter(response__in=responses, at__gte=since).order_by(
        "-at", "-pk"
    )


def overview_finding_filters(filters: FindingFilters) -> FindingFilters:
    """The part of an overview's filters that is about the findings themselves."""
    return FindingFilters(
        q=filters.q,
        inspection=filters.inspection,
        kind=filters.kind,
        stage=filters.stage,
        area=filters.area,
        theme=filters.theme,
    )


def overview_responses(user, org, filters: FindingFilters) -> QuerySet:
    """An organisation's responses this reader sees that match an overview's filters: what
    the overview counts, and what its exports hold."""
    responses = visible_responses(user).filter(organisation=org)
    if filters.state:
        responses = responses.filter(state=filters.state)
    if filters.overdue:
        responses = responses.overdue()
    finding_filters = overview_finding_filters(filters)
    if finding_filters.is_filtered:
        finding_filters.force = org.slug
        findings = filter_findings(user, finding_filters).order_by()
        if finding_filters.q:
            # Search is raw SQL naming the findings table, which a subquery renames, so the
            # matching findings of this one organisation are fetched first (one query).
            findings = list(findings.values_list("pk", flat=True))
        else:
            findings = findings.values("pk")
        responses = responses.filter(finding__in=findings)
    return responses
