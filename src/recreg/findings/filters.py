"""The register's filters, search and sort, shared by the page and the API so both return the
same findings for the same question."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.core.cache import cache
from django.db.models import F, QuerySet
from django.utils import timezone

from recreg.accounts.roles import capabilities_for
from recreg.findings.access import (
    findings_of_seen_responses,
    visible_findings,
    visible_response_states,
    visible_responses,
)
from recreg.findings.models import FindingKind, FindingState, ResponseState, Theme
from recreg.findings.search import search_findings
from recreg.frameworks.models import QuestionArea
from recreg.organisations.models import Organisation

SORTS = {
    # Unpublished inspections last on both engines (PostgreSQL would put their NULL dates
    # first): readers other than the inspectorate may not see their findings, so a page
    # walked from them first read and dropped every one of them before its first row.
    "newest": (
        F("inspection__published_on").desc(nulls_last=True),
        "inspection_id",
        "sequence",
        "id",
    ),
    "oldest": ("inspection__published_on", "inspection_id", "sequence", "id"),
    "deadline": ("deadline_date", "id"),
    "reference": ("reference", "id"),
    "relevance": ("-search_rank", "-id"),
}
SORT_LABELS = {
    "newest": "Newest report first",
    "oldest": "Oldest report first",
    "deadline": "Deadline, soonest first",
    "reference": "Reference",
    "relevance": "Best match (with a search)",
}


_ID = re.compile(r"[0-9]{1,18}")


@dataclass
class FindingFilters:
    q: str = ""
    force: str = ""
    inspection: int | None = None
    kind: str = ""
    state: str = ""  # a response's progress state
    stage: str = ""  # the finding's own state: draft, factual accuracy check, published
    area: int | None = None
    theme: str = ""
    overdue: bool = False
    sort: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_params(cls, params: Any) -> FindingFilters:
        """Read filters from query parameters; anything unreadable is reported, not guessed."""
        f = cls()
        errors: dict[str, str] = {}
        f.q = (params.get("q") or "").strip()[:200]
        f.force = (params.get("force") or "").strip()
        f.theme = (params.get("theme") or "").strip()
        for name in ("inspection", "area"):
            raw = (params.get(name) or "").strip()
            if raw:
                if _ID.fullmatch(raw):
                    setattr(f, name, int(raw))
                else:
                    errors[name] = f"{name.capitalize()} must be a number"
        kind = (params.get("kind") or "").strip()
        if kind and kind not in FindingKind.values:
            errors["kind"] = "Choose a kind from the list"
        else:
            f.kind = kind
        state = (params.get("state") or "").strip()
        if state and state not in ResponseState.values:
            errors["state"] = "Choose a state from the list"
        else:
            f.state = state
        stage = (params.get("stage") or "").strip()
        if stage and stage not in FindingState.values:
            errors["stage"] = "Choose a stage from the list"
        else:
            f.stage = stage
        overdue = str(params.get("overdue") or "").strip().lower()
        if overdue not in {"", "0", "1", "true", "false", "on", "yes", "no"}:
            errors["overdue"] = "Overdue must be true or false"
        f.overdue = overdue in {"1", "true", "on", "yes"}
        sort = (params.get("sort") or "").strip()
        if sort and sort not in SORTS:
            errors["sort"] = "Choose a sort order from the list"
        else:
            f.sort = sort
        f.errors = errors
        return f

    def question(self) -> tuple:
        """The filters as one hashable value: the same value, the same SQL for a reader.

        With the overdue filter, today's date too, which the statement holds."""
        return (
            self.q, self.force, self.inspection, self.kind, self.state, self.stage, self.area,
            self.theme, self.overdue, self.sort, timezone.localdate() if self.overdue else None,
        )  # fmt: skip

    @property
    def is_filtered(self) -> bool:
        return any(
            [self.q, self.force, self.inspection, self.kind, self.state, self.stage,
             self.area, self.theme, self.overdue]
        )  # fmt: skip

    def describe(self) -> str:
        """The filters in words, for page headings and export files."""
        parts = []
        if self.q:
            parts.append(f"matching “{self.q}”")
        if self.force:
            parts.append(f"force {self.force}")
        if self.inspection:
            parts.append(f"inspection {self.inspection}")
        if self.kind:
            parts.append(FindingKind(self.kind).label.lower())
        if self.state:
            parts.append(ResponseState(self.state).label.lower())
        if self.stage:
            parts.append(FindingState(self.stage).label.lower())
        if self.area:
            parts.append(f"question area {self.area}")
        if self.theme:
            parts.append(f"theme {self.theme}")
        if self.overdue:
            parts.append("overdue")
        return ", ".join(parts) if parts else "all findings"


def filter_findings(user, filters: FindingFilters) -> QuerySet:
    """The findings this reader may see that match the filters, sorted."""
    caps = capabilities_for(user)
    if filters.force or filters.state or (filters.overdue and not caps.is_public):
        # A reader may filter by the state of any response whose state they may see (another
        # force's public progress included), but by overdue only where they see target dates.
        # Composed only here: the rule's conditions were a sixth of an unfiltered API list.
        if filters.overdue and not caps.is_public:
            responses = visible_responses(user).overdue()
        else:
            responses = visible_response_states(user)
        if filters.force:
            responses = responses.filter(organisation__slug=filters.force)
        if filters.state:
            responses = responses.filter(state=filters.state)
        # Ids from the (indexed) responses, so the findings are looked up by primary key.
        qs = findings_of_seen_responses(responses)
    else:
        qs = visible_findings(user)
    if filters.inspection:
        qs = qs.filter(inspection_id=filters.inspection)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.stage and not caps.is_public:
        qs = qs.filter(state=filters.stage)
    if filters.area:
        qs = qs.filter(question_area_id=filters.area)
    if filters.theme:
        qs = qs.filter(themes__slug=filters.theme)
    if filters.q:
        qs = search_findings(qs, filters.q)
    sort = filters.sort or ("relevance" if filters.q else "newest")
    if sort == "relevance" and not filters.q:
        sort = "newest"
    return qs.order_by(*SORTS[sort])


# The filters' choices as plain values: a hundred-odd records built for every view of the
# register or an overview were a tenth of its time.


class Choice(NamedTuple):
    """A force or theme a list can be filtered by."""

    slug: str
    name: str


class AreaChoice(NamedTuple):
    """A question area a list can be filtered by, with its framework's names."""

    pk: int
    name: str
    framework: str
    framework_short_name: str


# What the page and the API say of a filter naming something that is not there.
UNKNOWN_FORCE = "Choose a force from the list"
UNKNOWN_ORGANISATION = "There is no organisation with that slug"
UNKNOWN_THEME = "Choose a theme from the list"
UNKNOWN_AREA = "Choose a question area from the list"
UNKNOWN_INSPECTION = "There is no inspection with that number"


def unknown_references(user, filters: FindingFilters) -> dict[str, str]:
    """The API's filters naming an organisation, theme, question area or inspection that
    does not exist (or, for an inspection, that this reader may not see), by field; one query
    each, only for the filters given. The page checks against the choices it lists instead."""
    from recreg.inspections.access import visible_inspections

    errors = {}
    # Any organisation, not only a force as on the page: the API has always taken any.
    if filters.force and not Organisation.objects.filter(slug=filters.force).exists():
        errors["force"] = UNKNOWN_ORGANISATION
    if filters.theme and not Theme.objects.filter(slug=filters.theme).exists():
        errors["theme"] = UNKNOWN_THEME
    if filters.area and not QuestionArea.objects.filter(pk=filters.area).exists():
        errors["area"] = UNKNOWN_AREA
    if filters.inspection and not visible_inspections(user).filter(pk=filters.inspection).exists():
        errors["inspection"] = UNKNOWN_INSPECTION
    return errors


# Every register page and force overview offers all the forces, question areas and themes as
# filters, and they change a few times a year: each process keeps the lists this many seconds
# rather than read three tables for every page. Filters naming a value the kept lists lack are
# checked against the tables afresh, so a new theme is never called unknown.
CHOICES_SECONDS = 60
_CHOICES_KEY = "recreg.findings.filter_choices"


@dataclass(frozen=True)
class FilterChoices:
    """The forces, question areas and themes the filters offer."""

    forces: list[Choice]
    areas: list[AreaChoice]
    themes: list[Choice]
    # A digest of the lists, so what was rendered from one version of them is told apart from
    # what was rendered from the next (the filter forms' fields are kept; see rendering_key).
    version: str = ""

    def lack(self, filters: FindingFilters) -> bool:
        """Whether the filters name a force, area or theme these lists do not hold."""
        return bool(
            (filters.force and filters.force not in {f.slug for f in self.forces})
            or (filters.area and filters.area not in {a.pk for a in self.areas})
            or (filters.theme and filters.theme not in {t.slug for t in self.themes})
        )


def filter_choices(filters: FindingFilters | None = None) -> FilterChoices:
    """The filters' choices, as this process keeps them (CHOICES_SECONDS), or read afresh
    when they are not kept or lack a value these filters name."""
    kept = cache.get(_CHOICES_KEY)
    if kept is None or (filters is not None and kept.lack(filters)):
        forces, areas, themes = force_choices(), area_choices(), theme_choices()
        version = hashlib.blake2b(repr((forces, areas, themes)).encode(), digest_size=8)
        kept = FilterChoices(forces, areas, themes, version.hexdigest())
        cache.set(_CHOICES_KEY, kept, CHOICES_SECONDS)
    return kept


def force_choices() -> list[Choice]:
    """The forces, by name."""
    return [Choice(*row) for row in Organisation.objects.forces().values_list("slug", "name")]


def area_choices() -> list[AreaChoice]:
    """The question areas, framework by framework."""
    return [
        AreaChoice(*row)
        for row in QuestionArea.objects.values_list(
            "pk", "name", "framework__name", "framework__short_name"
        )
    ]


def theme_choices() -> list[Choice]:
    """The themes, by name."""
    return [Choice(*row) for row in Theme.objects.values_list("slug", "name")]
