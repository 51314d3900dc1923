"""Chain the events written before the trail was chained, oldest first."""

from django.db import migrations

from recreg.audit.chain import CONTENT_FIELDS, GENESIS, event_hash

BATCH = 2000


def chain_existing(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    db = schema_editor.connection.alias
    seq, prev, last_id = 0, GENESIS, 0
    while True:
        page = list(AuditEvent.objects.using(db).filter(id__gt=last_id).order_by("id")[:BATCH])
        if not page:
            break
        for event in page:
            seq += 1
            event.seq, event.prev_hash = seq, prev
            event.hash = event_hash({name: getattr(event, name) for name in CONTENT_FIELDS})
            prev = event.hash
        AuditEvent.objects.using(db).bulk_update(page, ["seq", "prev_hash", "hash"])
        last_id = page[-1].id
    AuditChainHead.objects.using(db).update_or_create(
        pk=1, defaults={"seq": seq, "hash": prev if seq else ""}
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chain_fields")]

    operations = [migrations.RunPython(chain_existing, migrations.RunPython.noop)]
