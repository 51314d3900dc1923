"""The benchmark's report: which rows meet issue 7's targets, and the machine's speed beside
them, without which a run on a slow day cannot be told from slow code."""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def run():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    # Its dataclasses look their module up by name.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def _scenario(run, name):
    return next(s for s in run.SCENARIOS if s.name == name)


def _figures(p95, rps, errors=0):
    return {"p50": p95 / 2, "p95": p95, "p99": p95 * 1.1, "rps": rps, "errors": errors}


def test_verdicts_hold_each_page_to_its_target_at_concurrency_8(run):
    register, search, api = (_scenario(run, n) for n in ("register", "search", "api_list"))
    assert run.verdict(run.Row("sqlite", register, 8, _figures(99.9, 100))) == "met"
    assert run.verdict(run.Row("sqlite", register, 8, _figures(100.0, 100))) == "missed"
    assert run.verdict(run.Row("sqlite", register, 8, _figures(50, 100, errors=1))) == "missed"
    assert run.verdict(run.Row("sqlite", register, 32, _figures(500, 100))) == ""
    assert run.verdict(run.Row("sqlite", search, 8, _figures(140, 100))) == "met"
    datasette = {"p50": 40, "rps": 200}
    assert run.verdict(run.Row("postgresql", api, 8, _figures(50, 200), datasette)) == "met"
    assert run.verdict(run.Row("postgresql", api, 8, _figures(50, 199), datasette)) == "missed"


def test_the_report_names_the_machines_speed_and_each_verdict(run, tmp_path, monkeypatch):
    monkeypatch.setattr(run, "RESULTS_DIR", tmp_path)
    rows = [
        run.Row("sqlite", _scenario(run, "register"), 8, _figures(40, 250), {}, 2.0, 6),
        run.Row("sqlite", _scenario(run, "overview"), 8, _figures(120, 70), {}, 3.0, 8),
    ]
    extras = {"load_at_start": "0.10 0.20 0.30", "speed_at_start": 17.5, "speed_at_end": 52.4}
    extras["engines"] = {"sqlite": {"generated": {"counts": {"findings_finding": 100_000}}}}
    args = argparse.Namespace(threads=1, workers=0, duration=8, note="")
    started = datetime.datetime(2026, 12, 5, 2, 0, tzinfo=datetime.UTC)
    text = run.write_report(rows, extras, args, started).read_text()
    assert "took 17.5 ms at the start and 52.4 ms at the end" in text
    assert "| sqlite | Register, unfiltered | 8 | 20.0 | 40.0 |" in text
    assert "| met (p95 < 100) |" in text
    assert "| missed (p95 < 100) |" in text
    assert isinstance(run.machine_speed(), float)


def test_a_checkout_without_govuk_frontend_is_refused_before_it_collects(run, tmp_path):
    # Its collectstatic would write a manifest without the frontend's files into the data
    # every checkout's runs share, and every page would fail from then on.
    message = run.frontend_missing(tmp_path)
    assert "GOV.UK Frontend is not installed" in message
    assert "make install" in message
    assert run.frontend_missing(ROOT) is None  # `make test` installs it first
    frontend = tmp_path / "node_modules" / "govuk-frontend" / "dist" / "govuk"
    frontend.mkdir(parents=True)
    (frontend / "govuk-frontend.min.css").write_text("/* built */")
    assert run.frontend_missing(tmp_path) is None


def test_the_run_stops_before_anything_when_the_frontend_is_missing(run, monkeypatch):
    monkeypatch.setattr(run, "PROJECT_DIR", Path("/nonexistent-checkout"))
    monkeypatch.setattr(run.shutil, "which", lambda name: "/usr/bin/" + name)
    speed = []
    monkeypatch.setattr(run, "machine_speed", lambda: speed.append(1) or 1.0)
    with pytest.raises(SystemExit, match="GOV.UK Frontend is not installed"):
        run.main(["--engines", "sqlite", "--only", "register"])
    assert speed == []  # refused before the run began
