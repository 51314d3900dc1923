"""The register's default order, newest report first with unpublished inspections last, as
an index PostgreSQL can walk.

PostgreSQL's `published_on DESC` puts NULL dates first, so the order asks for NULLS LAST, and
only an index in that order serves it. SQLite's DESC index already keeps NULLs last (and
SQLite cannot declare NULLS LAST in an index), so this is PostgreSQL's alone.
"""

from django.db import migrations

INDEX = "inspection_newest_nl_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON inspections_inspection "
            "(published_on DESC NULLS LAST, id)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("inspections", "0002_scale_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
