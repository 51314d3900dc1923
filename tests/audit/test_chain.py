"""The audit trail's hash chain: intact trails pass, any altered or removed event is named."""

from __future__ import annotations

import io
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from recreg.audit import chain
from recreg.audit.models import AuditChainHead, AuditEvent
from recreg.audit.services import record_create
from tests.engines import postgres_only
from tests.factories import ForceFactory


def _verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def _events(n: int) -> list[AuditEvent]:
    # Organisations are audited on creation by the factories' services or not at all, so
    # write the events here directly through the audit service.
    org = ForceFactory()
    return [record_create(org, actor=None, note=f"event {i}") for i in range(n)]


def _assert_the_chain_holds_every_event() -> None:
    result = chain.verify()
    assert result.ok, result.broken
    assert result.head_seq == AuditEvent.objects.count()


def _raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_a_clean_chain_passes_and_links_each_event_to_the_one_before():
    events = _events(5)
    ordered = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in ordered] == list(range(1, len(ordered) + 1))
    for before, after in zip(ordered, ordered[1:], strict=False):
        assert after.prev_hash == before.hash
    assert "intact" in _verify()
    head = AuditChainHead.objects.get()
    assert (head.seq, head.hash) == (ordered[-1].seq, events[-1].hash)


@pytest.mark.django_db
def test_a_row_altered_in_the_database_is_named():
    events = _events(4)
    target = events[1]
    _raw("UPDATE audit_auditevent SET note = %s WHERE id = %s", ["nothing to see", target.pk])
    with pytest.raises(CommandError) as caught:
        _verify()
    message = str(caught.value)
    assert f"event {target.pk} (seq {target.seq})" in message
    assert "does not match its hash" in message


@pytest.mark.django_db
def test_an_altered_change_record_is_named():
    events = _events(3)
    _raw(
        "UPDATE audit_auditevent SET changes = %s WHERE id = %s",
        ['{"name": [null, "Someone Else"]}', events[0].pk],
    )
    result = chain.verify()
    assert not result.ok
    assert result.broken.event_id == events[0].pk


@pytest.mark.django_db
def test_a_rewritten_hash_breaks_the_next_link():
    events = _events(3)
    forged = {name: getattr(events[0], name) for name in chain.CONTENT_FIELDS}
    forged["note"] = "forged"
    _raw(
        "UPDATE audit_auditevent SET note = %s, hash = %s WHERE id = %s",
        ["forged", chain.event_hash(forged), events[0].pk],
    )
    result = chain.verify()
    assert result.broken.event_id == events[1].pk
    assert "previous-event hash" in result.broken.problem


@pytest.mark.django_db
def test_a_deleted_row_is_named():
    events = _events(4)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    with pytest.raises(CommandError) as caught:
        _verify()
    assert f"seq {events[1].seq} are missing" in str(caught.value)
    assert f"event {events[2].pk}" in str(caught.value)


@pytest.mark.django_db
def test_removing_the_last_events_is_seen_from_the_chain_head():
    events = _events(3)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])
    result = chain.verify()
    assert "events at the end were removed" in result.broken.problem


@pytest.mark.django_db
def test_an_anchor_catches_a_wholly_rewritten_trail():
    events = _events(2)
    out = _verify()
    anchor = out.strip().splitlines()[-1].split(": ", 1)[1]
    call_command("audit", "verify", "--anchor", anchor, stdout=io.StringIO())
    seq = events[-1].seq
    with pytest.raises(CommandError, match="anchor"):
        call_command("audit", "verify", "--anchor", f"{seq}:{'a' * 64}", stdout=io.StringIO())


@pytest.mark.django_db
def test_the_hash_is_the_same_for_values_read_back_from_the_database():
    org = ForceFactory()
    event = record_create(org, actor=None)
    again = AuditEvent.objects.get(pk=event.pk)
    assert chain.event_hash({n: getattr(again, n) for n in chain.CONTENT_FIELDS}) == event.hash


# On SQLite the same is shown through the real server by tests/faults (the test database here
# is in memory, where threads cannot wait for each other's locks).
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_each_get_their_own_place_in_the_chain():
    org = ForceFactory()
    errors: list[BaseException] = []
    per_thread, threads = 15, 6

    def write():
        try:
            for i in range(per_thread):
                with transaction.atomic():
                    record_create(org, actor=None, note=f"{threading.get_ident()} {i}")
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=write) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert AuditEvent.objects.filter(note__contains=" ").count() == per_thread * threads
    _assert_the_chain_holds_every_event()


@postgres_only
@pytest.mark.django_db
def test_one_transaction_appends_each_event_without_reading_the_head_again():
    # Reading the head row by its key walks every version this transaction wrote of it: an
    # import of n rows took time in n². After the first event, an append is one update of
    # the head where this connection last wrote it, and the event's insert.
    org = ForceFactory()
    record_create(org, actor=None, note="first")
    with CaptureQueriesContext(connection) as queries:
        for i in range(20):
            record_create(org, actor=None, note=f"then {i}")
    assert len(queries) == 40
    assert not [q for q in queries if "FOR UPDATE" in q["sql"]]
    _assert_the_chain_holds_every_event()


@postgres_only
@pytest.mark.django_db
def test_the_chain_holds_when_the_head_changed_behind_this_connection():
    org = ForceFactory()
    record_create(org, actor=None, note="before")
    # Another writer (or a restored backup) leaves a new version of the head row.
    _raw("UPDATE audit_auditchainhead SET seq = seq WHERE id = 1", [])
    record_create(org, actor=None, note="after")
    # A rolled-back savepoint takes its version of the head with it.
    with pytest.raises(RuntimeError), transaction.atomic():
        record_create(org, actor=None, note="undone")
        raise RuntimeError
    record_create(org, actor=None, note="next")
    # The head at the place this connection last wrote it, but not with the values it
    # believes (as after VACUUM FULL rewrote the table): it must not append after them.
    ctid, seq, _hash = chain._written_heads[connections["default"]]
    chain._written_heads[connections["default"]] = (ctid, seq - 1, "f" * 64)
    record_create(org, actor=None, note="last")
    notes = list(AuditEvent.objects.order_by("seq").values_list("note", flat=True))
    assert notes[-4:] == ["before", "after", "next", "last"]
    _assert_the_chain_holds_every_event()
