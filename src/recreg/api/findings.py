"""/findings: the register, with the register page's own filters, search and sort."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Value
from django.http import HttpRequest
from ninja import Query, Router, Status

from recreg.accounts.roles import capabilities_for
from recreg.api.auth import OPTIONAL_SECURITY, READ_AUTH, WRITE_AUTH
from recreg.api.errors import ErrorOut, RequestInvalid
from recreg.api.lookups import Lookups, require_register_editor
from recreg.api.pagination import page_of, rendered
from recreg.api.schemas import (
    FindingDetailOut,
    FindingIn,
    FindingPage,
    FindingPatch,
    FindingQuery,
    PublicResponseOut,
    ResponseOut,
)
from recreg.core.rules import reader_key
from recreg.core.statements import PAGE_IDS, CompiledList, CompiledRows, KeptStatements
from recreg.findings.access import get_finding_for_user, responses_on
from recreg.findings.filters import FindingFilters, filter_findings, unknown_references
from recreg.findings.models import Finding
from recreg.findings.services import create_finding, update_finding

router = Router(tags=["findings"])

# What a row of the list reads, as plain values (see finding_rows).
LIST_VALUES = (
    "id", "kind", "parent_id", "reference", "text", "sequence", "addressee_scope", "state",
    "created_at", "updated_at", "deadline_text", "deadline_kind", "deadline_months",
    "deadline_date", "inspection_id", "inspection__title", "inspection__published_on",
    "question_area_id", "question_area__slug", "question_area__name",
)  # fmt: skip
COMPILED = KeptStatements()
RESPONSE_RELATED = ("organisation", "owner", "tactical_lead", "governance_board")
# A page's themes (part 0) and addressees (part 1), in one statement compiled once, whose
# one parameter is the page's ids (see related_rows).
_THEMES = Finding.themes.through.objects.annotate(
    slug=F("theme__slug"), name=F("theme__name"), related=F("theme_id"),
    part=Value(0), kind=Value(""),
).values_list("finding_id", "slug", "name", "related", "part", "kind")  # fmt: skip
_ADDRESSEES = Finding.addressees.through.objects.annotate(
    slug=F("organisation__slug"), name=F("organisation__name"), related=F("organisation_id"),
    part=Value(1), kind=F("organisation__kind"),
).values_list("finding_id", "slug", "name", "related", "part", "kind")  # fmt: skip
RELATED = KeptStatements()


def related_rows(ids: list[int]) -> tuple[dict, dict]:
    """The themes ({id: [(slug, name)]}) and addressees ({id: [(slug, name, kind)]}) of these
    findings, each by name."""
    if not ids:
        return {}, {}

    def build() -> CompiledRows:
        union = _THEMES.filter(finding_id__one_of=PAGE_IDS).union(
            _ADDRESSEES.filter(finding_id__one_of=PAGE_IDS), all=True
        )
        return CompiledRows(union.order_by("part", "name", "related"))

    statement = RELATED.get("themes and addressees", build)
    themes: dict = {}
    addressees: dict = {}
    for finding_id, slug, name, _related, part, kind in statement.for_ids(ids):
        if part == 0:
            themes.setdefault(finding_id, []).append((slug, name))
        else:
            addressees.setdefault(finding_id, []).append((slug, name, kind))
    return themes, addressees


# A date or time as the API's JSON writes it. Written into the row here, the JSON encoder
# never calls back into Python for them: those calls (through ninja's encoder and Django's)
# were half of rendering a page.
_json_default = DjangoJSONEncoder().default


def as_json(value):
    """A date or datetime (or None) as the text the API's JSON encoder would write for it."""
    return None if value is None else _json_default(value)


# Fields whose blank value is "" rather than null in the model.
BLANK_IS_EMPTY = ("reference", "deadline_text")


def response_schemas(user, responses) -> list[ResponseOut | PublicResponseOut]:
    """Each response in the schema this reader is allowed: in full, or the public's few fields."""
    schema = PublicResponseOut if capabilities_for(user).is_public else ResponseOut
    return [schema.from_orm(response) for response in responses]


def _detail(request: HttpRequest, finding_id: int):
    finding, _access = get_finding_for_user(request.user, finding_id)
    responses = (
        responses_on(request.user, finding)
        .select_related(*RESPONSE_RELATED)
        .order_by("organisation__name", "id")
    )
    # Read by FindingDetailOut.resolve_responses; never the finding's own (unfiltered) set.
    finding.api_responses = response_schemas(request.user, responses)
    return finding


def _resolve(lookups: Lookups, data: dict) -> dict:
    """The service's arguments for the fields sent: ids and slugs become records."""
    out = dict(data)
    if "deadline" in out:
        out["deadline_text"] = out.pop("deadline")
    for name in BLANK_IS_EMPTY:
        if name in out and out[name] is None:
            out[name] = ""
    if "inspection" in out:
        out["inspection"] = lookups.inspection("inspection", out["inspection"])
    if "parent" in out:
        out["parent"] = lookups.finding("parent", out["parent"])
    if "question_area" in out:
        out["question_area"] = lookups.question_area("question_area", out["question_area"])
    if "themes" in out:
        out["themes"] = lookups.themes("themes", out["themes"])
    if "addressees" in out:
        out["addressees"] = lookups.organisations("addressees", out["addressees"])
    if out.get("sequence", 0) is None:
        del out["sequence"]  # the next free number
    lookups.check()
    return out


@router.get(
    "/findings",
    response={200: FindingPage, 401: ErrorOut, 422: ErrorOut},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
    operation_id="listFindings",
    summary="List and search findings",
)
def list_findings(request: HttpRequest, query: Query[FindingQuery]):
    """The findings this reader may see, with exactly the register page's filters, search and
    sort. The public sees the public register: published findings of the police inspectorate
    addressed to forces."""
    params = query.model_dump(exclude={"page", "page_size"})
    filters = FindingFilters.from_params(params)
    # As on the page, a force, theme, area or inspection that is not there is an error, not
    # an empty list that a typing slip would make look like "nothing found".
    errors = filters.errors or unknown_references(request.user, filters)
    if errors:
        raise RequestInvalid({field: [message] for field, message in errors.items()})
    # The same question from the same kind of reader is the same SQL: compiled once.
    statement = COMPILED.get(
        ("api_list", reader_key(request.user), filters.question()),
        lambda: CompiledList(filter_findings(request.user, filters), LIST_VALUES),
    )
    page = page_of(
        statement, query.page, query.page_size, cap=settings.REGISTER_COUNT_CAP, fetch=finding_rows
    )
    # Built in FindingPage's shape from plain values: validating a page of 50 findings and
    # their nested objects again cost more than a third of the request (docs/performance.md).
    return rendered(page)


def finding_rows(rows: list[dict]) -> list[dict]:
    """A page of findings as FindingOut dumps them, from their rows of LIST_VALUES and one
    query for their themes and addressees.

    A page of 50 may name a thousand addressees (a finding to all forces has 43): as model
    instances read field by field into the schema they were most of the list's time, and
    validating the schema's nested objects most of the rest. The detail endpoint reads the
    same fields from the record through the schema; tests hold the two to the same output,
    and the list to FindingPage."""
    themes, addressees = related_rows([row["id"] for row in rows])
    out = []
    for row in rows:
        area = None
        if row["question_area_id"] is not None:
            area = {
                "id": row["question_area_id"],
                "slug": row["question_area__slug"],
                "name": row["question_area__name"],
            }
        # In FindingOut's field order, so the JSON reads as the detail's does.
        out.append(
            {
                "id": row["id"],
                "inspection": {
                    "id": row["inspection_id"],
                    "title": row["inspection__title"],
                    "published_on": as_json(row["inspection__published_on"]),
                },
                "kind": row["kind"],
                "parent": row["parent_id"],
                "reference": row["reference"],
                "text": row["text"],
                "sequence": row["sequence"],
                "question_area": area,
                "themes": [{"slug": s, "name": n} for s, n in themes.get(row["id"], [])],
                "addressee_scope": row["addressee_scope"],
                "addressees": [
                    {"slug": s, "name": n, "kind": k} for s, n, k in addressees.get(row["id"], [])
                ],
                "deadline": {
                    "text": row["deadline_text"],
                    "kind": row["deadline_kind"],
                    "months": row["deadline_months"],
                    "date": as_json(row["deadline_date"]),
                },
                "state": row["state"],
                "created_at": as_json(row["created_at"]),
                "updated_at": as_json(row["updated_at"]),
            }
        )
    return out


@router.get(
    "/findings/{finding_id}",
    response={200: FindingDetailOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
    operation_id="getFinding",
    summary="Get a finding with the responses this reader may see",
)
def get_finding(request: HttpRequest, finding_id: int):
    """One finding and the responses this reader may see; 404 if it does not exist or this
    reader may not see it."""
    return _detail(request, finding_id)


@router.post(
    "/findings",
    response={
        201: FindingDetailOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        422: ErrorOut,
    },
    auth=WRITE_AUTH,
    operation_id="createFinding",
    summary="Create a finding (inspectorate editors)",
)
def post_finding(request: HttpRequest, payload: FindingIn):
    """Create a finding; it fans out into one response per addressed organisation (every
    territorial force, for all_forces)."""
    require_register_editor(request.user, "findings")
    data = _resolve(Lookups(request.user), payload.model_dump())
    finding = create_finding(actor=request.user, **data)
    return Status(201, _detail(request, finding.pk))


@router.patch(
    "/findings/{finding_id}",
    response={
        200: FindingDetailOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
    },
    auth=WRITE_AUTH,
    operation_id="updateFinding",
    summary="Change a finding (inspectorate editors)",
)
def patch_finding(request: HttpRequest, finding_id: int, payload: FindingPatch):
    """Change the fields sent; the responses follow the addressees and the deadline."""
    finding, _access = get_finding_for_user(request.user, finding_id)
    require_register_editor(request.user, "findings")
    changes = _resolve(Lookups(request.user), payload.model_dump(exclude_unset=True))
    update_finding(finding, actor=request.user, **changes)
    return _detail(request, finding_id)
