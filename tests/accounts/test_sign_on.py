"""Single sign-on by OpenID Connect, against a fake provider: its token and userinfo endpoints
are replaced by functions that answer as a provider would, with a signed ID token."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from django.test import Client

from recreg.accounts import twofactor
from recreg.accounts.claims import ClaimMapError, grant_for, parse_claim_map
from recreg.accounts.models import User
from recreg.audit.models import AuditEvent
from tests.core.test_settings import load_settings

SECRET = "a client secret shared with the fake provider"
CLAIM_MAP = [
    {
        "claim": "groups",
        "value": "avon-register-editors",
        "organisation": "force-a",
        "role": "force_editor",
    },
    {
        "claim": "groups",
        "value": "avon-register-readers",
        "organisation": "force-a",
        "role": "force_reader",
    },
    {"claim": "org", "value": "hmicfrs", "organisation": "hmicfrs", "role": "inspectorate_reader"},
]


class FakeResponse:
    def __init__(self, data, status=200):
        self.data = data
        self.status_code = status
        self.headers = {"content-type": "application/json"}
        self.url = "https://idp.example.org/token"
        self.text = json.dumps(data)

    def json(self):
        return self.data

    def raise_for_status(self):
        assert self.status_code == 200


class FakeProvider:
    """Answers the token and userinfo requests of one sign-on."""

    def __init__(self, monkeypatch):
        self.claims: dict = {}
        self.nonce = ""
        monkeypatch.setattr("mozilla_django_oidc.auth.requests.post", self.token)
        monkeypatch.setattr("mozilla_django_oidc.auth.requests.get", self.userinfo)

    def token(self, url, data=None, **kwargs):
        assert url == "https://idp.example.org/token"
        assert data["client_secret"] == SECRET and data["code_verifier"]
        id_token = jwt.encode(
            {
                "iss": "https://idp.example.org",
                "sub": self.claims.get("sub", ""),
                "aud": "recreg",
                "nonce": self.nonce,
                "iat": int(time.time()),
                "exp": int(time.time()) + 300,
            },
            SECRET,
            algorithm="HS256",
        )
        return FakeResponse({"id_token": id_token, "access_token": "at-1", "token_type": "Bearer"})

    def userinfo(self, url, headers=None, **kwargs):
        assert headers["Authorization"] == "Bearer at-1"
        return FakeResponse(self.claims)

    def sign_on(self, client: Client, **claims):
        """Go through the whole flow; returns the callback's response."""
        self.claims = claims
        start = client.get("/accounts/sign-on/?next=/findings/")
        assert start.status_code == 302
        query = parse_qs(urlparse(start["Location"]).query)
        assert start["Location"].startswith("https://idp.example.org/authorize?")
        self.nonce = query["nonce"][0]
        return client.get(
            "/accounts/sign-on/callback/", {"code": "code-1", "state": query["state"][0]}
        )


@pytest.fixture
def provider(settings, monkeypatch):
    settings.RECREG_OIDC_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = [
        "recreg.accounts.backends.PasswordBackend",
        "recreg.accounts.oidc.SignOnBackend",
    ]
    settings.OIDC_RP_CLIENT_ID = "recreg"
    settings.OIDC_RP_CLIENT_SECRET = SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://idp.example.org/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://idp.example.org/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://idp.example.org/userinfo"
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_RP_SCOPES = "openid email profile"
    settings.OIDC_USE_PKCE = True
    settings.OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
    settings.RECREG_OIDC_CLAIM_MAP = parse_claim_map(CLAIM_MAP)
    settings.RECREG_OIDC_PROVIDER_NAME = "Avon Test Police"
    return FakeProvider(monkeypatch)


def test_claims_map_to_an_organisation_and_role_and_make_an_account(world, provider):
    client = Client()
    response = provider.sign_on(
        client,
        sub="avon-123",
        email="new.reader@force-a.test",
        name="Nia Newcomer",
        groups=["staff", "avon-register-readers"],
    )
    assert response.status_code == 302 and response["Location"] == "/findings/"
    user = User.objects.get(oidc_subject="avon-123")
    assert (user.organisation, user.role) == (world.force_a, "force_reader")
    assert not user.has_usable_password()
    assert client.get(f"/findings/{world.fact_check_a.pk}/").status_code == 200
    assert AuditEvent.objects.filter(note="Account made by single sign-on").count() == 1


def test_every_sign_on_sets_the_role_from_the_claims(world, provider):
    provider.sign_on(Client(), sub="s-1", email="a@force-a.test", groups=["avon-register-readers"])
    provider.sign_on(Client(), sub="s-1", email="a@force-a.test", groups=["avon-register-editors"])
    assert User.objects.get(oidc_subject="s-1").role == "force_editor"


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "s-2", "email": "x@force-a.test", "groups": ["staff"]},
        {"sub": "s-2", "email": "x@force-a.test"},
        {"sub": "s-2", "email": "x@force-a.test", "groups": "avon-register"},
        {"sub": "s-2", "email": "x@force-a.test", "org": ["other"]},
        {"email": "x@force-a.test", "groups": ["avon-register-readers"]},
    ],
)
def test_claims_that_map_to_nothing_give_no_access(world, provider, claims):
    client = Client()
    response = provider.sign_on(client, **claims)
    assert response["Location"] == "/accounts/sign-in/?sign_on=failed"
    assert not User.objects.filter(email="x@force-a.test").exists()
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert "has no access to this register" in page.content.decode()


def test_a_role_taken_away_at_the_provider_ends_access(world, provider):
    provider.sign_on(Client(), sub="s-3", email="b@force-a.test", groups=["avon-register-readers"])
    client = Client()
    response = provider.sign_on(client, sub="s-3", email="b@force-a.test", groups=[])
    assert response["Location"] == "/accounts/sign-in/?sign_on=failed"
    assert "_auth_user_id" not in client.session


def test_a_local_account_is_never_taken_over_by_email(world, provider):
    client = Client()
    response = provider.sign_on(
        client, sub="s-4", email=world.inspector.email, groups=["avon-register-editors"]
    )
    assert response["Location"] == "/accounts/sign-in/?sign_on=failed"
    world.inspector.refresh_from_db()
    assert world.inspector.role == "inspectorate_editor" and not world.inspector.oidc_subject


def test_an_editor_signed_on_still_owes_the_registers_second_factor(world, provider, settings):
    client = Client()
    provider.sign_on(client, sub="s-5", email="e@force-a.test", groups=["avon-register-editors"])
    assert client.get("/findings/")["Location"].startswith("/accounts/two-factor/set-up/")
    # Unless the operator says the provider asks for a second factor itself.
    settings.RECREG_OIDC_COUNTS_AS_2FA = True
    other = Client()
    provider.sign_on(other, sub="s-5", email="e@force-a.test", groups=["avon-register-editors"])
    assert other.get("/findings/").status_code == 200
    assert other.session[twofactor.SESSION_KEY] == twofactor.VERIFIED


def test_the_sign_in_page_offers_sign_on_only_when_switched_on(world, provider, settings):
    assert (
        "Sign in with Avon Test Police’s account"
        in Client().get("/accounts/sign-in/").content.decode()
    )
    settings.RECREG_OIDC_ENABLED = False
    assert "Sign in with" not in Client().get("/accounts/sign-in/").content.decode()
    assert Client().get("/accounts/sign-on/").status_code == 404


def test_a_callback_with_an_unknown_state_is_refused(world, provider):
    client = Client()
    client.get("/accounts/sign-on/")
    response = client.get("/accounts/sign-on/callback/", {"code": "c", "state": "forged"})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_the_claim_map_is_checked():
    assert grant_for({"org": "hmicfrs"}, parse_claim_map(CLAIM_MAP)).role == "inspectorate_reader"
    for bad in (
        {},
        [{"claim": "groups", "value": "x", "organisation": "force-a"}],
        [{"claim": "groups", "value": "x", "organisation": "force-a", "role": "admin"}],
        [{"claim": "groups", "value": "", "organisation": "force-a", "role": "force_reader"}],
        ["rule"],
    ):
        with pytest.raises(ClaimMapError):
            parse_claim_map(bad)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"RECREG_OIDC_CLAIM_MAP": "{not json"}, "RECREG_OIDC_CLAIM_MAP is not valid JSON"),
        (
            {
                "RECREG_OIDC_CLAIM_MAP": json.dumps(
                    [{"claim": "g", "value": "v", "organisation": "o", "role": "boss"}]
                )
            },
            "role 'boss' is not one of",
        ),
        ({"RECREG_OIDC_ENABLED": "on"}, "RECREG_OIDC_CLAIM_MAP must be set"),
        (
            {"RECREG_OIDC_ENABLED": "on", "RECREG_OIDC_CLAIM_MAP": json.dumps(CLAIM_MAP)},
            "RECREG_OIDC_CLIENT_ID must be set",
        ),
    ],
)
def test_bad_sign_on_settings_stop_with_a_message(env, message, tmp_path):
    result = load_settings(RECREG_DATA_DIR=str(tmp_path), **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_good_sign_on_settings_load(tmp_path):
    result = load_settings(
        RECREG_DATA_DIR=str(tmp_path),
        RECREG_OIDC_ENABLED="on",
        RECREG_OIDC_CLAIM_MAP=json.dumps(CLAIM_MAP),
        RECREG_OIDC_CLIENT_ID="recreg",
        RECREG_OIDC_CLIENT_SECRET="secret",
        RECREG_OIDC_AUTHORIZATION_ENDPOINT="https://idp.example.org/authorize",
        RECREG_OIDC_TOKEN_ENDPOINT="https://idp.example.org/token",
        RECREG_OIDC_USERINFO_ENDPOINT="https://idp.example.org/userinfo",
        RECREG_OIDC_JWKS_ENDPOINT="https://idp.example.org/jwks",
    )
    assert result.returncode == 0, result.stderr
