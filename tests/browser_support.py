"""Browser tests: Playwright for Python driving Debian's Chromium against a live server, with
axe-core checking every page a test visits."""

from __future__ import annotations

import functools
import os
import shutil
from base64 import b32decode as base32decode
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in the test thread; the tests still use the ORM
# there to set up data, which Django otherwise refuses in a thread with a running loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("RECREG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed for browser tests and was not found at {CHROMIUM}")
    if not AXE.exists():
        pytest.fail(f"axe-core is needed for accessibility checks and was not found at {AXE}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@functools.cache
def axe_source() -> str:
    """The axe-core script, read once."""
    return AXE.read_text()


class Checked:
    """A page wrapper that runs axe-core after every navigation the test asks for."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.checked: list[str] = []
        # What the browser refused under the Content Security Policy, as it reported it.
        self.csp_violations: list[str] = []
        page.on("console", self._note_console)

    def _note_console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.csp_violations.append(f"{self.page.url}: {message.text}")

    def goto(self, path: str):
        self.page.goto(self.base_url + path)
        self.check_accessibility()
        return self.page

    def check_accessibility(self) -> None:
        """Fail on any serious or critical axe-core violation on the current page."""
        self.page.wait_for_load_state("load")
        # Evaluated through the browser's debugging protocol rather than added as a <script>,
        # which the page's Content Security Policy would (rightly) refuse.
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            self.page.evaluate(axe_source() + "\n;true")
        result = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(node["target"][0] for node in v["nodes"][:3])
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not bad, f"Accessibility violations on {self.page.url}:\n" + "\n".join(bad)
        self.checked.append(self.page.url)

    def sign_in(self, email: str, password: str) -> None:
        """Sign in through the sign-in page, as a person would."""
        self.goto("/accounts/sign-in/")
        self.page.get_by_label("Email address").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state("load")
        self.check_accessibility()
        if "/accounts/two-factor/set-up/" in self.page.url:
            # An editor's first sign-in: set up an app with the secret the page shows.
            secret = self.page.locator("#totp-secret").inner_text().replace(" ", "")
            self.page.get_by_label("Code from the app").fill(totp_code(secret))
            self.page.get_by_role("button", name="Set up").click()
            self.page.wait_for_load_state("load")
            self.check_accessibility()
            self.page.get_by_role("button", name="Continue").click()
            self.page.wait_for_load_state("load")
        elif "/accounts/two-factor/verify/" in self.page.url:
            # Signing in again: a recovery code, since the app's code of this half-minute may
            # have been used already.
            self.page.get_by_label("Code").fill(recovery_code_for(email))
            self.page.get_by_role("button", name="Continue").click()
            self.page.wait_for_load_state("load")
            self.check_accessibility()


def totp_code(base32_secret: str) -> str:
    """The code an authenticator app would show now for this secret."""
    from django_otp.oath import totp

    return f"{totp(base32decode(base32_secret)):06d}"


def recovery_code_for(email: str) -> str:
    """A fresh recovery code for this user, as if they had kept one from setting up."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    device = StaticDevice.objects.get(user__email=email)
    return StaticToken.objects.create(device=device, token=StaticToken.random_token()).token


@pytest.fixture
def ui(browser, live_server, transactional_db):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Checked(page, live_server.url)
    context.close()
