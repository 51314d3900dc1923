"""Writing the audit trail. Service functions call these inside their own transaction."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models

from recreg.audit import chain
from recreg.audit.models import AuditAction, AuditEvent

Snapshot = dict[str, Any]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model, m2m: Iterable[str] = ()) -> Snapshot:
    """The record's field values as JSON-ready data (foreign keys as ids, many-to-many as sorted
    id lists for the named fields)."""
    data: Snapshot = {}
    for field in instance._meta.concrete_fields:
        if field.name in {"created_at", "updated_at", "password", "key_hash"}:
            continue
        data[field.attname if field.is_relation else field.name] = _plain(
            getattr(instance, field.attname)
        )
    for name in m2m:
        data[name] = sorted(
            instance.pk and getattr(instance, name).values_list("pk", flat=True) or []
        )
    return data


def diff(before: Snapshot, after: Snapshot) -> dict[str, list[Any]]:
    """Fields whose value differs, as {field: [old, new]}."""
    keys = dict.fromkeys([*before, *after])
    return {
        key: [before.get(key), after.get(key)] for key in keys if before.get(key) != after.get(key)
    }


def _actor_label(actor) -> str:
    if actor is None:
        return "system"
    return f"{actor.full_name} <{actor.email}>" if getattr(actor, "email", None) else str(actor)


def record_event(
    *,
    actor,
    action: str,
    instance: models.Model,
    changes: dict[str, list[Any]],
    note: str = "",
) -> AuditEvent:
    """Write one audit event for this record, chained to the one before it."""
    return chain.append(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=_actor_label(actor),
        action=action,
        model=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        changes=changes,
        note=note[:300],
    )


def record_create(instance: models.Model, *, actor, m2m: Iterable[str] = (), note: str = ""):
    """Audit the creation of a record: every field, from nothing."""
    return record_event(
        actor=actor,
        action=AuditAction.CREATE,
        instance=instance,
        changes=diff({}, snapshot(instance, m2m)),
        note=note,
    )


def record_update(
    instance: models.Model, before: Snapshot, *, actor, m2m: Iterable[str] = (), note: str = ""
):
    """Audit a change against the snapshot taken before it; nothing is written if nothing
    changed."""
    changes = diff(before, snapshot(instance, m2m))
    if not changes:
        return None
    return record_event(
        actor=actor, action=AuditAction.UPDATE, instance=instance, changes=changes, note=note
    )


def record_delete(instance: models.Model, before: Snapshot, *, actor, note: str = ""):
    """Audit a deletion: every field, to nothing."""
    return record_event(
        actor=actor,
        action=AuditAction.DELETE,
        instance=instance,
        changes=diff(before, {}),
        note=note,
    )
