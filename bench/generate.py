"""Generate a national register at ten times real size, twenty years deep, for the benchmarks.

    python bench/generate.py                       # SQLite in bench/data/recreg.sqlite3
    DATABASE_URL=postgres://…/recreg_bench python bench/generate.py
    python bench/generate.py --scale 0.1           # a tenth of the size, for a quick look

The organisations, frameworks and themes are the demo's (recreg.demo), made through the ORM.
Everything else (20,000 people, 100,000 findings with a share addressed to all forces,
500,000 responses, 2,000,000 progress updates with their timeline entries, and the findings'
audit events) is written in bulk: executemany in one transaction on SQLite, COPY on
PostgreSQL, with one password hash for everybody. The full-text index is rebuilt once at the
end on SQLite (its triggers are set aside during the load); PostgreSQL's GIN index is built
once, after the rows are in.

Every value comes from random generators seeded from --seed, and dates are placed relative to
--today, so the same seed and day give the same register.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import time
from collections.abc import Iterable, Iterator
from importlib import import_module
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
# BENCH_DATA_DIR puts the generated register elsewhere (the generator's own test uses a temporary folder).
DATA_DIR = Path(os.environ.get("BENCH_DATA_DIR") or BENCH_DIR / "data")

FULL = {
    "users": 20_000,
    "findings": 100_000,
    "national_share": 0.08,  # of findings, addressed to every territorial force
    "responses": 500_000,
    "updates": 2_000_000,
    "years": 20,
}
PASSWORD = "bench-password-2026"  # noqa: S105 - the benchmark's own throwaway logins
# The people the load run signs in as (see bench/run.py).
PERSONAS = {
    "editor": ("bench.editor@bench.recreg", "force_editor", "west-midlands"),
    "national": ("bench.national@bench.recreg", "national_reader", "college-of-policing"),
    "inspector": ("bench.inspector@bench.recreg", "inspectorate_reader", "hmicfrs"),
}
CHUNK = 20_000


def setup_django(database_url: str | None) -> None:
    """Point Django at the benchmark database (SQLite under bench/data unless a URL is given)."""
    os.environ["RECREG_DATA_DIR"] = str(DATA_DIR)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recreg.settings")
    sys.path.insert(0, str(PROJECT_DIR / "src"))
    import django

    django.setup()


def fresh_database(database_url: str | None) -> None:
    """Drop and recreate the benchmark database (it only ever holds generated data)."""
    if not database_url:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            (DATA_DIR / f"recreg.sqlite3{suffix}").unlink(missing_ok=True)
        return
    import dj_database_url
    import psycopg
    from psycopg import sql

    cfg = dj_database_url.parse(database_url)
    name = cfg["NAME"]
    if not name.startswith("recreg_bench"):
        raise SystemExit(
            f"refusing to drop {name!r}: the benchmark database's name starts recreg_bench"
        )
    with psycopg.connect(
        host=cfg["HOST"] or "127.0.0.1",
        port=cfg["PORT"] or 5432,
        user=cfg["USER"] or "postgres",
        password=cfg["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


class Writer:
    """Bulk rows into one table: executemany on SQLite, COPY on PostgreSQL. Columns of the model
    that the generator does not name get the field's default, so a new column with a default
    does not break the generator."""

    def __init__(self, model, columns: list[str]):
        from django.db import connection

        self.connection = connection
        self.vendor = connection.vendor
        self.table = model._meta.db_table
        fields = {f.column: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise SystemExit(f"{self.table} has no column(s) {sorted(unknown)}")
        missing = [c for c in fields if c not in columns]
        self.extra = []
        for column in missing:
            field = fields[column]
            if not field.has_default() and not field.null and not field.blank:
                raise SystemExit(f"{self.table}.{column} is new: teach bench/generate.py its value")
            value = field.get_default() if field.has_default() else (None if field.null else "")
            if isinstance(value, dict | list):
                value = json.dumps(value)
            self.extra.append(value)
        self.columns = [*columns, *missing]

    def write(self, rows: Iterable[tuple]) -> int:
        extra = tuple(self.extra)
        count = 0
        cursor = self.connection.cursor()
        quoted = ", ".join(f'"{c}"' for c in self.columns)
        if self.vendor == "postgresql":
            with cursor.cursor.copy(f'COPY "{self.table}" ({quoted}) FROM STDIN') as copy:  # noqa: S608
                for row in rows:
                    copy.write_row(row + extra if extra else row)
                    count += 1
            return count
        marks = ", ".join("?" for _ in self.columns)
        statement = f'INSERT INTO "{self.table}" ({quoted}) VALUES ({marks})'  # noqa: S608
        raw = cursor.cursor
        batch: list[tuple] = []
        for row in rows:
            batch.append(row + extra if extra else row)
            if len(batch) >= CHUNK:
                raw.executemany(statement, batch)
                count += len(batch)
                batch = []
        if batch:
            raw.executemany(statement, batch)
            count += len(batch)
        return count


class Generator:
    def __init__(self, *, seed: int, scale: float, today: datetime.date, quiet: bool = False):
        self.seed = seed
        self.today = today
        self.quiet = quiet
        self.n = {
            k: (v if k in {"national_share", "years"} else max(1, int(v * scale)))
            for k, v in FULL.items()
        }
        self.timings: dict[str, float] = {}
        from django.db import connection

        self.vendor = connection.vendor

    def rng(self, *key) -> random.Random:
        return random.Random(f"{self.seed}:{':'.join(map(str, key))}")

    def say(self, message: str) -> None:
        if not self.quiet:
            print(message, flush=True)

    def dt(self, value: datetime.datetime) -> str:
        # Stored as Django stores them: naive UTC text on SQLite, with an offset on PostgreSQL.
        if self.vendor == "postgresql":
            return value.isoformat(" ") + "+00:00"
        return value.isoformat(" ")

    def step(self, name: str, fn) -> None:
        started = time.perf_counter()
        result = fn()
        self.timings[name] = time.perf_counter() - started
        self.say(f"  {name:<28} {self.timings[name]:7.1f} s  {result or ''}")

    # -- the run ----------------------------------------------------------------------------

    def run(self) -> dict:
        from django.core.management import call_command
        from django.db import connection, transaction

        started = time.perf_counter()
        self.step("schema", lambda: call_command("migrate", verbosity=0))
        with transaction.atomic():
            self.step("organisations (demo's)", self.organisations)
            self.step("people", self.people)
            self.step("inspections", self.inspections)
            self.before_bulk()
            self.step("findings", self.findings)
            self.step("responses", self.responses)
            self.step("progress updates", self.updates)
            self.step("audit events", self.audit)
        # Outside the load's transaction: PostgreSQL builds no index while foreign-key checks wait.
        with transaction.atomic():
            self.step("search index, counts", self.after_bulk)
        self.step("statistics", self.analyse)
        total = time.perf_counter() - started
        self.say(f"  {'total':<28} {total:7.1f} s")
        counts = {}
        with connection.cursor() as cursor:
            for table in (
                "accounts_user",
                "inspections_inspection",
                "findings_finding",
                "findings_response",
                "progress_progressupdate",
                "progress_timelineevent",
            ):
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608
                counts[table] = cursor.fetchone()[0]
        return {
            "seed": self.seed,
            "today": self.today.isoformat(),
            "engine": self.vendor,
            "counts": counts,
            "seconds": round(total, 1),
            "steps": {k: round(v, 1) for k, v in self.timings.items()},
        }

    def organisations(self):
        from recreg.demo.loader import _Loader
        from recreg.findings.models import GovernanceBoard
        from recreg.organisations.models import Organisation

        loader = _Loader(seed=self.seed, today=self.today, stdout=None)
        loader.load_organisations()
        loader.load_frameworks()
        loader.load_themes()
        self.frameworks = sorted(loader.frameworks.values(), key=lambda f: f.start_year)
        self.areas_by_framework: dict[int, list[int]] = {}
        for area in loader.areas.values():
            self.areas_by_framework.setdefault(area.framework_id, []).append(area.pk)
        self.area_topic = loader.area_topics
        self.theme_ids = sorted(t.pk for t in loader.themes.values())
        orgs = list(Organisation.objects.order_by("pk"))
        self.orgs = {o.slug: o for o in orgs}
        self.forces = [o for o in orgs if o.kind == "force" and o.force_type == "territorial"]
        self.all_forces = [o for o in orgs if o.kind == "force"]
        self.pcc_of = {o.force_id: o for o in orgs if o.kind == "pcc_office"}
        self.inspectorates = [o for o in orgs if o.kind == "inspectorate"]
        boards = [
            GovernanceBoard(organisation=force, name=name)
            for force in self.all_forces
            for name in (
                "Crime Governance Board",
                "Public Protection Board",
                "Service Improvement Board",
            )
        ]
        GovernanceBoard.objects.bulk_create(boards)
        self.boards: dict[int, list[int]] = {}
        for board in GovernanceBoard.objects.all():
            self.boards.setdefault(board.organisation_id, []).append(board.pk)
        return f"{len(orgs)} organisations"

    def people(self):
        from django.contrib.auth.hashers import make_password

        from recreg.accounts.models import User
        from recreg.demo.data import people as names

        password = make_password(PASSWORD)
        rng = self.rng("people")
        # Forces hold most people; PCC offices, inspectorates and national bodies the rest.
        weights = {"force": 10, "pcc_office": 2, "inspectorate": 12, "national_body": 6}
        orgs = list(self.orgs.values())
        total_weight = sum(weights[o.kind] for o in orgs)
        wanted = self.n["users"] - len(PERSONAS)
        per_org = {o.pk: max(3, wanted * weights[o.kind] // total_weight) for o in orgs}
        surplus = wanted - sum(per_org.values())
        for o in self.forces:
            if surplus <= 0:
                break
            per_org[o.pk] += 1
            surplus -= 1
        joined = self.dt(datetime.datetime(self.today.year - 3, 1, 1))
        rows = []
        pk = 0
        self.chiefs: dict[int, list[int]] = {}
        self.leads: dict[int, list[int]] = {}
        self.persona_ids: dict[str, int] = {}
        for key, (email, role, slug) in PERSONAS.items():
            pk += 1
            org = self.orgs[slug]
            rows.append(
                (
                    pk,
                    email,
                    f"Bench {key.title()}",
                    "Benchmark login",
                    org.pk,
                    role,
                    True,
                    False,
                    False,
                    joined,
                    password,
                    None,
                )
            )
            self.persona_ids[key] = pk
            if role == "force_editor":
                self.leads.setdefault(org.pk, []).append(pk)
        for org in orgs:
            for index in range(per_org[org.pk]):
                pk += 1
                first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.SURNAMES)
                if org.kind == "force":
                    role = "force_reader" if index < 3 or index % 3 == 0 else "force_editor"
                    if index < 3:
                        self.chiefs.setdefault(org.pk, []).append(pk)
                    elif role == "force_editor":
                        self.leads.setdefault(org.pk, []).append(pk)
                elif org.kind == "pcc_office":
                    role = "pcc_officer"
                    (self.chiefs if index < 2 else self.leads).setdefault(org.pk, []).append(pk)
                elif org.kind == "inspectorate":
                    role = "inspectorate_editor" if index % 4 == 0 else "inspectorate_reader"
                else:
                    role = "national_reader"
                email = f"{first}.{last}.{pk}@{org.slug}.bench.recreg".lower()
                rows.append(
                    (
                        pk,
                        email,
                        f"{first} {last}",
                        "",
                        org.pk,
                        role,
                        True,
                        False,
                        False,
                        joined,
                        password,
                        None,
                    )
                )
        self.inspectorate_editors = [r[0] for r in rows if r[5] == "inspectorate_editor"]
        writer = Writer(
            User,
            [
                "id",
                "email",
                "full_name",
                "job_title",
                "organisation_id",
                "role",
                "is_active",
                "is_staff",
                "is_superuser",
                "date_joined",
                "password",
                "last_login",
            ],
        )
        return f"{writer.write(rows)} people"

    def inspections(self):
        from recreg.inspections.models import Inspection

        rng = self.rng("inspections")
        years = self.n["years"]
        start = self.today - datetime.timedelta(days=365 * years)
        span = (self.today - start).days
        # Findings per inspection are set so that the totals come out at the target.
        national = int(self.n["findings"] * self.n["national_share"])
        local = self.n["findings"] - national
        per_force_inspection = 20
        force_inspections = max(1, local // per_force_inspection)
        thematics = max(1, national // 10)
        rows = []
        scope_rows = []
        self.inspection_plan: list[
            tuple[int, str, datetime.date | None, int | None, int | None, str]
        ] = []
        self.inspection_lead: dict[int, int] = {}
        hmicfrs = self.orgs["hmicfrs"].pk
        for pk in range(1, force_inspections + thematics + 1):
            is_force = pk <= force_inspections
            day = start + datetime.timedelta(days=int(span * rng.random()))
            recent = (self.today - day).days
            if recent < 45:
                state, published = ("fieldwork" if recent < 20 else "awaiting_publication"), None
            else:
                state, published = "published", day
            framework = (
                next((f for f in self.frameworks if f.start_year <= day.year <= f.end_year), None)
                if is_force
                else None
            )
            lead = hmicfrs if rng.random() < 0.95 else rng.choice(self.inspectorates).pk
            force = self.forces[(pk - 1) % len(self.forces)] if is_force else None
            title = (
                f"{'PEEL' if framework else 'Force'} inspection of {force.name}, {day.year}"
                if force
                else f"National thematic inspection {pk - force_inspections}, {day.year}"
            )
            fieldwork_start = day - datetime.timedelta(days=120)
            rows.append(
                (
                    pk,
                    title[:400],
                    framework.pk if framework else None,
                    "force" if is_force else "thematic",
                    lead,
                    fieldwork_start.isoformat(),
                    (fieldwork_start + datetime.timedelta(days=30)).isoformat(),
                    published.isoformat() if published else None,
                    "",
                    state,
                    self.dt(datetime.datetime.combine(fieldwork_start, datetime.time(9))),
                    self.dt(datetime.datetime.combine(day, datetime.time(9))),
                )
            )
            if force:
                scope_rows.append((pk, pk, force.pk))
            self.inspection_lead[pk] = lead
            self.inspection_plan.append(
                (
                    pk,
                    state,
                    published,
                    framework.pk if framework else None,
                    force.pk if force else None,
                    "force" if is_force else "thematic",
                )
            )
        self.local_per_inspection = (local, force_inspections)
        self.national_per_inspection = (national, thematics)
        written = Writer(
            Inspection,
            [
                "id",
                "title",
                "programme_id",
                "kind",
                "lead_inspectorate_id",
                "fieldwork_start",
                "fieldwork_end",
                "published_on",
                "report_url",
                "state",
                "created_at",
                "updated_at",
            ],
        ).write(rows)
        through = Inspection.forces_in_scope.through
        Writer(through, ["id", "inspection_id", "organisation_id"]).write(scope_rows)
        return f"{written} inspections"

    def before_bulk(self):
        """Set the full-text machinery (and on SQLite the response counts' triggers) aside
        during the load, remembering how to put it back."""
        from django.db import connection

        with connection.cursor() as cursor:
            if self.vendor == "sqlite":
                # SQLite's triggers run for each row: half a million responses and their
                # ratings counted one at a time took longer than counting them once after.
                # PostgreSQL's run once for each statement (a COPY is one), so they stay.
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                    "AND tbl_name IN ('findings_finding', 'findings_response')"
                )
                self.set_aside = cursor.fetchall()
                for name, _sql in self.set_aside:
                    cursor.execute(f'DROP TRIGGER "{name}"')
            else:
                cursor.execute(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'findings_finding' "
                    "AND indexdef ILIKE '%USING gin%'"
                )
                self.set_aside = cursor.fetchall()
                for name, _sql in self.set_aside:
                    cursor.execute(f'DROP INDEX "{name}"')

    def after_bulk(self):
        """Rebuild the full-text index in one pass and put the triggers (or index) back."""
        from django.db import connection

        with connection.cursor() as cursor:
            if self.vendor == "sqlite":
                cursor.execute(
                    "INSERT INTO findings_finding_fts(findings_finding_fts) VALUES ('rebuild')"
                )
                counts = import_module("recreg.findings.migrations.0011_response_counts")
                cursor.execute("DELETE FROM findings_responsecount")
                cursor.execute(counts.FILL)
            for _name, statement in self.set_aside:
                cursor.execute(statement)
        return f"rebuilt ({len(self.set_aside)} trigger(s)/index(es) restored)"

    def _finding_text(self, rng: random.Random, topic: str, kind: str) -> str:
        from recreg.demo.data import wording

        words = wording.WORDING.get(topic) or wording.WORDING[rng.choice(sorted(wording.WORDING))]
        if kind in {"cause_of_concern", "accelerated_cause_of_concern"}:
            return rng.choice(words["concerns"])
        form = rng.random()
        if form < 0.35:
            return f"The force should improve how it {rng.choice(words['how'])}."
        if form < 0.7:
            return f"The force should make sure that {rng.choice(words['ensure'])}."
        months = rng.choice((3, 6, 6, 12))
        return f"Within {months} months, the force should {rng.choice(words['actions'])}."

    def findings(self):
        from recreg.findings.models import Finding

        rng = self.rng("findings")
        topics = sorted({*self.area_topic.values()})
        local, force_inspections = self.local_per_inspection
        national, thematics = self.national_per_inspection
        finding_rows = []
        theme_rows = []
        self.finding_plan: list[tuple[int, str, int | None, str, datetime.date | None]] = []
        pk = 0
        theme_pk = 0
        for inspection_id, state, published, framework_id, force_id, kind in self.inspection_plan:
            if kind == "force":
                count = local // force_inspections + (
                    1 if inspection_id <= local % force_inspections else 0
                )
            else:
                index = inspection_id - force_inspections
                count = national // thematics + (1 if index <= national % thematics else 0)
            if state == "published":
                finding_state = "published"
            else:
                finding_state = "fact_check" if state == "awaiting_publication" else "draft"
            areas = self.areas_by_framework.get(framework_id or 0, [])
            for sequence in range(1, count + 1):
                pk += 1
                roll = rng.random()
                fkind = (
                    "cause_of_concern" if roll < 0.04 else
                    "area_for_improvement" if roll < 0.55 else "recommendation"
                )  # fmt: skip
                area = rng.choice(areas) if areas else None
                topic = self.area_topic.get(area) if area else rng.choice(topics)
                text = self._finding_text(rng, topic, fkind)
                prefix = {"recommendation": "R", "area_for_improvement": "AFI"}.get(fkind, "CoC")
                months = rng.choice((6, 12, 18)) if fkind == "recommendation" else None
                deadline = _add_months(published, months) if months and published else None
                scope = "forces" if kind == "force" else "all_forces"
                created = self.dt(
                    datetime.datetime.combine(published or self.today, datetime.time(8))
                )
                finding_rows.append(
                    (
                        pk,
                        inspection_id,
                        fkind,
                        None,
                        f"{prefix}{sequence}",
                        text,
                        sequence,
                        area,
                        scope,
                        f"within {months} months" if months else "",
                        "months" if months else "none",
                        months,
                        deadline.isoformat() if deadline else None,
                        finding_state,
                        created,
                        created,
                        self.inspection_lead[inspection_id],
                    )
                )
                for theme in rng.sample(self.theme_ids, rng.choice((1, 1, 2))):
                    theme_pk += 1
                    theme_rows.append((theme_pk, pk, theme))
                self.finding_plan.append((pk, scope, force_id, finding_state, published, deadline))
        written = Writer(
            Finding,
            [
                "id",
                "inspection_id",
                "kind",
                "parent_id",
                "reference",
                "text",
                "sequence",
                "question_area_id",
                "addressee_scope",
                "deadline_text",
                "deadline_kind",
                "deadline_months",
                "deadline_date",
                "state",
                "created_at",
                "updated_at",
                "lead_inspectorate_id",
            ],
        ).write(finding_rows)
        Writer(Finding.themes.through, ["id", "finding_id", "theme_id"]).write(theme_rows)
        return f"{written} findings ({national} to all forces)"

    def _response_state(self, rng: random.Random, age_days: int, finding_state: str) -> str:
        if finding_state != "published":
            return "awaiting_allocation"
        roll = rng.random()
        if age_days < 365:
            table = (
                (0.2, "awaiting_allocation"),
                (0.8, "in_progress"),
                (0.9, "pending_sign_off"),
                (1.0, "completed"),
            )
        elif age_days < 3 * 365:
            table = (
                (0.35, "in_progress"),
                (0.4, "pending_sign_off"),
                (0.9, "completed"),
                (0.95, "superseded"),
                (1.0, "closed_not_implemented"),
            )
        else:
            table = (
                (0.04, "in_progress"),
                (0.85, "completed"),
                (0.95, "superseded"),
                (1.0, "closed_not_implemented"),
            )
        return next(state for limit, state in table if roll < limit)

    def responses(self):
        from recreg.findings.models import Finding, Response

        rng = self.rng("responses")
        # Local findings: the force, and for three in four of them its PCC's office too, so
        # that the national fan-out and the local ones add up to the target.
        local_findings = sum(1 for f in self.finding_plan if f[1] == "forces")
        national_responses = sum(
            len(self.forces) for f in self.finding_plan if f[1] == "all_forces"
        )
        spare = max(0, self.n["responses"] - national_responses - local_findings)
        pcc_share = min(1.0, spare / max(1, local_findings))
        response_rows = []
        addressee_rows = []
        self.response_plan: list[
            tuple[int, int, str, datetime.date, datetime.date | None, int | None]
        ] = []
        pk = 0
        for finding_id, scope, force_id, finding_state, published, deadline in self.finding_plan:
            if scope == "all_forces":
                orgs = [f.pk for f in self.forces]
            else:
                orgs = [force_id]
                if rng.random() < pcc_share and force_id in self.pcc_of:
                    orgs.append(self.pcc_of[force_id].pk)
            age = (self.today - published).days if published else 0
            for org in orgs:
                pk += 1
                state = self._response_state(rng, age, finding_state)
                target = deadline or (
                    _add_months(published, rng.choice((6, 12, 24))) if published else None
                )
                allocated = state != "awaiting_allocation"
                chiefs, leads = self.chiefs.get(org, []), self.leads.get(org, [])
                owner = rng.choice(chiefs) if allocated and chiefs else None
                lead = leads[pk % len(leads)] if allocated and leads else None
                board = rng.choice(self.boards[org]) if allocated and org in self.boards else None
                start = published or self.today
                changed = start + datetime.timedelta(days=min(age, rng.randint(10, 900)))
                self.response_plan.append((pk, org, state, start, target, lead or owner))
                # rag and last_update_at are filled in from the updates (see updates()).
                response_rows.append(
                    (
                        pk,
                        finding_id,
                        org,
                        state,
                        self.dt(datetime.datetime.combine(changed, datetime.time(10))),
                        target.isoformat() if target else None,
                        owner,
                        lead,
                        board,
                        "",
                        None,
                        1,
                        self.dt(datetime.datetime.combine(start, datetime.time(8))),
                        self.dt(datetime.datetime.combine(changed, datetime.time(10))),
                    )
                )
                addressee_rows.append((pk, finding_id, org))
        written = Writer(
            Response,
            [
                "id",
                "finding_id",
                "organisation_id",
                "state",
                "state_changed_at",
                "target_date",
                "owner_id",
                "tactical_lead_id",
                "governance_board_id",
                "rag",
                "last_update_at",
                "version",
                "created_at",
                "updated_at",
            ],
        ).write(response_rows)
        Writer(Finding.addressees.through, ["id", "finding_id", "organisation_id"]).write(
            addressee_rows
        )
        return f"{written} responses"

    def updates(self):
        from django.db import connection

        from recreg.findings.models import Response
        from recreg.progress.models import ProgressUpdate, TimelineEvent

        rng = self.rng("updates")
        eligible = [r for r in self.response_plan if r[2] != "awaiting_allocation" and r[5]]
        total = self.n["updates"]
        base, remainder = divmod(total, max(1, len(eligible)))
        counts = [base + (1 if i < remainder else 0) for i in range(len(eligible))]
        # Some responses get many more updates than others; moving updates between pairs keeps
        # the total exact.
        for i in range(0, len(counts) - 1, 2):
            move = rng.randint(0, max(0, counts[i] - 1))
            counts[i] -= move
            counts[i + 1] += move
        latest: dict[int, tuple[str, str]] = {}
        names: dict[int, str] = {}
        update_writer = Writer(
            ProgressUpdate,
            [
                "id",
                "response_id",
                "narrative",
                "rag",
                "percent_complete",
                "corrects_id",
                "author_id",
                "created_at",
            ],
        )
        event_writer = Writer(
            TimelineEvent,
            [
                "id",
                "response_id",
                "organisation_id",
                "kind",
                "at",
                "actor_id",
                "actor_name",
                "summary",
                "details",
                "update_id",
                "evidence_id",
                "target_change_id",
                "proposal_id",
                "challenge_id",
                "discharge_id",
            ],
        )
        from recreg.accounts.models import User

        names = dict(User.objects.values_list("pk", "full_name"))
        openings = (
            "The working group met and reviewed the action plan.",
            "A new policy has been drafted and is with the legal team.",
            "Training has been delivered to {n} officers and staff.",
            "The audit of {n} records found improvement since the last report.",
            "Supervisors now review cases weekly; compliance is {n} percent.",
            "The board agreed further funding for the work.",
            "A dip sample of {n} cases shows the new process is followed.",
            "Partners have agreed a joint protocol, signed off at the board.",
        )
        endings = (
            "Next steps are agreed with the strategic owner.",
            "The owner expects to propose closure next quarter.",
            "Delays in recruitment have slowed progress.",
            "Evidence will be attached when the audit report is final.",
            "",
        )
        rags = ("green", "amber", "red")
        pk = 0
        plan = list(zip(eligible, counts, strict=True))

        def update_rows() -> Iterator[tuple]:
            nonlocal pk
            for (response_id, _org, state, start, _target, author), count in plan:
                if count == 0:
                    continue
                days = max(1, (self.today - start).days - 1)
                if state not in {"in_progress", "pending_sign_off"}:
                    days = min(days, rng.randint(60, 1200))
                step = days / count
                rag = rng.choice(rags)
                for index in range(count):
                    pk += 1
                    at = datetime.datetime.combine(
                        start + datetime.timedelta(days=int(step * (index + 1))),
                        datetime.time(9 + index % 8, (pk * 7) % 60),
                    )
                    if rng.random() < 0.3:
                        rag = rng.choice(rags)
                    narrative = f"{rng.choice(openings).format(n=10 + pk % 290)} {rng.choice(endings)}".strip()
                    percent = min(100, int(100 * (index + 1) / count))
                    stamp = self.dt(at)
                    latest[response_id] = (rag, stamp)
                    yield (pk, response_id, narrative, rag, percent, None, author, stamp)

        written = update_writer.write(update_rows())

        org_of = {r[0]: r[1] for r in self.response_plan}

        def event_rows() -> Iterator[tuple]:
            # One timeline entry per update, as the progress services write them.
            with connection.cursor() as cursor:
                cursor.execute(
                    'SELECT "id", "response_id", "rag", "author_id", "created_at" FROM "progress_progressupdate" ORDER BY "id"'
                )
                while True:
                    chunk = cursor.fetchmany(CHUNK)
                    if not chunk:
                        break
                    for update_id, response_id, rag, author, created in chunk:
                        stamp = (
                            created
                            if isinstance(created, str)
                            else self.dt(created.replace(tzinfo=None))
                        )
                        yield (
                            update_id,
                            response_id,
                            org_of[response_id],
                            "update",
                            stamp,
                            author,
                            names.get(author, ""),
                            f"Progress update ({rag})",
                            "{}",
                            update_id,
                            None,
                            None,
                            None,
                            None,
                            None,
                        )

        event_writer.write(list(event_rows()))
        # Each response keeps its latest rating and time, as the progress services do.
        table = Response._meta.db_table
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute(
                    f'UPDATE "{table}" r SET rag = u.rag, last_update_at = u.created_at FROM ('  # noqa: S608
                    'SELECT DISTINCT ON (response_id) response_id, rag, created_at FROM "progress_progressupdate" '
                    "ORDER BY response_id, created_at DESC, id DESC) u WHERE u.response_id = r.id"
                )
            else:
                cursor.executemany(
                    f'UPDATE "{table}" SET rag = %s, last_update_at = %s WHERE id = %s',  # noqa: S608
                    [(rag, stamp, response_id) for response_id, (rag, stamp) in latest.items()],
                )
        return f"{written} updates and timeline entries"

    def audit(self):
        from recreg.audit.chain import GENESIS, event_hash
        from recreg.audit.models import AuditChainHead, AuditEvent

        actor = self.inspectorate_editors[0] if self.inspectorate_editors else None

        last = {"seq": 0, "hash": ""}

        def rows() -> Iterator[tuple]:
            # The events form the audit trail's hash chain (recreg.audit.chain), in order,
            # so `recreg audit verify` passes on the generated register too.
            prev = GENESIS
            for pk, _scope, _force, _state, published, _deadline in self.finding_plan:
                moment = datetime.datetime.combine(published or self.today, datetime.time(8))
                at = self.dt(moment)
                fields = {
                    "seq": pk,
                    "prev_hash": prev,
                    "at": moment.replace(tzinfo=datetime.UTC),  # stored as UTC, as dt() says
                    "actor_id": actor,
                    "actor_label": "Bench loader",
                    "action": "create",
                    "model": "findings.finding",
                    "object_id": str(pk),
                    "object_repr": f"Finding {pk}",
                    "changes": {},
                    "note": "",
                }
                digest = event_hash(fields)
                yield (
                    pk,
                    at,
                    actor,
                    "Bench loader",
                    "create",
                    "findings.finding",
                    str(pk),
                    f"Finding {pk}",
                    "{}",
                    "",
                    pk,
                    prev,
                    digest,
                )
                prev = digest
                last.update(seq=pk, hash=digest)

        written = Writer(
            AuditEvent,
            [
                "id",
                "at",
                "actor_id",
                "actor_label",
                "action",
                "model",
                "object_id",
                "object_repr",
                "changes",
                "note",
                "seq",
                "prev_hash",
                "hash",
            ],
        ).write(rows())
        # The chain's head must name the last event, or the register's next audited change
        # would take a place in the chain that is already used.
        AuditChainHead.objects.update_or_create(
            pk=1, defaults={"seq": last["seq"], "hash": last["hash"]}
        )
        return f"{written} events"

    def analyse(self):
        from django.apps import apps
        from django.core.management.color import no_style
        from django.db import connection

        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                models = [m for m in apps.get_models(include_auto_created=True)]
                for statement in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(statement)
                # Tables just loaded by COPY have no visibility map until they are vacuumed,
                # so every index-only scan still reads the table (twice the time of the
                # register's count). A live register's autovacuum keeps the map; vacuuming
                # here measures that steady state rather than the first minutes after a load.
                cursor.execute("VACUUM (ANALYZE)")
            else:
                cursor.execute("ANALYZE")
        return "sequences reset, VACUUM (ANALYZE)" if self.vendor == "postgresql" else "ANALYZE"


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    import calendar

    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def meta_path(database_url: str | None) -> Path:
    """Where the description of a generated database is kept."""
    return DATA_DIR / ("postgresql.json" if database_url else "sqlite.json")


def main(argv: list[str] | None = None) -> dict:
    """Generate the register and return (and keep beside it) what was made and how long it took."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 is ten times real size")
    parser.add_argument("--today", type=datetime.date.fromisoformat, default=datetime.date.today())
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    url = args.database_url.strip() or None
    if not args.quiet:
        print(
            f"Generating the benchmark register on {'PostgreSQL' if url else 'SQLite'} (seed {args.seed}, scale {args.scale})"
        )
    fresh_database(url)
    setup_django(url)
    summary = Generator(seed=args.seed, scale=args.scale, today=args.today, quiet=args.quiet).run()
    summary["scale"] = args.scale
    summary["personas"] = {k: v[0] for k, v in PERSONAS.items()}
    meta_path(url).write_text(json.dumps(summary, indent=2))
    return summary


if __name__ == "__main__":
    main()
