"""Full-text search over findings with each engine's own index: FTS5 on SQLite, a GIN index on
a tsvector expression on PostgreSQL."""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE findings_finding_fts USING fts5("
    "reference, text, content='findings_finding', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER findings_finding_fts_ai AFTER INSERT ON findings_finding BEGIN "
    "INSERT INTO findings_finding_fts(rowid, reference, text) "
    "VALUES (new.id, new.reference, new.text); END",
    "CREATE TRIGGER findings_finding_fts_ad AFTER DELETE ON findings_finding BEGIN "
    "INSERT INTO findings_finding_fts(findings_finding_fts, rowid, reference, text) "
    "VALUES ('delete', old.id, old.reference, old.text); END",
    "CREATE TRIGGER findings_finding_fts_au AFTER UPDATE OF reference, text ON findings_finding "
    "BEGIN "
    "INSERT INTO findings_finding_fts(findings_finding_fts, rowid, reference, text) "
    "VALUES ('delete', old.id, old.reference, old.text); "
    "INSERT INTO findings_finding_fts(rowid, reference, text) "
    "VALUES (new.id, new.reference, new.text); END",
    "INSERT INTO findings_finding_fts(findings_finding_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS findings_finding_fts_au",
    "DROP TRIGGER IF EXISTS findings_finding_fts_ad",
    "DROP TRIGGER IF EXISTS findings_finding_fts_ai",
    "DROP TABLE IF EXISTS findings_finding_fts",
]
POSTGRES_UP = [
    "CREATE INDEX findings_finding_search ON findings_finding USING GIN "
    "((to_tsvector('english'::regconfig, coalesce(reference, '') || ' ' || text)))",
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS findings_finding_search"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("findings", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
