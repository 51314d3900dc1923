"""A full disk while evidence is being saved: the person is told plainly, no part of any file
is left in the store, and no record points to a file that is not there."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from recreg.findings.models import Response
from recreg.progress import services
from recreg.progress.evidence import STORE_FULL_MESSAGE
from recreg.progress.models import Evidence, ProgressUpdate

PDF = b"%PDF-1.7\n" + b"1 0 obj << /Type /Catalog >> endobj\n" * 40 + b"%%EOF\n"
TEXT = b"Minutes of the board: the new policy is live.\n" * 40


@pytest.fixture
def disk_fills_up(monkeypatch):
    """The store runs out of room part-way through writing the nth file saved (1 = the first)."""
    real_save = FileSystemStorage._save
    saved = {"count": 0, "fail_at": 1}

    def save(self, name, content):
        saved["count"] += 1
        if saved["count"] < saved["fail_at"]:
            return real_save(self, name, content)

        class HalfWritten:
            # Storage writes the first chunk, then the disk is full.
            def chunks(self):
                content.seek(0)
                yield content.read(64)
                raise OSError(errno.ENOSPC, "No space left on device")

        return real_save(self, name, HalfWritten())

    monkeypatch.setattr(FileSystemStorage, "_save", save)
    return saved


@pytest.fixture
def response(world):
    response = Response.objects.get(finding=world.published_a, organisation=world.force_a)
    return services.allocate_response(
        response,
        owner=world.force_a_editor,
        tactical_lead=world.force_a_editor,
        expected_version=response.version,
        actor=world.force_a_editor,
    )


def _store() -> list[Path]:
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return [p for p in root.rglob("*") if p.is_file()]


def _nothing_saved(response, version: int) -> None:
    assert _store() == []
    assert not Evidence.objects.exists()
    assert not ProgressUpdate.objects.filter(response=response).exists()
    response.refresh_from_db()
    assert response.version == version


@pytest.mark.parametrize("fail_at", [1, 2])
def test_the_service_says_the_store_is_full_and_leaves_nothing(
    world, response, disk_fills_up, fail_at
):
    disk_fills_up["fail_at"] = fail_at
    version = response.version
    with pytest.raises(ValidationError) as caught:
        services.post_update(
            response,
            narrative="The board approved the plan.",
            rag="green",
            files=[SimpleUploadedFile("plan.pdf", PDF), SimpleUploadedFile("minutes.txt", TEXT)],
            expected_version=version,
            actor=world.force_a_editor,
        )
    assert caught.value.message_dict == {"files": [STORE_FULL_MESSAGE]}
    # With the second file failing, the first (written whole) is removed as well.
    _nothing_saved(response, version)


def test_the_page_shows_the_message_in_the_error_summary(world, response, disk_fills_up):
    client = Client()
    client.force_login(world.force_a_editor)
    version = response.version
    page = client.post(
        f"/progress/responses/{response.pk}/updates/new/",
        {
            "version": version,
            "narrative": "The board approved the plan.",
            "rag": "green",
            "files": [SimpleUploadedFile("plan.pdf", PDF)],
        },
    )
    assert page.status_code == 400
    body = page.content.decode()
    assert "govuk-error-summary" in body
    assert "file store is full" in body
    _nothing_saved(response, version)


def test_every_evidence_record_has_its_file_after_a_later_upload_fails(
    world, response, disk_fills_up
):
    disk_fills_up["fail_at"] = 2
    services.attach_evidence(
        response,
        files=[SimpleUploadedFile("plan.pdf", PDF)],
        expected_version=response.version,
        actor=world.force_a_editor,
    )
    response.refresh_from_db()
    with pytest.raises(ValidationError):
        services.attach_evidence(
            response,
            files=[SimpleUploadedFile("minutes.txt", TEXT)],
            expected_version=response.version,
            actor=world.force_a_editor,
        )
    (evidence,) = Evidence.objects.all()
    with evidence.open() as stored:
        assert stored.read() == PDF
    assert len(_store()) == 1
