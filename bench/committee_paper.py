"""Time a committee paper for a force with 300 findings and 3,000 progress updates, in Word
(target: under 1 s) and PDF (target: under 3 s). Not a test.

Run: .venv/bin/python bench/committee_paper.py  (or `make bench`)

It builds the force in a throwaway SQLite database (or the database DATABASE_URL names, in a
test database of its own) and removes it afterwards.
"""

from __future__ import annotations

import datetime
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from figures import write_figures  # noqa: E402

FINDINGS = 300
UPDATES_PER_FINDING = 10
REPORTS = 12


def build(Role, models):  # noqa: N803 - the classes handed in
    """The force, its people, 12 reports of 25 findings each, and 10 updates per finding."""
    from django.utils import timezone

    Organisation, User, Inspection, Finding, Response, ProgressUpdate = models
    inspectorate = Organisation.objects.create(name="HMICFRS", slug="hmicfrs", kind="inspectorate")
    force = Organisation.objects.create(name="Benchshire Police", slug="benchshire", kind="force")
    pcc = Organisation.objects.create(
        name="Office of the PCC for Benchshire",
        slug="pcc-benchshire",
        kind="pcc_office",
        force=force,
    )
    officer = User.objects.create(
        email="officer@pcc.bench", full_name="Pat Officer", role=Role.PCC_OFFICER, organisation=pcc
    )
    owner = User.objects.create(
        email="acc@force.bench",
        full_name="Alex Chief",
        job_title="ACC",
        role=Role.FORCE_READER,
        organisation=force,
    )
    start = datetime.date(2021, 1, 15)
    per_report = FINDINGS // REPORTS
    findings = []
    for r in range(REPORTS):
        inspection = Inspection.objects.create(
            title=f"Inspection {r + 1} of Benchshire Police",
            kind="force",
            lead_inspectorate=inspectorate,
            state="published",
            published_on=start + datetime.timedelta(days=120 * r),
            fieldwork_start=start + datetime.timedelta(days=120 * r - 60),
            fieldwork_end=start + datetime.timedelta(days=120 * r - 50),
        )
        inspection.forces_in_scope.set([force])
        for n in range(per_report):
            findings.append(
                Finding(
                    inspection=inspection,
                    kind="area_for_improvement",
                    reference=f"AFI{n + 1}",
                    text=f"The force should improve its handling of matter {r}.{n}, so that "
                    "victims get a better and more consistent service across the force area.",
                    sequence=n + 1,
                    state="published",
                    deadline_text="within six months",
                )
            )
    findings = Finding.objects.bulk_create(findings)
    rags = ["red", "amber", "green"]
    responses = Response.objects.bulk_create(
        Response(
            finding=f,
            organisation=force,
            state="in_progress",
            owner=owner,
            tactical_lead=owner,
            rag=rags[i % 3],
            target_date=datetime.date(2025, 3, 31),
        )
        for i, f in enumerate(findings)
    )
    now = timezone.now()
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            response=resp,
            narrative=f"Update {u + 1}: the working group met and agreed the next steps; "
            "an audit of a sample of cases is planned for next month.",
            rag=rags[(i + u) % 3],
            author=owner,
            created_at=now - datetime.timedelta(days=10 * (UPDATES_PER_FINDING - u)),
        )
        for i, resp in enumerate(responses)
        for u in range(UPDATES_PER_FINDING)
    )
    return pcc, officer, start


def main() -> None:
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recreg.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import get_runner, setup_test_environment

    setup_test_environment()
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old_config = runner.setup_databases()
    try:
        from recreg.accounts.models import User
        from recreg.accounts.roles import Role
        from recreg.findings.models import Finding, Response
        from recreg.inspections.models import Inspection
        from recreg.organisations.models import Organisation
        from recreg.progress.models import ProgressUpdate
        from recreg.reports.content import build_committee_paper
        from recreg.reports.render import render_docx, render_pdf

        pcc, officer, start = build(
            Role, (Organisation, User, Inspection, Finding, Response, ProgressUpdate)
        )
        print(
            f"{Finding.objects.count()} findings, {ProgressUpdate.objects.count()} updates "
            f"({settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]})"
        )
        since = start + datetime.timedelta(days=120 * (REPORTS - 3))
        meeting = start + datetime.timedelta(days=120 * REPORTS)

        def timed(render):
            started, cpu = time.perf_counter(), time.process_time()
            content = build_committee_paper(pcc, since=since, meeting=meeting, user=officer)
            data = render(content)
            return time.perf_counter() - started, time.process_time() - cpu, len(data)

        timed(render_docx)  # warm up: templates, imports, fonts
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            content = build_committee_paper(pcc, since=since, meeting=meeting, user=officer)
            profiler = cProfile.Profile()
            profiler.runcall(render_pdf, content)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
        results = {}
        lines = []
        for name, render, target in (("Word", render_docx, 1.0), ("PDF", render_pdf, 3.0)):
            runs = [timed(render) for _ in range(int(os.environ.get("BENCH_RUNS", "3")))]
            best = min(t for t, _, _ in runs)
            cpu = min(c for _, c, _ in runs)
            results[name] = (best, target)
            # The CPU time says how long it takes on an idle machine; the wall time what it
            # took here, with whatever else was running.
            line = (
                f"{name}: {best:.2f} s wall, {cpu:.2f} s CPU, best of {len(runs)} "
                f"({runs[0][2] / 1024:.0f} KB; target < {target:g} s)"
            )
            print(line)
            lines.append(line)
        write_figures(
            "committee-paper",
            f"Committee paper, {FINDINGS} findings and {FINDINGS * UPDATES_PER_FINDING:,} updates",
            settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
            lines,
        )
    finally:
        runner.teardown_databases(old_config)
    sys.exit(0 if all(best < target for best, target in results.values()) else 1)


if __name__ == "__main__":
    main()
