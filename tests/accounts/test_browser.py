"""Two-factor sign-in in a real browser, under the register's Content Security Policy: the
browser reports no violation on any page visited."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_an_editor_sets_up_two_factor_and_no_page_breaks_the_csp(ui, world):
    # The first sign-in goes through setting up the app (see Checked.sign_in).
    ui.sign_in(world.force_a_editor.email, PASSWORD)
    page = ui.page
    assert page.url.endswith("/")
    assert "Signed in as Force editor" in page.content()
    ui.goto("/accounts/")
    assert "You sign in with your password and a code from your authenticator app" in (
        page.content()
    )
    for path in ("/findings/", f"/findings/{world.published_a.pk}/", "/inspections/", "/forces/"):
        ui.goto(path)
    # Signing out everywhere, then in again, now asks for the code.
    ui.goto("/accounts/")
    page.get_by_role("button", name="Sign out everywhere").click()
    page.wait_for_load_state("load")
    assert "You have been signed out on every device" in page.content()
    ui.sign_in(world.force_a_editor.email, PASSWORD)
    assert "Signed in as Force editor" in page.content()
    # The GOV.UK Frontend script ran (its class is set by the external script, not inline).
    assert "govuk-frontend-supported" in page.evaluate("document.body.className")
    assert ui.csp_violations == []


def test_a_wrong_password_gives_the_error_summary_and_the_set_up_page_is_accessible(ui, world):
    ui.goto("/accounts/sign-in/")
    ui.page.get_by_label("Email address").fill(world.inspector.email)
    ui.page.get_by_label("Password").fill("not the password")
    ui.page.get_by_role("button", name="Sign in").click()
    ui.page.wait_for_load_state("load")
    ui.check_accessibility()
    assert "Enter a correct email address and password" in ui.page.content()
    ui.goto("/accounts/password-reset/")
    assert ui.csp_violations == []
    # An inline script slipped into a page is refused, and the refusal is seen.
    ui.page.evaluate(
        "document.body.appendChild(Object.assign(document.createElement('script'),"
        " {textContent: 'window.injected = true'}))"
    )
    ui.page.wait_for_timeout(200)
    assert ui.page.evaluate("window.injected === undefined")
    assert ui.csp_violations and "script-src" in ui.csp_violations[0]
