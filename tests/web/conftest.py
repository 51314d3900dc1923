"""Helpers for the page tests."""

from __future__ import annotations

import importlib.util

import pytest
from django.conf import settings
from django.test import override_settings


@pytest.fixture(autouse=True)
def _session_backend():
    """Signing in needs settings.AUTHENTICATION_BACKENDS to import; until the accounts app has
    its email backend, these tests sign in through Django's own model backend."""
    backend = settings.AUTHENTICATION_BACKENDS[0]
    if importlib.util.find_spec(backend.rsplit(".", 1)[0]) is not None:
        yield
        return
    with override_settings(AUTHENTICATION_BACKENDS=["django.contrib.auth.backends.ModelBackend"]):
        yield
