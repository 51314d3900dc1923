"""The audit trail's hash chain: each event's hash covers its place in the trail, the hash of the
event before it and its content, so changing, removing or reordering any event breaks the chain
from that point on.

The hash is computed from values as the database gives them back, in one canonical JSON form,
so it is the same on SQLite and PostgreSQL and survives a backup restored on the other engine.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction

GENESIS = "0" * 64
# The fields a hash covers, in the order they are read for verification.
CONTENT_FIELDS = (
    "seq",
    "prev_hash",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "model",
    "object_id",
    "object_repr",
    "changes",
    "note",
)
VERIFY_BATCH = 5000


def _normalise(value: Any) -> Any:
    # PostgreSQL's jsonb gives 2.0 back as 2.0 but 1e20 back as an integer; a float with no
    # fraction is hashed as the integer it equals, so both engines agree.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(k): _normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normalise(v) for v in value]
    return value


def _when(at: datetime.datetime | str) -> str:
    if isinstance(at, str):
        at = datetime.datetime.fromisoformat(at)
    return at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(fields: Mapping[str, Any]) -> bytes:
    """The bytes an event's hash is computed over."""
    changes = fields["changes"]
    if isinstance(changes, str):
        changes = json.loads(changes)
    content = {
        "seq": int(fields["seq"]),
        "prev_hash": fields["prev_hash"],
        "at": _when(fields["at"]),
        "actor_id": fields["actor_id"],
        "actor_label": fields["actor_label"],
        "action": fields["action"],
        "model": fields["model"],
        "object_id": str(fields["object_id"]),
        "object_repr": fields["object_repr"],
        # A round trip through JSON gives the shape the database stores (tuples become lists).
        "changes": _normalise(json.loads(json.dumps(changes))),
        "note": fields["note"],
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def event_hash(fields: Mapping[str, Any]) -> str:
    """The SHA-256 of an event's canonical form, in hex."""
    return hashlib.sha256(canonical(fields)).hexdigest()


def _locked_head():
    from recreg.audit.models import AuditChainHead, AuditEvent

    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    # No head yet (a new or flushed database): start it from the last event there is.
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"seq": last[0] if last else 0, "hash": last[1] if last else ""}
    )
    return head


def append(**fields: Any):
    """Write one event at the end of the chain.

    The chain head is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
    transactions already let one writer in at a time) until the caller's transaction ends, so
    concurrent writers take their turns and never share a place in the chain.
    """
    # No savepoint: a failed insert spoils the caller's transaction anyway, and two fewer
    # statements per event keep audited writes quick.
    with transaction.atomic(savepoint=False):
        connection = transaction.get_connection()
        if connection.vendor == "postgresql":
            return _append_postgresql(connection, fields)
        from recreg.audit.models import AuditChainHead

        head = _locked_head()
        event = _new_event(fields, head.seq, head.hash)
        event.save()
        AuditChainHead.objects.filter(pk=head.pk).update(seq=event.seq, hash=event.hash)
    return event


def _new_event(fields: Mapping[str, Any], head_seq: int, head_hash: str):
    from recreg.audit.models import AuditEvent

    event = AuditEvent(**fields, seq=head_seq + 1, prev_hash=head_hash or GENESIS)
    event.hash = event_hash(_fields_of(event))
    return event


# The head row's version this connection last wrote: (connection) -> (ctid, seq, hash).
_written_heads: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _append_postgresql(connection, fields: Mapping[str, Any]):
    """append() on PostgreSQL, where one transaction may append thousands of events.

    Every update of the head row adds a version of it that no one can prune until the
    transaction ends, and finding the row by its key walks all of them: a transaction that
    appends n events took time in n² (an import, or the demo in its tests' transaction). So
    the head is updated at the physical place of the version this connection wrote last
    (its ctid), which reads no other version. If that version is no longer the current one
    (another writer since, a rolled-back savepoint, a restored backup), nothing matches and
    the head is locked and read by its key, as on SQLite.
    """
    from recreg.audit.models import AuditChainHead

    table = connection.ops.quote_name(AuditChainHead._meta.db_table)
    written = _written_heads.get(connection)
    row = None
    with connection.cursor() as cursor:
        if written is not None:
            ctid, seq, head_hash = written
            event = _new_event(fields, seq, head_hash)
            # Updating the row locks it, and it matches only if the head is still what this
            # connection wrote (its values too: a table rewritten by VACUUM FULL can put
            # another version at the same place), so the event's place in the chain is right.
            cursor.execute(
                f"UPDATE {table} SET seq = %s, hash = %s "  # noqa: S608 - the model's table
                "WHERE ctid = %s::tid AND id = 1 AND seq = %s AND hash = %s RETURNING ctid::text",
                [event.seq, event.hash, ctid, seq, head_hash],
            )
            row = cursor.fetchone()
        if row is None:
            head = _locked_head()
            event = _new_event(fields, head.seq, head.hash)
            cursor.execute(
                f"UPDATE {table} SET seq = %s, hash = %s WHERE id = %s RETURNING ctid::text",  # noqa: S608 - the model's table
                [event.seq, event.hash, head.pk],
            )
            row = cursor.fetchone()
    event.save()
    _written_heads[connection] = (row[0], event.seq, event.hash)
    return event


def _fields_of(event) -> dict[str, Any]:
    return {name: getattr(event, name) for name in CONTENT_FIELDS}


@dataclass
class Break:
    """The first place the chain does not hold."""

    event_id: int | None
    seq: int
    problem: str

    def __str__(self) -> str:
        where = f"event {self.event_id} (seq {self.seq})" if self.event_id else f"seq {self.seq}"
        return f"{where}: {self.problem}"


@dataclass
class VerifyResult:
    checked: int
    head_seq: int
    head_hash: str
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _rows(using: str) -> Iterator[tuple]:
    # Keyset pages by seq: memory stays flat at any length, and no cursor is held open against
    # writers for the whole run.
    from recreg.audit.models import AuditEvent

    last = 0
    columns = ("id", *CONTENT_FIELDS, "hash")
    while True:
        page = list(
            AuditEvent.objects.using(using)
            .filter(seq__gt=last)
            .order_by("seq")
            .values_list(*columns)[:VERIFY_BATCH]
        )
        if not page:
            return
        yield from page
        last = page[-1][1]


def _problem(fields: dict[str, Any], stored: str, expected_seq: int, prev: str) -> str | None:
    seq = fields["seq"]
    if seq != expected_seq:
        if seq < expected_seq:
            return f"seq {seq} is out of order (expected {expected_seq})"
        missing = f"{expected_seq}" if seq == expected_seq + 1 else f"{expected_seq}–{seq - 1}"
        return f"the events at seq {missing} are missing (removed from the trail)"
    if fields["prev_hash"] != prev:
        return (
            f"its previous-event hash {fields['prev_hash'][:12]}… does not match the hash of "
            f"the event before it ({prev[:12]}…): an event before it was removed or rewritten"
        )
    actual = event_hash(fields)
    if actual != stored:
        return (
            f"its content does not match its hash (stored {stored[:12]}…, content hashes to "
            f"{actual[:12]}…): the event was altered after it was written"
        )
    return None


def verify(using: str = "default", anchors: Mapping[int, str] | None = None) -> VerifyResult:
    """Check the whole chain; stops at the first broken link."""
    from recreg.audit.models import AuditChainHead

    anchors = dict(anchors or {})
    expected_seq, prev, checked = 1, GENESIS, 0
    for row in _rows(using):
        event_id, stored = row[0], row[-1]
        fields = dict(zip(CONTENT_FIELDS, row[1:-1], strict=True))
        seq = fields["seq"]
        problem = _problem(fields, stored, expected_seq, prev)
        if problem is None and seq in anchors and anchors.pop(seq) != stored:
            problem = "its hash differs from the recorded anchor: the trail was rewritten"
        if problem is not None:
            return VerifyResult(checked, seq, prev, Break(event_id, seq, problem))
        prev, expected_seq, checked = stored, expected_seq + 1, checked + 1
    last_seq = expected_seq - 1
    if anchors:
        return VerifyResult(
            checked,
            last_seq,
            prev,
            Break(None, min(anchors), "an anchored event is not in the trail"),
        )
    head = AuditChainHead.objects.using(using).filter(pk=1).values_list("seq", "hash").first()
    if head is not None and (head[0], head[1] or GENESIS) != (last_seq, prev):
        if head[0] > last_seq:
            problem = (
                f"the trail ends at seq {last_seq} but the chain head records seq {head[0]}: "
                "events at the end were removed"
            )
        else:
            problem = "the chain head does not match the last event"
        return VerifyResult(checked, last_seq, prev, Break(None, last_seq + 1, problem))
    return VerifyResult(checked, last_seq, prev, None)
