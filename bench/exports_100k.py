"""Time the exports and a dashboard on a register of 100,000 findings (targets: the register's
CSV starts within 200 ms and is complete within 5 s; memory stays flat while it streams).

Run: .venv/bin/python bench/exports_100k.py [ROWS]
On SQLite in a temporary folder (or RECREG_DATA_DIR), or on PostgreSQL with DATABASE_URL set.
The database is emptied and filled unless it already holds a register of that size from an
earlier run: give it a database of its own.
"""

from __future__ import annotations

import datetime
import os
import resource
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from figures import write_figures  # noqa: E402

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000


def setup() -> None:
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    if not os.environ.get("DATABASE_URL") and not os.environ.get("RECREG_DATA_DIR"):
        os.environ["RECREG_DATA_DIR"] = tempfile.mkdtemp(prefix="recreg-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recreg.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    # Pages are rendered without collectstatic having run.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)


def fill(rows: int):
    """A register of `rows` published findings, one response each, in bulk."""
    from django.conf import settings
    from django.utils import timezone

    from recreg.accounts.models import User
    from recreg.accounts.roles import Role
    from recreg.findings.models import RAG, Finding, Response, ResponseState
    from recreg.inspections.models import Inspection
    from recreg.organisations.models import Organisation, OrganisationKind

    inspectorate = Organisation.objects.create(
        name="HM Inspectorate of Constabulary and Fire & Rescue Services",
        slug=settings.POLICE_INSPECTORATE_SLUG,
        kind=OrganisationKind.INSPECTORATE,
    )
    forces = Organisation.objects.bulk_create(
        Organisation(name=f"Shire {i} Police", slug=f"shire-{i}", kind=OrganisationKind.FORCE)
        for i in range(43)
    )
    today = timezone.localdate()
    inspections = Inspection.objects.bulk_create(
        Inspection(
            title=f"Inspection {i}",
            kind="force",
            lead_inspectorate=inspectorate,
            published_on=today - datetime.timedelta(days=10 * i),
            state="published",
        )
        for i in range(rows // 10 + 1)
    )
    batch = 5000
    kinds = ["recommendation", "area_for_improvement"]
    states = list(ResponseState)
    for start in range(0, rows, batch):
        findings = Finding.objects.bulk_create(
            Finding(
                inspection=inspections[i // 10],
                kind=kinds[i % 2],
                reference=f"R{i}",
                text=f"The force should improve how it records crime, number {i}.",
                sequence=i % 10,
                state="published",
                deadline_text="within six months",
            )
            for i in range(start, min(start + batch, rows))
        )
        through = Finding.addressees.through
        through.objects.bulk_create(
            through(finding_id=f.pk, organisation_id=forces[n % 43].pk)
            for n, f in enumerate(findings, start=start)
        )
        Response.objects.bulk_create(
            Response(
                finding=f,
                organisation=forces[n % 43],
                state=states[n % len(states)],
                rag=[RAG.RED, RAG.AMBER, RAG.GREEN, ""][n % 4],
                target_date=today + datetime.timedelta(days=(n % 400) - 200),
            )
            for n, f in enumerate(findings, start=start)
        )
    return User.objects.create_user(
        email="bench@hmicfrs.test",
        full_name="Bench Inspector",
        role=Role.INSPECTORATE_EDITOR,
        organisation=inspectorate,
    )


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(client, url: str) -> tuple[float, float, float, int, float]:
    """(first byte in ms, total in s, CPU in s, bytes, peak RSS growth in MB) for one
    download. The CPU time says what it costs on an idle machine; the wall time what it took
    here, with whatever else was running."""
    before = rss_mb()
    cpu = time.process_time()
    start = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if response.streaming:
        pieces = iter(response.streaming_content)
        first = next(pieces)
        first_ms = (time.perf_counter() - start) * 1000
        size = len(first) + sum(len(p) for p in pieces)
    else:
        first_ms = (time.perf_counter() - start) * 1000
        size = len(response.content)
    total = time.perf_counter() - start
    return first_ms, total, time.process_time() - cpu, size, rss_mb() - before


def main() -> None:
    setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from recreg.accounts.models import User
    from recreg.findings.models import Finding

    started = time.perf_counter()
    if Finding.objects.count() == ROWS:
        # A register filled by an earlier run (RECREG_DATA_DIR or DATABASE_URL given again).
        user = User.objects.get(email="bench@hmicfrs.test")
        print(f"{connection.vendor}: reusing {ROWS:,} findings")
    else:
        call_command("flush", interactive=False, verbosity=0)
        user = fill(ROWS)
        # Freshly bulk-loaded tables have no statistics until autovacuum gets to them, and
        # PostgreSQL then plans the export's chunk queries badly: gather them now.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        took = time.perf_counter() - started
        print(f"{connection.vendor}: {ROWS:,} findings filled in {took:.1f} s")
    from recreg.accounts import twofactor

    client = Client()
    client.force_login(user)
    # Signed in past the second factor too, as a person downloading would be.
    session = client.session
    session[twofactor.SESSION_KEY] = twofactor.VERIFIED
    session.save()
    # A running server has its code loaded: the first request of a new process also imports
    # and sets up the views, middleware and templates (a second or more here), which is no
    # part of an export's time. Someone exporting has just seen the register's page.
    client.get("/findings/")
    ok = True
    lines = []
    for url, target in [
        ("/exports/register.csv", 5.0),
        ("/exports/register.csv?kind=recommendation&sort=deadline", 5.0),
        ("/open-data/findings.csv", None),
        ("/open-data/findings.json", None),
        ("/exports/forces/shire-1.csv", None),
        ("/exports/register.xlsx", None),
        ("/dashboards/", None),
        ("/dashboards/forces/shire-1/", None),
    ]:
        first_ms, total, cpu, size, grew = timed(client, url)
        verdict = ""
        if target is not None:
            good = first_ms < 200 and total < target
            ok = ok and good
            verdict = "  ok" if good else "  TOO SLOW (targets: 200 ms, 5 s)"
        line = (
            f"{url:58} first byte {first_ms:7.0f} ms, all {total:6.2f} s ({cpu:5.2f} s CPU), "
            f"{size / 1e6:6.1f} MB, peak memory +{grew:5.0f} MB{verdict}"
        )
        print(line)
        lines.append(line)
    write_figures(
        f"exports-100k-{connection.vendor}",
        f"Exports of {ROWS:,} findings",
        connection.vendor,
        lines,
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
