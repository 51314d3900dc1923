"""Evidence files are checked by what they contain, whatever they are called."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from recreg.progress.evidence import check_file, check_files
from recreg.progress.models import EvidenceType
from tests.progress.conftest import (
    EXCEL_MAIN,
    EXE,
    JPEG,
    PDF,
    PNG,
    TEXT,
    WORD_MAIN,
    docx,
    office_file,
    upload,
    xlsx,
    zip_bomb_docx,
)


@pytest.mark.parametrize(
    ("name", "data", "kind", "download_name"),
    [
        ("plan.pdf", PDF, EvidenceType.PDF, "plan.pdf"),
        ("photo.png", PNG, EvidenceType.PNG, "photo.png"),
        ("photo.JPG", JPEG, EvidenceType.JPEG, "photo.JPG"),
        ("minutes.txt", TEXT, EvidenceType.TEXT, "minutes.txt"),
        ("figures.csv", "force,rate\nA,12\n", EvidenceType.TEXT, "figures.csv"),
        ("plan.docx", docx(), EvidenceType.DOCX, "plan.docx"),
        ("figures.xlsx", xlsx(), EvidenceType.XLSX, "figures.xlsx"),
        # The content decides: a PNG called .pdf is a PNG, and downloads as one.
        ("scan.pdf", PNG, EvidenceType.PNG, "scan.pdf.png"),
        ("report", PDF, EvidenceType.PDF, "report.pdf"),
    ],
)
def test_accepted_files_are_recognised_by_content(name, data, kind, download_name):
    checked = check_file(upload(name, data))
    assert checked.kind.type == kind
    assert checked.download_name == download_name
    assert len(checked.sha256) == 64


def test_sha256_is_of_the_whole_file():
    import hashlib

    checked = check_file(upload("plan.pdf", PDF))
    assert checked.sha256 == hashlib.sha256(PDF).hexdigest()
    assert checked.size == len(PDF)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.pdf", EXE, "must be a PDF, a Word document"),
        ("report.pdf", b"GIF89a" + b"\x00" * 20, "must be a PDF"),
        ("empty.pdf", b"", "is empty"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "old-style Word or Excel"),
        ("text.txt", "line one\x00line two", "must be a PDF"),
        ("latin1.txt", "caf\xe9".encode("latin-1"), "must be a PDF"),
        ("broken.docx", b"PK\x03\x04not really a zip", "could not be opened"),
    ],
)
def test_refused_files_say_why(name, data, message):
    with pytest.raises(ValidationError) as refused:
        check_file(upload(name, data))
    assert message in refused.value.messages[0]
    assert name in refused.value.messages[0]


def test_a_plain_zip_is_not_a_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(ValidationError, match="must be a PDF"):
        check_file(upload("notes.docx", buffer.getvalue()))


def test_a_zip_claiming_another_office_type_is_refused():
    presentation = office_file(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        "ppt/presentation.xml",
    )
    with pytest.raises(ValidationError, match="not a Word"):
        check_file(upload("slides.docx", presentation))


def test_a_document_whose_main_part_is_missing_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types><Override PartName="/word/document.xml" ContentType="{WORD_MAIN}"/></Types>',
        )
    with pytest.raises(ValidationError, match="not a Word"):
        check_file(upload("plan.docx", buffer.getvalue()))


def test_macros_are_refused():
    with_macros = office_file(EXCEL_MAIN, "xl/workbook.xml", {"xl/vbaProject.bin": b"\x00" * 10})
    with pytest.raises(ValidationError, match="macros"):
        check_file(upload("figures.xlsx", with_macros))


def test_a_zip_bomb_renamed_docx_is_refused():
    bomb = zip_bomb_docx()
    assert len(bomb) < 200_000
    with pytest.raises(ValidationError, match="zip bomb"):
        check_file(upload("plan.docx", bomb))


def test_the_unpacked_size_limit_holds_even_at_a_modest_ratio(settings):
    settings.RECREG_EVIDENCE_MAX_UNZIPPED_BYTES = 100
    with pytest.raises(ValidationError, match="zip bomb"):
        check_file(upload("plan.docx", docx()))


def test_size_limit_comes_from_the_setting(settings):
    settings.RECREG_EVIDENCE_MAX_BYTES = 50
    with pytest.raises(ValidationError, match="must be smaller than 50"):
        check_file(upload("plan.pdf", PDF))


def test_every_problem_is_reported_at_once():
    with pytest.raises(ValidationError) as refused:
        check_files([upload("a.pdf", b""), upload("b.pdf", EXE), upload("c.pdf", PDF)])
    assert len(refused.value.messages) == 2


def test_a_path_in_the_name_is_dropped():
    checked = check_file(upload("C:\\Users\\me\\plan.pdf", PDF))
    assert checked.original_name == "plan.pdf"
