"""The access matrix: every page and API route, as every persona, with the outcome expected.

Each app's tests add their routes in `tests/<app>/access_entries.py` as a list named ENTRIES;
tests/test_access_matrix.py collects them all and fails on any URL pattern that no entry
covers, so a new page cannot be added without saying who may reach it.

Outcomes:
- OK: the persona gets the page or data (any status below 400 that is not a sign-in
  redirect; for a POST with an empty body, a form or JSON error naming the fields counts as
  reached, since nothing about the record was refused).
- HIDDEN: 404, exactly as if the record did not exist.
- REFUSED: 403.
- SIGN_IN: a page redirects to sign in; the API answers 401.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

OK, HIDDEN, REFUSED, SIGN_IN = "ok", "hidden", "refused", "sign_in"

PERSONAS = (
    "inspector",
    "inspectorate_reader",
    "force_a_editor",
    "force_b_reader",
    "pcc_officer",
    "national_reader",
    "anonymous",
)
SIGNED_IN = PERSONAS[:-1]


@dataclass
class Entry:
    """One route, one method, one record: the outcome for each persona."""

    route: str
    url: Callable[[Any], str]
    expect: dict[str, str]
    method: str = "GET"
    data: Callable[[Any], dict] | None = None
    json_body: bool = False
    label: str = ""
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        missing = set(PERSONAS) - set(self.expect)
        if missing:
            raise ValueError(f"{self.route} {self.method}: no outcome for {sorted(missing)}")

    @property
    def id(self) -> str:
        return f"{self.method} {self.route or '/'}{' ' + self.label if self.label else ''}"


def outcomes(default: str, **overrides: str) -> dict[str, str]:
    """Every persona gets `default` except those named."""
    result = dict.fromkeys(PERSONAS, default)
    unknown = set(overrides) - set(PERSONAS)
    if unknown:
        raise ValueError(f"Unknown personas: {sorted(unknown)}")
    result.update(overrides)
    return result


def everyone() -> dict[str, str]:
    """A page open to all, the public included."""
    return outcomes(OK)


def signed_in_only() -> dict[str, str]:
    """Any signed-in reader; the public is asked to sign in."""
    return outcomes(OK, anonymous=SIGN_IN)


def inspectorate_editors_only(others: str = REFUSED) -> dict[str, str]:
    """Only inspectorate editors; other signed-in readers get `others`."""
    return outcomes(others, inspector=OK, anonymous=SIGN_IN)
