"""The extract command: output, JSON, and a clear one-line message for files it cannot read."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.intake.corpus.build import CORPUS

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("extract", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def pdf_bytes(pages: list[str]) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    for text in pages:
        page.drawString(72, 720, text)
        page.showPage()
    page.save()
    return buffer.getvalue()


def test_human_output():
    out = run(str(CORPUS / "thematic_stalking.md"))
    assert "6 findings found" in out
    assert "To: Home Office" in out
    assert "Deadline: within 6 months" in out


def test_json_with_published_date_and_grades():
    out = run(
        str(CORPUS / "jac_tracker_table.md"), "--json", "--published", "2023-10-12", "--grades"
    )
    data = json.loads(out)
    assert data["findings"][0]["reference"] == "AFI 1"
    rec = data["findings"][-1]
    assert rec["deadline"] == {
        "type": "months",
        "months": 6,
        "text": "Within six months",
        "date": "2024-04-12",
    }
    assert data["grades"][0]["rows"][0] == {
        "area": "Investigating crime",
        "grades": {"2021/22": "Requires improvement", "2023–25": "Adequate"},
    }


def test_json_is_an_array_without_grades():
    assert isinstance(json.loads(run(str(CORPUS / "thematic_vetting.html"), "--json")), list)


def bad(path, *args) -> str:
    with pytest.raises(CommandError) as caught:
        run(str(path), *args)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_malformed_pdf(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage garbage\n")
    assert "not a readable PDF" in bad(path) or "no pages" in bad(path)


def test_truncated_pdf(tmp_path):
    path = tmp_path / "truncated.pdf"
    path.write_bytes(pdf_bytes(["The force should act."])[:300])
    message = bad(path)
    assert "PDF" in message


def test_encrypted_pdf(tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf_bytes(["The force should act."]))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    assert "encrypted" in bad(path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    assert "empty" in bad(path)


def test_image_only_pdf(tmp_path):
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("RGB", (200, 100), "white")
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawImage(ImageReader(image), 72, 600, width=400, height=200)
    page.showPage()
    page.save()
    path = tmp_path / "scan.pdf"
    path.write_bytes(buffer.getvalue())
    assert "no text layer" in bad(path)


def test_oversize_file(tmp_path, monkeypatch):
    monkeypatch.setattr("recreg.intake.extract.MAX_BYTES", 1000)
    path = tmp_path / "big.txt"
    path.write_bytes(b"The force should act. " * 100)
    assert "the most that can be read" in bad(path)


def test_too_many_pages(tmp_path, monkeypatch):
    monkeypatch.setattr("recreg.intake.extract.pdf.MAX_PAGES", 2)
    path = tmp_path / "long.pdf"
    path.write_bytes(pdf_bytes(["one", "two", "three"]))
    assert "3 pages" in bad(path)


def test_missing_file_and_bad_date(tmp_path):
    assert "No such file" in bad(tmp_path / "nope.pdf")
    assert "--published" in bad(CORPUS / "thematic_stalking.md", "--published", "March")


def test_unsupported_and_binary(tmp_path):
    doc = tmp_path / "old.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert ".docx" in bad(doc)
    binary = tmp_path / "data.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    assert "not text" in bad(binary)
    fake = tmp_path / "fake.docx"
    fake.write_bytes(b"PK\x03\x04 not really a zip")
    assert "damaged" in bad(fake)
