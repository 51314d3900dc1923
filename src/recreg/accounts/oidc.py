"""Single sign-on by OpenID Connect (mozilla-django-oidc), switched on by RECREG_OIDC_ENABLED.

Accounts are found by the provider's subject ("sub"), never by email address alone, and every
sign-on sets the organisation and role from the claims through RECREG_OIDC_CLAIM_MAP. Claims
that map to nothing are refused: no account is made and no default role is given.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import Http404
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from recreg.accounts import services
from recreg.accounts.backends import user_for_session
from recreg.accounts.claims import grant_for
from recreg.accounts.models import User

log = logging.getLogger(__name__)


class SignOnBackend(OIDCAuthenticationBackend):
    """Turns a provider's verified claims into a register account, or refuses."""

    def get_user(self, user_id):
        """The session's user, read with their organisation (recreg.accounts.backends)."""
        return user_for_session(user_id)

    def filter_users_by_claims(self, claims):
        """The account already tied to this identity, if any."""
        subject = claims.get("sub")
        if not subject:
            return User.objects.none()
        return User.objects.filter(oidc_subject=subject)

    def verify_claims(self, claims):
        """Only identities with a subject, an email address and a mapped role get in."""
        if not claims.get("sub") or not claims.get("email"):
            log.warning("Single sign-on refused: the provider sent no sub or email claim")
            return False
        if grant_for(claims, settings.RECREG_OIDC_CLAIM_MAP) is None:
            log.warning(
                "Single sign-on refused for %s: no rule of RECREG_OIDC_CLAIM_MAP matches",
                claims.get("email"),
            )
            return False
        return True

    def _account(self, claims):
        grant = grant_for(claims, settings.RECREG_OIDC_CLAIM_MAP)
        if grant is None:  # pragma: no cover - verify_claims has refused already
            return None
        try:
            return services.sign_on_user(
                subject=str(claims["sub"])[:255],
                email=str(claims["email"]),
                full_name=str(claims.get("name") or "")[:200],
                grant=grant,
            )
        except services.SignOnRefused as refusal:
            log.warning("Single sign-on refused: %s", refusal)
            return None

    def create_user(self, claims):
        """A new account, with the organisation and role the claims map to."""
        return self._account(claims)

    def update_user(self, user, claims):
        """The existing account, with its organisation and role set afresh from the claims."""
        return self._account(claims)


def _enabled(view):
    def wrapped(request, *args, **kwargs):
        # Off unless configured: the routes exist, but answer as if they did not.
        if not settings.RECREG_OIDC_ENABLED:
            raise Http404("Single sign-on is not switched on")
        return view(request, *args, **kwargs)

    wrapped.__doc__ = view.__doc__
    return wrapped


start = _enabled(OIDCAuthenticationRequestView.as_view())
start.__doc__ = "Send the reader to the identity provider to sign in."
callback = _enabled(OIDCAuthenticationCallbackView.as_view())
callback.__doc__ = "Take the reader back from the identity provider, signed in or refused."
