"""Signing in: passwords, the second factor, the lockout, password reset and sessions."""

from __future__ import annotations

import datetime
import re
from base64 import b32decode

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from recreg.accounts import services
from recreg.accounts.models import SignInFailure
from recreg.audit.models import AuditEvent
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _no_device_backoff(settings):
    # django-otp also slows a device down after each wrong code (1 s, 2 s, 4 s…); the tests
    # send codes faster than a person would, so they switch that back-off off and rely on the
    # lockout, which they test.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def sign_in(email, password=PASSWORD, client=None, address="192.0.2.1"):
    client = client or Client(REMOTE_ADDR=address)
    response = client.post("/accounts/sign-in/", {"username": email, "password": password})
    return client, response


def code_now(key_hex: str, offset: int = 0) -> str:
    from binascii import unhexlify

    return f"{totp(unhexlify(key_hex), drift=offset):06d}"


def enrol(client):
    """Set up an app through the pages; returns the device key and the recovery codes."""
    page = client.get("/accounts/two-factor/set-up/")
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page.content.decode()).group(1)
    key = b32decode(secret.replace(" ", "")).hex()
    response = client.post("/accounts/two-factor/set-up/", {"code": code_now(key)})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())
    return key, codes


@pytest.mark.django_db
def test_passwords_are_checked_by_djangos_validators(settings):
    names = [v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]


def test_an_editor_without_an_app_must_set_one_up_before_anything_else(world):
    client, response = sign_in(world.inspector.email)
    assert response.status_code == 302
    for path in ("/", "/findings/", f"/findings/{world.draft_a.pk}/", "/accounts/"):
        page = client.get(path)
        assert page.status_code == 302, path
        assert page["Location"].startswith("/accounts/two-factor/set-up/"), path
    # A change is held back too, and the API answers 401 rather than a page.
    assert client.post(f"/findings/{world.draft_a.pk}/delete/").status_code == 302
    api = client.get(f"/api/v1/findings/{world.draft_a.pk}")
    assert api.status_code == 401
    assert "two-factor" in api.json()["detail"]
    assert world.draft_a.__class__.objects.filter(pk=world.draft_a.pk).exists()


def test_setting_up_an_app_shows_a_qr_code_and_the_secret_then_recovery_codes(world):
    client, _ = sign_in(world.force_a_editor.email)
    page = client.get("/accounts/two-factor/set-up/")
    html = page.content.decode()
    assert "<svg" in html and "totp-secret" in html
    wrong = client.post("/accounts/two-factor/set-up/", {"code": "000000"})
    assert "The code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=world.force_a_editor).exists()

    key, codes = enrol(client)
    assert len(codes) == 10
    device = TOTPDevice.objects.get(user=world.force_a_editor, confirmed=True)
    assert device.key == key
    assert client.get("/findings/").status_code == 200
    assert client.get("/accounts/").status_code == 200
    event = AuditEvent.objects.filter(model="otp_totp.totpdevice").get()
    # The shared secret never enters the audit trail.
    assert key not in str(event.changes)


def test_signing_in_again_asks_for_a_code_and_refuses_a_wrong_or_reused_one(world):
    first, _ = sign_in(world.inspector.email)
    key, codes = enrol(first)

    second, _ = sign_in(world.inspector.email, address="192.0.2.2")
    held = second.get("/findings/")
    assert held["Location"].startswith("/accounts/two-factor/verify/")
    wrong = second.post("/accounts/two-factor/verify/", {"code": "123456"})
    assert "The code is not right" in wrong.content.decode()
    assert SignInFailure.objects.filter(email=world.inspector.email).count() == 1
    # The code used to set up cannot be used again (the app's next code can).
    reused = second.post("/accounts/two-factor/verify/", {"code": code_now(key)})
    assert "The code is not right" in reused.content.decode()

    good = second.post("/accounts/two-factor/verify/", {"code": codes[0], "next": "/inspections/"})
    assert good.status_code == 302 and good["Location"] == "/inspections/"
    assert second.get("/findings/").status_code == 200

    # A recovery code works once.
    third, _ = sign_in(world.inspector.email, address="192.0.2.3")
    again = third.post("/accounts/two-factor/verify/", {"code": codes[0]})
    assert "The code is not right" in again.content.decode()


def test_the_next_code_from_the_app_signs_in(world):
    first, _ = sign_in(world.inspector.email)
    key, _ = enrol(first)
    second, _ = sign_in(world.inspector.email)
    response = second.post("/accounts/two-factor/verify/", {"code": code_now(key, offset=1)})
    assert response.status_code == 302
    assert second.get("/findings/").status_code == 200


def test_two_factor_is_optional_for_readers_and_can_be_turned_off(world):
    client, _ = sign_in(world.inspectorate_reader.email)
    assert client.get(f"/findings/{world.draft_a.pk}/").status_code == 200
    enrol(client)
    assert StaticDevice.objects.filter(user=world.inspectorate_reader).exists()
    response = client.post("/accounts/two-factor/remove/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.inspectorate_reader).exists()
    assert client.get("/findings/").status_code == 200


def test_an_editor_may_not_turn_two_factor_off(world):
    client, _ = sign_in(world.inspector.email)
    enrol(client)
    assert client.post("/accounts/two-factor/remove/").status_code == 403
    assert TOTPDevice.objects.filter(user=world.inspector).exists()


def test_new_recovery_codes_replace_the_old(world):
    client, _ = sign_in(world.inspector.email)
    _, old = enrol(client)
    response = client.post("/accounts/two-factor/recovery-codes/")
    new = re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    other, _ = sign_in(world.inspector.email)
    assert (
        "not right" in other.post("/accounts/two-factor/verify/", {"code": old[1]}).content.decode()
    )


def test_the_requirement_can_be_switched_off(world, settings):
    settings.RECREG_REQUIRE_2FA = False
    client, _ = sign_in(world.inspector.email)
    assert client.get("/findings/").status_code == 200


def test_an_account_is_locked_after_repeated_failures_with_a_clear_message(world, settings):
    settings.RECREG_LOCKOUT_ACCOUNT_FAILURES = 3
    for _ in range(3):
        _, response = sign_in(world.force_b_reader.email, "wrong password")
        assert "Enter a correct email address and password" in response.content.decode()
    # Even the right password is refused while the lock lasts, from anywhere.
    client, response = sign_in(world.force_b_reader.email, address="198.51.100.9")
    text = response.content.decode()
    assert response.status_code == 200
    assert "too many failed attempts to sign in to this account" in text
    assert "Try again in 15 minutes" in text
    assert "_auth_user_id" not in client.session
    # Another account is not affected.
    _, other = sign_in(world.pcc_officer.email)
    assert other.status_code == 302
    # The lock ends when the failures leave the window.
    SignInFailure.objects.update(at=timezone.now() - datetime.timedelta(minutes=16))
    _, response = sign_in(world.force_b_reader.email)
    assert response.status_code == 302
    assert not SignInFailure.objects.filter(email=world.force_b_reader.email).exists()


def test_an_address_is_locked_after_failures_across_accounts(world, settings):
    settings.RECREG_LOCKOUT_ADDRESS_FAILURES = 4
    for number in range(4):
        sign_in(f"guess{number}@example.org", "wrong", address="203.0.113.5")
    _, response = sign_in(world.force_b_reader.email, address="203.0.113.5")
    assert "too many failed attempts to sign in from your network address" in (
        response.content.decode()
    )
    _, elsewhere = sign_in(world.force_b_reader.email, address="203.0.113.6")
    assert elsewhere.status_code == 302


def test_wrong_codes_count_towards_the_lockout(world, settings):
    settings.RECREG_LOCKOUT_ACCOUNT_FAILURES = 2
    first, _ = sign_in(world.inspector.email)
    key, _ = enrol(first)
    second, _ = sign_in(world.inspector.email)
    second.post("/accounts/two-factor/verify/", {"code": "111111"})
    second.post("/accounts/two-factor/verify/", {"code": "222222"})
    locked = second.post("/accounts/two-factor/verify/", {"code": code_now(key, offset=1)})
    assert "too many failed attempts" in locked.content.decode()
    assert second.get("/findings/").status_code == 302


def test_the_lockout_is_kept_in_the_database_for_every_server_process(world, settings):
    settings.RECREG_LOCKOUT_ACCOUNT_FAILURES = 2
    # Failures recorded by any process (here, straight through the service) lock everywhere.
    services.record_sign_in_failure(world.force_b_reader.email, "192.0.2.50")
    services.record_sign_in_failure(world.force_b_reader.email.upper(), "192.0.2.51")
    _, response = sign_in(world.force_b_reader.email)
    assert "too many failed attempts" in response.content.decode()


def test_password_reset_by_email(world, settings):
    settings.RECREG_SITE_URL = "https://register.example.org"
    old_session, _ = sign_in(world.force_b_reader.email)
    response = Client().post("/accounts/password-reset/", {"email": world.force_b_reader.email})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    link = re.search(r"https://register\.example\.org(\S+)", mail.outbox[0].body).group(1)

    client = Client()
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    weak = client.post(
        form.redirect_chain[-1][0], {"new_password1": "password", "new_password2": "password"}
    )
    assert "This password is too common" in weak.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a sturdy new phrase", "new_password2": "a sturdy new phrase"},
    )
    assert done["Location"] == "/accounts/password-reset/done/"
    _, signed_in = sign_in(world.force_b_reader.email, "a sturdy new phrase")
    assert signed_in.status_code == 302
    # The session from before the reset has ended.
    assert old_session.get("/accounts/")["Location"].startswith("/accounts/sign-in/")
    # The link works once.
    assert "This link does not work" in Client().get(link, follow=True).content.decode()


def test_password_reset_says_the_same_for_an_unknown_address(db):
    response = Client().post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []
    bad = Client().post("/accounts/password-reset/", {"email": "not an address"})
    assert "Enter an email address in the correct format" in bad.content.decode()


def test_sign_out_everywhere_ends_every_session(world):
    laptop, _ = sign_in(world.pcc_officer.email)
    phone, _ = sign_in(world.pcc_officer.email)
    assert phone.get("/accounts/").status_code == 200
    response = laptop.post("/accounts/sign-out-everywhere/")
    assert response.status_code == 302
    for client in (laptop, phone):
        assert client.get("/accounts/")["Location"].startswith("/accounts/sign-in/")
    assert AuditEvent.objects.filter(note="Signed out everywhere").count() == 1
    # Signing in again works.
    _, again = sign_in(world.pcc_officer.email)
    assert again.status_code == 302


def test_sessions_expire_by_setting(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY
