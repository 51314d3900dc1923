"""In a real browser: upload a report, review it, edit one item, confirm; axe-core checks
every page on the way."""

from __future__ import annotations

import pytest
from django.urls import reverse

from recreg.findings.models import Finding
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

REPORT = """# PEEL 2023–25: Avon Test Police

## Protecting vulnerable people

### Areas for improvement

- The force should make sure that it reviews domestic abuse risk assessments within 24 hours.
- The force should improve how it safeguards children who go missing from home.
"""


def test_upload_review_edit_confirm(ui, world, tmp_path):
    report = tmp_path / "avon-report.md"
    report.write_text(REPORT, encoding="utf-8")
    ui.sign_in(world.inspector.email, PASSWORD)
    page = ui.goto(reverse("intake:upload", args=[world.inspection_a.pk]))
    page.get_by_label("Report document").set_input_files(str(report))
    page.get_by_role("button", name="Upload and find findings").click()
    page.wait_for_load_state("load")
    ui.check_accessibility()
    assert page.get_by_role("heading", name="Review findings from avon-report.md").is_visible()
    before = Finding.objects.count()

    second = page.locator("#item-2")
    second.get_by_label("Text").fill("The force should improve how it safeguards missing children.")
    second.get_by_label("Deadline").fill("within six months")
    page.get_by_role("button", name="Confirm and add to the register").click()
    page.wait_for_load_state("load")
    ui.check_accessibility()
    assert page.get_by_text("2 findings added").is_visible()
    assert Finding.objects.count() == before + 2
    edited = Finding.objects.get(text__contains="missing children")
    assert edited.deadline_months == 6
    assert edited.state == "draft"


def test_a_bad_row_is_reached_from_the_error_summary(ui, world, tmp_path):
    report = tmp_path / "avon-report.md"
    report.write_text(REPORT, encoding="utf-8")
    ui.sign_in(world.inspector.email, PASSWORD)
    page = ui.goto(reverse("intake:upload", args=[world.inspection_a.pk]))
    page.get_by_label("Report document").set_input_files(str(report))
    page.get_by_role("button", name="Upload and find findings").click()
    page.wait_for_load_state("load")
    before = Finding.objects.count()
    page.locator("#item-1").get_by_label("Deadline").fill("whenever")
    page.get_by_role("button", name="Confirm and add to the register").click()
    page.wait_for_load_state("load")
    ui.check_accessibility()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    summary.get_by_role("link", name="Item 1: Enter a deadline like").click()
    assert page.evaluate("document.activeElement.id") == "id_form-0-deadline_text"
    assert Finding.objects.count() == before
