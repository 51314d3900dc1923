"""Changes to people and their tokens, each audited."""

from __future__ import annotations

import datetime
import math
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from recreg.accounts.claims import Grant
from recreg.accounts.models import ApiToken, SignInFailure, User
from recreg.audit.models import AuditAction
from recreg.audit.services import (
    record_create,
    record_event,
    record_update,
    snapshot,
)
from recreg.organisations.models import Organisation


@transaction.atomic
def create_api_token(user: User, *, name: str = "command line", actor) -> tuple[str, ApiToken]:
    """Create a token for this user; returns the secret (shown once) and the stored token."""
    raw, prefix, key_hash = ApiToken.new_secret()
    token = ApiToken.objects.create(user=user, name=name, prefix=prefix, key_hash=key_hash)
    record_create(token, actor=actor, note=f"API token for {user.email}")
    return raw, token


# Signing in: failures and the lockout, two-factor devices, sessions, single sign-on.


@dataclass(frozen=True)
class Lockout:
    """Why sign-in is refused for now, and until when."""

    until: datetime.datetime
    reason: str

    @property
    def message(self) -> str:
        """What the person trying to sign in is told."""
        minutes = max(1, math.ceil((self.until - timezone.now()).total_seconds() / 60))
        wait = "1 minute" if minutes == 1 else f"{minutes} minutes"
        return (
            f"There have been too many failed attempts to sign in {self.reason}. "
            f"Try again in {wait}, or reset your password."
        )


def _lock_from(failures, limit: int, reason: str) -> Lockout | None:
    window = datetime.timedelta(seconds=settings.RECREG_LOCKOUT_SECONDS)
    recent = failures.filter(at__gte=timezone.now() - window).order_by("-at")
    # The lock lasts until the oldest of the last `limit` failures leaves the window.
    times = list(recent.values_list("at", flat=True)[:limit])
    if len(times) < limit:
        return None
    return Lockout(until=times[-1] + window, reason=reason)


def sign_in_lockout(email: str, address: str) -> Lockout | None:
    """The lockout in force for this account or this address, if any."""
    email = (email or "").strip().lower()
    if email:
        lock = _lock_from(
            SignInFailure.objects.filter(email=email),
            settings.RECREG_LOCKOUT_ACCOUNT_FAILURES,
            "to this account",
        )
        if lock:
            return lock
    return _lock_from(
        SignInFailure.objects.filter(address=address),
        settings.RECREG_LOCKOUT_ADDRESS_FAILURES,
        "from your network address",
    )


def record_sign_in_failure(email: str, address: str) -> SignInFailure:
    """Count one failed attempt against this account and this address."""
    # Failures are their own record of the attempt, so they are not also audited.
    return SignInFailure.objects.create(email=(email or "").strip().lower()[:254], address=address)


def clear_sign_in_failures(email: str) -> None:
    """Forget an account's failed attempts once its owner has signed in."""
    SignInFailure.objects.filter(email=(email or "").strip().lower()).delete()
    # Old failures of any account are of no use once outside the window.
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.RECREG_LOCKOUT_SECONDS * 4)
    SignInFailure.objects.filter(at__lt=cutoff).delete()


RECOVERY_CODE_COUNT = 10


def _new_recovery_codes(device: StaticDevice) -> list[str]:
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def enrol_two_factor(user: User, *, key: str, last_t: int, actor) -> list[str]:
    """Keep a confirmed authenticator app for this user and make fresh recovery codes."""
    TOTPDevice.objects.filter(user=user).delete()
    totp = TOTPDevice.objects.create(
        user=user, name="Authenticator app", key=key, confirmed=True, last_t=last_t
    )
    static, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": "Recovery codes", "confirmed": True}
    )
    codes = _new_recovery_codes(static)
    # The shared secret stays out of the trail.
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        instance=totp,
        changes={"user": [None, user.pk]},
        note=f"Two-factor sign-in set up for {user.email}",
    )
    return codes


@transaction.atomic
def renew_recovery_codes(user: User, *, actor) -> list[str]:
    """Replace this user's recovery codes; the old ones stop working."""
    static, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": "Recovery codes", "confirmed": True}
    )
    codes = _new_recovery_codes(static)
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=static,
        changes={},
        note=f"New recovery codes for {user.email}",
    )
    return codes


@transaction.atomic
def remove_two_factor(user: User, *, actor) -> None:
    """Turn off two-factor sign-in for this user (only where it is optional)."""
    for device in [*TOTPDevice.objects.filter(user=user), *StaticDevice.objects.filter(user=user)]:
        record_event(
            actor=actor,
            action=AuditAction.DELETE,
            instance=device,
            changes={"user": [user.pk, None]},
            note=f"Two-factor sign-in removed for {user.email}",
        )
        device.delete()


@transaction.atomic
def sign_out_everywhere(user: User, *, actor) -> None:
    """End every session this user has, on every device."""
    user.session_token = secrets.token_hex(16)
    user.save(update_fields=["session_token"])
    # The token itself stays out of the trail: only the fact of the change matters.
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=user,
        changes={},
        note="Signed out everywhere",
    )


class SignOnRefused(Exception):
    """A single sign-on identity that may not use the register."""


@transaction.atomic
def sign_on_user(*, subject: str, email: str, full_name: str, grant: Grant) -> User:
    """The account for a single sign-on identity, made or brought up to date from its claims."""
    organisation = Organisation.objects.filter(slug=grant.organisation).first()
    if organisation is None:
        raise SignOnRefused(f"the claim map names an unknown organisation {grant.organisation!r}")
    user = User.objects.filter(oidc_subject=subject).first()
    if user is None:
        if User.objects.filter(email__iexact=email).exists():
            # Never take over a local account by its email address: the provider could be
            # another organisation's.
            raise SignOnRefused(f"{email} already has an account that does not use sign-on")
        user = User(
            email=email.lower(),
            full_name=full_name or email.split("@")[0],
            oidc_subject=subject,
            organisation=organisation,
            role=grant.role,
        )
        user.set_unusable_password()
        user.save()
        record_create(user, actor=None, note="Account made by single sign-on")
        return user
    if not user.is_active:
        raise SignOnRefused(f"the account of {user.email} is switched off")
    before = snapshot(user)
    user.organisation = organisation
    user.role = grant.role
    if full_name:
        user.full_name = full_name
    user.save()
    record_update(user, before, actor=None, note="Brought up to date by single sign-on")
    return user
