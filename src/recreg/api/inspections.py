"""/inspections: the inspections a reader may see, and changes by inspectorate editors."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja import Query, Router, Status

from recreg.api.auth import OPTIONAL_SECURITY, READ_AUTH, WRITE_AUTH
from recreg.api.errors import ErrorOut
from recreg.api.lookups import Lookups, require_register_editor
from recreg.api.pagination import page_of
from recreg.api.schemas import (
    InspectionIn,
    InspectionOut,
    InspectionPage,
    InspectionPatch,
    InspectionQuery,
)
from recreg.inspections.access import get_inspection_for_user, visible_inspections
from recreg.inspections.services import create_inspection, update_inspection

router = Router(tags=["inspections"])

RELATED = ("programme", "lead_inspectorate")
PREFETCH = ("partner_inspectorates", "forces_in_scope")
ORDER = ("-published_on", "-fieldwork_start", "title", "id")
ORG_FIELDS = ("lead_inspectorate",)
ORG_LIST_FIELDS = ("partner_inspectorates", "forces_in_scope")


def _fetch(request: HttpRequest, inspection_id: int):
    inspection, _access = get_inspection_for_user(request.user, inspection_id)
    return inspection


def _resolve(lookups: Lookups, data: dict) -> dict:
    """The service's arguments for the fields sent: slugs become records."""
    out = dict(data)
    if "programme" in out:
        out["programme"] = lookups.framework("programme", out["programme"])
    for name in ORG_FIELDS:
        if name in out:
            out[name] = lookups.organisation(name, out[name])
    for name in ORG_LIST_FIELDS:
        if name in out:
            out[name] = lookups.organisations(name, out[name])
    lookups.check()
    return out


@router.get(
    "/inspections",
    response={200: InspectionPage, 401: ErrorOut, 422: ErrorOut},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
    operation_id="listInspections",
    summary="List inspections",
)
def list_inspections(request: HttpRequest, filters: Query[InspectionQuery]):
    """The inspections this reader may see, newest report first. The public sees published
    inspections led by the police inspectorate."""
    qs = visible_inspections(request.user)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.force:
        qs = qs.filter(forces_in_scope__slug=filters.force)
    qs = qs.select_related(*RELATED).prefetch_related(*PREFETCH).order_by(*ORDER)
    return page_of(qs, filters.page, filters.page_size)


@router.get(
    "/inspections/{inspection_id}",
    response={200: InspectionOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=READ_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
    operation_id="getInspection",
    summary="Get an inspection",
)
def get_inspection(request: HttpRequest, inspection_id: int):
    """One inspection; 404 if it does not exist or this reader may not see it."""
    return _fetch(request, inspection_id)


@router.post(
    "/inspections",
    response={201: InspectionOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    operation_id="createInspection",
    summary="Create an inspection (inspectorate editors)",
)
def post_inspection(request: HttpRequest, payload: InspectionIn):
    """Create an inspection. Organisations and the programme are named by slug."""
    require_register_editor(request.user, "inspections")
    data = payload.model_dump()
    data["lead_inspectorate"] = data["lead_inspectorate"] or settings.POLICE_INSPECTORATE_SLUG
    inspection = create_inspection(actor=request.user, **_resolve(Lookups(request.user), data))
    return Status(201, _fetch(request, inspection.pk))


@router.patch(
    "/inspections/{inspection_id}",
    response={
        200: InspectionOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
    },
    auth=WRITE_AUTH,
    operation_id="updateInspection",
    summary="Change an inspection (inspectorate editors)",
)
def patch_inspection(request: HttpRequest, inspection_id: int, payload: InspectionPatch):
    """Change the fields sent; the others are left as they are."""
    inspection = _fetch(request, inspection_id)
    require_register_editor(request.user, "inspections")
    changes = _resolve(Lookups(request.user), payload.model_dump(exclude_unset=True))
    update_inspection(inspection, actor=request.user, **changes)
    return _fetch(request, inspection_id)
