from tests.browser.conftest import browser, ui  # noqa: F401
