"""Reading the signed-in reader back from their session."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recreg.accounts.backends import PasswordBackend
from recreg.accounts.oidc import SignOnBackend
from tests.conftest import client_for


@pytest.mark.parametrize("backend", [PasswordBackend, SignOnBackend])
def test_the_sessions_user_comes_with_their_organisation_in_one_statement(
    world, backend, settings, django_assert_num_queries
):
    # What the single sign-on backend needs to be made at all (recreg.settings sets these
    # from the environment when single sign-on is on).
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://idp.example.org/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://idp.example.org/userinfo"
    settings.OIDC_RP_CLIENT_ID = "recreg"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    with django_assert_num_queries(1):
        user = backend().get_user(world.pcc_officer.pk)
        assert user == world.pcc_officer
        assert user.organisation.force_id == world.force_a.pk


@pytest.mark.parametrize("user_id", [0, "not a number", None, 10**20])
def test_no_user_for_a_session_naming_none(db, user_id):
    assert PasswordBackend().get_user(user_id) is None


def test_a_deactivated_user_is_signed_out(world):
    world.force_a_editor.is_active = False
    world.force_a_editor.save()
    assert PasswordBackend().get_user(world.force_a_editor.pk) is None
    client = client_for(world, "force_a_editor")
    assert client.get("/progress/my-work/").status_code == 302


def test_a_page_reads_the_reader_once(world):
    client = client_for(world, "force_a_editor")
    client.get("/findings/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/findings/").status_code == 200
    organisation_reads = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT "organisations_organisation"."id"')
    ]
    assert organisation_reads == []
