"""The `recreg` command, end to end where it matters: a real server serving real files."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from recreg.accounts.models import ApiToken
from recreg.audit.models import AuditEvent
from recreg.core.management.commands.serve import default_workers

RECREG = str(Path(sys.executable).with_name("recreg"))


def test_token_create_prints_a_working_token(world, capsys):
    call_command("token", "create", "--user", world.force_a_editor.email)
    raw = capsys.readouterr().out.strip()
    token = ApiToken.objects.find(raw)
    assert token is not None and token.user == world.force_a_editor
    assert raw not in token.key_hash  # only a hash is kept
    assert AuditEvent.objects.for_object(token).exists()


def test_token_create_for_unknown_user_fails_clearly(db):
    with pytest.raises(CommandError, match="No active user"):
        call_command("token", "create", "--user", "nobody@example.org")


def test_usage_and_unknown_command():
    result = subprocess.run([RECREG], capture_output=True, text=True, check=False)
    assert result.returncode == 2 and "usage: recreg" in result.stdout
    result = subprocess.run([RECREG, "frobnicate"], capture_output=True, text=True, check=False)
    assert result.returncode == 2 and "unknown command" in result.stderr


def test_bad_configuration_is_a_message_not_a_traceback(tmp_path):
    env = {**os.environ, "RECREG_DATA_DIR": str(tmp_path), "RECREG_DEBUG": "perhaps"}
    result = subprocess.run(
        [RECREG, "manage", "check"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert "RECREG_DEBUG must be true or false" in result.stderr
    assert "Traceback" not in result.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_runs_a_production_server_with_static_files(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(RECREG_DATA_DIR=str(tmp_path), RECREG_DEBUG="false")
    subprocess.run([RECREG, "manage", "migrate", "-v0"], env=env, check=True, timeout=120)
    port = free_port()
    server = subprocess.Popen(
        [RECREG, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                    health = json.load(response)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(
                        "recreg serve did not start:\n"
                        + (server.stdout.read() if server.poll() is not None else "")
                    )
                time.sleep(0.3)
        assert health == {"status": "ok", "database": "sqlite"}
        with urllib.request.urlopen(base + "/", timeout=5) as response:
            html = response.read().decode()
        assert response.status == 200 and "Recommendations Register" in html
        # The stylesheet is served (hashed name from collectstatic), and so are its fonts.
        css_path = html.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
        with urllib.request.urlopen(base + css_path, timeout=5) as response:
            css = response.read().decode()
        assert response.status == 200 and "govuk" in css
        font = css.split("url(", 1)[1].split(")", 1)[0].strip("\"'")
        with urllib.request.urlopen(base + font, timeout=5) as response:
            assert response.status == 200
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_serve_starts_processes_by_core_and_engine(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    # An SQLite process never waits for a database server: one per core and one more.
    assert default_workers("sqlite") == 3
    # A PostgreSQL process waits for each statement: two per core and one more.
    assert default_workers("postgresql") == 5
    assert default_workers() == default_workers(connection.vendor)
