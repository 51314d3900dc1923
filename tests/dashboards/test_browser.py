"""In a real browser, with axe-core checking every page: the national dashboard as the public
sees it, and a force's dashboard as its PCC's officer sees it, on a wide and a narrow screen."""

import pytest

from tests.conftest import PASSWORD
from tests.dashboards.conftest import build_scene

pytestmark = pytest.mark.browser


def test_dashboards_are_accessible(ui, world):
    build_scene(world)
    page = ui.goto("/dashboards/")
    assert page.locator("svg[role=img]").count() == 3
    assert page.get_by_role("img", name="Responses by state at the end of each month").is_visible()
    assert page.get_by_role("table", name="Data: Responses by state over time").is_visible()

    ui.sign_in(world.pcc_officer.email, PASSWORD)
    page = ui.goto("/dashboards/forces/force-a/")
    assert page.locator("svg[role=img]").count() == 4
    assert page.get_by_role("img", name="Overdue responses at the end of each month").is_visible()

    page.set_viewport_size({"width": 375, "height": 800})
    ui.check_accessibility()
    box = page.locator("#rag-chart svg").bounding_box()
    assert box is not None and box["width"] <= 375
