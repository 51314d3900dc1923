"""The one settings module: everything that varies between machines comes from the environment.

A bad value stops the process with a message naming the variable, rather than running with a
surprise default.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.core.validators import slug_re

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def _env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def _env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("RECREG_DATA_DIR") or PROJECT_DIR / "var").resolve()
DEBUG = _env_bool("RECREG_DEBUG", False)


def _secret_key() -> str:
    # A fixed key in the environment wins; otherwise one is made once and kept in the data
    # folder, so sessions survive restarts without anyone having to invent a key.
    from_env = os.environ.get("RECREG_SECRET_KEY")
    if from_env:
        if len(from_env) < 50:
            raise ImproperlyConfigured("RECREG_SECRET_KEY must be at least 50 characters long")
        return from_env
    key_file = DATA_DIR / "secret_key"
    try:
        return key_file.read_text().strip()
    except FileNotFoundError:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(64)
        key_file.write_text(key)
        key_file.chmod(0o600)
        return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = _env_list("RECREG_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = _env_list("RECREG_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks_db",
    "recreg.core",
    "recreg.accounts",
    "recreg.audit",
    "recreg.organisations",
    "recreg.frameworks",
    "recreg.inspections",
    "recreg.findings",
    "recreg.progress",
    "recreg.oversight",
    "recreg.intake",
    "recreg.exports",
    "recreg.dashboards",
    "recreg.reports",
    "recreg.api",
    "recreg.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "recreg.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "recreg.core.errors.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "recreg.urls"
WSGI_APPLICATION = "recreg.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "recreg.core.context_processors.site",
            ],
        },
    },
]
FORM_RENDERER = "recreg.core.forms.GovukFormRenderer"

# The embedded default is SQLite in the data folder; DATABASE_URL switches to PostgreSQL.
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    if not DATABASE_URL.startswith(("postgres://", "postgresql://", "sqlite://")):
        raise ImproperlyConfigured(
            "DATABASE_URL must start with postgres://, postgresql:// or sqlite://"
        )
    try:
        _db = dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL could not be read: {exc}") from None
else:
    _db = {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA_DIR / "recreg.sqlite3"}

PREPARED_STATEMENTS = _env_bool("RECREG_DB_PREPARED_STATEMENTS", True)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db.setdefault("OPTIONS", {}).update(
        {
            # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at
            # the start of a transaction so two writers queue instead of failing half-way.
            # 64 MB mapped: a worker that has read the whole national register (an export)
            # holds that much of the file in its resident memory; 128 MB put it over 250 MB
            # and served no page faster (docs/performance.md, eighteenth round).
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA cache_size=-20000;"
                "PRAGMA mmap_size=67108864;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    _db["CONN_MAX_AGE"] = 600
elif PREPARED_STATEMENTS:
    # Every page runs the same dozen statements. Sent with their values apart, psycopg
    # prepares a statement on its fifth use in a connection, and PostgreSQL then stops
    # planning it afresh: a finding's page spent more time planning its statements than
    # running them (docs/performance.md). Off for a pooler that cannot keep them.
    _db.setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 5})
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["recreg.accounts.backends.PasswordBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"

# GOV.UK Frontend's compiled stylesheet asks for its fonts and images under /assets/, so the
# static files are served from there.
STATIC_URL = "/assets/"
STATIC_ROOT = DATA_DIR / "static"
# WhiteNoise warns on every start if the folder is missing, before collectstatic has run.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
GOVUK_FRONTEND_DIR = PROJECT_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    GOVUK_FRONTEND_DIR / "assets",
    ("govuk", GOVUK_FRONTEND_DIR),
]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "files"},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Evidence files live in the data folder unless another storage backend is named: several
# servers share one store (object storage, e.g. django-storages' S3 backend) this way.
if os.environ.get("RECREG_FILE_STORAGE", "").strip():
    try:
        _storage_options = json.loads(os.environ.get("RECREG_FILE_STORAGE_OPTIONS") or "{}")
    except ValueError:
        raise ImproperlyConfigured("RECREG_FILE_STORAGE_OPTIONS must be a JSON object") from None
    if not isinstance(_storage_options, dict):
        raise ImproperlyConfigured("RECREG_FILE_STORAGE_OPTIONS must be a JSON object")
    STORAGES["default"] = {
        "BACKEND": os.environ["RECREG_FILE_STORAGE"].strip(),
        "OPTIONS": _storage_options,
    }

SESSION_ENGINE = "recreg.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = _env_int("RECREG_SESSION_SECONDS", 8 * 3600, minimum=300)
# RECREG_HTTPS says the register is reached over HTTPS (usually through a proxy that ends TLS):
# it turns on secure cookies, HSTS and the redirect to HTTPS, each of which can still be set.
HTTPS = _env_bool("RECREG_HTTPS", False)
SECURE_COOKIES = _env_bool("RECREG_SECURE_COOKIES", HTTPS)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = _env_bool("RECREG_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = _env_int("RECREG_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("RECREG_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _env_bool("RECREG_HSTS_PRELOAD", True)
if _env_bool("RECREG_BEHIND_PROXY", False):
    # Only behind a proxy that sets this header itself; otherwise a client could claim HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# A strict Content Security Policy: scripts, styles, fonts and images from the register's own
# address only; no inline script or style, no plug-ins, no framing.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Signing in. Two-factor sign-in (a time-based code from an authenticator app) is required of
# editors when RECREG_REQUIRE_2FA is on, and open to everyone.
RECREG_REQUIRE_2FA = _env_bool("RECREG_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = os.environ.get("RECREG_2FA_ISSUER", "Recommendations Register")
# Lockout: this many failed sign-ins within the window lock an account, or an address.
RECREG_LOCKOUT_ACCOUNT_FAILURES = _env_int("RECREG_LOCKOUT_ACCOUNT_FAILURES", 5, minimum=1)
RECREG_LOCKOUT_ADDRESS_FAILURES = _env_int("RECREG_LOCKOUT_ADDRESS_FAILURES", 20, minimum=1)
RECREG_LOCKOUT_SECONDS = _env_int("RECREG_LOCKOUT_SECONDS", 15 * 60, minimum=60)
PASSWORD_RESET_TIMEOUT = _env_int("RECREG_PASSWORD_RESET_SECONDS", 3600, minimum=300)

# Single sign-on by OpenID Connect, off unless RECREG_OIDC_ENABLED is on.
RECREG_OIDC_ENABLED = _env_bool("RECREG_OIDC_ENABLED", False)
# Whether a sign-on counts as two-factor: only if the provider itself asks for a second factor.
RECREG_OIDC_COUNTS_AS_2FA = _env_bool("RECREG_OIDC_COUNTS_AS_2FA", False)
RECREG_OIDC_PROVIDER_NAME = os.environ.get("RECREG_OIDC_PROVIDER_NAME", "your organisation")


def _oidc_claim_map() -> list[dict[str, str]]:
    from recreg.accounts.claims import ClaimMapError, parse_claim_map

    raw = os.environ.get("RECREG_OIDC_CLAIM_MAP", "")
    if not raw.strip():
        if RECREG_OIDC_ENABLED:
            raise ImproperlyConfigured(
                "RECREG_OIDC_CLAIM_MAP must be set when RECREG_OIDC_ENABLED is on"
            )
        return []
    try:
        return parse_claim_map(json.loads(raw))
    except json.JSONDecodeError as exc:
        raise ImproperlyConfigured(f"RECREG_OIDC_CLAIM_MAP is not valid JSON: {exc}") from None
    except ClaimMapError as exc:
        raise ImproperlyConfigured(f"RECREG_OIDC_CLAIM_MAP: {exc}") from None


RECREG_OIDC_CLAIM_MAP = _oidc_claim_map()
if RECREG_OIDC_ENABLED:

    def _env_required(name: str) -> str:
        value = os.environ.get(name, "").strip()
        if not value:
            raise ImproperlyConfigured(f"{name} must be set when RECREG_OIDC_ENABLED is on")
        return value

    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "recreg.accounts.oidc.SignOnBackend"]
    OIDC_RP_CLIENT_ID = _env_required("RECREG_OIDC_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = _env_required("RECREG_OIDC_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = _env_required("RECREG_OIDC_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = _env_required("RECREG_OIDC_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = _env_required("RECREG_OIDC_USERINFO_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("RECREG_OIDC_JWKS_ENDPOINT") or None
    OIDC_RP_SIGN_ALGO = os.environ.get("RECREG_OIDC_SIGN_ALGO", "RS256")
    if OIDC_RP_SIGN_ALGO.startswith(("RS", "ES")) and not OIDC_OP_JWKS_ENDPOINT:
        raise ImproperlyConfigured(
            f"RECREG_OIDC_JWKS_ENDPOINT must be set for {OIDC_RP_SIGN_ALGO} signatures"
        )
    OIDC_RP_SCOPES = os.environ.get("RECREG_OIDC_SCOPES", "openid email profile")
    OIDC_USE_PKCE = True
    OIDC_TIMEOUT = 10
    OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/sign-in/?sign_on=failed"

# Email goes to the console unless a backend is named (e.g. SMTP, configured by the standard
# EMAIL_HOST variables below).
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "RECREG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
        ),
    }
}
if os.environ.get("RECREG_EMAIL_HOST"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ["RECREG_EMAIL_HOST"],
        "port": _env_int("RECREG_EMAIL_PORT", 587, minimum=1),
        "username": os.environ.get("RECREG_EMAIL_USER", ""),
        "password": os.environ.get("RECREG_EMAIL_PASSWORD", ""),
        "use_tls": _env_bool("RECREG_EMAIL_TLS", True),
    }
DEFAULT_FROM_EMAIL = os.environ.get("RECREG_FROM_EMAIL", "register@recreg.invalid")

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
    }
}

# The police inspectorate whose register this is: its findings, and only its, enter the
# public register (see recreg.findings.models.public_register_q).
POLICE_INSPECTORATE_SLUG = os.environ.get("RECREG_POLICE_INSPECTORATE", "hmicfrs")
# A slug, as the organisation's own is; the access rules write it into their SQL as a
# constant (recreg.core.sql.Constant), which takes nothing else.
if not slug_re.match(POLICE_INSPECTORATE_SLUG):
    raise ImproperlyConfigured(
        "RECREG_POLICE_INSPECTORATE must be an organisation's slug (letters, digits, - and _), "
        f"not {POLICE_INSPECTORATE_SLUG!r}"
    )

# Evidence files: the largest accepted upload, and the zip-bomb guards for Office files.
RECREG_EVIDENCE_MAX_BYTES = _env_int("RECREG_EVIDENCE_MAX_BYTES", 25 * 1024 * 1024, minimum=1024)
RECREG_EVIDENCE_MAX_UNZIPPED_BYTES = _env_int(
    "RECREG_EVIDENCE_MAX_UNZIPPED_BYTES", 256 * 1024 * 1024, minimum=1024
)
RECREG_EVIDENCE_MAX_ZIP_RATIO = _env_int("RECREG_EVIDENCE_MAX_ZIP_RATIO", 100, minimum=2)
# The address links in emails start with, and when the weekly reminder digest goes out.
RECREG_SITE_URL = os.environ.get("RECREG_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
RECREG_DIGEST_WEEKDAY = _env_int("RECREG_DIGEST_WEEKDAY", 0)
RECREG_DIGEST_HOUR = _env_int("RECREG_DIGEST_HOUR", 7)
if RECREG_DIGEST_WEEKDAY > 6 or RECREG_DIGEST_HOUR > 23:
    raise ImproperlyConfigured("RECREG_DIGEST_WEEKDAY must be 0-6 and RECREG_DIGEST_HOUR 0-23")

REGISTER_PAGE_SIZE = _env_int("RECREG_PAGE_SIZE", 50, minimum=5)
# Long lists count their rows only this far past the page shown ("more than 1,000 findings"):
# the count costs in proportion to the rows it reaches (docs/adr/0003-count-to-1000.md).
REGISTER_COUNT_CAP = _env_int("RECREG_COUNT_CAP", 1_000, minimum=100)
SITE_NAME = "Recommendations Register"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("RECREG_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
