"""Who is calling the API: a bearer token, the browser session, or the anonymous public.

Each check sets `request.user`, so the access helpers (which take a user) apply the same rules
to the API as to the pages. A wrong or revoked token is refused with 401; it never falls back to
the public view, so a client with a broken token finds out at once.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from recreg.accounts.models import ApiToken

# How stale `last_used_at` may get before it is written again: one write a minute at most,
# not one per request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    # A filtered update, so two requests racing each other write at most once.
    ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


class BearerAuth(HttpBearer):
    """`Authorization: Bearer <token>` with a token from `recreg token` (only its hash is kept)."""

    openapi_description = (
        "An API token: `Authorization: Bearer rr_…`. A wrong or revoked token gets 401."
    )

    def __call__(self, request: HttpRequest):
        header = request.headers.get(self.header)
        if not header:
            return None
        scheme, _, raw = header.strip().partition(" ")
        raw = raw.strip()
        if scheme.lower() != "bearer" or not raw:
            raise AuthenticationError(
                message="Send the token as an ‘Authorization: Bearer <token>’ header"
            )
        return self.authenticate(request, raw)

    def authenticate(self, request: HttpRequest, token: str):
        found = ApiToken.objects.find(token)
        if found is None:
            raise AuthenticationError(message="The API token is not valid or has been revoked")
        _touch(found)
        request.user = found.user
        return found.user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session, so the pages can call the API. Changes need the CSRF token
    in an `X-CSRFToken` header, as for a form."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = "The browser session of a signed-in user (changes need X-CSRFToken)."

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed: send the X-CSRFToken header")
        return user

    def _get_key(self, request: HttpRequest) -> str | None:  # pragma: no cover - unused
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None):  # pragma: no cover
        return None


class PublicReader:
    """Anyone without credentials: the public register only. The access helpers do the work
    when they are given an AnonymousUser."""

    def __call__(self, request: HttpRequest):
        request.user = AnonymousUser()
        return request.user


# Reading: a token, the session, or nobody (the public register).
READ_AUTH = [BearerAuth(), SessionAuth(), PublicReader()]
# Changing: a token or the session; nobody else gets past 401.
WRITE_AUTH = [BearerAuth(), SessionAuth()]
# OpenAPI: the empty requirement says the operation also works without credentials.
OPTIONAL_SECURITY = {"security": [{}]}
