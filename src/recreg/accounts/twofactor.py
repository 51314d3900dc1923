"""Two-factor sign-in: who must use it, and where a session stands with it.

A session's standing is kept in the session itself, so a signed-in, verified reader costs no
extra query per request. It is worked out once after sign-in (one query: has the user an
authenticator app?) and changed only by verifying a code or setting up an app.
"""

from __future__ import annotations

import secrets
import time
from base64 import b32encode
from binascii import unhexlify

import segno
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django_otp import user_has_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from recreg.accounts.roles import Role

SESSION_KEY = "recreg_2fa"
VERIFIED = "verified"
NOT_NEEDED = "not_needed"
# Where the session must go before anything else.
MUST_VERIFY = "verify"
MUST_ENROL = "enrol"

EDITOR_ROLES = frozenset({Role.INSPECTORATE_EDITOR, Role.FORCE_EDITOR})
SIGN_ON_BACKEND = "recreg.accounts.oidc.SignOnBackend"


def requires_two_factor(user) -> bool:
    """Whether this user must sign in with a second factor: editors, while the setting is on."""
    return bool(settings.RECREG_REQUIRE_2FA) and user.role in EDITOR_ROLES


def standing(request) -> str:
    """Where this signed-in session stands: VERIFIED, NOT_NEEDED, MUST_VERIFY or MUST_ENROL."""
    user = request.user
    state = request.session.get(SESSION_KEY)
    if state == VERIFIED:
        return VERIFIED
    if state == NOT_NEEDED and not requires_two_factor(user):
        return NOT_NEEDED
    if (
        request.session.get(BACKEND_SESSION_KEY) == SIGN_ON_BACKEND
        and settings.RECREG_OIDC_COUNTS_AS_2FA
    ):
        mark_verified(request)
        return VERIFIED
    if user_has_device(user):
        return MUST_VERIFY
    if requires_two_factor(user):
        return MUST_ENROL
    request.session[SESSION_KEY] = NOT_NEEDED
    return NOT_NEEDED


def mark_verified(request) -> None:
    """Record that this session has passed the second factor."""
    # A new session key on the step up, as on sign-in, so a key seen before it is worthless.
    request.session.cycle_key()
    request.session[SESSION_KEY] = VERIFIED


def forget(session) -> None:
    """Clear the standing, so it is worked out afresh (after a new sign-in)."""
    session.pop(SESSION_KEY, None)


def new_key() -> str:
    """A fresh shared secret for an authenticator app, as hex (20 random bytes)."""
    return secrets.token_hex(20)


def check_new_code(key: str, code: str) -> int | None:
    """The time step a code from a new app matched (one step of clock drift allowed), or None."""
    code = (code or "").replace(" ", "").strip()
    if not code.isdigit() or len(code) != 6:
        return None
    totp = TOTP(unhexlify(key))
    totp.time = time.time()
    if totp.verify(int(code), tolerance=1):
        return totp.t()
    return None


def setup_details(user, key: str) -> dict[str, str]:
    """The QR code (as inline SVG) and the secret as text, for setting up an app."""
    device = TOTPDevice(user=user, key=key)
    qr = segno.make(device.config_url, error="m")
    secret = b32encode(unhexlify(key)).decode()
    return {
        "qr_svg": qr.svg_inline(scale=5, dark="#0b0c0c", light="#ffffff"),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "config_url": device.config_url,
    }


def client_address(request) -> str:
    """The address a request came from; behind a proxy, the one the proxy saw."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            # The proxy appends the address it saw; anything before it the client could forge.
            return hops[-1][:45]
    return (request.META.get("REMOTE_ADDR") or "unknown")[:45]
