"""What the API reads and writes, so the OpenAPI document says exactly what comes back."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from django.conf import settings
from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from recreg.findings.filters import SORTS
from recreg.findings.models import (
    RAG,
    AddresseeScope,
    DeadlineKind,
    FindingKind,
    FindingState,
    ResponseState,
)
from recreg.inspections.models import InspectionKind, InspectionState
from recreg.organisations.models import OrganisationKind

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = min(settings.REGISTER_PAGE_SIZE, MAX_PAGE_SIZE)
# Beyond any real register; keeps the offset a number every database can take.
MAX_PAGE = 1_000_000
MAX_ID = 2**63 - 1

FindingKindT = Literal[tuple(FindingKind.values)]  # type: ignore[valid-type]
FindingStateT = Literal[tuple(FindingState.values)]  # type: ignore[valid-type]
AddresseeScopeT = Literal[tuple(AddresseeScope.values)]  # type: ignore[valid-type]
DeadlineKindT = Literal[tuple(DeadlineKind.values)]  # type: ignore[valid-type]
ResponseStateT = Literal[tuple(ResponseState.values)]  # type: ignore[valid-type]
RagT = Literal[("", *RAG.values)]  # type: ignore[valid-type]
InspectionKindT = Literal[tuple(InspectionKind.values)]  # type: ignore[valid-type]
InspectionStateT = Literal[tuple(InspectionState.values)]  # type: ignore[valid-type]
OrganisationKindT = Literal[tuple(OrganisationKind.values)]  # type: ignore[valid-type]


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Must not contain a NUL character")
    return value


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


Text = Annotated[str, AfterValidator(_no_nul)]
Slug = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120), AfterValidator(_no_nul)]  # fmt: skip
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Position = Annotated[int, Field(ge=0, le=2**31 - 1)]
# In a PATCH body: may be left out, but not sent as null (the schema does not offer null).
Omitted = SkipJsonSchema[None]
# An optional query filter: blank is the same as leaving it out, as on the pages.
Blankable = BeforeValidator(_blank_to_none)


# --- Shared pieces --------------------------------------------------------------------------


class Out(Schema):
    """An output schema. An instance already built (e.g. a response in the schema chosen for
    this reader) passes through as it is; anything else is read as ninja reads records."""

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler, info: ValidationInfo) -> Any:
        if isinstance(values, cls):
            return values
        return handler(DjangoGetter(values, cls, info.context))


class OrganisationRef(Out):
    slug: str
    name: str
    kind: OrganisationKindT


class ThemeRef(Out):
    slug: str
    name: str


class QuestionAreaRef(Out):
    id: int
    slug: str
    name: str


class FrameworkRef(Out):
    slug: str
    name: str


class PersonRef(Out):
    id: int
    name: str = Field(validation_alias="full_name")
    job_title: str


class BoardRef(Out):
    id: int
    name: str


class InspectionRef(Out):
    id: int
    title: str
    published_on: datetime.date | None


class PageMeta(Out):
    count: int = Field(description="How many records match, on all pages.")
    page: int
    page_size: int


# --- Inspections ----------------------------------------------------------------------------


class InspectionOut(Out):
    id: int
    title: str
    kind: InspectionKindT
    state: InspectionStateT
    programme: FrameworkRef | None = Field(description="The assessment programme, if any.")
    lead_inspectorate: OrganisationRef
    partner_inspectorates: list[OrganisationRef]
    forces_in_scope: list[OrganisationRef]
    fieldwork_start: datetime.date | None
    fieldwork_end: datetime.date | None
    published_on: datetime.date | None
    report_url: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


class InspectionPage(PageMeta):
    results: list[InspectionOut]


class InspectionQuery(Schema):
    state: Annotated[InspectionStateT | None, Blankable] = None
    kind: Annotated[InspectionKindT | None, Blankable] = None
    force: Annotated[Slug | None, Blankable] = Field(
        None, description="A force's slug: inspections with that force in scope."
    )
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class InspectionIn(Schema):
    """A new inspection. Organisations and the programme are named by slug."""

    model_config = ConfigDict(extra="forbid")

    title: Annotated[Text, StringConstraints(min_length=1, max_length=400)]
    kind: InspectionKindT
    state: InspectionStateT = InspectionState.PLANNED.value
    programme: Slug | None = Field(None, description="The framework's slug, e.g. peel-2023-25.")
    lead_inspectorate: Slug | None = Field(
        None, description="The lead inspectorate's slug; the police inspectorate if left out."
    )
    partner_inspectorates: list[Slug] = Field(default_factory=list)
    forces_in_scope: list[Slug] = Field(default_factory=list)
    fieldwork_start: datetime.date | None = None
    fieldwork_end: datetime.date | None = None
    published_on: datetime.date | None = None
    report_url: Annotated[Text, StringConstraints(max_length=500)] = ""


class InspectionPatch(Schema):
    """Changes to an inspection: only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    title: Annotated[Text, StringConstraints(min_length=1, max_length=400)] | Omitted = None
    kind: InspectionKindT | Omitted = None
    state: InspectionStateT | Omitted = None
    programme: Slug | None = Field(None, description="The framework's slug; null for none.")
    lead_inspectorate: Slug | Omitted = None
    partner_inspectorates: list[Slug] | Omitted = None
    forces_in_scope: list[Slug] | Omitted = None
    fieldwork_start: datetime.date | None = None
    fieldwork_end: datetime.date | None = None
    published_on: datetime.date | None = None
    report_url: Annotated[Text, StringConstraints(max_length=500)] | Omitted = None

    @field_validator(
        "title",
        "kind",
        "state",
        "lead_inspectorate",
        "partner_inspectorates",
        "forces_in_scope",
        "report_url",
    )
    @classmethod
    def _not_null(cls, value):
        if value is None:
            raise ValueError("Leave this out to keep it as it is; it cannot be null")
        return value


# --- Responses ------------------------------------------------------------------------------


class PublicResponseOut(Out):
    """A response as the public sees it: which organisation, and how far it has got. Nothing
    about who owns it, which board oversees it or its target date."""

    id: int
    finding: int = Field(validation_alias="finding_id")
    organisation: OrganisationRef
    state: ResponseStateT
    state_changed_at: datetime.datetime


class ResponseOut(Out):
    """A response as a signed-in reader with access to it sees it, progress and all."""

    id: int
    finding: int = Field(validation_alias="finding_id")
    organisation: OrganisationRef
    state: ResponseStateT
    state_changed_at: datetime.datetime
    target_date: datetime.date | None
    is_overdue: bool
    owner: PersonRef | None = Field(description="The strategic owner: a chief officer.")
    tactical_lead: PersonRef | None
    governance_board: BoardRef | None
    rag: RagT = Field(description="The latest red/amber/green rating; blank if none yet.")
    last_update_at: datetime.datetime | None = Field(
        description="When the latest progress update was made."
    )
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_is_overdue(obj) -> bool:
        return obj.is_overdue()


RESPONSE_SCHEMA_NOTE = (
    "Signed-in readers get each response in full (ResponseOut). The anonymous public gets a "
    "separate, smaller schema (PublicResponseOut: id, finding, organisation, state and "
    "state_changed_at only), never the owner, tactical lead, governance board or target date."
)


class ResponsePage(PageMeta):
    """A page of responses in full, for signed-in readers."""

    results: list[ResponseOut]


class PublicResponsePage(PageMeta):
    """A page of responses as the public sees them."""

    results: list[PublicResponseOut]


class ResponseQuery(Schema):
    finding: Annotated[Id | None, Blankable] = Field(None, description="A finding's id.")
    force: Annotated[Slug | None, Blankable] = Field(
        None, description="The responding organisation's slug."
    )
    state: Annotated[ResponseStateT | None, Blankable] = None
    overdue: Annotated[bool | None, Blankable] = Field(
        None,
        description="Only open responses past their target date (signed-in readers only).",
    )
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


# --- Findings -------------------------------------------------------------------------------


class DeadlineOut(Out):
    text: str = Field(description="The deadline as the report wrote it (blank for none).")
    kind: DeadlineKindT
    months: int | None = Field(description="For a deadline counted from publication.")
    date: datetime.date | None = Field(
        description="The date it falls on, if known (months from publication need the "
        "inspection's publication date)."
    )


class FindingOut(Out):
    id: int
    inspection: InspectionRef
    kind: FindingKindT
    parent: int | None = Field(
        validation_alias="parent_id", description="The cause of concern this belongs to."
    )
    reference: str
    text: str
    sequence: int
    question_area: QuestionAreaRef | None
    themes: list[ThemeRef]
    addressee_scope: AddresseeScopeT
    addressees: list[OrganisationRef]
    deadline: DeadlineOut
    state: FindingStateT = Field(description="The finding's own stage: draft, fact check, …")
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_deadline(obj) -> dict:
        return {
            "text": obj.deadline_text,
            "kind": obj.deadline_kind,
            "months": obj.deadline_months,
            "date": obj.deadline_date,
        }


class FindingDetailOut(FindingOut):
    responses: list[ResponseOut | PublicResponseOut] = Field(
        description="The responses this reader may see. " + RESPONSE_SCHEMA_NOTE
    )

    @staticmethod
    def resolve_responses(obj) -> list:
        # Set by the endpoint from visible_responses(); never the finding's own related set.
        return obj.api_responses


class FindingPage(PageMeta):
    count_exact: bool = Field(
        description=(
            "True when `count` is the exact total. Counting the whole register is costly, so "
            "findings are counted only so far past this page's start (1,000 unless configured "
            "otherwise): when there are "
            "more, this is false and `count` is a lower bound that always reaches past this "
            "page, so a client may page on while `page` × `page_size` < `count`."
        )
    )
    results: list[FindingOut]


def _choices(values) -> dict:
    return {"enum": ["", *values]}


class FindingQuery(Schema):
    """The register page's own query parameters, read by the page's own filter code."""

    q: Text = Field("", max_length=1000, description="Words to search for (all must match).")
    force: Slug = Field("", description="Findings with a response from this organisation.")
    inspection: str = Field("", pattern=r"^\s*[0-9]{0,18}\s*$", description="An inspection id.")
    kind: str = Field("", json_schema_extra=_choices(FindingKind.values))
    state: str = Field(
        "",
        description="A response's progress state.",
        json_schema_extra=_choices(ResponseState.values),
    )
    stage: str = Field(
        "",
        description="The finding's own stage (ignored for the public, who see only published).",
        json_schema_extra=_choices(FindingState.values),
    )
    area: str = Field("", pattern=r"^\s*[0-9]{0,18}\s*$", description="A question area id.")
    theme: Slug = Field("", description="A theme's slug.")
    overdue: str = Field(
        "",
        description="Only findings with an overdue response: true or false.",
        json_schema_extra=_choices(["0", "1", "true", "false", "on", "yes", "no"]),
    )
    sort: str = Field(
        "",
        description="Newest report first unless searching (then best match first).",
        json_schema_extra=_choices(list(SORTS)),
    )
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class FindingIn(Schema):
    """A new finding. Themes and addressees are named by slug; the deadline as written."""

    model_config = ConfigDict(extra="forbid")

    inspection: Id
    kind: FindingKindT
    parent: Id | None = Field(None, description="A cause of concern of the same inspection.")
    reference: Annotated[Text, StringConstraints(max_length=60)] = ""
    text: Annotated[Text, StringConstraints(min_length=1)]
    sequence: Position | None = Field(
        None, description="Order in the report; the next free number if left out."
    )
    question_area: Id | None = None
    themes: list[Slug] = Field(default_factory=list)
    addressee_scope: AddresseeScopeT = AddresseeScope.FORCES.value
    addressees: list[Slug] = Field(
        default_factory=list,
        description="Organisation slugs: forces, or a national body. Ignored for all_forces.",
    )
    deadline: Annotated[Text, StringConstraints(max_length=200)] = Field(
        "",
        description="As written: ‘31 March 2025’, ‘by September 2025’, ‘within 6 months’, "
        "‘immediately’, or blank.",
    )
    state: FindingStateT = FindingState.DRAFT.value


class FindingPatch(Schema):
    """Changes to a finding: only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    kind: FindingKindT | Omitted = None
    parent: Id | None = None
    reference: Annotated[Text, StringConstraints(max_length=60)] | None = None
    text: Annotated[Text, StringConstraints(min_length=1)] | Omitted = None
    sequence: Position | Omitted = None
    question_area: Id | None = None
    themes: list[Slug] | Omitted = None
    addressee_scope: AddresseeScopeT | Omitted = None
    addressees: list[Slug] | Omitted = None
    deadline: Annotated[Text, StringConstraints(max_length=200)] | None = Field(
        None, description="As written; blank or null for none."
    )
    state: FindingStateT | Omitted = None

    @field_validator("kind", "text", "sequence", "themes", "addressee_scope", "state", "addressees")
    @classmethod
    def _not_null(cls, value):
        if value is None:
            raise ValueError("Leave this out to keep it as it is; it cannot be null")
        return value
