"""Fixtures of the progress tests: a temporary file store, more people in force A, evidence
files of every kind (good and bad), and the browser fixtures for the browser test."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from recreg.accounts.roles import Role
from recreg.findings.models import GovernanceBoard, Response
from recreg.progress import services
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def file_store(settings, tmp_path):
    """Evidence goes to a temporary folder, one per test."""
    location = tmp_path / "files"
    location.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location},
        },
    }
    return location


def stored_files(location) -> list:
    """Every file in the store."""
    return [p for p in location.rglob("*") if p.is_file()]


@pytest.fixture
def people(world):
    """A chief officer, a superintendent and a second editor in force A, and an editor of B."""

    class People:
        owner = UserFactory(
            email="acc@force-a.test",
            full_name="Alex Chief",
            job_title="Assistant Chief Constable",
            role=Role.FORCE_READER,
            organisation=world.force_a,
        )
        lead = UserFactory(
            email="supt@force-a.test",
            full_name="Sam Super",
            job_title="Superintendent",
            role=Role.FORCE_READER,
            organisation=world.force_a,
        )
        other_editor = UserFactory(
            email="editor2@force-a.test",
            full_name="Olu Other",
            role=Role.FORCE_EDITOR,
            organisation=world.force_a,
        )
        force_b_editor = UserFactory(
            email="editor@force-b.test",
            full_name="Ben Editor",
            role=Role.FORCE_EDITOR,
            organisation=world.force_b,
        )

    return People


@pytest.fixture
def board(world):
    return GovernanceBoard.objects.create(organisation=world.force_a, name="Crime Governance Board")


def response_of(finding, organisation) -> Response:
    """The response of an organisation to a finding, fresh from the database."""
    return Response.objects.get(finding=finding, organisation=organisation)


@pytest.fixture
def response_a(world):
    """Force A's response to its published finding (the inspectorate signs it off)."""
    return response_of(world.published_a, world.force_a)


@pytest.fixture
def response_b(world):
    """Force B's response to its published finding."""
    return response_of(world.published_b, world.force_b)


def allocate(response, people, board=None, actor=None):
    """Allocate a response through the service, as force A's editor would."""
    response.refresh_from_db()
    return services.allocate_response(
        response,
        owner=people.owner,
        tactical_lead=people.lead,
        governance_board=board,
        expected_version=response.version,
        actor=actor or people.other_editor,
    )


@pytest.fixture
def allocated_a(world, people, board, response_a):
    return allocate(response_a, people, board, actor=world.force_a_editor)


# Evidence files


PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
TEXT = "Minutes of the Crime Governance Board, 3 March: the new policy is live. £0 spent.\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
EXCEL_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def office_file(main_type: str, main_part: str, extra: dict | None = None) -> bytes:
    """A minimal Office Open XML package with the given main part."""
    buffer = io.BytesIO()
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{main_part}" ContentType="{main_type}"/>'
        "</Types>"
    )
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(main_part, "<document>Action plan agreed by the board.</document>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx() -> bytes:
    return office_file(WORD_MAIN, "word/document.xml")


def xlsx() -> bytes:
    return office_file(EXCEL_MAIN, "xl/workbook.xml")


def zip_bomb_docx() -> bytes:
    """A "Word document" with a part that unpacks to 50 MB of zeros from about 50 KB."""
    return office_file(
        WORD_MAIN, "word/document.xml", {"word/media/padding.bin": b"\x00" * (50 * 1024 * 1024)}
    )


def upload(name: str, data: bytes | str, content_type: str = "application/octet-stream"):
    """A file as a browser would send it."""
    if isinstance(data, str):
        data = data.encode()
    return SimpleUploadedFile(name, data, content_type=content_type)


class Scene:
    """Progress on both forces' responses, for the page and access tests."""


@pytest.fixture
def scene(world, people, board, file_store):
    """Force A's response allocated, updated with evidence and proposed for closure; force B's
    response the same under its own editor; a challenge to A's draft finding waiting."""
    s = Scene()
    s.response_a = allocate(response_of(world.published_a, world.force_a), people, board)
    s.update_a = services.post_update(
        s.response_a,
        narrative="Force A's safeguarding policy is live.",
        rag="amber",
        files=[upload("policy.pdf", PDF)],
        expected_version=Response.objects.get(pk=s.response_a.pk).version,
        actor=world.force_a_editor,
    )
    s.evidence_a = s.update_a.evidence.get()
    s.proposal_a = services.propose_closure(
        s.response_a,
        statement="Done and audited.",
        expected_version=Response.objects.get(pk=s.response_a.pk).version,
        actor=world.force_a_editor,
    )
    s.open_a = allocate(response_of(world.national_all, world.force_a), people, board)
    s.response_b = response_of(world.published_b, world.force_b)
    s.response_b = services.allocate_response(
        s.response_b,
        owner=people.force_b_editor,
        tactical_lead=people.force_b_editor,
        expected_version=s.response_b.version,
        actor=people.force_b_editor,
    )
    s.update_b = services.post_update(
        s.response_b,
        narrative="Force B's call handling review has started.",
        rag="red",
        files=[upload("review.pdf", PDF)],
        expected_version=Response.objects.get(pk=s.response_b.pk).version,
        actor=people.force_b_editor,
    )
    s.evidence_b = s.update_b.evidence.get()
    s.proposal_b = services.propose_closure(
        s.response_b,
        statement="Force B is done.",
        expected_version=Response.objects.get(pk=s.response_b.pk).version,
        actor=people.force_b_editor,
    )
    s.fact_check_a = response_of(world.fact_check_a, world.force_a)
    s.challenge_a = services.raise_challenge(
        s.fact_check_a,
        proposed_text="The force should review its custody staffing at night.",
        reason="Day shifts were fully staffed.",
        expected_version=s.fact_check_a.version,
        actor=world.force_a_editor,
    )
    s.fact_check_b = response_of(world.fact_check_b, world.force_b)
    s.challenge_b = services.raise_challenge(
        s.fact_check_b,
        proposed_text="The force should check a sample of its stop and search records.",
        reason="It already checks all of them.",
        expected_version=s.fact_check_b.version,
        actor=people.force_b_editor,
    )
    return s
