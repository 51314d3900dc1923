"""A database that cannot be reached gives a 503 page with Retry-After, never a traceback."""

from __future__ import annotations

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client, RequestFactory

from recreg.core import errors


def _broken(*args, **kwargs):
    raise OperationalError("could not connect to server: Connection refused")


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_a_page_whose_view_loses_the_database_is_a_503(client, monkeypatch):
    monkeypatch.setattr("recreg.core.context_processors.capabilities_for", _broken)
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    body = response.content.decode()
    assert "Sorry, the service is unavailable" in body
    assert "govuk-heading-l" in body
    assert "Traceback" not in body and "Connection refused" not in body


@pytest.mark.django_db
def test_the_api_says_so_in_its_own_error_format(client, monkeypatch):
    monkeypatch.setattr("recreg.api.auth.BearerAuth.authenticate", _broken)
    response = client.get("/api/v1/findings", HTTP_AUTHORIZATION="Bearer rr_x")
    assert response.status_code == 503
    assert response.json()["detail"].startswith("The register cannot reach its database")
    assert response["Retry-After"]


@pytest.mark.parametrize("exc", [OperationalError("gone"), InterfaceError("closed")])
def test_a_failure_in_a_middleware_becomes_a_503_too(exc):
    request = RequestFactory().get("/findings/")
    try:
        raise exc
    except type(exc):
        response = errors.server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"]


def test_other_failures_stay_500():
    request = RequestFactory().get("/findings/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = errors.server_error(request)
    assert response.status_code == 500
