"""A whole register in one file, and back: `recreg backup FILE` and `recreg restore FILE`.

The file is a zip holding, for every table, one JSON line per row (in primary-key order, with
the primary keys kept), every stored file (evidence and the rest) under files/, and a
manifest with the row count and SHA-256 of each part, written last. Rows and files are
streamed in both directions, so memory stays flat however large the register is.

A backup is engine-neutral: values are written in one canonical JSON form, so a backup taken
from SQLite restores into PostgreSQL and back, and the audit trail's hash chain still verifies.
Sessions are left out: a restored register starts with everyone signed out.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import hashlib
import io
import json
import os
import shutil
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connections, models, transaction
from django.utils import timezone

FORMAT = "recreg-backup"
VERSION = 1
MANIFEST = "manifest.json"
BATCH = 2000
CHUNK = 1024 * 1024
# Sessions are not kept; the response counts are kept by the database's triggers, which count
# the restored responses as they go in (recreg.findings.models.ResponseCount).
SKIPPED_MODELS = {"sessions.session", "findings.responsecount"}
# Tables migrate fills by itself; they do not make a database "not empty".
BOOKKEEPING_MODELS = {
    "contenttypes.contenttype",
    "auth.permission",
    "audit.auditchainhead",
    "sessions.session",
    "findings.responsecount",
}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, for the operator."""


@dataclass
class Summary:
    tables: int
    rows: int
    files: int
    file_bytes: int
    audit_events: int


def backed_up_models() -> list[type[models.Model]]:
    """Every table of the register, parents before the tables that refer to them."""
    chosen = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label_lower not in SKIPPED_MODELS
    ]
    order = {model: index for index, model in enumerate(chosen)}

    # Foreign keys are checked at commit on both engines, so this order is for readers of the
    # file, not for correctness: referenced tables first where that is simple.
    def depth(model, seen=()) -> int:
        parents = [
            f.related_model
            for f in model._meta.local_concrete_fields
            if f.is_relation and f.related_model is not model and f.related_model not in seen
        ]
        return 1 + max((depth(p, (*seen, model)) for p in parents), default=0)

    return sorted(chosen, key=lambda m: (depth(m), order[m]))


def _fields(model) -> list[models.Field]:
    return list(model._meta.local_concrete_fields)


def _encode(field: models.Field, value: Any) -> Any:
    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value // datetime.timedelta(microseconds=1)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


def _decode(field: models.Field, value: Any) -> Any:
    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(field, models.DurationField):
        return datetime.timedelta(microseconds=value)
    if isinstance(field, models.BinaryField):
        return base64.b64decode(value)
    if isinstance(field, models.DateTimeField):
        return datetime.datetime.fromisoformat(value)
    return field.to_python(value)


def _line(row: list[Any]) -> bytes:
    # Sorted keys make JSON values read the same from either engine (PostgreSQL reorders them).
    return (
        json.dumps(row, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
    ).encode()


def _rows(model, using: str) -> Iterator[list[Any]]:
    fields = _fields(model)
    names = [f.attname for f in fields]
    pk = model._meta.pk.attname
    index = names.index(pk)
    query = model._base_manager.using(using).order_by(pk).values_list(*names)
    last = None
    # Keyset pages by primary key: flat memory, and each page is an ordinary query.
    while True:
        page = list((query if last is None else query.filter(pk__gt=last))[:BATCH])
        if not page:
            return
        for values in page:
            yield [_encode(f, v) for f, v in zip(fields, values, strict=True)]
        last = page[-1][index]


def _storage_root() -> Path:
    location = getattr(default_storage, "location", None)
    if location is None:
        raise BackupError("Backups need file storage on a local disk (FileSystemStorage)")
    return Path(location)


def _stored_files(root: Path) -> Iterator[tuple[str, Path]]:
    if not root.exists():
        return
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".restore-"))
        for name in sorted(names):
            path = Path(folder, name)
            yield path.relative_to(root).as_posix(), path


class _HashingWriter:
    """Counts and hashes what passes through to a zip member."""

    def __init__(self, target):
        self.target = target
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        """Hash, count and pass on."""
        self.digest.update(data)
        self.size += len(data)
        return self.target.write(data)


@contextmanager
def _snapshot(using: str):
    """One consistent view of the database for the whole backup, without blocking writers."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        outermost = not connection.in_atomic_block
        with transaction.atomic(using=using):
            if outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    if connection.vendor == "sqlite":
        # Django opens SQLite transactions IMMEDIATE (taking the write lock); a deferred read
        # transaction is a WAL snapshot that lets writers carry on.
        connection.ensure_connection()
        if connection.in_atomic_block:
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
            try:
                yield
            finally:
                cursor.execute("COMMIT")
        return
    yield


def backup(path: str | os.PathLike, *, using: str = "default", progress=None) -> Summary:
    """Write the whole register to one file at path (written beside it, then moved in)."""
    from recreg.audit.models import AuditChainHead

    target = Path(path)
    partial = target.with_name(target.name + ".partial")
    say: Callable[[str], None] = progress or (lambda _text: None)
    root = _storage_root()
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": timezone.now().astimezone(datetime.UTC).isoformat(),
        "engine": connections[using].vendor,
        "tables": [],
        "files": [],
    }
    total_rows = 0
    try:
        with (
            zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive,
            _snapshot(using),
        ):
            for model in backed_up_models():
                entry = f"data/{model._meta.label_lower}.jsonl"
                rows = 0
                with archive.open(entry, "w", force_zip64=True) as member:
                    writer = _HashingWriter(member)
                    pending = bytearray()
                    for row in _rows(model, using):
                        pending += _line(row)
                        rows += 1
                        if len(pending) >= CHUNK:
                            writer.write(bytes(pending))
                            pending.clear()
                    writer.write(bytes(pending))
                manifest["tables"].append(
                    {
                        "model": model._meta.label_lower,
                        "table": model._meta.db_table,
                        "fields": [f.attname for f in _fields(model)],
                        "rows": rows,
                        "entry": entry,
                        "sha256": writer.digest.hexdigest(),
                    }
                )
                total_rows += rows
                say(f"{model._meta.label_lower}: {rows} rows")
            file_bytes = 0
            for name, source in _stored_files(root):
                with (
                    source.open("rb") as handle,
                    archive.open(f"files/{name}", "w", force_zip64=True) as m,
                ):
                    writer = _HashingWriter(m)
                    while chunk := handle.read(CHUNK):
                        writer.write(chunk)
                manifest["files"].append(
                    {"name": name, "size": writer.size, "sha256": writer.digest.hexdigest()}
                )
                file_bytes += writer.size
            head = AuditChainHead.objects.using(using).filter(pk=1).first()
            manifest["audit_head"] = {"seq": head.seq, "hash": head.hash} if head else None
            archive.writestr(MANIFEST, json.dumps(manifest, indent=1))
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return Summary(
        tables=len(manifest["tables"]),
        rows=total_rows,
        files=len(manifest["files"]),
        file_bytes=file_bytes,
        audit_events=manifest["audit_head"]["seq"] if manifest["audit_head"] else 0,
    )


# Restoring


def _damaged(what: str) -> BackupError:
    return BackupError(
        f"The backup file is damaged or has been altered: {what}. Nothing was restored."
    )


def _read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise BackupError("This is not a register backup: it has no manifest.json") from None
    except (ValueError, zipfile.BadZipFile, OSError) as exc:
        raise _damaged(f"its manifest could not be read ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("This is not a register backup (its manifest is of another kind)")
    if manifest.get("version") != VERSION:
        raise BackupError(
            f"This backup is format version {manifest.get('version')}; this register reads "
            f"version {VERSION}"
        )
    return manifest


def _check_sums(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    expected = {t["entry"]: t["sha256"] for t in manifest["tables"]}
    expected.update({f"files/{f['name']}": f["sha256"] for f in manifest["files"]})
    present = set(archive.namelist()) - {MANIFEST}
    extra = sorted(present - set(expected))
    if extra:
        raise _damaged(f"it holds {extra[0]}, which its manifest does not list")
    for entry, sha256 in expected.items():
        digest = hashlib.sha256()
        try:
            with archive.open(entry) as member:
                while chunk := member.read(CHUNK):
                    digest.update(chunk)
        except KeyError:
            raise _damaged(f"{entry} is missing") from None
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
            raise _damaged(f"{entry} could not be read ({exc})") from None
        if digest.hexdigest() != sha256:
            raise _damaged(f"{entry} does not match its checksum")


def _check_schema(manifest: dict[str, Any]) -> list[tuple[type[models.Model], dict[str, Any]]]:
    plan = []
    for table in manifest["tables"]:
        try:
            model = apps.get_model(table["model"])
        except (LookupError, ValueError):
            raise BackupError(
                f"The backup holds {table['model']}, which this version of the register does not "
                "have: restore it with the version that made it"
            ) from None
        fields = [f.attname for f in _fields(model)]
        if fields != table["fields"]:
            raise BackupError(
                f"The backup's {table['model']} has the fields {', '.join(table['fields'])} but "
                f"this register's has {', '.join(fields)}: run `recreg manage migrate` or "
                "restore with the version that made the backup"
            )
        plan.append((model, table))
    return plan


def is_empty(using: str = "default") -> bool:
    """Whether the database holds no register data (only what migrate makes by itself)."""
    return not any(
        model._base_manager.using(using).exists()
        for model in backed_up_models()
        if model._meta.label_lower not in BOOKKEEPING_MODELS
    )


@contextmanager
def _stored_times_kept(model):
    """Let saved "created at" and "updated at" values through instead of the time now."""
    fields = [f for f in _fields(model) if isinstance(f, models.DateField)]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    try:
        for f in fields:
            f.auto_now = f.auto_now_add = False
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _insert(model, table: dict[str, Any], archive: zipfile.ZipFile, using: str) -> int:
    with _stored_times_kept(model):
        return _insert_rows(model, table, archive, using)


def _insert_rows(model, table: dict[str, Any], archive: zipfile.ZipFile, using: str) -> int:
    fields = _fields(model)
    count = 0
    batch: list[models.Model] = []
    manager = model._base_manager.using(using)
    with archive.open(table["entry"]) as member:
        for line in io.TextIOWrapper(member, encoding="utf-8"):
            values = json.loads(line)
            batch.append(
                model(**{f.attname: _decode(f, v) for f, v in zip(fields, values, strict=True)})
            )
            if len(batch) >= BATCH:
                manager.bulk_create(batch)
                count += len(batch)
                batch = []
    if batch:
        manager.bulk_create(batch)
        count += len(batch)
    return count


def _stage_files(archive, manifest, root: Path) -> Path:
    staging = root / f".restore-{uuid.uuid4().hex}"
    for item in manifest["files"]:
        name = item["name"]
        target = (staging / name).resolve()
        if not target.is_relative_to(staging.resolve()) or name.startswith("."):
            raise _damaged(f"it names a file outside the store ({name})")
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(f"files/{name}") as member, target.open("wb") as out:
            shutil.copyfileobj(member, out, CHUNK)
            out.flush()
            os.fsync(out.fileno())
    return staging


def restore(
    path: str | os.PathLike, *, using: str = "default", replace: bool = False, progress=None
) -> Summary:
    """Load a backup into this database and file store, all or nothing."""
    from recreg.audit.chain import verify

    say: Callable[[str], None] = progress or (lambda _text: None)
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BackupError(f"There is no file at {path}") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise _damaged(f"it is not a readable zip file ({exc})") from None
    with archive:
        manifest = _read_manifest(archive)
        plan = _check_schema(manifest)
        say("Checking every part of the backup against its checksum…")
        _check_sums(archive, manifest)
        if not replace and not is_empty(using):
            raise BackupError(
                "This database already holds a register. Restore into an empty database, or "
                "pass --replace to delete everything in it first."
            )
        root = _storage_root()
        root.mkdir(parents=True, exist_ok=True)
        staging = _stage_files(archive, manifest, root)
        try:
            total = 0
            connection = connections[using]
            with transaction.atomic(using=using):
                tables = [m._meta.db_table for m in backed_up_models()]
                tables += [apps.get_model(label)._meta.db_table for label in sorted(SKIPPED_MODELS)]
                flush = connection.ops.sql_flush(no_style(), tables, allow_cascade=False)
                if connection.vendor == "postgresql":
                    # TRUNCATE refuses tables with foreign-key checks still queued (when the
                    # restore runs inside a wider transaction); run them first.
                    flush = [
                        "SET CONSTRAINTS ALL IMMEDIATE",
                        *flush,
                        "SET CONSTRAINTS ALL DEFERRED",
                    ]
                connection.ops.execute_sql_flush(flush)
                for model, table in plan:
                    count = _insert(model, table, archive, using)
                    if count != table["rows"]:
                        raise _damaged(
                            f"{table['entry']} holds {count} rows, not the {table['rows']} its "
                            "manifest lists"
                        )
                    total += count
                    say(f"{table['model']}: {count} rows")
                with connection.cursor() as cursor:
                    for sql in connection.ops.sequence_reset_sql(no_style(), [m for m, _ in plan]):
                        cursor.execute(sql)
                result = verify(using=using)
                if not result.ok:
                    raise _damaged(f"its audit trail does not verify ({result.broken})")
            # The rows are in; now the files take their places, each by an atomic rename.
            file_bytes = 0
            for item in manifest["files"]:
                destination = root / item["name"]
                destination.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / item["name"], destination)
                file_bytes += item["size"]
            if replace:
                # The register replaced had files of its own; they belong to nothing now.
                keep = {item["name"] for item in manifest["files"]}
                for name, stale in list(_stored_files(root)):
                    if name not in keep:
                        stale.unlink(missing_ok=True)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return Summary(
        tables=len(plan),
        rows=total,
        files=len(manifest["files"]),
        file_bytes=file_bytes,
        audit_events=result.head_seq,
    )
