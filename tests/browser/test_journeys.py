"""The register's journeys in a real browser, as each kind of user makes them: sign in as
every role, search, open a finding; an inspector adds a finding, gets the deadline wrong, sees
the error summary and puts it right; the public sees only the public register."""

from __future__ import annotations

import re

import pytest

from recreg.findings.models import Finding
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

ROLES = {
    "inspector": "Inspectorate editor",
    "inspectorate_reader": "Inspectorate reader",
    "force_a_editor": "Force editor",
    "force_b_reader": "Force reader",
    "pcc_officer": "PCC officer",
    "national_reader": "National reader",
}


@pytest.mark.parametrize("persona", list(ROLES))
def test_each_role_signs_in_searches_and_opens_a_finding(ui, world, persona):
    user = getattr(world, persona)
    ui.sign_in(user.email, PASSWORD)
    page = ui.page
    assert f"Signed in as {ROLES[persona]}" in page.content()
    assert user.full_name in page.content()

    # Each role starts somewhere of its own (a PCC office at its responses due); all can search.
    if "/findings/" not in page.url:
        page = ui.goto("/findings/")
    page.get_by_label("Search the register").fill("safeguards children")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state("load")
    ui.check_accessibility()
    assert re.search(r"\b1 finding\b", page.content())
    page.get_by_role("link", name=world.published_a.title).first.click()
    page.wait_for_load_state("load")
    ui.check_accessibility()
    assert "The force should improve how it safeguards children." in page.content()

    # Signing out returns to the public view.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("load")
    assert "You are viewing the public register" in page.content()


def test_a_bad_deadline_is_shown_then_put_right(ui, world):
    ui.sign_in(world.inspector.email, PASSWORD)
    page = ui.goto(f"/inspections/{world.inspection_a.pk}/")
    page.get_by_role("button", name="Add a finding").click()
    page.wait_for_load_state("load")
    ui.check_accessibility()
    page.get_by_label("Recommendation", exact=True).check()
    page.get_by_label("Text").fill("The force should staff its control room to meet demand.")
    page.get_by_label("Deadline").fill("sometime soon")
    before = Finding.objects.count()
    page.get_by_role("button", name="Add finding").click()
    page.wait_for_load_state("load")
    ui.check_accessibility()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "There is a problem" in summary.inner_text()
    assert "Enter a deadline like" in summary.inner_text()
    assert Finding.objects.count() == before

    page.get_by_label("Deadline").fill("within six months")
    page.get_by_role("button", name="Add finding").click()
    page.wait_for_load_state("load")
    ui.check_accessibility()
    assert Finding.objects.count() == before + 1
    finding = Finding.objects.latest("id")
    assert finding.deadline_months == 6
    assert finding.text in page.content()
    assert not page.locator(".govuk-error-summary").count()


def test_the_public_sees_only_public_findings(ui, world):
    page = ui.goto("/findings/")
    content = page.content()
    for finding in (world.published_a, world.published_b, world.national_all):
        assert finding.text in content
    for finding in (world.fact_check_a, world.draft_a, world.national_body, world.joint_a):
        assert finding.text not in content
    # A direct address to a finding outside the public register is simply not found.
    response = page.goto(f"{ui.base_url}/findings/{world.fact_check_a.pk}/")
    assert response.status == 404
    ui.check_accessibility()
