"""The surface: production settings pass Django's deployment checks, and every page carries a
strict Content Security Policy, the security headers, and no inline script."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys

import pytest

from tests.access_matrix import OK
from tests.conftest import client_for
from tests.test_access_matrix import ENTRIES

PRODUCTION = {
    "RECREG_HTTPS": "on",
    "RECREG_ALLOWED_HOSTS": "register.example.org",
    "RECREG_CSRF_TRUSTED_ORIGINS": "https://register.example.org",
    "RECREG_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "RECREG_EMAIL_HOST": "smtp.example.org",
    "RECREG_DEBUG": "off",
}


def deploy_check(tmp_path, **env):
    environment = {
        **os.environ,
        "RECREG_DATA_DIR": str(tmp_path),
        "RECREG_SECRET_KEY": secrets.token_urlsafe(60),
        **env,
    }
    # The browser tests allow Django's ORM in Playwright's thread; a server never would.
    for name in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        environment.pop(name, None)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "recreg.cli",
            "manage",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checks_with_no_warnings(tmp_path):
    result = deploy_check(tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_without_https_the_deployment_checks_complain(tmp_path):
    result = deploy_check(tmp_path, **{**PRODUCTION, "RECREG_HTTPS": "off"})
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)


def check_page(response) -> list[str]:
    """What is wrong with one page's headers and markup, if anything."""
    problems = []
    policy = response.headers.get("Content-Security-Policy", "")
    # A download (evidence files, papers) carries a stricter policy of its own: nothing runs
    # at all, and an HTML paper may use only its own stylesheet, named by its hash.
    strictest = policy.startswith("default-src 'none';") and policy.endswith("; sandbox")
    for directive in (
        ()
        if strictest
        else (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "object-src 'none'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
        )
    ):
        if directive not in policy:
            problems.append(f"CSP lacks {directive!r}")
    if "unsafe" in policy:
        problems.append("CSP allows something unsafe")
    expected = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    for header, value in expected.items():
        if response.headers.get(header) != value:
            problems.append(f"{header} is {response.headers.get(header)!r}")
    if "text/html" in response.headers.get("Content-Type", ""):
        html = response.content.decode()
        for attributes, body in SCRIPT.findall(html):
            if body.strip() or "src=" not in attributes:
                problems.append(f"inline script: {body.strip()[:60]!r}")
        if EVENT_HANDLER.search(html):
            problems.append("an inline event handler")
        if STYLE_ATTRIBUTE.search(html):
            problems.append("an inline style attribute")
    return problems


@pytest.mark.parametrize("persona", ["inspector", "force_a_editor", "anonymous"])
def test_every_page_has_the_policy_and_headers_and_no_inline_script(world, persona):
    client = client_for(world, persona)
    failures = {}
    pages = 0
    for entry in ENTRIES:
        if entry.method != "GET" or entry.expect[persona] != OK:
            continue
        url = entry.url(world)
        response = client.get(url, follow=True)
        pages += 1
        problems = check_page(response)
        if problems:
            failures[url] = problems
    assert pages > 20
    assert not failures, failures


def test_two_factor_set_up_page_follows_the_policy(world):
    client = client_for(world, "inspector")
    response = client.get("/accounts/two-factor/set-up/")
    assert "<svg" in response.content.decode()
    assert check_page(response) == []


def test_hsts_is_sent_over_https_when_configured(client, settings, db):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")


def test_cookies_are_secure_in_production(tmp_path):
    environment = {
        **os.environ,
        "RECREG_DATA_DIR": str(tmp_path),
        "RECREG_HTTPS": "on",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from recreg import settings as s; print(s.SESSION_COOKIE_SECURE, "
            "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)",
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["True", "True", "True", "31536000"]
