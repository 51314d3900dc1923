"""In a real browser, with axe-core checking every page: a PCC officer asks for a committee
paper, the background worker writes it, the status page says it is ready and the Word file
downloads and opens."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from docx import Document

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_a_pcc_officer_makes_a_committee_paper_from_the_page(ui, scene, tmp_path):
    w = scene.world
    ui.sign_in(w.pcc_officer.email, PASSWORD)
    page = ui.page
    # The PCC office's home page lists the responses it owes.
    assert "Responses to inspection reports" in page.locator("h1").inner_text()

    page = ui.goto("/reports/")
    page.get_by_label("Force or PCC office").select_option("pcc-a")
    page.get_by_label("Date of the meeting").fill("30/06/2024")
    page.get_by_label("Date of the previous meeting").fill("30/06/2024")
    page.get_by_role("button", name="Make the paper").click()
    ui.check_accessibility()
    summary = page.locator(".govuk-error-summary")
    assert "The previous meeting must be before this meeting" in summary.inner_text()

    page.get_by_label("Date of the previous meeting").fill("01/01/2024")
    page.get_by_label("Word (.docx)").check()
    page.get_by_role("button", name="Make the paper").click()
    ui.check_accessibility()
    assert "Waiting for the background worker" in page.locator("#paper-status").inner_text()

    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", "--verbosity=0")
    # The page notices by itself; without JavaScript, "Check now" does the same.
    page.get_by_text("Your paper is ready").wait_for()
    ui.check_accessibility()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the paper").click()
    target = tmp_path / "paper.docx"
    download_info.value.save_as(target)
    doc = Document(str(target))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "1. Inspections with fieldwork since the last meeting"
    assert len(headings) == 6
