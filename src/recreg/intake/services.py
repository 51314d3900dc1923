"""Every change the intake app makes goes through these functions, each in one transaction
with its audit events. Findings themselves are created by recreg.findings.services, which
validates them and fans them out."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from recreg.audit.services import record_create, record_update, snapshot
from recreg.findings.deadlines import DeadlineError, parse_deadline
from recreg.findings.models import AddresseeScope, Finding, FindingKind, FindingState
from recreg.findings.services import create_finding
from recreg.frameworks.models import QuestionArea
from recreg.inspections.models import InspectionState
from recreg.intake.access import can_upload, get_batch_for_user, keeps_own_tracking, own_force
from recreg.intake.extract import ExtractionError, extract
from recreg.intake.extract.common import normalise
from recreg.intake.models import BatchState, ImportBatch
from recreg.organisations.models import Organisation, OrganisationKind

KINDS = {choice.value for choice in FindingKind}
SCOPES = {choice.value for choice in AddresseeScope}


class BatchError(ValidationError):
    """Rows of a batch that cannot be confirmed: {row index: {field: [messages]}}."""

    def __init__(self, rows: dict[int, dict[str, list[str]]], general: list[str] | None = None):
        self.rows = rows
        self.general = general or []
        messages = list(self.general) + [
            f"Item {index + 1}: {message}"
            for index, fields in sorted(rows.items())
            for messages in fields.values()
            for message in messages
        ]
        super().__init__(messages or ["The import cannot be confirmed"])


def _organisation_index(kinds) -> dict[str, Organisation]:
    index: dict[str, Organisation] = {}
    for org in Organisation.objects.filter(kind__in=kinds):
        for name in (org.name, org.short_name, org.slug):
            if name:
                index.setdefault(normalise(name), org)
    return index


def resolve_organisations(names: str, kinds) -> tuple[list[Organisation], list[str]]:
    """Organisations named in a comma- or semicolon-separated list, and the names not found."""
    index = _organisation_index(kinds)
    found, missing = [], []
    for raw in names.replace(";", ",").split(","):
        name = raw.strip()
        if not name:
            continue
        key = normalise(name)
        org = index.get(key) or next(
            (o for k, o in index.items() if key and (key in k or k in key) and len(key) > 3), None
        )
        if org is None:
            missing.append(name)
        elif org not in found:
            found.append(org)
    return found, missing


def _guess_area(inspection, heading: str | None) -> int | None:
    """The programme's question area whose name best matches the heading, if any does."""
    if not heading or not inspection.programme_id:
        return None
    wanted = set(normalise(heading).split()) - {"the", "and", "of", "to", "how", "is", "at", "in"}
    best, best_score = None, 0.0
    for area in QuestionArea.objects.filter(framework_id=inspection.programme_id):
        words = set(normalise(area.name).split()) - {"the", "and", "of", "to"}
        if not words:
            continue
        score = len(words & wanted) / len(words)
        if score > best_score:
            best, best_score = area.pk, score
    return best if best_score >= 0.6 else None


def _item_from_extraction(found: dict, inspection, force_override) -> dict:
    addressee = found.get("addressee") or {"type": "force"}
    if force_override is not None:
        scope, names = AddresseeScope.FORCES, force_override.name
    elif addressee["type"] in ("all_forces", "chief_constables"):
        scope, names = AddresseeScope.ALL_FORCES, ""
    elif addressee["type"] == "national_body":
        scope = AddresseeScope.NATIONAL_BODY
        names = ", ".join(addressee.get("names") or [addressee.get("name") or ""])
    else:
        scope = AddresseeScope.FORCES
        named = addressee.get("name")
        names = named or ", ".join(f.name for f in inspection.forces_in_scope.all())
    deadline = found.get("deadline")
    return {
        "kind": found["kind"],
        "reference": found.get("reference") or "",
        "text": found["text"],
        "addressee_scope": scope,
        "addressees": names,
        "deadline_text": (deadline or {}).get("text", ""),
        "area": found.get("area") or "",
        "question_area": _guess_area(inspection, found.get("area")),
        "source": found.get("source") or {},
        "parent": found.get("parent"),
        "include": True,
        "existing": None,
    }


def _mark_existing(items: list[dict], inspection) -> None:
    """Mark the items whose text is already a finding of this inspection."""
    present = {
        normalise(text): pk
        for pk, text in Finding.objects.filter(inspection=inspection).values_list("pk", "text")
    }
    for item in items:
        item["existing"] = present.get(normalise(item.get("text", "")))
        if item["existing"]:
            item["include"] = False


@transaction.atomic
def create_batch(*, actor, inspection, filename: str, data: bytes) -> ImportBatch:
    """Read an uploaded report and keep what it finds for review; nothing enters the register."""
    if not can_upload(actor, inspection):
        raise PermissionError("You cannot import findings for this inspection")
    try:
        result = extract(data, filename, published=inspection.published_on)
    except ExtractionError as exc:
        raise ValidationError({"file": [str(exc)]}) from None
    force_override = own_force(actor) if keeps_own_tracking(actor) else None
    if force_override is not None:
        # Own tracking: only the findings for the importer's own force, or for every force.
        result.findings = [
            f for f in result.findings if (f.get("addressee") or {}).get("type") != "national_body"
        ]
    items = [_item_from_extraction(f, inspection, force_override) for f in result.findings]
    _mark_existing(items, inspection)
    organisation = actor.organisation
    batch = ImportBatch.objects.create(
        inspection=inspection,
        organisation=organisation,
        created_by=actor,
        filename=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        format=result.format,
        pages=result.pages,
        items=items,
        grades=result.grades,
        warnings=result.warnings,
    )
    record_create(batch, actor=actor, note=f"{len(items)} findings extracted from {filename}"[:300])
    return batch


def _check_item(item: dict, inspection, own) -> tuple[dict[str, list[str]], dict[str, Any]]:
    """Problems with one item, and what create_finding needs for it."""
    errors: dict[str, list[str]] = {}
    kind = item.get("kind")
    if kind not in KINDS:
        errors["kind"] = ["Choose the kind of finding"]
    text = (item.get("text") or "").strip()
    if not text:
        errors["text"] = ["Enter the text of the finding"]
    try:
        parse_deadline(item.get("deadline_text") or "")
    except DeadlineError as exc:
        errors["deadline_text"] = [str(exc)]
    scope = item.get("addressee_scope")
    addressees: list[Organisation] = []
    if own is not None:
        scope, addressees = AddresseeScope.FORCES, [own]
    elif scope not in SCOPES:
        errors["addressee_scope"] = ["Choose who the finding is addressed to"]
    elif scope != AddresseeScope.ALL_FORCES:
        kinds = (
            [OrganisationKind.FORCE]
            if scope == AddresseeScope.FORCES
            else [OrganisationKind.NATIONAL_BODY]
        )
        addressees, missing = resolve_organisations(item.get("addressees") or "", kinds)
        what = "police force" if scope == AddresseeScope.FORCES else "national body"
        if missing:
            errors["addressees"] = [f"No {what} is called ‘{name}’" for name in missing]
        elif not addressees:
            errors["addressees"] = [f"Enter the {what} the finding is addressed to"]
    area = None
    area_id = item.get("question_area")
    if area_id:
        area = QuestionArea.objects.filter(pk=area_id).first()
        if area is None or (
            inspection.programme_id and area.framework_id != inspection.programme_id
        ):
            errors["question_area"] = [f"Choose a question area of {inspection.programme}"]
    data = {
        "kind": kind,
        "reference": (item.get("reference") or "").strip()[:60],
        "text": text,
        "addressee_scope": scope,
        "addressees": addressees,
        "deadline_text": (item.get("deadline_text") or "").strip(),
        "question_area": area,
    }
    return errors, data


def check_items(batch: ImportBatch, items: list[dict], *, actor) -> dict[int, dict[str, list[str]]]:
    """Every problem with the items to be created, by row; empty if all can be created."""
    own = own_force(actor) if keeps_own_tracking(actor) else None
    problems = {}
    for index, item in enumerate(items):
        if item.get("include") and not item.get("existing"):
            errors, _ = _check_item(item, batch.inspection, own)
            if errors:
                problems[index] = errors
    return problems


def _editable(batch: ImportBatch, actor) -> ImportBatch:
    batch_for_user, can_change = get_batch_for_user(actor, batch.pk)
    if not can_change:
        raise PermissionError("You cannot change this import")
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.state != BatchState.REVIEW:
        raise ValidationError(f"This import has already been {batch.get_state_display().lower()}")
    return batch


@transaction.atomic
def save_batch_items(batch: ImportBatch, items: list[dict], *, actor) -> ImportBatch:
    """Keep the reviewer's edits to the items, without creating anything."""
    batch = _editable(batch, actor)
    before = snapshot(batch)
    batch.items = items
    batch.save(update_fields=["items"])
    record_update(batch, before, actor=actor, note="Items edited in review")
    return batch


@transaction.atomic
def confirm_batch(batch: ImportBatch, items: list[dict], *, actor) -> list[Finding]:
    """Create every included item as a finding, all in one transaction or none at all.

    Items already in the register (same inspection, same text once normalised) are skipped,
    so importing a document twice adds nothing twice."""
    batch = _editable(batch, actor)
    inspection = batch.inspection
    own = own_force(actor) if keeps_own_tracking(actor) else None
    _mark_existing_keep_choice(items, inspection)
    problems: dict[int, dict[str, list[str]]] = {}
    prepared: dict[int, dict[str, Any]] = {}
    for index, item in enumerate(items):
        if not item.get("include") or item.get("existing"):
            continue
        errors, data = _check_item(item, inspection, own)
        if errors:
            problems[index] = errors
        prepared[index] = data
    if problems:
        raise BatchError(problems)
    if own is None:
        state = FindingState.DRAFT
    elif inspection.state == InspectionState.PUBLISHED:
        # A report another inspectorate has published: the force tracks it as published. The
        # public register rule keeps it out of the public view (the lead is not the police
        # inspectorate).
        state = FindingState.PUBLISHED
    else:
        state = FindingState.FACT_CHECK
    created: dict[int, Finding] = {}
    for index, data in prepared.items():
        parent_index = items[index].get("parent")
        parent = created.get(parent_index) if isinstance(parent_index, int) else None
        if parent is None and isinstance(parent_index, int) and 0 <= parent_index < len(items):
            existing = items[parent_index].get("existing")
            parent = Finding.objects.filter(pk=existing).first() if existing else None
        if data["kind"] != FindingKind.RECOMMENDATION:
            parent = None
        addressees = data.pop("addressees")
        try:
            created[index] = create_finding(
                actor=actor,
                inspection=inspection,
                addressees=addressees,
                parent=parent,
                state=state,
                **data,
            )
        except PermissionError:
            raise BatchError(
                {},
                [
                    "The register does not yet let your organisation add findings to its own "
                    "tracking; an inspectorate editor can import this report instead"
                ],
            ) from None
        except ValidationError as exc:
            problems[index] = (
                exc.message_dict if hasattr(exc, "error_dict") else {"text": exc.messages}
            )
    if problems:
        raise BatchError(problems)
    before = snapshot(batch)
    for index, finding in created.items():
        items[index]["created"] = finding.pk
    batch.items = items
    batch.state = BatchState.CONFIRMED
    batch.confirmed_at = timezone.now()
    batch.confirmed_by = actor
    batch.save(update_fields=["items", "state", "confirmed_at", "confirmed_by"])
    record_update(batch, before, actor=actor, note=f"{len(created)} findings created")
    return list(created.values())


def _mark_existing_keep_choice(items: list[dict], inspection) -> None:
    """Re-check, at confirmation, which items the register already holds."""
    present = {
        normalise(text): pk
        for pk, text in Finding.objects.filter(inspection=inspection).values_list("pk", "text")
    }
    for item in items:
        item["existing"] = present.get(normalise(item.get("text", "")))


@transaction.atomic
def discard_batch(batch: ImportBatch, *, actor) -> ImportBatch:
    """Drop an import without creating anything."""
    batch = _editable(batch, actor)
    before = snapshot(batch)
    batch.state = BatchState.DISCARDED
    batch.save(update_fields=["state"])
    record_update(batch, before, actor=actor, note="Import discarded")
    return batch
