"""`recreg backup` and `recreg restore`: a whole register into one file and back, across engines,
byte for byte; damaged, altered or misplaced backups are refused and change nothing."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from recreg.audit import chain
from recreg.audit.models import AuditEvent
from recreg.core.backup import MANIFEST
from recreg.findings.counts import count_drift, kept_counts
from recreg.findings.models import Finding, Response
from recreg.progress import services as progress
from recreg.progress.models import Evidence

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
TEXT = "Minutes of the board, 3 March: the policy is live. £0 spent. “Quotes” and ünïcode.\n"
# Where the cross-engine hop finds PostgreSQL when the suite itself runs on SQLite.
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/recreg"


@pytest.fixture
def register(world, settings):
    """The test world with evidence files attached, so files travel too."""
    response = Response.objects.get(finding=world.published_a, organisation=world.force_a)
    progress.attach_evidence(
        response,
        files=[
            SimpleUploadedFile("plan.pdf", PDF),
            SimpleUploadedFile("minutes.txt", TEXT.encode()),
        ],
        description="The plan and the minutes",
        expected_version=response.version,
        actor=world.force_a_editor,
    )
    assert Evidence.objects.count() == 2
    return world


def _backup(path: Path) -> Path:
    call_command("backup", str(path), stdout=io.StringIO())
    return path


def _parts(path: Path) -> dict[str, bytes]:
    """Every part of a backup but the manifest's own timestamp and engine."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(parts.pop(MANIFEST))
    del manifest["created_at"], manifest["engine"]
    parts[MANIFEST] = json.dumps(manifest, sort_keys=True).encode()
    return parts


def _postgres_url() -> str:
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        base = os.environ.get("RECREG_TEST_POSTGRES_URL", DEFAULT_PG)
    parts = urlsplit(base)
    # The process id keeps two runs of the suite (one per engine) out of each other's way.
    name = f"{parts.path.lstrip('/')}_restore_{os.getpid()}"
    return urlunsplit(parts._replace(path="/" + name))


def _fresh_postgres(url: str) -> None:
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    name = parts.path.lstrip("/")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


HOP = """
import io, sys
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("restore", sys.argv[1], stdout=sys.stdout)
call_command("audit", "verify", stdout=sys.stdout)
from recreg.findings.counts import count_drift, kept_counts
print("response counts:", count_drift() or "kept", sum(kept_counts().values()))
call_command("backup", sys.argv[2], stdout=sys.stdout)
"""


def _hop(source: Path, target: Path, data_dir: Path, database_url: str | None) -> str:
    """Restore a backup into a fresh register in another process, and back it up again."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["RECREG_DATA_DIR"] = str(data_dir)
    env["DJANGO_SETTINGS_MODULE"] = "recreg.settings"
    if database_url:
        env["DATABASE_URL"] = database_url
    code = "import django; django.setup()\n" + HOP
    done = subprocess.run(
        [sys.executable, "-c", code, str(source), str(target)],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_sqlite_to_postgresql_and_back_keeps_every_record_event_and_file(register, tmp_path):
    first = _backup(tmp_path / "first.zip")
    postgres = _postgres_url()
    _fresh_postgres(postgres)
    try:
        out = _hop(first, tmp_path / "second.zip", tmp_path / "pg", postgres)
        assert "The audit trail is intact" in out
        # The restored responses were counted again as they went in (the counts are not in
        # the backup).
        assert f"response counts: kept {Response.objects.count()}" in out
    finally:
        parts = urlsplit(postgres)
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')
    out = _hop(tmp_path / "second.zip", tmp_path / "third.zip", tmp_path / "sqlite", None)
    assert "The audit trail is intact" in out
    assert f"response counts: kept {Response.objects.count()}" in out

    original = _parts(first)
    # Every table, every audit event and every stored file, byte for byte.
    assert _parts(tmp_path / "second.zip") == original
    assert _parts(tmp_path / "third.zip") == original
    assert {n for n in original if n.startswith("files/evidence/")} == {
        f"files/{e.stored_name}" for e in Evidence.objects.all()
    }
    restored = tmp_path / "sqlite" / "files"
    for evidence in Evidence.objects.all():
        with evidence.open() as stored:
            assert (restored / evidence.stored_name).read_bytes() == stored.read()
    lines = original["data/audit.auditevent.jsonl"].decode().splitlines()
    assert len(lines) == AuditEvent.objects.count() > 0


def test_a_backup_restores_over_the_same_database_only_when_told(register, tmp_path):
    path = _backup(tmp_path / "register.zip")
    with pytest.raises(CommandError, match="already holds a register"):
        call_command("restore", str(path), stdout=io.StringIO())
    findings = Finding.objects.count()
    out = io.StringIO()
    call_command("restore", str(path), "--replace", stdout=out)
    assert "audit trail of" in out.getvalue()
    assert Finding.objects.count() == findings
    assert chain.verify().ok
    # The counts were emptied with the register they counted, and counted again.
    assert sum(kept_counts().values()) == Response.objects.count() and not count_drift()
    # Keys are kept: the next record continues after the restored ones, not over them.
    evidence = Evidence.objects.order_by("pk").last()
    for item in Evidence.objects.all():
        with item.open() as handle:
            assert handle.read() in (PDF, TEXT.encode())
    assert evidence is not None


def _rewrite(source: Path, target: Path, change) -> Path:
    """A copy of a backup with some parts changed by change(name, data) -> data."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            new.writestr(name, change(name, old.read(name)))
    return target


def _refused(path: Path, message: str) -> None:
    before = (Finding.objects.count(), AuditEvent.objects.count(), Evidence.objects.count())
    with pytest.raises(CommandError, match=message) as caught:
        call_command("restore", str(path), "--replace", stdout=io.StringIO())
    assert "Nothing was restored" in str(caught.value) or "not a register backup" in str(
        caught.value
    )
    after = (Finding.objects.count(), AuditEvent.objects.count(), Evidence.objects.count())
    assert after == before
    assert chain.verify().ok


def test_an_altered_record_is_refused_by_its_checksum(register, tmp_path):
    path = _backup(tmp_path / "register.zip")

    def change(name, data):
        if name == "data/findings.finding.jsonl":
            return data.replace(b"published", b"withdrawn", 1)
        return data

    _refused(_rewrite(path, tmp_path / "altered.zip", change), "findings.finding.jsonl does not")


def test_an_altered_audit_trail_is_refused_even_with_a_matching_manifest(register, tmp_path):
    import hashlib

    path = _backup(tmp_path / "register.zip")
    entry = "data/audit.auditevent.jsonl"
    with zipfile.ZipFile(path) as archive:
        trail = archive.read(entry)
        manifest = json.loads(archive.read(MANIFEST))
    forged = trail.replace(b"The plan and the minutes", b"Nothing to see here", 1)
    assert forged != trail
    for table in manifest["tables"]:
        if table["entry"] == entry:
            table["sha256"] = hashlib.sha256(forged).hexdigest()

    def change(name, data):
        return {entry: forged, MANIFEST: json.dumps(manifest).encode()}.get(name, data)

    _refused(_rewrite(path, tmp_path / "forged.zip", change), "audit trail does not verify")


def test_a_truncated_or_foreign_file_is_refused(register, tmp_path):
    path = _backup(tmp_path / "register.zip")
    cut = tmp_path / "cut.zip"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    _refused(cut, "not a readable zip file")
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("hello.txt", "hi")
    _refused(other, "not a register backup")
    with pytest.raises(CommandError, match="There is no file"):
        call_command("restore", str(tmp_path / "missing.zip"), stdout=io.StringIO())


def test_a_missing_stored_file_is_refused(register, tmp_path):
    path = _backup(tmp_path / "register.zip")
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(tmp_path / "less.zip", "w") as new:
        dropped = next(n for n in old.namelist() if n.startswith("files/"))
        for name in old.namelist():
            if name != dropped:
                new.writestr(name, old.read(name))
    _refused(tmp_path / "less.zip", "is missing")


def test_the_engine_is_noted_in_the_manifest(register, tmp_path):
    path = _backup(tmp_path / "register.zip")
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read(MANIFEST))
    assert manifest["engine"] == connection.vendor
    assert manifest["audit_head"]["seq"] == AuditEvent.objects.count()
