"""How many of each organisation's responses are in each state and RAG rating, by their
finding's state: a table kept by triggers on both engines, filled here from the responses there
are (docs/adr/0005-response-counts-kept-by-triggers.md).

A response inserted, deleted or changed takes one from the count it leaves and adds one to the
count it joins; a finding's change of state moves all its responses' counts. SQLite's triggers
run for each row; PostgreSQL's once for each statement, over the rows it changed. A rebuild of
either table by a later migration on SQLite drops its triggers: create them again with
`keep_counts` (as 0010 does for the search index); tests/findings/test_response_counts.py
fails until then."""

import django.db.models.deletion
from django.db import migrations, models

KEY = "organisation_id, finding_state, state, rag"

# What a response leaves (old) and joins (new), as SQLite trigger statements. The finding's
# state is read as a scalar: a response whose finding is missing fails the insert
# (finding_state is required) rather than go uncounted.
SQLITE_LEAVE = (
    "UPDATE findings_responsecount SET n = n - 1 WHERE organisation_id = old.organisation_id "
    "AND state = old.state AND rag = old.rag "
    "AND finding_state = (SELECT state FROM findings_finding WHERE id = old.finding_id);"
)
SQLITE_JOIN = (
    "INSERT INTO findings_responsecount (organisation_id, finding_state, state, rag, n) "
    "VALUES (new.organisation_id, (SELECT state FROM findings_finding WHERE id = new.finding_id), "
    "new.state, new.rag, 1) "
    "ON CONFLICT (organisation_id, finding_state, state, rag) DO UPDATE SET n = n + 1;"
)
SQLITE_TRIGGERS = [
    "CREATE TRIGGER findings_response_count_ai AFTER INSERT ON findings_response "
    f"BEGIN {SQLITE_JOIN} END",
    "CREATE TRIGGER findings_response_count_ad AFTER DELETE ON findings_response "
    f"BEGIN {SQLITE_LEAVE} END",
    # A save writes every column: only a change of what is counted moves a count.
    "CREATE TRIGGER findings_response_count_au "
    "AFTER UPDATE OF organisation_id, finding_id, state, rag ON findings_response "
    "WHEN old.organisation_id IS NOT new.organisation_id OR old.finding_id IS NOT new.finding_id "
    f"OR old.state IS NOT new.state OR old.rag IS NOT new.rag BEGIN {SQLITE_LEAVE} {SQLITE_JOIN} END",
    "CREATE TRIGGER findings_finding_count_au AFTER UPDATE OF state ON findings_finding "
    "WHEN old.state IS NOT new.state BEGIN "
    "UPDATE findings_responsecount SET n = n - (SELECT COUNT(*) FROM findings_response r "
    "WHERE r.finding_id = new.id AND r.organisation_id = findings_responsecount.organisation_id "
    "AND r.state = findings_responsecount.state AND r.rag = findings_responsecount.rag) "
    "WHERE finding_state = old.state AND organisation_id IN "
    "(SELECT organisation_id FROM findings_response WHERE finding_id = new.id); "
    # WHERE before GROUP BY and ON CONFLICT: SQLite's parser needs it there (see its UPSERT).
    "INSERT INTO findings_responsecount (organisation_id, finding_state, state, rag, n) "
    "SELECT organisation_id, new.state, state, rag, COUNT(*) FROM findings_response "
    "WHERE finding_id = new.id GROUP BY organisation_id, state, rag "
    "ON CONFLICT (organisation_id, finding_state, state, rag) DO UPDATE SET n = n + excluded.n; END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS findings_response_count_ai",
    "DROP TRIGGER IF EXISTS findings_response_count_ad",
    "DROP TRIGGER IF EXISTS findings_response_count_au",
    "DROP TRIGGER IF EXISTS findings_finding_count_au",
]

# On PostgreSQL the triggers run once for each statement, over the rows it changed (its
# transition tables): a count updated once for every row, in one transaction, left a chain of
# row versions that each later update walked, so a bulk load of 500,000 responses slowed to
# a crawl. Each statement's counts are added in the order of their keys, so two transactions
# never each hold a count the other waits for.
UPSERT = f"""
    INSERT INTO findings_responsecount ({KEY}, n)
    SELECT organisation_id, finding_state, state, rag, SUM(n) FROM moved
    GROUP BY 1, 2, 3, 4 HAVING SUM(n) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT ({KEY}) DO UPDATE SET n = findings_responsecount.n + excluded.n;"""  # noqa: S608 - this module's constants
# A response whose finding is missing has no finding state, which the insert refuses (the
# column is required) rather than leave it uncounted.
COUNTED = """
    SELECT r.organisation_id, f.state AS finding_state, r.state, r.rag, {sign} AS n
    FROM {rows} r LEFT JOIN findings_finding f ON f.id = r.finding_id"""
CHANGED = (
    "(o.organisation_id, o.finding_id, o.state, o.rag) "
    "IS DISTINCT FROM (a.organisation_id, a.finding_id, a.state, a.rag)"
)
POSTGRES_TRIGGERS = [
    f"""
CREATE FUNCTION findings_response_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        WITH moved AS ({COUNTED.format(sign=1, rows="added")}) {UPSERT}
    ELSIF TG_OP = 'DELETE' THEN
        WITH moved AS ({COUNTED.format(sign=-1, rows="removed")}) {UPSERT}
    ELSE
        -- Only a change of what is counted moves a count (a save writes every column).
        WITH changed AS (
            SELECT o.id FROM removed o JOIN added a ON a.id = o.id WHERE {CHANGED}
        ), moved AS (
            {COUNTED.format(sign=-1, rows="removed")} WHERE r.id IN (SELECT id FROM changed)
            UNION ALL
            {COUNTED.format(sign=1, rows="added")} WHERE r.id IN (SELECT id FROM changed)
        ) {UPSERT}
    END IF;
    RETURN NULL;
END $$
""",  # noqa: S608 - this module's constants
    f"""
CREATE FUNCTION findings_finding_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A finding's change of state moves each of its responses from one count to another.
    WITH states AS (
        SELECT o.id, o.state AS before, a.state AS after FROM removed o JOIN added a
        ON a.id = o.id WHERE a.state IS DISTINCT FROM o.state
    ), moved AS (
        SELECT r.organisation_id, s.before AS finding_state, r.state, r.rag, -1 AS n
        FROM states s JOIN findings_response r ON r.finding_id = s.id
        UNION ALL
        SELECT r.organisation_id, s.after, r.state, r.rag, 1
        FROM states s JOIN findings_response r ON r.finding_id = s.id
    ) {UPSERT}
    RETURN NULL;
END $$
""",  # noqa: S608 - this module's constants
    "CREATE TRIGGER findings_response_count_ai AFTER INSERT ON findings_response "
    "REFERENCING NEW TABLE AS added "
    "FOR EACH STATEMENT EXECUTE FUNCTION findings_response_count()",
    "CREATE TRIGGER findings_response_count_ad AFTER DELETE ON findings_response "
    "REFERENCING OLD TABLE AS removed "
    "FOR EACH STATEMENT EXECUTE FUNCTION findings_response_count()",
    # Transition tables allow no column list: every update runs it, and it looks for changes.
    "CREATE TRIGGER findings_response_count_au AFTER UPDATE ON findings_response "
    "REFERENCING OLD TABLE AS removed NEW TABLE AS added "
    "FOR EACH STATEMENT EXECUTE FUNCTION findings_response_count()",
    "CREATE TRIGGER findings_finding_count_au AFTER UPDATE ON findings_finding "
    "REFERENCING OLD TABLE AS removed NEW TABLE AS added "
    "FOR EACH STATEMENT EXECUTE FUNCTION findings_finding_count()",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS findings_finding_count_au ON findings_finding",
    "DROP TRIGGER IF EXISTS findings_response_count_au ON findings_response",
    "DROP TRIGGER IF EXISTS findings_response_count_ad ON findings_response",
    "DROP TRIGGER IF EXISTS findings_response_count_ai ON findings_response",
    "DROP FUNCTION IF EXISTS findings_finding_count()",
    "DROP FUNCTION IF EXISTS findings_response_count()",
]

# Every response counted once, from what is there when the triggers start.
FILL = (
    "INSERT INTO findings_responsecount (organisation_id, finding_state, state, rag, n) "
    "SELECT r.organisation_id, f.state, r.state, r.rag, COUNT(*) FROM findings_response r "
    "INNER JOIN findings_finding f ON f.id = r.finding_id "
    "GROUP BY r.organisation_id, f.state, r.state, r.rag"
)


def keep_counts(apps, schema_editor):
    """Create the triggers for this engine, and count the responses there are afresh."""
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, []):
        schema_editor.execute(statement)
    for statement in {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRES_TRIGGERS}.get(vendor, []):
        schema_editor.execute(statement)
    schema_editor.execute("DELETE FROM findings_responsecount")
    schema_editor.execute(FILL)


def drop_counts(apps, schema_editor):
    """Drop this engine's triggers (the table goes with the model)."""
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("findings", "0010_finding_lead_inspectorate_required"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ResponseCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "finding_state",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("fact_check", "Factual accuracy check"),
                            ("published", "Published"),
                        ],
                        max_length=24,
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("awaiting_allocation", "Awaiting allocation"),
                            ("in_progress", "In progress"),
                            ("pending_sign_off", "Pending sign-off"),
                            ("completed", "Completed"),
                            ("superseded", "Superseded"),
                            ("closed_not_implemented", "Closed – not implemented"),
                        ],
                        max_length=24,
                    ),
                ),
                (
                    "rag",
                    models.CharField(
                        blank=True,
                        choices=[("red", "Red"), ("amber", "Amber"), ("green", "Green")],
                        max_length=10,
                    ),
                ),
                ("n", models.IntegerField(default=0)),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="organisations.organisation",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("organisation", "finding_state", "state", "rag"),
                        name="response_count_unique",
                    )
                ],
            },
        ),
        migrations.RunPython(keep_counts, drop_counts),
        migrations.RunSQL("ANALYZE findings_responsecount", migrations.RunSQL.noop, elidable=True),
    ]
