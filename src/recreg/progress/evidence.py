"""Checking evidence files by what they contain, not by what they are called, and storing them.

A file is accepted only if its bytes are a PDF, a Word (.docx) or Excel (.xlsx) document, a PNG
or JPEG image, or UTF-8 text. Office documents are zip files, so they are opened to check their
declared content types, and refused if unpacking them would be out of proportion to their size
(a "zip bomb"). Every check runs before anything is stored.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import secrets
import zipfile
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat

from recreg.progress.models import EvidenceType

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
# An Office document may unpack to at most this much in total…
DEFAULT_MAX_UNZIPPED_BYTES = 256 * 1024 * 1024
# …and to at most this many times its packed size (real documents stay well under 30).
DEFAULT_MAX_ZIP_RATIO = 100
MAX_ZIP_MEMBERS = 5000
MAX_FILES_AT_ONCE = 10
STORAGE_FOLDER = "evidence"
# Errors that mean the file store has no room (a full disk, a quota, a file-size limit).
STORE_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
STORE_FULL_MESSAGE = (
    "The file could not be saved because the register's file store is full. Nothing was "
    "saved: try again later, and tell the register's administrators if it happens again"
)
CHUNK = 64 * 1024

ACCEPTED = (
    "a PDF, a Word document (.docx), an Excel spreadsheet (.xlsx), "
    "a PNG or JPEG image, or a plain text file"
)


@dataclass(frozen=True)
class FileKind:
    type: str
    content_type: str
    extensions: tuple[str, ...]


KINDS = {
    EvidenceType.PDF: FileKind(EvidenceType.PDF, "application/pdf", (".pdf",)),
    EvidenceType.DOCX: FileKind(
        EvidenceType.DOCX,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
    ),
    EvidenceType.XLSX: FileKind(
        EvidenceType.XLSX,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (".xlsx",),
    ),
    EvidenceType.PNG: FileKind(EvidenceType.PNG, "image/png", (".png",)),
    EvidenceType.JPEG: FileKind(EvidenceType.JPEG, "image/jpeg", (".jpg", ".jpeg")),
    EvidenceType.TEXT: FileKind(
        EvidenceType.TEXT, "text/plain; charset=utf-8", (".txt", ".csv", ".md", ".log")
    ),
}

# The main part each Office document declares in its [Content_Types].xml.
OFFICE_MAIN_PARTS = {
    EvidenceType.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    EvidenceType.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
CONTENT_TYPES_PART = "[Content_Types].xml"
MAX_CONTENT_TYPES_BYTES = 1024 * 1024
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Control characters that never appear in a text file (tab, line feed, form feed and carriage
# return are allowed).
TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def max_bytes() -> int:
    """The largest evidence file accepted, in bytes (RECREG_EVIDENCE_MAX_BYTES)."""
    return int(getattr(settings, "RECREG_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def _max_unzipped() -> int:
    return int(getattr(settings, "RECREG_EVIDENCE_MAX_UNZIPPED_BYTES", DEFAULT_MAX_UNZIPPED_BYTES))


def _max_ratio() -> int:
    return int(getattr(settings, "RECREG_EVIDENCE_MAX_ZIP_RATIO", DEFAULT_MAX_ZIP_RATIO))


def describe_limit() -> str:
    """The size limit in words, for hints and messages ("25 MB")."""
    size = max_bytes()
    megabyte = 1024 * 1024
    if size >= megabyte and size % megabyte == 0:
        return f"{size // megabyte} MB"
    return filesizeformat(size).replace("\xa0", " ")


@dataclass
class CheckedFile:
    upload: object
    original_name: str
    download_name: str
    kind: FileKind
    size: int
    sha256: str


def _clean_name(raw: str | None) -> str:
    # Browsers send a bare name, but some old ones send a whole path.
    name = os.path.basename((raw or "").replace("\\", "/")).strip()
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"/\\')
    return (name or "evidence")[:200]


def _download_name(name: str, kind: FileKind) -> str:
    # The name says what the content is, so a PNG called "plan.pdf" downloads as "plan.pdf.png"
    # and opens in the right program.
    stem, ext = os.path.splitext(name)
    if ext.lower() in kind.extensions:
        return name
    return f"{name}{kind.extensions[0]}"


def _read_head(upload, size: int = 8192) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _chunks(upload) -> Iterable[bytes]:
    upload.seek(0)
    while True:
        chunk = upload.read(CHUNK)
        if not chunk:
            break
        yield chunk
    upload.seek(0)


def _is_text(upload) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        for chunk in _chunks(upload):
            if TEXT_CONTROL.search(decoder.decode(chunk)):
                return False
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _office_kind(upload, name: str) -> str:
    """The Office type of a zip file; raises ValidationError if it is anything else, or a bomb."""
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError(f"{name} could not be opened: it must be {ACCEPTED}") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise ValidationError(f"{name} contains too many parts to be a real document")
        unpacked = sum(m.file_size for m in members)
        packed = sum(m.compress_size for m in members)
        if unpacked > _max_unzipped() or unpacked > _max_ratio() * max(packed, 1):
            raise ValidationError(
                f"{name} would unpack to far more than its size, so it is not accepted "
                "(it looks like a “zip bomb”)"
            )
        names = {m.filename for m in members}
        if CONTENT_TYPES_PART not in names:
            raise ValidationError(f"{name} must be {ACCEPTED}")
        info = archive.getinfo(CONTENT_TYPES_PART)
        if info.file_size > MAX_CONTENT_TYPES_BYTES:
            raise ValidationError(f"{name} could not be read as a Word or Excel document")
        try:
            with archive.open(info) as part:
                declared = part.read(MAX_CONTENT_TYPES_BYTES + 1).decode("utf-8", "replace")
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
            raise ValidationError(f"{name} could not be read as a Word or Excel document") from None
    # A content-types list has no business declaring entities; refusing them avoids parsing
    # XML that could expand without limit.
    if "<!DOCTYPE" in declared or "<!ENTITY" in declared:
        raise ValidationError(f"{name} could not be read as a Word or Excel document")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise ValidationError(f"{name} contains macros, which are not accepted")
    for kind, main in OFFICE_MAIN_PARTS.items():
        match = re.search(
            r'PartName="/([^"]+)"\s+ContentType="' + re.escape(main) + '"', declared
        ) or re.search(r'ContentType="' + re.escape(main) + r'"\s+PartName="/([^"]+)"', declared)
        if match and match.group(1) in names:
            return kind
    raise ValidationError(f"{name} is a zip file but not a Word (.docx) or Excel (.xlsx) document")


def detect(upload, name: str) -> FileKind:
    """What the file is by its content; raises ValidationError if it is not accepted."""
    head = _read_head(upload)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return KINDS[EvidenceType.PNG]
    if head.startswith(b"\xff\xd8\xff"):
        return KINDS[EvidenceType.JPEG]
    if b"%PDF-" in head[:1024]:
        return KINDS[EvidenceType.PDF]
    if head.startswith(b"PK\x03\x04"):
        try:
            return KINDS[_office_kind(upload, name)]
        finally:
            upload.seek(0)
    if head.startswith(OLE_SIGNATURE):
        raise ValidationError(
            f"{name} is an old-style Word or Excel file (.doc or .xls): "
            "save it as .docx or .xlsx and try again"
        )
    if _is_text(upload):
        return KINDS[EvidenceType.TEXT]
    raise ValidationError(f"{name} must be {ACCEPTED}")


def check_file(upload) -> CheckedFile:
    """Check one uploaded file; raises ValidationError with a message naming it."""
    name = _clean_name(getattr(upload, "name", ""))
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, os.SEEK_END)
        size = upload.tell()
        upload.seek(0)
    if size == 0:
        raise ValidationError(f"{name} is empty")
    if size > max_bytes():
        raise ValidationError(f"{name} must be smaller than {describe_limit()}")
    kind = detect(upload, name)
    digest = hashlib.sha256()
    for chunk in _chunks(upload):
        digest.update(chunk)
    return CheckedFile(
        upload=upload,
        original_name=name,
        download_name=_download_name(name, kind),
        kind=kind,
        size=size,
        sha256=digest.hexdigest(),
    )


def check_files(uploads: Iterable) -> list[CheckedFile]:
    """Check every file; raises one ValidationError listing every problem."""
    uploads = [u for u in uploads if u is not None]
    if len(uploads) > MAX_FILES_AT_ONCE:
        raise ValidationError(f"Choose at most {MAX_FILES_AT_ONCE} files at a time")
    checked, problems = [], []
    for upload in uploads:
        try:
            checked.append(check_file(upload))
        except ValidationError as exc:
            problems.extend(exc.messages)
    if problems:
        raise ValidationError(problems)
    return checked


class StoredFiles:
    """Files saved to storage during one service call, removed again if the call fails."""

    def __init__(self):
        self.names: list[str] = []

    def save(self, checked: CheckedFile) -> str:
        """Save a checked file under a new random name and return that name; a disk that is
        full is a ValidationError saying so, with no part of the file left behind."""
        name = f"{STORAGE_FOLDER}/{secrets.token_hex(16)}"
        checked.upload.seek(0)
        try:
            stored = default_storage.save(name, checked.upload)
        except OSError as exc:
            # Storage leaves what it wrote so far; the name is random, so whatever is there
            # is this file's partial copy.
            if default_storage.exists(name):
                default_storage.delete(name)
            if exc.errno in STORE_FULL:
                raise ValidationError({"files": [STORE_FULL_MESSAGE]}, code="store_full") from exc
            raise
        self.names.append(stored)
        return stored

    def discard(self) -> None:
        """Remove every file saved so far."""
        for name in self.names:
            default_storage.delete(name)
        self.names.clear()


@contextmanager
def stored_files():
    """Save files inside a transaction; if anything fails, the files go with the rows."""
    files = StoredFiles()
    try:
        yield files
    except BaseException:
        files.discard()
        raise
