"""The audit trail in words, for a record's History section.

Events store foreign keys as ids and choices as their stored values, so this turns them back
into names and labels, looking up each related model once for the whole trail.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format

from recreg.audit.models import AuditAction, AuditEvent

# Bookkeeping that says nothing to a reader.
HIDDEN_FIELDS = {"id", "version", "sequence", "deadline_kind", "deadline_months"}
BLANK = "(blank)"
# Where a field's own name reads badly on its own.
LABELS = {"rag": "RAG rating", "state_changed_at": "State changed", "deadline_text": "Deadline"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    at: datetime.datetime
    who: str
    action: str
    action_label: str
    note: str
    changes: list[Change] = field(default_factory=list)


def _fields_by_key(model: type[models.Model]) -> dict[str, models.Field]:
    # Snapshots key foreign keys by attname ("owner_id") and many-to-many fields by name.
    fields: dict[str, models.Field] = {}
    for f in model._meta.get_fields():
        if f.is_relation and f.auto_created:
            continue
        if f.many_to_many:
            fields[f.name] = f
        elif getattr(f, "attname", None):
            fields[f.attname] = f
    return fields


def _who(event: AuditEvent) -> str:
    # The label is "Full Name <email>"; the name is what a reader needs.
    label = event.actor_label or "system"
    return label.split(" <", 1)[0]


def _plain_value(f: models.Field | None, value: Any, names: dict) -> str:
    if value is None or value == "" or value == []:
        return BLANK
    if f is None:
        return str(value)
    if f.is_relation:
        related = f.related_model
        ids = value if isinstance(value, list) else [value]
        return ", ".join(names.get((related, pk), f"#{pk}") for pk in ids)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return "Yes" if value else "No"
    if isinstance(f, models.DateTimeField):
        parsed = parse_datetime(str(value))
        if parsed is None:
            return str(value)
        return date_format(timezone.localtime(parsed), "j M Y, H:i")
    if isinstance(f, models.DateField):
        parsed_date = parse_date(str(value))
        return date_format(parsed_date, "j M Y") if parsed_date else str(value)
    return str(value)


def _label(f: models.Field | None, key: str) -> str:
    if key in LABELS:
        return LABELS[key]
    if f is None:
        return key.replace("_", " ").capitalize()
    return str(f.verbose_name)[:1].upper() + str(f.verbose_name)[1:]


def history_for(events) -> list[HistoryEntry]:
    """The events as entries a template can show, newest first."""
    events = sorted(events, key=lambda e: (e.at, e.pk))
    wanted: dict[type[models.Model], set] = defaultdict(set)
    parsed = []
    for event in events:
        try:
            model = apps.get_model(event.model)
        except (LookupError, ValueError):
            model = None
        fields = _fields_by_key(model) if model else {}
        parsed.append((event, fields))
        for key, pair in (event.changes or {}).items():
            f = fields.get(key)
            if f is None or not f.is_relation:
                continue
            for value in pair:
                for pk in value if isinstance(value, list) else [value]:
                    if pk is not None:
                        wanted[f.related_model].add(pk)
    names = {}
    for related, ids in wanted.items():
        for obj in related._default_manager.filter(pk__in=ids):
            names[(related, obj.pk)] = str(obj)
    entries = []
    for event, fields in parsed:
        entry = HistoryEntry(
            at=event.at,
            who=_who(event),
            action=event.action,
            action_label=AuditAction(event.action).label,
            note=event.note,
        )
        for key, (old, new) in (event.changes or {}).items():
            if key in HIDDEN_FIELDS:
                continue
            f = fields.get(key)
            if event.action == AuditAction.CREATE and new in (None, "", []):
                continue
            entry.changes.append(
                Change(
                    label=_label(f, key),
                    old=_plain_value(f, old, names),
                    new=_plain_value(f, new, names),
                )
            )
        entries.append(entry)
    entries.reverse()
    return entries


def history_of(instance: models.Model) -> list[HistoryEntry]:
    """The history of one record, newest first."""
    return history_for(AuditEvent.objects.for_object(instance))
