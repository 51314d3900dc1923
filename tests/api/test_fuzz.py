"""The API fuzzed from its own OpenAPI document with schemathesis, in-process through the Django
WSGI application: whatever it is sent, no server error, and every response matches the
document. Run as the public and as an inspectorate editor with a token (who may write)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks

from recreg.wsgi import application
from tests.api.conftest import token_for

# The checks the promise is about; schemathesis' other checks judge API design choices.
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


# Reading the document touches no table, so it is read once, when the tests are collected.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_connection(db):
    # As Django's own test client does: a request ending must not close the connection that
    # holds the test's transaction (the real server closes it; here it would end the test).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def inspector_token(world):
    return token_for(world.inspector)


# The public can only read: its writes all end at 401, which the editor's run covers anyway.
@schema.include(method="GET").parametrize()
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_as_the_public(case, world):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_as_an_inspectorate_editor(case, inspector_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {inspector_token}"}, checks=CHECKS)
