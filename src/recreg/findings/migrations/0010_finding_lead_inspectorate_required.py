"""Every finding's copy of its inspection's lead inspectorate is required (filled by 0009), and
indexed with the finding's state and scope for counting the public register.

On SQLite, making a column required rebuilds the table, and the rebuild drops the triggers
that keep the full-text index (0002) in step with the findings: they are created again, and
the index rebuilt, in the same transaction (and the same before the rebuild when reversing).
The rebuild also drops the table's statistics, so it is analysed again.
"""

from importlib import import_module

from django.db import migrations, models

# 0009's: the column's field (empty allowed or not), and the search index's triggers created
# again on SQLite.
LEAD_COLUMN = import_module("recreg.findings.migrations.0009_finding_lead_inspectorate")
lead_inspectorate = LEAD_COLUMN.lead_inspectorate
keep_search_index = LEAD_COLUMN.keep_search_index


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
