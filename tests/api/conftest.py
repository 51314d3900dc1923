"""Helpers for calling the API as each persona: by token, by session, or as the public."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from recreg.accounts.services import create_api_token
from tests.conftest import client_for

API = "/api/v1"


def token_for(user) -> str:
    raw, _token = create_api_token(user, actor=None)
    return raw


class ApiClient:
    """A JSON client for one reader: bearer token, browser session or nobody."""

    def __init__(self, client: Client, token: str | None = None):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, params=None, **headers):
        return self.client.get(API + path, params or {}, headers={**self.headers, **headers})

    def post(self, path: str, data=None, *, raw: str | None = None, **headers):
        body = raw if raw is not None else json.dumps(data)
        return self.client.post(
            API + path, body, content_type="application/json", headers={**self.headers, **headers}
        )

    def post_form(self, path: str, data=None, **headers):
        """A multipart/form-data POST, files and all, as a browser form or `curl -F` sends."""
        return self.client.post(API + path, data or {}, headers={**self.headers, **headers})

    def patch(self, path: str, data=None, *, raw: str | None = None, **headers):
        body = raw if raw is not None else json.dumps(data)
        return self.client.patch(
            API + path, body, content_type="application/json", headers={**self.headers, **headers}
        )


@pytest.fixture
def api_as(world):
    """`api_as("inspector")` calls with that persona's token; `api_as("anonymous")` with
    nothing; `api_as("force_a_editor", session=True)` through a signed-in session."""

    def make(persona: str, *, session: bool = False) -> ApiClient:
        if persona == "anonymous":
            return ApiClient(Client())
        if session:
            return ApiClient(client_for(world, persona))
        return ApiClient(Client(), token_for(getattr(world, persona)))

    return make


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}
