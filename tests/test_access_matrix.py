"""Walk every page and API route as every persona and check the outcome (see
tests/access_matrix.py); fail on any route the matrix does not cover."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLResolver, get_resolver

import tests
from tests.access_matrix import HIDDEN, OK, PERSONAS, REFUSED, SIGN_IN, Entry
from tests.conftest import client_for

# Routes that are not pages or endpoints of the register itself.
NOT_ROUTES = {
    "api/v1/^.*$",  # the API's JSON 404 for unknown paths; covered by the API tests
}


def all_entries() -> list[Entry]:
    entries: list[Entry] = []
    root = Path(tests.__file__).parent
    for module in pkgutil.walk_packages([str(root)], prefix="tests."):
        if module.name.endswith(".access_entries"):
            entries.extend(importlib.import_module(module.name).ENTRIES)
    return entries


ENTRIES = all_entries()


def url_routes(patterns=None, prefix=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            yield from url_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def test_every_route_is_in_the_matrix():
    covered = {entry.route for entry in ENTRIES}
    missing = sorted(set(url_routes()) - covered - NOT_ROUTES)
    assert not missing, (
        "These routes are not in the access matrix; add them to tests/<app>/access_entries.py "
        "with the outcome for every persona:\n  " + "\n  ".join(missing)
    )


def test_matrix_names_only_real_routes():
    unknown = sorted({entry.route for entry in ENTRIES} - set(url_routes()))
    assert not unknown, f"Matrix entries for routes that do not exist: {unknown}"


def _request(client, entry: Entry, url: str, world):
    data = entry.data(world) if entry.data else {}
    method = entry.method.lower()
    if entry.json_body:
        return getattr(client, method)(url, data=data, content_type="application/json")
    if method in ("get", "head"):
        return getattr(client, method)(url, data)
    return getattr(client, method)(url, data)


def _is_sign_in_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        str(settings.LOGIN_URL) if "/" in str(settings.LOGIN_URL) else "/accounts/sign-in/"
    )


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.id for e in ENTRIES])
def test_access(entry: Entry, world):
    url = entry.url(world)
    failures = []
    # Those allowed go last, so a change one of them makes (a deletion, say) cannot hide the
    # record from a persona who should have been refused it.
    for persona in sorted(PERSONAS, key=lambda p: entry.expect[p] == OK):
        expected = entry.expect[persona]
        response = _request(client_for(world, persona), entry, url, world)
        status = response.status_code
        if expected == OK:
            good = (
                status < 400
                and not _is_sign_in_redirect(response)
                or (entry.method != "GET" and status in (400, 422))
            )
        elif expected == HIDDEN:
            good = status == 404
        elif expected == REFUSED:
            good = status == 403
        elif expected == SIGN_IN:
            good = _is_sign_in_redirect(response) or (url.startswith("/api/") and status == 401)
        else:  # pragma: no cover - a typo in the matrix
            raise AssertionError(f"Unknown outcome {expected!r}")
        if not good:
            failures.append(f"{persona}: expected {expected}, got {status}")
    assert not failures, f"{entry.method} {url}:\n  " + "\n  ".join(failures)
