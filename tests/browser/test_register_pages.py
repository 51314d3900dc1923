"""The register's pages in a real browser: every page passes axe-core for the public and for an
editor, and a form's errors can be reached from the error summary."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def visit(ui, path: str):
    """Open a page, insist it rendered, and check it with axe-core."""
    response = ui.page.goto(ui.base_url + path)
    assert response is not None and response.status == 200, (path, response and response.status)
    ui.check_accessibility()
    return ui.page


def test_public_pages_pass_axe(ui, world):
    response = world.published_a.responses.get()
    for path in (
        "/findings/",
        "/findings/?q=safeguards",
        "/findings/?kind=bogus&force=atlantis&area=x",
        reverse("findings:detail", args=[world.national_all.pk]),
        reverse("findings:response", args=[response.pk]),
        "/inspections/",
        reverse("inspections:detail", args=[world.inspection_a.pk]),
        "/forces/",
        "/forces/force-a/",
    ):
        visit(ui, path)


def test_editor_pages_pass_axe(ui, world):
    ui.sign_in(world.inspector.email, PASSWORD)
    response = world.national_all.responses.first()
    for path in (
        "/findings/",
        "/findings/?stage=draft&overdue=1&sort=deadline",
        reverse("findings:detail", args=[world.national_all.pk]),
        reverse("findings:detail", args=[world.draft_a.pk]),
        reverse("findings:response", args=[response.pk]),
        reverse("findings:create", args=[world.inspection_a.pk]),
        reverse("findings:edit", args=[world.published_a.pk]),
        reverse("findings:delete", args=[world.draft_a.pk]),
        reverse("findings:delete", args=[world.published_a.pk]),
        "/inspections/?state=nonsense",
        reverse("inspections:detail", args=[world.draft_inspection.pk]),
        reverse("inspections:create"),
        reverse("inspections:edit", args=[world.inspection_a.pk]),
        "/forces/force-a/",
    ):
        visit(ui, path)


def test_a_bad_deadline_is_reached_from_the_error_summary(ui, world):
    ui.sign_in(world.inspector.email, PASSWORD)
    page = visit(ui, reverse("findings:create", args=[world.inspection_a.pk]))
    page.locator("#id_kind_0").check()
    page.locator("#id_text").fill("The force should review its control room staffing.")
    page.locator("#id_deadline_text").fill("sometime soon")
    page.get_by_role("button", name="Add finding").click()
    page.wait_for_load_state("load")
    ui.check_accessibility()
    assert page.title().startswith("Add a finding")
    assert "(error)" in page.title()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    # GOV.UK Frontend moves focus to the summary, and its link moves focus to the field.
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_deadline_text"
