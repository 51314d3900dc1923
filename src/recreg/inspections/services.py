"""Every change to inspections goes through these functions, each in one transaction with its
audit event."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from recreg.accounts.roles import capabilities_for
from recreg.audit.services import record_create, record_update, snapshot
from recreg.inspections.models import Inspection, InspectionState
from recreg.organisations.models import OrganisationKind

M2M_FIELDS = ("partner_inspectorates", "forces_in_scope")
FIELDS = (
    "title",
    "programme",
    "kind",
    "lead_inspectorate",
    "fieldwork_start",
    "fieldwork_end",
    "published_on",
    "report_url",
    "state",
)


def _require_editor(actor) -> None:
    if not capabilities_for(actor).edits_register:
        raise PermissionError("Only inspectorate editors change inspections")


def _validate(inspection: Inspection, m2m: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    if inspection.lead_inspectorate_id and (
        inspection.lead_inspectorate.kind != OrganisationKind.INSPECTORATE
    ):
        errors.setdefault("lead_inspectorate", []).append("Choose an inspectorate")
    for org in m2m.get("partner_inspectorates") or []:
        if org.kind != OrganisationKind.INSPECTORATE:
            errors.setdefault("partner_inspectorates", []).append(f"{org} is not an inspectorate")
    for org in m2m.get("forces_in_scope") or []:
        if org.kind != OrganisationKind.FORCE:
            errors.setdefault("forces_in_scope", []).append(f"{org} is not a police force")
    if inspection.state == InspectionState.PUBLISHED and not inspection.published_on:
        errors.setdefault("published_on", []).append(
            "Enter the publication date of a published inspection"
        )
    if (
        inspection.fieldwork_start
        and inspection.fieldwork_end
        and inspection.fieldwork_end < inspection.fieldwork_start
    ):
        errors.setdefault("fieldwork_end", []).append(
            "Fieldwork end must be the same as or after fieldwork start"
        )
    try:
        inspection.full_clean(exclude=list(M2M_FIELDS))
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_inspection(*, actor, **data: Any) -> Inspection:
    """Create an inspection (with its partner inspectorates and forces in scope)."""
    _require_editor(actor)
    m2m = {name: data.pop(name, None) or [] for name in M2M_FIELDS}
    inspection = Inspection(**data)
    _validate(inspection, m2m)
    inspection.save()
    for name, values in m2m.items():
        getattr(inspection, name).set(values)
    record_create(inspection, actor=actor, m2m=M2M_FIELDS)
    return inspection


@transaction.atomic
def update_inspection(inspection: Inspection, *, actor, **changes: Any) -> Inspection:
    """Change an inspection's fields; publishing it resolves its findings' deadlines."""
    _require_editor(actor)
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    before = snapshot(inspection, M2M_FIELDS)
    m2m = {name: changes.pop(name) for name in M2M_FIELDS if name in changes}
    for name, value in changes.items():
        if name not in FIELDS:
            raise ValueError(f"{name} is not a field of an inspection")
        setattr(inspection, name, value)
    _validate(inspection, m2m)
    inspection.save()
    for name, values in m2m.items():
        getattr(inspection, name).set(values)
    record_update(inspection, before, actor=actor, m2m=M2M_FIELDS)
    if before["published_on"] != snapshot(inspection)["published_on"]:
        from recreg.findings.services import resolve_deadlines_for_inspection

        resolve_deadlines_for_inspection(inspection, actor=actor)
    return inspection
