"""The soak run: mixed reading and writing against `recreg serve` for a long time (30 minutes
unless told), watching for errors and for the server's memory creeping up.

    python bench/soak.py                          # 30 minutes on the SQLite register
    python bench/soak.py --minutes 5 --engine postgresql

It uses the benchmark's generated register (made first if missing, see bench/generate.py).
Several client processes each loop over the register, search, a finding, My work, the force
overview and the API, and post a progress update every few requests (through the real form,
with its CSRF token and version). Every response must be what a user would want: 200 for a
page, a redirect after a posted update. The server's workers are never recycled, so a leak
would show: their memory is sampled through the run and must end flat. Exit status 1 on any
error or on memory growth; a Markdown report goes to bench/results/.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import multiprocessing
import os
import random
import re
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from run import (  # noqa: E402
    DEFAULT_PG,
    PROJECT_DIR,
    PYTHON,
    RESULTS_DIR,
    Server,
    engine_env,
    ensure_register,
    free_port,
    machine,
    probe,
    rss_mb,
)

# Memory may grow by this much from the first samples (after warm-up) to the last.
FLAT_MB = 25
WRITE_EVERY = 10
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_VERSION = re.compile(r'name="version" value="([0-9]+)"')


def client_loop(index: int, port: int, auth: dict, until: float, results) -> None:
    """One client: reads and writes until the time is up, then reports its counts."""
    rng = random.Random(index)
    cookie = f"{auth['cookie_name']}={auth['sessions']['editor']}"
    force = auth["force"]
    reads = [
        "/findings/",
        "/findings/?q=domestic+abuse",
        "/findings/?q=custody+records",
        f"/findings/?force={force}&state=in_progress&overdue=1",
        f"/progress/forces/{force}/",
        "/progress/my-work/",
    ]
    mine = auth["editable_response_ids"][index::8] or auth["editable_response_ids"]
    counts = {"requests": 0, "errors": 0, "writes": 0}
    samples: list[str] = []
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(method, path, headers=None, body=None):
        nonlocal conn
        for attempt in (1, 2):
            try:
                conn.request(method, path, body=body, headers=headers or {})
                response = conn.getresponse()
                return response.status, response.read(), response.getheader("Set-Cookie") or ""
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def fail(what: str) -> None:
        counts["errors"] += 1
        if len(samples) < 5:
            samples.append(what)

    n = 0
    while time.monotonic() < until:
        n += 1
        try:
            if n % WRITE_EVERY == 0 and mine:
                pk = rng.choice(mine)
                path = f"/progress/responses/{pk}/updates/new/"
                status, body, set_cookie = request("GET", path, {"Cookie": cookie})
                counts["requests"] += 1
                token = _CSRF.search(body.decode())
                version = _VERSION.search(body.decode())
                csrf_cookie = re.search(r"csrftoken=([^;]+)", set_cookie)
                if status != 200 or not token or not version:
                    fail(f"GET {path}: {status}")
                    continue
                form = {
                    "csrfmiddlewaretoken": token.group(1),
                    "version": version.group(1),
                    "narrative": f"Soak test update {n} from client {index}.",
                    "rag": rng.choice(["green", "amber", "red"]),
                    "percent_complete": str(rng.randint(0, 100)),
                }
                cookies = cookie + (f"; csrftoken={csrf_cookie.group(1)}" if csrf_cookie else "")
                status, body, _ = request(
                    "POST",
                    path,
                    {
                        "Cookie": cookies,
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Referer": f"http://127.0.0.1:{port}{path}",
                    },
                    urllib.parse.urlencode(form),
                )
                counts["requests"] += 1
                if status == 302:
                    counts["writes"] += 1
                elif status == 200 and b"changed this response since you opened it" in body:
                    pass  # another client's update got there first: the form says so, by design
                else:
                    fail(f"POST {path}: {status}")
                continue
            if n % 7 == 0:
                pk = rng.choice(auth["detail_ids"])
                path, headers = f"/findings/{pk}/", {"Cookie": cookie}
            elif n % 5 == 0:
                path = "/api/v1/findings?page_size=50&page=" + str(rng.randint(1, 20))
                headers = {"Authorization": f"Bearer {auth['token']}"}
            else:
                path, headers = rng.choice(reads), {"Cookie": cookie}
            status, _body, _ = request("GET", path, headers)
            counts["requests"] += 1
            if status != 200:
                fail(f"GET {path}: {status}")
        except (OSError, http.client.HTTPException) as exc:
            fail(f"connection: {exc!r}")
    conn.close()
    results.put({**counts, "samples": samples})


def main(argv: list[str] | None = None) -> int:
    """Run the soak and report; 0 if there were no errors and memory stayed flat."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=float(os.environ.get("SOAK_MINUTES", 30)))
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--sample-seconds", type=float, default=0)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG))
    parser.add_argument("--note", default=os.environ.get("BENCH_NOTE", ""))
    args = parser.parse_args(argv)
    env = engine_env(args.engine, args.pg_url)
    ensure_register(args.engine, env, scale=args.scale, regenerate=False)
    auth = probe(env, "prepare")
    port = free_port()
    started = datetime.datetime.now(datetime.UTC)
    print(
        f"Soaking recreg serve on {args.engine} for {args.minutes:g} minutes with {args.clients} clients…"
    )
    server = Server(
        [PYTHON, "-m", "recreg.cli", "serve", "--port", str(port), "--no-collectstatic"], env, port
    )
    duration = args.minutes * 60
    interval = args.sample_seconds or max(5.0, duration / 30)
    results: multiprocessing.Queue = multiprocessing.Queue()
    until = time.monotonic() + duration
    clients = [
        multiprocessing.Process(target=client_loop, args=(i, port, auth, until, results))
        for i in range(args.clients)
    ]
    samples: list[tuple[float, float, float]] = []  # (seconds, resident MB, private MB)
    try:
        for c in clients:
            c.start()
        t0 = time.monotonic()
        while time.monotonic() < until:
            time.sleep(min(interval, max(0.1, until - time.monotonic())))
            workers = server.children()
            resident = sum(rss_mb(p) for p in workers)
            private = sum(rss_mb(p, "RssAnon") for p in workers)
            samples.append((time.monotonic() - t0, resident, private))
            print(
                f"  {samples[-1][0]:7.0f} s  workers resident {resident:7.1f} MB, private {private:7.1f} MB",
                flush=True,
            )
        totals = {"requests": 0, "errors": 0, "writes": 0, "samples": []}
        for _ in clients:
            part = results.get(timeout=300)
            for key in ("requests", "errors", "writes"):
                totals[key] += part[key]
            totals["samples"] += part["samples"]
        for c in clients:
            c.join(30)
    finally:
        server.stop()
    # Flat: after the first fifth (warm-up: caches, connections, lazy imports), the private
    # memory of the workers ends within FLAT_MB of where it stood.
    settled = samples[max(1, len(samples) // 5) :] or samples
    head = statistics.median(s[2] for s in settled[:3])
    tail = statistics.median(s[2] for s in settled[-3:])
    growth = tail - head
    flat = growth <= FLAT_MB
    ok = totals["errors"] == 0 and flat and totals["requests"] > 0
    info = machine()
    lines = [
        f"# Soak run of {started:%d %B %Y %H:%M} UTC",
        "",
        f"- Machine: {info['host']}, {info['cpu']}, {info['cores']} cores; load average at the end {info['load']}.",
        f"- {args.engine}, {args.minutes:g} minutes, {args.clients} client processes; "
        f"`recreg serve` (its default workers, never recycled).",
        f"- Requests: {totals['requests']:,} ({totals['requests'] / duration:.1f} a second), of which "
        f"{totals['writes']:,} progress updates posted; errors: {totals['errors']}.",
        f"- Private memory of the server's workers (together) after warm-up {head:.1f} MB, "
        f"at the end {tail:.1f} MB: "
        f"growth {growth:+.1f} MB ({'flat' if flat else 'NOT flat'}, allowed {FLAT_MB} MB).",
        f"- Result: **{'passed' if ok else 'failed'}**.",
    ]
    if args.note:
        lines.append(f"- Note: {args.note}")
    if totals["samples"]:
        lines += ["", "First errors:", *[f"- {s}" for s in totals["samples"][:10]]]
    lines += ["", "| seconds | workers' resident MB | workers' private MB |", "|--:|--:|--:|"]
    lines += [f"| {s:.0f} | {r:.1f} | {p:.1f} |" for s, r, p in samples]
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"soak-{started:%Y-%m-%d-%H%M}-{args.engine}.md"
    path.write_text("\n".join(lines) + "\n")
    print("\n".join(lines[:7]))
    print(f"\nWritten to {path.relative_to(PROJECT_DIR)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
