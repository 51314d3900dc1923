"""Every finding's copy of its inspection's lead inspectorate is required (filled by 0009), and
indexed with the finding's state and scope for counting the public register.

On SQLite, making a column required rebuilds the table, and the rebuild drops the triggers
that keep the full-text index (0002) in step with the findings: they are created again, and
the index rebuilt, in the same transaction (and the same before the rebuild when reversing).
The rebuild also drops the table's statistics, so it is analysed again.
"""

from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models

# Creates 0002's triggers again and rebuilds the index, on SQLite.
keep_search_index = import_module(
    "recreg.findings.migrations.0009_finding_lead_inspectorate"
).keep_search_index


def lead_inspectorate(*, null: bool) -> models.ForeignKey:
    return models.ForeignKey(
        db_index=False,
        editable=False,
        null=null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="organisations.organisation",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("findings", "0009_finding_lead_inspectorate"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, keep_search_index),
        migrations.AlterField(
            model_name="finding", name="lead_inspectorate", field=lead_inspectorate(null=False)
        ),
        migrations.AddIndex(
            model_name="finding",
            index=models.Index(
                fields=["state", "addressee_scope", "lead_inspectorate"], name="finding_public_idx"
            ),
        ),
        migrations.RunPython(keep_search_index, migrations.RunPython.noop),
        # The rebuilt table (SQLite) and the filled column (PostgreSQL) have no statistics yet.
        migrations.RunSQL("ANALYZE findings_finding", migrations.RunSQL.noop, elidable=True),
    ]
