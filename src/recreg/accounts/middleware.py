"""Holding a signed-in session at the second factor until it is passed."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse

from recreg.accounts import twofactor

# Paths a session may reach before passing the second factor: the steps themselves, signing
# out, and the static files those pages need.
OPEN_PREFIXES = (
    "/accounts/two-factor/verify/",
    "/accounts/two-factor/set-up/",
    "/accounts/sign-out/",
    "/assets/",
    "/healthz",
)


class TwoFactorMiddleware:
    """Send a signed-in session that owes a second factor to verify it or set one up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            # An API call with a bearer token is judged by the token alone (the API never falls
            # back to the session when an Authorization header is sent).
            and not (request.path.startswith("/api/") and "HTTP_AUTHORIZATION" in request.META)
        ):
            state = twofactor.standing(request)
            if state in (twofactor.MUST_VERIFY, twofactor.MUST_ENROL):
                return self._hold(request, state)
        return self.get_response(request)

    def _hold(self, request, state):
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "detail": "Finish signing in with your two-factor code first",
                    "errors": [],
                },
                status=401,
            )
        name = "accounts:2fa_verify" if state == twofactor.MUST_VERIFY else "accounts:2fa_setup"
        target = reverse(name)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)
