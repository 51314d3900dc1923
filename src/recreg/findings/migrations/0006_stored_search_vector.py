"""PostgreSQL: keep each finding's tsvector in a stored generated column, indexed, instead of
an index on the expression.

Ranking needs the vector of every matching finding: from an expression index PostgreSQL
computes it again for each row, which was most of a search page's time at national size (a
thousand matches, 15 ms). SQLite's FTS5 table is unchanged.
"""

from django.db import migrations

VECTOR = "to_tsvector('english'::regconfig, coalesce(reference, '') || ' ' || text)"

POSTGRES_UP = [
    "ALTER TABLE findings_finding ADD COLUMN search_vector tsvector "
    f"GENERATED ALWAYS AS ({VECTOR}) STORED",
    "CREATE INDEX findings_finding_search_vector ON findings_finding USING GIN (search_vector)",
    "DROP INDEX IF EXISTS findings_finding_search",
]
POSTGRES_DOWN = [
    f"CREATE INDEX findings_finding_search ON findings_finding USING GIN (({VECTOR}))",
    "DROP INDEX IF EXISTS findings_finding_search_vector",
    "ALTER TABLE findings_finding DROP COLUMN IF EXISTS search_vector",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("findings", "0005_covering_response_indexes")]

    operations = [migrations.RunPython(_run(POSTGRES_UP), _run(POSTGRES_DOWN))]
