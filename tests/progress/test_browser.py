"""In a real browser: a force editor allocates a response, posts an update with evidence,
moves the target date with a reason and proposes closure; an inspector completes it; the
public finding page then says "Completed". Every page passes axe-core on the way."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.progress.conftest import PDF, response_of

pytestmark = pytest.mark.browser


def sign_out(ui) -> None:
    with ui.page.expect_navigation():
        ui.page.get_by_role("button", name="Sign out").click()


def follow(ui, locator) -> None:
    """Click a link or button, wait for the next page and check it with axe-core."""
    with ui.page.expect_navigation():
        locator.click()
    ui.check_accessibility()


def test_a_response_from_allocation_to_completed(ui, world, people, board, tmp_path):
    response = response_of(world.published_a, world.force_a)
    page = ui.page
    evidence = tmp_path / "action-plan.pdf"
    evidence.write_bytes(PDF)

    ui.sign_in("editor@force-a.test", PASSWORD)
    ui.goto(f"/progress/responses/{response.pk}/")
    assert page.get_by_text("Awaiting allocation").first.is_visible()

    follow(ui, page.get_by_role("link", name="Allocate", exact=True))
    page.get_by_label("Strategic owner").select_option(
        label="Alex Chief, Assistant Chief Constable"
    )
    page.get_by_label("Tactical lead").select_option(label="Sam Super, Superintendent")
    page.get_by_label("Governance board").select_option(label="Crime Governance Board")
    follow(ui, page.get_by_role("button", name="Save allocation"))
    assert page.get_by_text("The response has been allocated").is_visible()

    follow(ui, page.get_by_role("link", name="Post an update"))
    page.get_by_label("Update", exact=True).fill(
        "Every child protection referral is now triaged within a day."
    )
    page.get_by_label("Amber").check()
    page.get_by_label("Percentage complete (optional)").fill("50")
    page.get_by_label("Evidence (optional)").set_input_files(str(evidence))
    follow(ui, page.get_by_role("button", name="Post the update"))
    assert page.get_by_text("Your update has been posted").is_visible()
    assert page.get_by_role("link", name="action-plan.pdf").first.is_visible()

    follow(ui, page.get_by_role("link", name="Change the target date"))
    new_date = timezone.localdate() + datetime.timedelta(days=60)
    page.get_by_label("New target date").fill(new_date.strftime("%d/%m/%Y"))
    follow(ui, page.get_by_role("button", name="Save the target date"))
    # No reason: the error summary says so, and nothing changed.
    assert (
        page.get_by_role("alert")
        .get_by_text("Enter the reason the target date is changing")
        .is_visible()
    )
    page.get_by_label("Reason for the change").fill("The new triage team starts in the spring.")
    follow(ui, page.get_by_role("button", name="Save the target date"))
    assert page.get_by_text("The new triage team starts in the spring.").first.is_visible()

    follow(ui, page.get_by_role("link", name="Propose closure"))
    page.get_by_label("Closing statement").fill("Triage is in place and audited monthly.")
    follow(ui, page.get_by_role("button", name="Send the proposal"))
    assert page.get_by_text("Pending sign-off").first.is_visible()

    ui.goto("/progress/my-work/")
    ui.goto("/progress/forces/force-a/")
    sign_out(ui)

    ui.sign_in("inspector@hmicfrs.test", PASSWORD)
    ui.goto("/progress/my-work/?show=proposals")
    follow(ui, page.get_by_role("link", name=re.compile(r"^Decide on closing")))
    assert page.get_by_text("Triage is in place and audited monthly.").is_visible()
    page.get_by_label("Completed").check()
    follow(ui, page.get_by_role("button", name="Record the decision"))
    assert page.get_by_text("Decision recorded: Completed").is_visible()
    sign_out(ui)

    ui.goto(f"/findings/{world.published_a.pk}/")
    assert page.get_by_text("Completed").first.is_visible()
    assert page.get_by_text("triaged within a day").count() == 0
    assert page.get_by_text("action-plan.pdf").count() == 0
