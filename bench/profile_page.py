"""Profile one page of the generated register in-process, as a signed-in persona.

    python bench/profile_page.py /findings/                      # pyinstrument, 50 requests
    python bench/profile_page.py /findings/ --persona national --requests 200
    python bench/profile_page.py /api/v1/findings --token         # as the editor's API token
    python bench/profile_page.py /findings/ --cprofile            # function totals instead
    python bench/profile_page.py /findings/ --queries             # each statement's time
    DATABASE_URL=postgres://…/recreg_bench python bench/profile_page.py /findings/
    python bench/profile_page.py /exports/register.csv --persona inspector --requests 1

It reads the register bench/generate.py wrote (SQLite under bench/data unless DATABASE_URL
names one), requests the page once to warm up, then the given number of times under the
profiler, and prints where the time went and the mean time per request. It is for finding
what to make faster; the figures to quote come from bench/run.py.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from generate import PERSONAS, setup_django  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    """Profile the page and print the result."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument("--persona", default="editor", choices=sorted(PERSONAS))
    parser.add_argument("--token", action="store_true", help="an API token, not a session")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--cprofile", action="store_true")
    parser.add_argument("--time-only", action="store_true", help="no profiler: just the time")
    parser.add_argument("--queries", action="store_true", help="each statement's mean time")
    parser.add_argument("--runs", type=int, default=3, help="with --time-only: best of this many")
    parser.add_argument(
        "--all-frames", action="store_true", help="pyinstrument: Django's frames too"
    )
    parser.add_argument(
        "--callers", metavar="PATTERN", help="with --cprofile: who calls the functions matching"
    )
    args = parser.parse_args(argv)
    setup_django(os.environ.get("DATABASE_URL") or None)
    os.environ["RECREG_DEBUG"] = "off"

    from django.test import Client

    from recreg.accounts import twofactor
    from recreg.accounts.models import ApiToken, User

    user = User.objects.get(email=PERSONAS[args.persona][0])
    client = Client(HTTP_HOST="127.0.0.1")
    headers = {}
    if args.token:
        raw, prefix, key_hash = ApiToken.new_secret()
        ApiToken.objects.create(user=user, name="profile", prefix=prefix, key_hash=key_hash)
        headers = {"Authorization": f"Bearer {raw}"}
    else:
        client.force_login(user)
        session = client.session
        session[twofactor.SESSION_KEY] = twofactor.VERIFIED
        session.save()

    def run(times: int) -> float:
        started = time.perf_counter()
        for _ in range(times):
            response = client.get(args.path, headers=headers)
            if response.status_code != 200:
                raise SystemExit(f"{args.path} answered {response.status_code}")
            if response.streaming:
                # An export: its rows are only read as the download is sent.
                for _ in response.streaming_content:
                    pass
        return time.perf_counter() - started

    run(3)
    if args.queries:
        print_queries(run, args.requests)
        return
    if args.time_only:
        spent = min(run(args.requests) for _ in range(args.runs))
        print(
            f"{args.path}: {spent / args.requests * 1000:.2f} ms a request "
            f"(best of {args.runs} runs)"
        )
        return
    if args.cprofile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        spent = profiler.runcall(run, args.requests)
        stats = pstats.Stats(profiler).sort_stats("tottime")
        stats.print_stats(30)
        if args.callers:
            stats.print_callers(args.callers)
    else:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
        spent = run(args.requests)
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=args.all_frames))
    print(f"{args.path}: {spent / args.requests * 1000:.1f} ms a request (profiled)")
    if args.token:
        ApiToken.objects.filter(name="profile", user=user).delete()


def print_queries(run, requests: int) -> None:
    """Run the page and print each SQL statement it sends with its mean time, slowest first."""
    from django.db import connection

    spent: dict[str, list[float]] = {}

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.setdefault(sql, []).append(time.perf_counter() - started)

    with connection.execute_wrapper(timed):
        total = run(requests)
    in_sql = sum(sum(times) for times in spent.values())
    for sql, times in sorted(spent.items(), key=lambda item: -sum(item[1])):
        print(f"{sum(times) / requests * 1000:7.2f} ms  x{len(times) / requests:g}  {sql[:600]}\n")
    print(
        f"{total / requests * 1000:.2f} ms a request, {in_sql / requests * 1000:.2f} ms of it "
        f"in {sum(len(t) for t in spent.values()) / requests:g} statements"
    )


if __name__ == "__main__":
    main()
