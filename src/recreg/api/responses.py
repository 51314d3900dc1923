"""/responses: each organisation's progress on the findings addressed to it."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from recreg.accounts.roles import capabilities_for
from recreg.api.auth import OPTIONAL_SECURITY, READ_AUTH
from recreg.api.errors import ErrorOut, RequestInvalid
from recreg.api.findings import RESPONSE_RELATED, response_schemas
from recreg.api.pagination import page_of
from recreg.api.schemas import (
    RESPONSE_SCHEMA_NOTE,
    PublicResponseOut,
    PublicResponsePage,
    ResponseOut,
    ResponsePage,
    ResponseQuery,
)
from recreg.findings.access import get_response_for_user, visible_responses

router = Router(tags=["responses"])

ORDER = ("finding_id", "organisation__name", "id")


@router.get(
    "/responses",
    response={200: ResponsePage | PublicResponsePage, 401: ErrorOut, 422: ErrorOut},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
    operation_id="listResponses",
    summary="List responses",
    description="The responses this reader may see, by finding and organisation. "
    + RESPONSE_SCHEMA_NOTE,
)
def list_responses(request: HttpRequest, filters: Query[ResponseQuery]):
    caps = capabilities_for(request.user)
    if filters.overdue and caps.is_public:
        # Overdue is worked out from the target date, which is not public.
        raise RequestInvalid({"overdue": ["Sign in to filter by overdue"]})
    qs = visible_responses(request.user)
    if filters.finding:
        qs = qs.filter(finding_id=filters.finding)
    if filters.force:
        qs = qs.filter(organisation__slug=filters.force)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.overdue:
        qs = qs.overdue()
    qs = qs.select_related(*RESPONSE_RELATED).order_by(*ORDER)
    data = page_of(qs, filters.page, filters.page_size)
    data["results"] = response_schemas(request.user, data["results"])
    return (PublicResponsePage if caps.is_public else ResponsePage)(**data)


@router.get(
    "/responses/{response_id}",
    response={200: ResponseOut | PublicResponseOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
    operation_id="getResponse",
    summary="Get a response",
    description="One response; 404 if it does not exist or this reader may not see it. "
    + RESPONSE_SCHEMA_NOTE,
)
def get_response(request: HttpRequest, response_id: int):
    response, access = get_response_for_user(request.user, response_id)
    schema = ResponseOut if access.sees_progress else PublicResponseOut
    return schema.from_orm(response)
