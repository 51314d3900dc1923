"""Each finding keeps a copy of its inspection's lead inspectorate (for the public register
rule): added empty and filled from the inspections; 0010 then requires it. Two migrations,
so PostgreSQL checks the filled-in keys before the column is altered."""

from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

# 0002's statements: its triggers dropped (if any are left), then created and the index rebuilt.
SEARCH_INDEX = import_module("recreg.findings.migrations.0002_search_index")
SQLITE_TRIGGERS = [
    *(statement for statement in SEARCH_INDEX.SQLITE_DOWN if "TRIGGER" in statement),
    *(statement for statement in SEARCH_INDEX.SQLITE_UP if "VIRTUAL TABLE" not in statement),
]


def keep_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)


def lead_inspectorate(*, null: bool) -> models.ForeignKey:
    """The finding's copy of its inspection's lead inspectorate, as 0009 and 0010 declare it."""
    return models.ForeignKey(
        db_index=False,
        editable=False,
        null=null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="organisations.organisation",
    )


def copy_leads(apps, schema_editor):
    finding = apps.get_model("findings", "Finding")
    inspection = apps.get_model("inspections", "Inspection")
    lead = inspection.objects.filter(pk=OuterRef("inspection_id")).values("lead_inspectorate_id")
    finding.objects.using(schema_editor.connection.alias).update(
        lead_inspectorate_id=Subquery(lead[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("findings", "0008_response_open_target_index"),
        ("inspections", "0003_newest_nulls_last_index"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        # Reversed, removing the column rebuilds the table on SQLite (see 0010).
        migrations.RunPython(migrations.RunPython.noop, keep_search_index),
        migrations.AddField(
            model_name="finding",
            name="lead_inspectorate",
            field=lead_inspectorate(null=True),
        ),
        migrations.RunPython(copy_leads, migrations.RunPython.noop, elidable=False),
    ]
