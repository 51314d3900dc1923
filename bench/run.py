"""The load run (`make bench`): the national register at ten times real size, served by
`recreg serve` with production settings on loopback, driven by wrk at several concurrencies, on
SQLite and PostgreSQL, beside Datasette serving the same query and the bare SQL timed alone.

    python bench/run.py                         # both engines, 10 s per measurement
    python bench/run.py --engines sqlite --duration 5 --only register,search
    python bench/run.py --regenerate            # make the register again first

It prints one table and writes it as Markdown to bench/results/. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from recreg.core.management.commands.serve import default_workers

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
DATA_DIR = BENCH_DIR / "data"
RESULTS_DIR = BENCH_DIR / "results"
PYTHON = sys.executable
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/recreg_bench"

# Targets of issue 7, at concurrency 8.
PAGE_P95_MS = 100
SEARCH_P95_MS = 150
# Datasette runs as one process; its queries run on a pool of threads of this size.
DATASETTE_SQL_THREADS = 4
CSV_FIRST_BYTE_MS = 200
CSV_TOTAL_S = 5
WORKER_MB = 250


@dataclass
class Scenario:
    """One thing to measure. `path` may name {force}; `paths` rotates through several.

    kind "page": a GET under load; "stream": one long download timed to its first byte and
    end; "command": a `recreg` command run a few times. A page that answers 404, or a command
    that does not exist, is reported as not available rather than stopping the run.
    """

    name: str
    label: str
    path: str = ""
    persona: str = "editor"
    kind: str = "page"
    token: bool = False
    detail: bool = False
    target_p95_ms: float = PAGE_P95_MS
    command: list[str] = field(default_factory=list)


SCENARIOS = [
    Scenario("register", "Register, unfiltered", "/findings/"),
    Scenario(
        "search", "Full-text search", "/findings/?q=domestic+abuse", target_p95_ms=SEARCH_P95_MS
    ),
    Scenario(
        "filtered",
        "Filtered list (force, state, overdue)",
        "/findings/?force={force}&state=in_progress&overdue=1",
    ),
    Scenario("detail", "Finding detail", detail=True),
    Scenario("overview", "Force overview", "/progress/forces/{force}/"),
    Scenario("my_work", "My work", "/progress/my-work/"),
    Scenario("api_list", "API list", "/api/v1/findings?page_size=50", persona="", token=True),
    Scenario(
        "csv",
        "CSV export, 100,000 rows",
        "/exports/register.csv?",
        persona="inspector",
        kind="stream",
    ),
    Scenario(
        "committee",
        "Committee paper",
        kind="command",
        command=["report", "committee", "--org", "{force}", "--since", "{since}"]
        + ["--meeting", "{meeting}", "--output", "{output}"],
    ),
]


def say(message: str) -> None:
    print(message, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def workers_for(engine: str, args) -> int:
    """The server's processes: as given, else `recreg serve`'s own default for the engine."""
    return args.workers or default_workers(engine)


def engine_env(engine: str, pg_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["RECREG_DATA_DIR"] = str(DATA_DIR)
    env.pop("RECREG_DEBUG", None)
    env["RECREG_LOG_LEVEL"] = "WARNING"
    env["PYTHONPATH"] = str(PROJECT_DIR / "src")
    if engine == "postgresql":
        env["DATABASE_URL"] = pg_url
    else:
        env.pop("DATABASE_URL", None)
    return env


def recreg(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [PYTHON, "-m", "recreg.cli", *args],
        env=env,
        cwd=PROJECT_DIR,
        text=True,
        capture_output=True,
        **kwargs,
    )


def ensure_register(engine: str, env: dict, *, scale: float, regenerate: bool) -> dict:
    """The generated register for this engine, made (and timed) if missing."""
    meta = DATA_DIR / f"{engine}.json"
    known = json.loads(meta.read_text()) if meta.exists() else None
    if engine == "sqlite" and not (DATA_DIR / "recreg.sqlite3").exists():
        known = None
    if engine == "postgresql" and known is not None:
        check = subprocess.run(  # noqa: S603
            [PYTHON, "-c", "import django,os;os.environ.setdefault('DJANGO_SETTINGS_MODULE','recreg.settings');"
             "django.setup();from recreg.findings.models import Finding;print(Finding.objects.count())"],
            env=env, capture_output=True, text=True,
        )  # fmt: skip
        if (
            check.returncode != 0
            or int(check.stdout.strip() or 0) != known["counts"]["findings_finding"]
        ):
            known = None
    if known is None or regenerate or known.get("scale") != scale:
        say(f"Generating the {engine} register (scale {scale})…")
        args = [PYTHON, str(BENCH_DIR / "generate.py"), "--scale", str(scale)]
        if engine == "postgresql":
            args += ["--database-url", env["DATABASE_URL"]]
        subprocess.run(args, env=env, check=True)  # noqa: S603
        known = json.loads(meta.read_text())
    # Migrations made since the register was generated (new indexes) are applied to it.
    migrated = recreg(env, "manage", "migrate", "--no-input")
    if migrated.returncode != 0:
        raise SystemExit(f"migrate failed on {engine}:\n{migrated.stderr}")
    # Production settings read static files through their manifest, so it must exist first.
    collected = recreg(env, "manage", "collectstatic", "--no-input", "--verbosity", "0")
    if collected.returncode != 0:
        raise SystemExit(f"collectstatic failed:\n{collected.stderr}")
    return known


def frontend_missing(project_dir: Path) -> str | None:
    """Why this checkout cannot collect the pages' static files, or None if it can.

    collectstatic only warns about a missing GOV.UK Frontend, and writes a manifest without
    its files into the data directory that every checkout's runs share (bench/data): every
    page then fails, for this run and later ones, until a full checkout collects again."""
    frontend = project_dir / "node_modules" / "govuk-frontend" / "dist" / "govuk"
    if (frontend / "govuk-frontend.min.css").is_file():
        return None
    return (
        f"GOV.UK Frontend is not installed in this checkout ({frontend} is missing): run "
        "`make install` here, or link node_modules from a checkout that has it, so that "
        "collectstatic does not write a manifest without its files into the shared data."
    )


def probe(env: dict, command: str, stdin: str = "") -> object:
    done = subprocess.run(  # noqa: S603
        [PYTHON, str(BENCH_DIR / "probe.py"), command],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"bench/probe.py {command} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


class Server:
    """A process serving on loopback until stopped."""

    def __init__(self, args: list[str], env: dict, port: int, ready_path: str = "/"):
        self.port = port
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - kept open while the server runs
        self.proc = subprocess.Popen(  # noqa: S603
            args,
            env=env,
            cwd=PROJECT_DIR,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise SystemExit(f"server stopped at start:\n{self.log.read().decode()[-3000:]}")
            try:
                status, _ = get(port, ready_path, {}, read=False)
                if status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise SystemExit("server did not start within 120 s")

    def children(self) -> list[int]:
        try:
            text = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        except OSError:
            return []
        return [int(p) for p in text.split()]

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time of these processes so far."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def wait_idle(server: Server, limit: float = 120.0) -> None:
    """Wait until the server has finished what the last load left queued: wrk stops sending,
    but requests already accepted are still being answered, and would slow the next
    measurement."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        pids = [server.proc.pid, *server.children()]
        before = cpu_seconds(pids)
        time.sleep(0.5)
        if cpu_seconds(pids) - before < 0.02:
            return


def rss_mb(pid: int, key: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def get(port: int, path: str, headers: dict, *, read: bool = True) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read() if read else b""
        return response.status, body
    finally:
        conn.close()


def wrk(
    port: int, path: str, headers: dict, concurrency: int, duration: int, paths_file: str | None
) -> dict:
    args = [
        "wrk", f"-t{min(concurrency, 2)}", f"-c{concurrency}", f"-d{duration}s", "--timeout", "30s",
        "-s", str(BENCH_DIR / "wrk_report.lua"),
    ]  # fmt: skip
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    args.append(f"http://127.0.0.1:{port}{path}")
    if paths_file:
        args += ["--", paths_file]
    done = subprocess.run(args, capture_output=True, text=True)  # noqa: S603
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("{")), None)
    if line is None:
        raise SystemExit(f"wrk gave no figures:\n{done.stdout}\n{done.stderr}")
    figures = json.loads(line)
    if figures["requests"] == 0:
        # Nothing completed within the measurement: report the time it ran as the latency floor.
        figures.update({k: figures["duration_us"] for k in ("p50_us", "p95_us", "p99_us")})
    seconds = figures["duration_us"] / 1e6
    errors = sum(
        figures[k]
        for k in ("status_errors", "connect_errors", "read_errors", "write_errors", "timeouts")
    )
    return {
        "p50": figures["p50_us"] / 1000,
        "p95": figures["p95_us"] / 1000,
        "p99": figures["p99_us"] / 1000,
        "rps": figures["requests"] / seconds if seconds else 0.0,
        "requests": figures["requests"],
        "errors": errors,
    }


@dataclass
class Row:
    engine: str
    scenario: Scenario
    concurrency: int | None = None
    figures: dict = field(default_factory=dict)
    datasette: dict = field(default_factory=dict)
    floor_ms: float | None = None
    queries: int | None = None
    note: str = ""


def headers_for(scenario: Scenario, auth: dict) -> dict:
    if scenario.token:
        return {"Authorization": f"Bearer {auth['token']}"}
    if scenario.persona:
        return {"Cookie": f"{auth['cookie_name']}={auth['sessions'][scenario.persona]}"}
    return {}


def run_engine(engine: str, args, datasette_cache: dict) -> tuple[list[Row], dict]:
    env = engine_env(engine, args.pg_url)
    meta = ensure_register(engine, env, scale=args.scale, regenerate=args.regenerate)
    auth = probe(env, "prepare")
    scenarios = [s for s in SCENARIOS if not args.only or s.name in args.only]
    paths: dict[str, str] = {}
    paths_files: dict[str, str] = {}
    for s in scenarios:
        if s.detail:
            ids = auth["detail_ids"]
            paths[s.name] = f"/findings/{ids[0]}/"
            with tempfile.NamedTemporaryFile("w", suffix=".paths", delete=False) as handle:
                handle.write("\n".join(f"/findings/{i}/" for i in ids))
            paths_files[s.name] = handle.name
        elif s.path:
            paths[s.name] = s.path.format(force=auth["force"])
    floor_spec = [
        {
            "name": s.name,
            "path": paths[s.name],
            "persona": "" if s.token else s.persona,
            "token": auth["token"] if s.token else "",
        }
        for s in scenarios
        if s.kind == "page" and s.name in paths
    ]
    say(f"[{engine}] timing each page's SQL alone…")
    floors = {f["name"]: f for f in probe(env, "floor", json.dumps(floor_spec))}

    port = free_port()
    say(f"[{engine}] starting recreg serve on 127.0.0.1:{port}…")
    server = Server(
        [PYTHON, "-m", "recreg.cli", "serve", "--port", str(port), "--workers", str(workers_for(engine, args)), "--threads", str(args.threads),
         "--no-collectstatic"],
        env, port,
    )  # fmt: skip
    datasette = None
    rows: list[Row] = []
    extra: dict = {"generated": meta}
    try:
        if (
            engine == "sqlite"
            and not args.skip_datasette
            and shutil.which("datasette", path=str(Path(PYTHON).parent))
        ):
            dport = free_port()
            datasette = Server(
                [str(Path(PYTHON).parent / "datasette"), "serve", str(DATA_DIR / "recreg.sqlite3"), "--port", str(dport),
                 "--setting", "sql_time_limit_ms", "60000", "--setting", "max_returned_rows", "1000",
                 "--setting", "num_sql_threads", str(DATASETTE_SQL_THREADS)],
                env, dport, ready_path="/-/versions.json",
            )  # fmt: skip
        for s in scenarios:
            if s.kind == "command":
                rows.append(run_command(s, env, auth, engine))
                continue
            headers = headers_for(s, auth)
            status, _ = get(port, paths[s.name], headers, read=True)
            if status == 404:
                rows.append(Row(engine, s, note="not available (404)"))
                say(f"[{engine}] {s.label}: not available (404)")
                continue
            if status != 200:
                rows.append(Row(engine, s, note=f"answered {status}"))
                say(f"[{engine}] {s.label}: answered {status}")
                continue
            if s.kind == "stream":
                rows.append(run_stream(s, engine, port, paths[s.name], headers, server))
                continue
            floor = floors.get(s.name, {})
            ds_path = None
            if datasette is not None and floor.get("heaviest_sql"):
                ds_path = "/recreg.json?" + urllib.parse.urlencode(
                    {"sql": floor["heaviest_sql"], "_shape": "array"}
                )
                ds_status, _ = get(datasette.port, ds_path, {})
                if ds_status != 200:
                    ds_path = None
            for c in args.concurrency:
                wrk(
                    port,
                    paths[s.name],
                    headers,
                    c,
                    max(1, args.duration // 3),
                    paths_files.get(s.name),
                )  # warm-up
                wait_idle(server)
                figures = wrk(
                    port, paths[s.name], headers, c, args.duration, paths_files.get(s.name)
                )
                wait_idle(server)
                if ds_path:
                    datasette_cache[(s.name, c)] = wrk(
                        datasette.port, ds_path, {}, c, args.duration, None
                    )
                    wait_idle(datasette)
                row = Row(
                    engine, s, c, figures, datasette_cache.get((s.name, c), {}),
                    floor.get("floor_ms"), floor.get("queries"),
                )  # fmt: skip
                rows.append(row)
                say(
                    f"[{engine}] {s.label:<40} c={c:<3} p50 {figures['p50']:7.1f} p95 {figures['p95']:7.1f} "
                    f"p99 {figures['p99']:7.1f} ms {figures['rps']:7.1f} req/s errors {figures['errors']}"
                )
        workers = server.children()
        extra["worker_rss_mb"] = [round(rss_mb(pid), 1) for pid in workers]
        extra["worker_peak_mb"] = [round(rss_mb(pid, "VmHWM"), 1) for pid in workers]
        # Resident memory counts SQLite's memory-mapped database pages (file-backed, shared
        # with the page cache); the private part is what a worker really costs.
        extra["worker_private_mb"] = [round(rss_mb(pid, "RssAnon"), 1) for pid in workers]
    finally:
        server.stop()
        if datasette is not None:
            datasette.stop()
        for name in paths_files.values():
            Path(name).unlink(missing_ok=True)
    return rows, extra


def run_stream(
    s: Scenario, engine: str, port: int, path: str, headers: dict, server: Server
) -> Row:
    """One download: time to the first byte, to the end, the rows, and the worker's memory."""
    runs = []
    for _ in range(3):
        before = {pid: rss_mb(pid) for pid in server.children()}
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        first = response.read(1)
        first_byte = time.perf_counter() - started
        size, lines = len(first), first.count(b"\n")
        while chunk := response.read(65536):
            size += len(chunk)
            lines += chunk.count(b"\n")
        total = time.perf_counter() - started
        conn.close()
        after = {pid: (rss_mb(pid), rss_mb(pid, "VmHWM")) for pid in server.children()}
        growth = max((after[p][0] - before.get(p, after[p][0]) for p in after), default=0.0)
        runs.append(
            {"first_byte_ms": first_byte * 1000, "total_s": total, "rows": max(0, lines - 1), "bytes": size,
             "rss_growth_mb": growth, "peak_mb": max((v[1] for v in after.values()), default=0.0)}
        )  # fmt: skip
    best = min(runs, key=lambda r: r["total_s"])
    say(
        f"[{engine}] {s.label}: first byte {best['first_byte_ms']:.0f} ms, all {best['rows']} rows "
        f"in {best['total_s']:.2f} s, worker grew {best['rss_growth_mb']:.1f} MB (peak {best['peak_mb']:.0f} MB)"
    )
    return Row(engine, s, 1, {"stream": best})


def run_command(s: Scenario, env: dict, auth: dict, engine: str) -> Row:
    """A `recreg` command, if the installed register has it, timed over three runs."""
    probe_help = recreg(env, *s.command[:2], "--help")
    if probe_help.returncode != 0:
        say(f"[{engine}] {s.label}: not available (recreg {' '.join(s.command[:2])})")
        return Row(engine, s, note=f"not available (no `recreg {' '.join(s.command[:2])}`)")
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for index in range(3):
            output = str(Path(tmp) / f"paper-{index}.docx")
            # The paper for a quarterly meeting today: what changed in the last 90 days.
            today = datetime.date.today()
            command = [
                part.format(
                    force=auth["force"],
                    output=output,
                    since=(today - datetime.timedelta(days=90)).isoformat(),
                    meeting=today.isoformat(),
                )
                for part in s.command
            ]
            started = time.perf_counter()
            done = recreg(env, *command)
            times.append(time.perf_counter() - started)
            if done.returncode != 0:
                say(f"[{engine}] {s.label}: failed: {done.stderr.strip()[-300:]}")
                return Row(
                    engine,
                    s,
                    note=f"failed: {(done.stderr.strip().splitlines() or ['?'])[-1][:120]}",
                )
    times.sort()
    say(f"[{engine}] {s.label}: {times[1]:.2f} s (median of 3, including process start)")
    return Row(engine, s, 1, {"command_s": times[1]})


# -- the report -----------------------------------------------------------------------------


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "host": platform.node(),
        "os": f"{platform.system()} {platform.release()}",
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": mem,
        "python": platform.python_version(),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def machine_speed() -> float:
    """Milliseconds for a fixed piece of pure-Python work, best of five: a yardstick for
    comparing runs, since the same machine has served the same code at a third of the speed
    on another day."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        rows = [
            {"id": i, "name": f"finding {i}", "state": "open" if i % 3 else "closed"}
            for i in range(20_000)
        ]
        counts: dict[str, int] = {}
        for row in rows:
            counts[row["state"]] = counts.get(row["state"], 0) + len(row["name"])
        json.dumps(rows)
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1)


def fmt(value, digits=1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def verdict(row: Row) -> str:
    f = row.figures
    if row.note:
        return ""
    if "stream" in f:
        s = f["stream"]
        ok = s["first_byte_ms"] < CSV_FIRST_BYTE_MS and s["total_s"] < CSV_TOTAL_S
        return "met" if ok else "missed"
    if row.concurrency != 8 or "p95" not in f:
        return ""
    checks = [f["p95"] < row.scenario.target_p95_ms, f["errors"] == 0]
    if row.scenario.name == "api_list" and row.datasette:
        checks.append(f["rps"] >= row.datasette["rps"])
    return "met" if all(checks) else "missed"


def target_text(row: Row) -> str:
    """What verdict() checked, in words: the p95, and for the API list Datasette's rate."""
    text = f"p95 < {row.scenario.target_p95_ms:.0f}"
    if row.scenario.name == "api_list" and row.datasette:
        text += ", req/s ≥ Datasette's"
    return text


def table(rows: list[Row]) -> list[str]:
    lines = [
        "| Engine | Scenario | c | p50 ms | p95 ms | p99 ms | req/s | errors | SQL floor ms (queries) "
        "| Datasette p50 ms / req/s | p50 ÷ Datasette | p50 ÷ floor | target (c=8) |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for row in rows:
        f = row.figures
        name = f"{row.scenario.label}"
        if row.note:
            lines.append(f"| {row.engine} | {name} | | | | | | | | | | | {row.note} |")
            continue
        if "stream" in f:
            s = f["stream"]
            lines.append(
                f"| {row.engine} | {name} | 1 | first byte {s['first_byte_ms']:.0f} | all {s['rows']:,} rows "
                f"{s['total_s']:.2f} s | | | | | | | | {verdict(row)} (worker +{s['rss_growth_mb']:.1f} MB, peak {s['peak_mb']:.0f} MB) |"
            )
            continue
        if "command_s" in f:
            lines.append(
                f"| {row.engine} | {name} | 1 | {f['command_s'] * 1000:.0f} | | | | | | | | | (command, median of 3) |"
            )
            continue
        ds = row.datasette
        target = f"{verdict(row)} ({target_text(row)})" if verdict(row) else ""
        lines.append(
            f"| {row.engine} | {name} | {row.concurrency} | {fmt(f['p50'])} | {fmt(f['p95'])} | {fmt(f['p99'])} "
            f"| {fmt(f['rps'])} | {f['errors']} | {fmt(row.floor_ms, 2)} ({row.queries}) "
            f"| {fmt(ds.get('p50'))} / {fmt(ds.get('rps'))} "
            f"| {fmt(f['p50'] / ds['p50'], 2) if ds.get('p50') else '–'} "
            f"| {fmt(f['p50'] / row.floor_ms, 1) if row.floor_ms else '–'} | {target} |"
        )
    return lines


def write_report(rows: list[Row], extras: dict, args, started: datetime.datetime) -> Path:
    info = machine()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y-%m-%d-%H%M")
    path = RESULTS_DIR / f"{stamp}-{info['host'] or 'machine'}.md"
    lines = [
        f"# Benchmark run of {started:%d %B %Y %H:%M} UTC",
        "",
        f"- Machine: {info['host']}, {info['os']}, {info['cpu']}, {info['cores']} cores, {info['memory']} memory, "
        f"Python {info['python']}; load average at the start {extras.get('load_at_start', info['load'])}.",
        f"- Machine speed: a fixed piece of Python work took {extras.get('speed_at_start', '?')} ms at the start "
        f"and {extras.get('speed_at_end', '?')} ms at the end (best of five; lower is faster). The same machine "
        "has run at very different speeds on different days: compare runs only at similar speeds.",
        f"- Server: `recreg serve --threads {args.threads}` with "
        + ", ".join(f"{e}: `--workers {workers_for(e, args)}`" for e in extras["engines"])
        + " (gunicorn, RECREG_DEBUG off) on loopback; "
        f"load from wrk, {args.duration} s per measurement after a warm-up.",
        "- Datasette serves, from the SQLite file, the heaviest SQL statement that reads a list of rows the page "
        "runs (for a list, its page of findings: the same filter and page size, as JSON; not a count); Datasette does not serve PostgreSQL, so the PostgreSQL rows are compared with the "
        "same Datasette figures. The SQL floor is every SELECT the page runs, timed alone on a bare cursor.",
    ]
    if args.note:
        lines.append(f"- Note: {args.note}")
    for engine, extra in extras.get("engines", {}).items():
        gen = extra.get("generated", {})
        counts = gen.get("counts", {})
        lines.append(
            f"- {engine}: register of {counts.get('findings_finding', 0):,} findings, {counts.get('findings_response', 0):,} responses, "
            f"{counts.get('progress_progressupdate', 0):,} updates, {counts.get('accounts_user', 0):,} people "
            f"(generated in {gen.get('seconds', '?')} s); server workers after the load run: resident "
            f"{', '.join(f'{m} MB' for m in extra.get('worker_rss_mb', []))} (peak {', '.join(f'{m} MB' for m in extra.get('worker_peak_mb', []))}), "
            f"of which private {', '.join(f'{m} MB' for m in extra.get('worker_private_mb', []))} "
            f"(target < {WORKER_MB} MB)."
        )
    lines += ["", *table(rows), ""]
    path.write_text("\n".join(lines))
    return path


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and write its report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_SECONDS", 10)))
    parser.add_argument("--concurrency", default="1,8,32")
    parser.add_argument("--only", default="", help="comma-separated scenario names")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--regenerate", action="store_true")
    # recreg serve's own defaults unless given: processes per core by engine, one request at a
    # time each.
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--skip-datasette", action="store_true")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG))
    parser.add_argument("--note", default=os.environ.get("BENCH_NOTE", ""))
    args = parser.parse_args(argv)
    args.concurrency = [int(c) for c in args.concurrency.split(",") if c]
    args.only = {n for n in args.only.split(",") if n}
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    missing = frontend_missing(PROJECT_DIR)
    if missing:
        raise SystemExit(missing)
    started = datetime.datetime.now(datetime.UTC)
    extras: dict = {
        "load_at_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "speed_at_start": machine_speed(),
        "engines": {},
    }
    say(f"machine speed: {extras['speed_at_start']} ms for the yardstick (lower is faster)")
    rows: list[Row] = []
    datasette_cache: dict = {}
    for engine in [e.strip() for e in args.engines.split(",") if e.strip()]:
        engine_rows, extra = run_engine(engine, args, datasette_cache)
        rows += engine_rows
        extras["engines"][engine] = extra
    extras["speed_at_end"] = machine_speed()
    say(f"machine speed: {extras['speed_at_end']} ms for the yardstick at the end")
    print()
    print("\n".join(table(rows)))
    for engine, extra in extras["engines"].items():
        print(
            f"{engine}: server workers after the load run: resident {extra.get('worker_rss_mb')} MB "
            f"(peak {extra.get('worker_peak_mb')}), private {extra.get('worker_private_mb')} MB"
        )
    path = write_report(rows, extras, args, started)
    print(f"\nWritten to {path.relative_to(PROJECT_DIR)}")


if __name__ == "__main__":
    main()
