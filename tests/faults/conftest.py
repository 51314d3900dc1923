"""The register every fault test starts from: the test world, eight published findings for
force A each allocated (one per concurrent writer), saved as a backup that each test restores
into a real database of its own."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command

from recreg.findings import services as finding_services
from recreg.findings.models import AddresseeScope, FindingKind, FindingState, Response
from recreg.progress import services as progress
from tests.faults.support import EDITOR_PASSWORD, recreg, register_env

WRITERS = 8


class _QuickPBKDF2(PBKDF2PasswordHasher):
    # The server checks these with its own hashers; few rounds keep sign-in quick on a busy
    # test machine (the server re-hashes at full strength on first sign-in).
    iterations = 1000


@dataclass
class FaultRegister:
    backup: Path
    editor: str
    reader: str
    response_ids: list[int]


@pytest.fixture
def fault_register(world, tmp_path) -> FaultRegister:
    """The register as a backup file, with the people and responses the tests use."""
    responses = []
    for number in range(WRITERS):
        finding = finding_services.create_finding(
            actor=world.inspector,
            inspection=world.inspection_a,
            kind=FindingKind.AREA_FOR_IMPROVEMENT,
            text=f"The force should improve its practice number {number + 1}.",
            addressee_scope=AddresseeScope.FORCES,
            addressees=[world.force_a],
            state=FindingState.PUBLISHED,
            deadline_text="",
            question_area=world.area,
            themes=[world.theme],
        )
        response = Response.objects.get(finding=finding, organisation=world.force_a)
        progress.allocate_response(
            response,
            owner=world.force_a_editor,
            tactical_lead=world.force_a_editor,
            governance_board=None,
            expected_version=response.version,
            actor=world.force_a_editor,
        )
        responses.append(response.pk)
    hasher = _QuickPBKDF2()
    for user in (world.force_a_editor, world.inspectorate_reader):
        user.password = hasher.encode(EDITOR_PASSWORD, hasher.salt())
        user.save(update_fields=["password"])
    path = tmp_path / "fault-register.zip"
    call_command("backup", str(path), stdout=io.StringIO())
    return FaultRegister(
        backup=path,
        editor=world.force_a_editor.email,
        reader=world.inspectorate_reader.email,
        response_ids=responses,
    )


@pytest.fixture(scope="session")
def static_template(tmp_path_factory) -> Path:
    """A data folder with its secret key and static files gathered once, for every server the
    fault tests start (a busy machine takes a while over it)."""
    data = tmp_path_factory.mktemp("static")
    recreg("manage", "collectstatic", "--noinput", "--verbosity", "0", env=register_env(data))
    return data


@pytest.fixture(scope="session")
def sqlite_template(static_template) -> Path:
    """The same folder with a migrated SQLite database in it, copied by each SQLite test."""
    recreg("manage", "migrate", "--verbosity", "0", env=register_env(static_template))
    return static_template
