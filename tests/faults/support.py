"""What the fault tests share: a register in a real database of its own, the real server as a
separate process, and a small HTTP client that signs in and posts updates like a browser."""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

EDITOR_PASSWORD = "correct horse battery"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION_INPUT = re.compile(r'name="version" value="(\d+)"')


def register_env(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    """The environment of a recreg process on this register."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        RECREG_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="recreg.settings",
        RECREG_LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        # These tests are about the database and files, and their editors sign in with a
        # password alone; two-factor sign-in has its own tests.
        RECREG_REQUIRE_2FA="off",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def recreg(*args: str, env: dict[str, str], timeout: float = 240) -> str:
    """Run a recreg command to completion; its output, or a failure naming what it said."""
    done = subprocess.run(
        [sys.executable, "-m", "recreg.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"recreg {' '.join(args)} failed:\n{done.stderr[-3000:]}"
    return done.stdout


def load_register(backup: Path, env: dict[str, str]) -> None:
    """A fresh database with the register from a backup in it."""
    recreg("manage", "migrate", "--verbosity", "0", env=env)
    recreg("restore", str(backup), env=env)


def sqlite_register(template: Path, backup: Path, data: Path) -> dict[str, str]:
    """A SQLite register of the test's own (copied from the migrated template folder and
    restored from the backup); its environment."""
    data.mkdir()
    shutil.copy(template / "recreg.sqlite3", data / "recreg.sqlite3")
    shutil.copy(template / "secret_key", data / "secret_key")
    (data / "static").symlink_to(template / "static")
    env = register_env(data)
    recreg("restore", str(backup), env=env)
    return env


PG_BIN = Path("/usr/lib/postgresql/15/bin")


class PrivatePostgres:
    """A PostgreSQL 15 server of the test's own, in a temporary folder on its own port, so it
    can be stopped and started without touching anyone else's."""

    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="recreg-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"
        # PostgreSQL will not run as root; the folder is handed to its own user.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        done = subprocess.run([*self.as_user, *args], capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, f"{args[0]} failed: {done.stderr[-2000:]}"

    def url(self, name: str) -> str:
        """The address of a database on this server."""
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def __enter__(self) -> PrivatePostgres:
        if self.as_user:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        self.start()
        return self

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c shared_buffers=32MB -c max_connections=50"
        )
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                  "-o", options, "-w", "-t", "120", "start")  # fmt: skip

    def stop(self) -> None:
        """Stop the server now, cutting off every connection."""
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def create_database(self, name: str) -> str:
        """A new empty database; its address."""
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def __exit__(self, *exc) -> None:
        subprocess.run(
            [*self.as_user, str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
             "stop"],
            capture_output=True,
            timeout=60,
        )  # fmt: skip
        shutil.rmtree(self.dir, ignore_errors=True)


def free_port() -> int:
    """A loopback port nobody is listening on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`recreg serve` on a loopback port, stopped (and its output kept) at the end."""

    def __init__(self, env: dict[str, str], *, workers: int = 2, threads: int = 4):
        self.env = env
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = Path(env["RECREG_DATA_DIR"]) / "server.log"
        self.args = ["--workers", str(workers), "--threads", str(threads)]
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "recreg.cli",
                    "serve",
                    "--port",
                    str(self.port),
                    "--no-collectstatic",
                    *self.args,
                ],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"the server stopped:\n{self.output()}"
            try:
                with urllib.request.urlopen(self.base + "/", timeout=5) as reply:
                    if reply.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.5)
        raise AssertionError(f"the server did not answer within 120 s:\n{self.output()}")

    def output(self) -> str:
        """What the server wrote."""
        return self.log.read_text(errors="replace")[-5000:]

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Reply:
    status: int
    body: str
    headers: dict[str, str]


class Browser:
    """A cookie-keeping client that does not follow redirects (a 302 after a post is the
    register's acknowledgement)."""

    def __init__(self, base: str, timeout: float = 30):
        self.base = base
        self.timeout = timeout
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(self, path: str, data: dict | None = None, headers: dict | None = None) -> Reply:
        """GET, or POST the form data; any HTTP status comes back as a Reply."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        if data is not None:
            request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=self.timeout) as reply:
                return Reply(
                    reply.status, reply.read().decode(errors="replace"), dict(reply.headers)
                )
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read().decode(errors="replace"), dict(error.headers))

    def sign_in(self, email: str, password: str = EDITOR_PASSWORD) -> None:
        """Sign in through the sign-in form."""
        page = self.request("/accounts/sign-in/")
        token = CSRF_INPUT.search(page.body)
        assert token, page.body[:500]
        done = self.request(
            "/accounts/sign-in/",
            {"csrfmiddlewaretoken": token.group(1), "username": email, "password": password},
        )
        assert done.status == 302, f"sign-in failed: {done.status} {done.body[:300]}"

    def post_update(self, response_id: int, narrative: str) -> Reply:
        """Open the update form and post it, as a person would."""
        path = f"/progress/responses/{response_id}/updates/new/"
        form = self.request(path)
        if form.status != 200:
            return form
        token, version = CSRF_INPUT.search(form.body), VERSION_INPUT.search(form.body)
        assert token and version, form.body[:500]
        return self.request(
            path,
            {
                "csrfmiddlewaretoken": token.group(1),
                "version": version.group(1),
                "narrative": narrative,
                "rag": "green",
                "percent_complete": "",
            },
        )
