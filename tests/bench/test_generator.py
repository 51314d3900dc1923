"""The benchmark's generator at a small scale: the register it writes is whole, and its audit
trail and chain head agree, so the register's next change takes the next place in the chain.

A broken generator was otherwise found only by a benchmark run (every update of a soak run
failed when the chain head did not name the generated events)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.engines import sqlite_only

ROOT = Path(__file__).resolve().parents[2]


@sqlite_only
def test_the_generator_writes_a_register_with_an_intact_audit_trail(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "RECREG_DATA_DIR")}
    env["BENCH_DATA_DIR"] = str(tmp_path)
    generate = [sys.executable, str(ROOT / "bench" / "generate.py"), "--scale", "0.002", "--quiet"]
    done = subprocess.run(generate, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    counts = json.loads((tmp_path / "sqlite.json").read_text())["counts"]
    assert counts["findings_finding"] == 200
    assert counts["findings_response"] > counts["findings_finding"]
    assert counts["progress_progressupdate"] == counts["progress_timelineevent"] > 0

    env["RECREG_DATA_DIR"] = str(tmp_path)
    verify = [sys.executable, "-m", "recreg.cli", "audit", "verify"]
    checked = subprocess.run(verify, env=env, capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stderr
    assert "The audit trail is intact: 200 events checked" in checked.stdout

    # The counts set aside during the load are filled once after it, matching the responses.
    code = (
        "from recreg.findings.counts import count_drift, kept_counts; "
        "print('drift', count_drift(), 'kept', sum(kept_counts().values()))"
    )
    drift = [sys.executable, "-m", "recreg.cli", "manage", "shell", "-c", code]
    checked = subprocess.run(drift, env=env, capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stderr
    assert f"drift {{}} kept {counts['findings_response']}" in checked.stdout
