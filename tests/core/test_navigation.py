"""The header's service navigation: which links a reader gets, and which one is theirs."""

from __future__ import annotations

import re

import pytest

from recreg.core.context_processors import service_navigation
from tests.conftest import client_for


def _labels(items):
    return [item.label for item in items]


def test_the_public_gets_the_public_links():
    assert _labels(service_navigation("/", signed_in=False)) == [
        "Register", "Inspections", "Forces", "Oversight", "Dashboards",
    ]  # fmt: skip


def test_a_signed_in_reader_also_gets_their_work_reports_and_imports():
    assert _labels(service_navigation("/", signed_in=True))[5:] == [
        "My work", "Reports", "Imports",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "active", "current"),
    [
        ("/findings/", "Register", "Register"),
        # The register's records are not the register: only a section's pages count.
        ("/findings/12/", None, None),
        ("/oversight/", "Oversight", "Oversight"),
        ("/oversight/forces/kent/", "Oversight", None),
        ("/reports/committee/", "Reports", None),
        ("/progress/my-work/", "My work", "My work"),
        ("/accounts/", None, None),
    ],
)
def test_the_readers_page_or_section_is_marked(path, active, current):
    items = service_navigation(path, signed_in=True)
    assert [i.label for i in items if i.active] == ([active] if active else [])
    assert [i.label for i in items if i.current] == ([current] if current else [])


def test_a_page_marks_its_link_as_the_current_page(world):
    html = client_for(world, "force_a_editor").get("/progress/my-work/").content.decode()
    html = html[html.index("<header") : html.index("</header>")]
    current = re.findall(r'href="([^"]+)" aria-current="page">([^<]+)<', html)
    assert current == [("/progress/my-work/", "My work")]
    assert 'href="/accounts/sign-out/"' not in html  # signing out is a form, not a link
    assert 'action="/accounts/sign-out/"' in html


def test_the_public_gets_a_sign_in_link(db, client):
    html = client.get("/findings/").content.decode()
    assert 'href="/accounts/sign-in/">Sign in<' in html
    assert "My work" not in html
