"""Every user-written text is rendered escaped: payloads of markup and template syntax, put in
every text field the progress, oversight and findings pages show, come out as text on those
pages (never as live markup, never evaluated) and unchanged as JSON strings in the API."""

from __future__ import annotations

import datetime

import pytest
from django.utils.html import escape

from recreg.findings import services as finding_services
from recreg.findings.models import AddresseeScope, FindingKind, FindingState, Response
from recreg.oversight import services as oversight_services
from recreg.progress import services as progress_services
from tests.conftest import client_for
from tests.factories import InspectionFactory, UserFactory

# Markup that ran, or template syntax that was evaluated (42 where the braces were).
LIVE = ("<script>alert(", "<img src=x", '42"><img', "42&quot;&gt;&lt;img")


def payload(field: str) -> str:
    """Markup that would run if rendered raw, and template syntax that would print 42 if
    evaluated, tagged with the field it was put in."""
    return f'<script>alert("{field}")</script>{{{{ 7|add:35 }}}}"><img src=x onerror=alert(1)>'


def shown_escaped(html: str, field: str) -> bool:
    return escape(f'<script>alert("{field}")</script>') in html


@pytest.fixture
def hostile(world):
    """Records whose every user-written text is a payload, made through the services."""
    from recreg.accounts.roles import Role

    editor = UserFactory(
        email="hostile@force-a.test",
        full_name=payload("full_name"),
        job_title=payload("job_title"),
        role=Role.FORCE_EDITOR,
        organisation=world.force_a,
    )
    inspection = InspectionFactory(title=payload("inspection_title"))
    inspection.forces_in_scope.set([world.force_a])
    finding = finding_services.create_finding(
        actor=world.inspector,
        inspection=inspection,
        kind=FindingKind.RECOMMENDATION,
        text=payload("finding_text"),
        addressee_scope=AddresseeScope.FORCES,
        addressees=[world.force_a],
        state=FindingState.PUBLISHED,
        deadline_text="",
    )
    response = Response.objects.get(finding=finding, organisation=world.force_a)
    board = progress_services.add_governance_board(
        world.force_a, name=payload("board_name"), actor=editor
    )
    response = progress_services.allocate_response(
        response,
        owner=editor,
        tactical_lead=editor,
        governance_board=board,
        expected_version=response.version,
        actor=editor,
    )
    response.refresh_from_db()
    progress_services.post_update(
        response,
        narrative=payload("update_narrative"),
        rag="amber",
        expected_version=response.version,
        actor=editor,
    )
    in_check = Response.objects.get(finding=world.fact_check_a, organisation=world.force_a)
    progress_services.raise_challenge(
        in_check,
        proposed_text=payload("challenge_text"),
        reason=payload("challenge_reason"),
        expected_version=in_check.version,
        actor=editor,
    )
    oversight_services.add_liaison_note(
        world.force_a,
        question_area=world.area,
        noted_on=datetime.date(2025, 1, 10),
        severity=3,
        text=payload("liaison_note"),
        actor=world.inspector,
    )
    return {"editor": editor, "finding": finding, "response": response, "in_check": in_check}


def pages(world, hostile) -> dict[str, tuple[str, list[str]]]:
    """Each page, who reads it, and the fields it must show."""
    response, in_check, finding = hostile["response"], hostile["in_check"], hostile["finding"]
    return {
        f"/progress/responses/{response.pk}/": (
            "force_a_editor",
            ["finding_text", "update_narrative", "full_name", "board_name"],
        ),
        f"/progress/responses/{in_check.pk}/": (
            "force_a_editor",
            ["challenge_text", "challenge_reason"],
        ),
        "/progress/forces/force-a/": ("force_a_editor", ["full_name"]),
        "/progress/forces/force-a/boards/": ("force_a_editor", ["board_name"]),
        f"/findings/{finding.pk}/": ("force_a_editor", ["finding_text", "inspection_title"]),
        "/findings/?q=alert": ("anonymous", ["finding_text", "inspection_title"]),
        "/findings/?q=alert&sort=oldest": ("force_a_editor", ["finding_text", "inspection_title"]),
        f"/inspections/{finding.inspection_id}/": ("anonymous", ["inspection_title"]),
        "/inspections/": ("anonymous", ["inspection_title"]),
        "/oversight/forces/force-a/notes/": ("inspector", ["liaison_note"]),
        f"/findings/responses/{response.pk}/": ("inspector", ["finding_text"]),
    }


def test_user_text_is_escaped_on_every_page(world, hostile):
    problems = []
    for url, (persona, fields) in pages(world, hostile).items():
        response = client_for(world, persona).get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for live in LIVE:
            if live in html:
                problems.append(f"{url}: live markup {live!r}")
        for field in fields:
            if not shown_escaped(html, field):
                problems.append(f"{url}: {field} not shown escaped")
        if "{{ 7|add:35 }}" not in html:
            problems.append(f"{url}: template syntax did not come out as text")
    assert not problems, "\n".join(problems)


def test_the_signed_in_users_own_name_is_escaped_in_the_header(world, hostile):
    client = client_for(world, "force_a_editor")
    client.force_login(hostile["editor"])
    html = client.get("/accounts/").content.decode()
    assert shown_escaped(html, "full_name")
    assert not any(live in html for live in LIVE)


def strings(data) -> set[str]:
    """Every string value in a decoded JSON document."""
    if isinstance(data, dict):
        return set().union(*(strings(value) for value in data.values()))
    if isinstance(data, list):
        return set().union(set(), *(strings(value) for value in data))
    return {data} if isinstance(data, str) else set()


def test_the_api_returns_user_text_as_json_strings_never_as_markup(world, hostile):
    client = client_for(world, "force_a_editor")
    for url, fields in (
        (f"/api/v1/findings/{hostile['finding'].pk}", ["finding_text"]),
        (f"/api/v1/responses/{hostile['response'].pk}", ["full_name", "board_name"]),
        (f"/api/v1/inspections/{hostile['finding'].inspection_id}", ["inspection_title"]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        # JSON, never HTML: a browser will not render it as a page, whatever it holds.
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response["X-Content-Type-Options"] == "nosniff"
        # The text comes back exactly as written, as data, for the client to escape.
        found = strings(response.json())
        for field in fields:
            assert payload(field) in found, (url, field)
