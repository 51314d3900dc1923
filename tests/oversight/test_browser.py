"""In a real browser, with axe-core checking every page: an inspector moves a force into Engage
and the public sees it; an inspector plans a tranche from the risk ranking."""

import datetime

import pytest

from recreg.oversight import services
from recreg.oversight.models import GradeLevel, TranchePlan
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_decision_into_engage_appears_on_the_public_page(ui, ov):
    w = ov.world
    ui.sign_in(w.inspector.email, PASSWORD)
    page = ui.goto(ov.round.get_absolute_url())
    page.get_by_role("link", name="Record a decision about Avon Test Police").click()
    ui.check_accessibility()

    # A word the register does not know needs its stage: the error summary says so.
    page.get_by_label("Status as recorded").fill("Escalated")
    page.get_by_label("Reasons").fill("Emergency calls are not answered quickly enough.")
    page.get_by_role("button", name="Record decision").click()
    ui.check_accessibility()
    summary = page.locator(".govuk-error-summary")
    assert "Say which stage “Escalated” means today" in summary.inner_text()

    page.get_by_label("Status as recorded").fill("Engage")
    page.get_by_role("button", name="Record decision").click()
    ui.check_accessibility()
    assert "Engage recorded for 2024 tranche 2" in page.locator("main").inner_text()

    page.get_by_role("button", name="Sign out").click()
    page = ui.goto("/oversight/monitoring/engage/")
    current = page.locator("#current + div table").inner_text()
    assert "Avon Test Police" in current
    assert "17 September 2024" in current
    assert "Emergency calls are not answered quickly enough." in current
    assert "Borset Test Police" not in current


def test_inspector_plans_a_tranche_from_the_risk_ranking(ui, ov):
    w = ov.world
    services.record_grades(
        w.force_a,
        ov.new,
        grades={
            (GradeLevel.AREA, ov.investigating.pk): "inadequate",
            (GradeLevel.AREA, ov.responding.pk): "good",
            (GradeLevel.AREA, ov.pvp.pk): "good",
        },
        published_on=datetime.date(2024, 3, 14),
        actor=w.inspector,
    )
    ui.sign_in(w.inspector.email, PASSWORD)
    page = ui.goto("/oversight/risk/")
    page.get_by_label("Framework").select_option("peel-2023-25")
    page.get_by_label("Force").select_option("force-a")
    page.get_by_role("button", name="Show ranking").click()
    ui.check_accessibility()
    first = page.locator("table").first.locator("tbody tr").first.inner_text()
    assert "Investigating crime" in first

    page = ui.goto("/oversight/planning/")
    page.get_by_role("button", name="Plan a tranche").click()
    ui.check_accessibility()
    page.get_by_label("Tranche").select_option(label="2024 tranche 2")
    page.get_by_label("Framework").select_option("peel-2023-25")
    page.get_by_role("button", name="Continue").click()
    ui.check_accessibility()
    page.get_by_label("Avon Test Police").check()
    page.get_by_label("Protecting vulnerable people").check()
    page.get_by_label("How many more areas per force").fill("1")
    page.get_by_role("button", name="Rank the areas").click()
    ui.check_accessibility()

    # The model ticked its top-ranked area; the inspector keeps its choice.
    assert page.get_by_label("Investigating crime").is_checked()
    assert not page.get_by_label("Responding to the public").is_checked()
    page.get_by_role("button", name="Record the plan").click()
    ui.check_accessibility()
    main = page.locator("main").inner_text()
    assert "The plan for 2024 tranche 2 is recorded: 1 planned inspection" in main
    assert "Ranked by the risk model" in main and "Core" in main
    plan = TranchePlan.objects.get()
    entry = plan.forces.get()
    assert entry.inspection.state == "planned"
    assert {a.question_area.slug for a in entry.areas.all()} == {
        "protecting-vulnerable-people",
        "investigating-crime",
    }
