"""People who sign in, the organisation each belongs to, their role, and their API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from recreg.accounts.roles import Role
from recreg.core.statements import CompiledRecords, KeptStatements


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        """Create a user who signs in with this email address."""
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username):
        """Find the user to sign in, whatever the case of the email address as typed."""
        return self.get(email__iexact=(username or "").strip())

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        """Create an inspectorate editor who may also use Django's own tools."""
        extra.setdefault("role", Role.INSPECTORATE_EDITOR)
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("full_name", email.split("@")[0])
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Part of every session's check: changing it signs the user out everywhere.
    session_token = models.CharField(max_length=64, blank=True, editable=False)
    # The subject ("sub") of the single sign-on identity this account belongs to, if any.
    oidc_subject = models.CharField(max_length=255, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["oidc_subject"],
                condition=~Q(oidc_subject=""),
                name="accounts_user_unique_oidc_subject",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def _get_session_auth_hash(self, secret=None):
        # Django's hash of the password, with the session token added once one is set, so
        # sessions made before the token existed stay valid until it is first changed.
        return salted_hmac(
            "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
            self.password + self.session_token,
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def caps(self):
        """What this user may do, as named capabilities (see recreg.accounts.roles)."""
        from recreg.accounts.roles import capabilities_for

        return capabilities_for(self)


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# The token lookup, compiled once for each thread (recreg.core.statements): every API request
# makes it, and Django compiling it (a join of three tables) took longer than running it.
_LOOKUP = KeptStatements()
# Compiled in the hash's place and swapped for it on each lookup; never a hash (hex only).
_HASH_PLACEHOLDER = "recreg: the token's hash"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def find(self, raw: str) -> ApiToken | None:
        """The live token matching this secret, with its user and their organisation, or None
        (whatever this queryset holds: it is compiled once, from all the tokens)."""
        statement = _LOOKUP.get(
            "find",
            lambda: CompiledRecords(
                self.model._default_manager.filter(
                    key_hash=_HASH_PLACEHOLDER, revoked_at__isnull=True, user__is_active=True
                ),
                # As select_related() would: no further queries for them.
                ("user", "user__organisation"),
            ),
        )
        # The hash is unique: one row or none (no ordering or LIMIT, which cost a third).
        found = statement.records(statement.params_with({_HASH_PLACEHOLDER: _hash_token(raw)}))
        return found[0] if found else None


class ApiToken(models.Model):
    """A bearer token for the API. Only a hash is stored; the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, default="command line")
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.prefix}… for {self.user}"

    @staticmethod
    def new_secret() -> tuple[str, str, str]:
        """A fresh secret with its display prefix and stored hash."""
        raw = "rr_" + secrets.token_urlsafe(32)
        return raw, raw[:10], _hash_token(raw)


class SignInFailure(models.Model):
    """One failed attempt to sign in (a wrong password or code), for the lockout."""

    email = models.CharField(max_length=254)
    address = models.CharField(max_length=45)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["email", "at"], name="accounts_failure_email_at"),
            models.Index(fields=["address", "at"], name="accounts_failure_address_at"),
        ]

    def __str__(self) -> str:
        return f"{self.email} from {self.address} at {self.at:%Y-%m-%d %H:%M}"
