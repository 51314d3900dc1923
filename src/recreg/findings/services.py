"""Every change to findings and their responses goes through these functions, each in one
transaction with its audit events."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from recreg.accounts.roles import capabilities_for
from recreg.audit.services import record_create, record_delete, record_update, snapshot
from recreg.findings.deadlines import DeadlineError, parse_deadline
from recreg.findings.models import (
    CONCERN_KINDS,
    AddresseeScope,
    Finding,
    FindingKind,
    FindingState,
    Response,
    ResponseState,
)
from recreg.inspections.models import Inspection, InspectionState
from recreg.organisations.models import Organisation, OrganisationKind

M2M_FIELDS = ("themes", "addressees")
EDITABLE = (
    "kind",
    "parent",
    "reference",
    "text",
    "sequence",
    "question_area",
    "addressee_scope",
    "deadline_text",
    "state",
)
STATE_ORDER = [FindingState.DRAFT, FindingState.FACT_CHECK, FindingState.PUBLISHED]


def _require_editor(actor) -> None:
    if not capabilities_for(actor).edits_register:
        raise PermissionError("Only inspectorate editors change findings")


def _may_track_own(actor, inspection: Inspection, addressees: list[Organisation]) -> bool:
    """A force editor or PCC officer may add findings of an inspection that another
    inspectorate led (which the police inspectorate's register leaves out) to their own
    force's tracking, addressed to their force alone."""
    from recreg.accounts.roles import Role

    caps = capabilities_for(actor)
    if not (caps.edits_responses or getattr(actor, "role", None) == Role.PCC_OFFICER):
        return False
    if inspection.lead_inspectorate.slug == settings.POLICE_INSPECTORATE_SLUG:
        return False
    own_forces = {org_id for org_id in caps.organisation_ids}
    return bool(addressees) and all(
        org.kind == OrganisationKind.FORCE and org.pk in own_forces for org in addressees
    )


def all_forces() -> list[Organisation]:
    """The forces a finding for "all forces" is addressed to: every territorial force."""
    return list(Organisation.objects.territorial_forces())


def _addressees_for(scope: str, chosen: Iterable[Organisation]) -> tuple[list, dict]:
    chosen = list(chosen)
    errors: dict[str, list[str]] = {}
    if scope == AddresseeScope.ALL_FORCES:
        return all_forces(), errors
    if scope == AddresseeScope.FORCES:
        if not chosen:
            errors["addressees"] = ["Choose at least one force"]
        wrong = [o for o in chosen if o.kind != OrganisationKind.FORCE]
        if wrong:
            errors["addressees"] = [f"{wrong[0]} is not a police force"]
    elif scope == AddresseeScope.NATIONAL_BODY:
        if not chosen:
            errors["addressees"] = ["Choose the national body this is addressed to"]
        wrong = [o for o in chosen if o.kind != OrganisationKind.NATIONAL_BODY]
        if wrong:
            errors["addressees"] = [f"{wrong[0]} is not a national body"]
    return chosen, errors


def _apply_deadline(finding: Finding, errors: dict[str, list[str]]) -> None:
    try:
        deadline = parse_deadline(finding.deadline_text)
    except DeadlineError as exc:
        errors.setdefault("deadline_text", []).append(str(exc))
        return
    finding.deadline_text = deadline.text
    finding.deadline_kind = deadline.kind
    finding.deadline_months = deadline.months
    finding.deadline_date = deadline.resolve(finding.inspection.published_on)


def _validate(finding: Finding, errors: dict[str, list[str]]) -> None:
    if not (finding.text or "").strip():
        errors.setdefault("text", []).append("Enter the text of the finding")
    parent = finding.parent
    if parent is not None:
        if finding.kind != FindingKind.RECOMMENDATION:
            errors.setdefault("parent", []).append(
                "Only a recommendation can belong to a cause of concern"
            )
        elif parent.kind not in CONCERN_KINDS:
            errors.setdefault("parent", []).append("Choose a cause of concern")
        elif parent.inspection_id != finding.inspection_id:
            errors.setdefault("parent", []).append(
                "Choose a cause of concern from the same inspection"
            )
    area = finding.question_area
    inspection = finding.inspection
    if (
        area is not None
        and inspection.programme_id
        and area.framework_id != inspection.programme_id
    ):
        errors.setdefault("question_area", []).append(
            f"Choose a question area of {inspection.programme}"
        )
    if finding.state == FindingState.PUBLISHED and inspection.state != InspectionState.PUBLISHED:
        errors.setdefault("state", []).append(
            "A finding can be published only once its inspection is published"
        )
    try:
        finding.full_clean(exclude=["inspection", "parent", "question_area", *M2M_FIELDS])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)


def _sync_responses(finding: Finding, addressees: list[Organisation], *, actor) -> None:
    """One response per addressed organisation: add the missing, remove the untouched extras."""
    existing = {r.organisation_id: r for r in finding.responses.all()}
    wanted = {org.pk for org in addressees}
    for response in existing.values():
        if response.organisation_id in wanted:
            continue
        if (
            response.state != ResponseState.AWAITING_ALLOCATION
            or response.owner_id
            or response.tactical_lead_id
            or response.governance_board_id
        ):
            raise ValidationError(
                {
                    "addressees": [
                        f"{response.organisation} cannot be removed: its response has progress"
                    ]
                }
            )
        before = snapshot(response)
        response.delete()
        record_delete(response, before, actor=actor)
    new = [
        Response(finding=finding, organisation_id=org_id, target_date=finding.deadline_date)
        for org_id in wanted - existing.keys()
    ]
    for response in Response.objects.bulk_create(new):
        record_create(response, actor=actor)


@transaction.atomic
def create_finding(
    *,
    actor,
    inspection: Inspection,
    addressees: Iterable[Organisation] = (),
    themes: Iterable = (),
    **data: Any,
) -> Finding:
    """Create a finding and fan it out: one response per addressed organisation."""
    addressees = list(addressees)
    if not _may_track_own(actor, inspection, addressees):
        _require_editor(actor)
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise ValueError(f"Not fields of a finding: {', '.join(sorted(unknown))}")
    finding = Finding(inspection=inspection, **data)
    errors: dict[str, list[str]] = {}
    _apply_deadline(finding, errors)
    orgs, addressee_errors = _addressees_for(finding.addressee_scope, addressees)
    errors.update(addressee_errors)
    _validate(finding, errors)
    if errors:
        raise ValidationError(errors)
    if not finding.sequence:
        last = inspection.findings.order_by("-sequence").values_list("sequence", flat=True).first()
        finding.sequence = (last or 0) + 1
    finding.save()
    finding.addressees.set(orgs)
    finding.themes.set(list(themes))
    record_create(finding, actor=actor, m2m=M2M_FIELDS)
    _sync_responses(finding, orgs, actor=actor)
    return finding


@transaction.atomic
def update_finding(finding: Finding, *, actor, **changes: Any) -> Finding:
    """Change a finding; the responses follow its addressees and its deadline."""
    _require_editor(actor)
    finding = Finding.objects.select_for_update().select_related("inspection").get(pk=finding.pk)
    before = snapshot(finding, M2M_FIELDS)
    addressees = changes.pop("addressees", None)
    themes = changes.pop("themes", None)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"Not fields of a finding: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(finding, name, value)
    errors: dict[str, list[str]] = {}
    _apply_deadline(finding, errors)
    if addressees is None and finding.addressee_scope != before["addressee_scope"]:
        addressees = []
    orgs, addressee_errors = _addressees_for(
        finding.addressee_scope,
        finding.addressees.all() if addressees is None else addressees,
    )
    errors.update(addressee_errors)
    _validate(finding, errors)
    if errors:
        raise ValidationError(errors)
    finding.save()
    finding.addressees.set(orgs)
    if themes is not None:
        finding.themes.set(list(themes))
    record_update(finding, before, actor=actor, m2m=M2M_FIELDS)
    _sync_responses(finding, orgs, actor=actor)
    if before["deadline_date"] != snapshot(finding)["deadline_date"]:
        _follow_deadline(finding, before["deadline_date"], actor=actor)
    return finding


def _follow_deadline(finding: Finding, old_iso: str | None, *, actor) -> None:
    """Move responses' target dates with the deadline, unless the organisation set its own."""
    for response in finding.responses.select_for_update():
        current = response.target_date.isoformat() if response.target_date else None
        if current == old_iso and response.target_date != finding.deadline_date:
            before = snapshot(response)
            response.target_date = finding.deadline_date
            response.version += 1
            response.save(update_fields=["target_date", "version", "updated_at"])
            record_update(response, before, actor=actor, note="Deadline of the finding changed")


@transaction.atomic
def resolve_deadlines_for_inspection(inspection: Inspection, *, actor) -> None:
    """Re-resolve deadlines counted from publication after the publication date changes."""
    for finding in inspection.findings.select_for_update():
        finding.inspection = inspection
        before = snapshot(finding)
        old_date = before["deadline_date"]
        finding.deadline_date = parse_deadline(finding.deadline_text).resolve(
            inspection.published_on
        )
        if snapshot(finding)["deadline_date"] != old_date:
            finding.save(update_fields=["deadline_date", "updated_at"])
            record_update(finding, before, actor=actor, note="Publication date changed")
            _follow_deadline(finding, old_date, actor=actor)


@transaction.atomic
def delete_finding(finding: Finding, *, actor) -> None:
    """Delete a draft finding and its untouched responses. Published findings are kept."""
    _require_editor(actor)
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.state != FindingState.DRAFT:
        raise ValidationError({"state": ["Only a draft finding can be deleted"]})
    if finding.children.exists():
        raise ValidationError({"parent": ["Delete or move its recommendations first"]})
    _sync_responses(finding, [], actor=actor)
    before = snapshot(finding, M2M_FIELDS)
    finding.themes.clear()
    finding.addressees.clear()
    finding_copy = Finding(
        pk=finding.pk, reference=finding.reference, text=finding.text, kind=finding.kind
    )
    finding.delete()
    record_delete(finding_copy, before, actor=actor)
