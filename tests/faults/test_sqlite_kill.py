"""SQLite: a writer killed with SIGKILL in the middle of a stream of updates leaves a sound
database holding every update it acknowledged, and an audit trail that still verifies."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

from tests.engines import sqlite_only
from tests.faults.support import recreg, sqlite_register

# The writer posts updates through the service, round the responses, and says "ack ID" only
# once post_update has returned, that is once the transaction has committed.
WRITER = """
import sys
import django
django.setup()
from recreg.accounts.models import User
from recreg.findings.models import Response
from recreg.progress import services

editor = User.objects.get(email=sys.argv[1])
ids = [int(pk) for pk in sys.argv[2].split(",")]
print("ready", flush=True)
n = 0
while True:
    for pk in ids:
        response = Response.objects.get(pk=pk)
        update = services.post_update(
            response,
            narrative=f"kill test update {n}",
            rag="amber",
            expected_version=response.version,
            actor=editor,
        )
        print(f"ack {update.pk}", flush=True)
        n += 1
"""
ROUNDS = 3


def _write_until_killed(env, register, acks: set[int], rng: random.Random) -> None:
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, register.editor, ",".join(map(str, register.response_ids))],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
        # Kill after a random number of acknowledged updates: the writer is by then always in
        # the middle of its next one.
        wanted = rng.randint(20, 60)
        got = 0
        while got < wanted:
            line = writer.stdout.readline()
            assert line, f"the writer stopped by itself:\n{writer.stderr.read()[-3000:]}"
            acks.add(int(line.split()[1]))
            got += 1
        time.sleep(rng.random() * 0.05)
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=30)
        # Anything it acknowledged between the last read and the kill counts too.
        for line in writer.stdout:
            if line.startswith("ack "):
                acks.add(int(line.split()[1]))
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    assert writer.returncode == -signal.SIGKILL


@sqlite_only
def test_a_writer_killed_mid_stream_loses_nothing_it_acknowledged(
    fault_register, sqlite_template, tmp_path
):
    data = tmp_path / "register"
    env = sqlite_register(sqlite_template, fault_register.backup, data)
    database = data / "recreg.sqlite3"
    acks: set[int] = set()
    rng = random.Random(8)
    for _ in range(ROUNDS):
        _write_until_killed(env, fault_register, acks, rng)
        with sqlite3.connect(database) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            stored = {row[0] for row in conn.execute("SELECT id FROM progress_progressupdate")}
        assert acks <= stored, f"acknowledged but lost: {sorted(acks - stored)[:10]}"
    assert len(acks) >= ROUNDS * 20
    assert "The audit trail is intact" in recreg("audit", "verify", env=env)
