"""Reading inspection reports and committee papers, and finding the findings in them.

Pure functions over bytes: no database, no requests. The only part of the register it uses is
its deadline parser (recreg.findings.deadlines), so dates resolve exactly as the register
resolves them.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from recreg.intake.extract.document import (
    MAX_BLOCKS,
    MAX_BYTES,
    MAX_PAGES,
    Block,
    Document,
    ExtractionError,
)

__all__ = [
    "MAX_BYTES",
    "MAX_PAGES",
    "Block",
    "Document",
    "Extraction",
    "ExtractionError",
    "detect_format",
    "extract",
    "extract_file",
    "read_document",
]

FORMATS = ("pdf", "docx", "html", "markdown", "text")
_EXTENSIONS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
}


@dataclass
class Extraction:
    """What was found in one document."""

    format: str
    findings: list[dict]
    grades: list[dict] = field(default_factory=list)
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)


def detect_format(data: bytes, filename: str = "") -> str:
    """The document's format from its first bytes, then its name; raise if unsupported."""
    suffix = Path(filename).suffix.lower()
    head = data[:1024].lstrip()
    if data[:5] == b"%PDF-" or b"%PDF-" in data[:1024]:
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            if suffix == ".docx":
                raise ExtractionError("The Word document is damaged and cannot be opened") from None
            raise ExtractionError("The file is a damaged zip archive, not a report") from None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            raise ExtractionError(
                "The file is a spreadsheet: use bulk import for spreadsheets, not extraction"
            )
        raise ExtractionError("The file is a zip archive, not a report document")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ExtractionError(
            "Old-style Word (.doc) files cannot be read: save it as .docx or PDF and try again"
        )
    if suffix == ".pdf":
        raise ExtractionError("The file is named .pdf but is not a PDF")
    if suffix == ".docx":
        raise ExtractionError("The file is named .docx but is not a Word document")
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    lowered = head[:200].lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<body" in data[:4096].lower():
        return "html"
    if suffix in ("", ".rst") or not suffix:
        return "text"
    raise ExtractionError(
        f"Files of type {suffix} cannot be read: use PDF, Word (.docx), HTML, Markdown or text"
    )


def read_document(data: bytes, filename: str = "") -> Document:
    """Read a document of any supported format into blocks."""
    if not data or not data.strip():
        raise ExtractionError("The file is empty")
    if len(data) > MAX_BYTES:
        raise ExtractionError(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the most that can be read is "
            f"{MAX_BYTES // 1024 // 1024} MB"
        )
    kind = detect_format(data, filename)
    if kind == "pdf":
        from recreg.intake.extract.pdf import read_pdf

        document = read_pdf(data)
    elif kind == "docx":
        from recreg.intake.extract.docx import read_docx

        document = read_docx(data)
    elif kind == "html":
        from recreg.intake.extract.html import read_html

        document = read_html(data)
    elif kind == "markdown":
        from recreg.intake.extract.text import read_markdown

        document = read_markdown(data)
    else:
        from recreg.intake.extract.text import read_text

        document = read_text(data)
    if len(document.blocks) > MAX_BLOCKS:
        raise ExtractionError(
            f"The document has {len(document.blocks)} paragraphs; the most that can be read is "
            f"{MAX_BLOCKS}"
        )
    if not any(block.text.strip() for block in document.blocks):
        raise ExtractionError("The document contains no text")
    return document


def extract(
    data: bytes,
    filename: str = "",
    *,
    published: datetime.date | None = None,
) -> Extraction:
    """Read a document and find its findings and grade tables."""
    from recreg.intake.extract.findings import find_findings
    from recreg.intake.extract.grades import find_grade_tables

    document = read_document(data, filename)
    return Extraction(
        format=document.format,
        findings=find_findings(document.blocks, published),
        grades=find_grade_tables(document.blocks),
        pages=document.pages,
        warnings=document.warnings,
    )


def extract_file(path: str | Path, *, published: datetime.date | None = None) -> Extraction:
    """Extract from a file on disk, checking its size before reading it."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ExtractionError(f"No such file: {path}") from None
    except OSError as exc:
        raise ExtractionError(f"The file cannot be opened: {exc.strerror}") from None
    if path.is_dir():
        raise ExtractionError(f"{path} is a folder, not a file")
    if size > MAX_BYTES:
        raise ExtractionError(
            f"The file is {size / 1024 / 1024:.1f} MB; the most that can be read is "
            f"{MAX_BYTES // 1024 // 1024} MB"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractionError(f"The file cannot be read: {exc.strerror}") from None
    return extract(data, path.name, published=published)
