"""Who the API thinks is calling: a token, the browser session, or the public."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from recreg.accounts.models import ApiToken
from recreg.accounts.roles import Role
from tests.api.conftest import API, ApiClient, ids, token_for
from tests.factories import UserFactory


def test_a_token_reads_as_its_user(world, api_as):
    found = ids(api_as("inspector").get("/findings", {"page_size": 100}))
    assert world.draft_a.pk in found  # only the inspectorate sees drafts


def test_a_session_reads_as_the_signed_in_user(world, api_as):
    found = ids(api_as("force_a_editor", session=True).get("/findings"))
    assert world.fact_check_a.pk in found
    assert world.fact_check_b.pk not in found


@pytest.mark.parametrize(
    "header",
    ["Bearer rr_not-a-real-token", "Bearer ", "Token abc", "Basic dXNlcjpwYXNz", "Bearer"],
)
def test_a_bad_authorization_header_is_401_not_the_public_view(world, header):
    response = Client().get(f"{API}/findings", headers={"Authorization": header})
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"]


def test_a_revoked_token_is_401(world):
    raw = token_for(world.inspector)
    ApiToken.objects.filter(user=world.inspector).update(revoked_at=timezone.now())
    response = ApiClient(Client(), raw).get("/findings")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_the_token_of_a_deactivated_user_is_401(world):
    raw = token_for(world.inspector)
    world.inspector.is_active = False
    world.inspector.save()
    assert ApiClient(Client(), raw).get("/findings").status_code == 401


def test_each_token_finds_its_own_user_and_organisation_in_one_query(
    world, django_assert_num_queries
):
    # The lookup is compiled once and run with each token's hash: asked in turn, each token
    # gets its own user, with every field and their organisation, and nothing more is read.
    people = [world.inspector, world.force_a_editor, world.pcc_officer]
    raws = [token_for(person) for person in people]
    for _ in range(2):
        for raw, person in zip(raws, people, strict=True):
            with django_assert_num_queries(1):
                token = ApiToken.objects.find(raw)
                assert token is not None and token.user == person
                assert token.user.organisation == person.organisation
                assert token.user.organisation.force_id == person.organisation.force_id
                assert (token.user.email, token.user.role) == (person.email, person.role)
                assert token.user.password == person.password
                assert token.name and token.key_hash and token.revoked_at is None
            assert token.created_at == ApiToken.objects.get(pk=token.pk).created_at
    assert ApiToken.objects.find("rr_" + "0" * 40) is None


def test_a_token_of_someone_in_no_organisation_finds_them(world):
    person = UserFactory(role=Role.INSPECTORATE_READER, organisation=None)
    token = ApiToken.objects.find(token_for(person))
    assert token is not None and token.user == person and token.user.organisation is None


def test_a_bad_token_wins_over_a_good_session(world):
    client = Client()
    client.force_login(world.inspector)
    response = ApiClient(client, "rr_wrong").get("/findings")
    assert response.status_code == 401


def test_last_used_is_written_at_most_once_a_minute(world):
    raw = token_for(world.inspector)
    token = ApiToken.objects.get(user=world.inspector)
    assert token.last_used_at is None
    client = ApiClient(Client(), raw)

    assert client.get("/inspections").status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None

    assert client.get("/inspections").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first  # within the minute: not written again

    two_minutes_ago = timezone.now() - datetime.timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=two_minutes_ago)
    assert client.get("/inspections").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > two_minutes_ago


def test_no_credentials_cannot_change_anything(world, api_as):
    anonymous = api_as("anonymous")
    body = {"inspection": world.inspection_a.pk, "kind": "recommendation", "text": "Do it."}
    response = anonymous.post("/findings", body)
    assert response.status_code == 401
    assert response.json()["detail"]
    assert anonymous.patch(f"/findings/{world.published_a.pk}", {"text": "x"}).status_code == 401
    assert anonymous.post("/inspections", {"title": "T", "kind": "force"}).status_code == 401
    assert anonymous.patch(f"/inspections/{world.inspection_a.pk}", {}).status_code == 401


def test_a_session_change_needs_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.inspector)
    secret = "a" * 32
    client.cookies["csrftoken"] = secret
    api = ApiClient(client)
    path = f"/findings/{world.published_a.pk}"

    refused = api.patch(path, {"reference": "AFI1"})
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    world.published_a.refresh_from_db()
    assert world.published_a.reference == ""

    # Reading needs no CSRF token; changing with it works.
    assert api.get(path).status_code == 200
    accepted = api.patch(path, {"reference": "AFI1"}, **{"X-CSRFToken": secret})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["reference"] == "AFI1"


def test_a_token_change_needs_no_csrf_token(world):
    raw = token_for(world.inspector)
    api = ApiClient(Client(enforce_csrf_checks=True), raw)
    response = api.patch(f"/findings/{world.published_a.pk}", {"reference": "AFI1"})
    assert response.status_code == 200, response.content
