"""Access matrix entries for signing in: the account page, two-factor sign-in, password reset
and single sign-on (see tests/access_matrix.py). The personas are signed in with both factors
and have no authenticator app of their own."""

from tests.access_matrix import HIDDEN, OK, REFUSED, SIGN_IN, Entry, everyone, outcomes

SIGNED_IN = outcomes(OK, anonymous=SIGN_IN)

ENTRIES = [
    Entry("accounts/", lambda w: "/accounts/", SIGNED_IN),
    Entry(
        "accounts/sign-out-everywhere/",
        lambda w: "/accounts/sign-out-everywhere/",
        SIGNED_IN,
        method="POST",
    ),
    Entry("accounts/two-factor/verify/", lambda w: "/accounts/two-factor/verify/", SIGNED_IN),
    Entry(
        "accounts/two-factor/verify/",
        lambda w: "/accounts/two-factor/verify/",
        SIGNED_IN,
        method="POST",
        data=lambda w: {"code": "123456"},
    ),
    Entry("accounts/two-factor/set-up/", lambda w: "/accounts/two-factor/set-up/", SIGNED_IN),
    Entry(
        "accounts/two-factor/set-up/",
        lambda w: "/accounts/two-factor/set-up/",
        SIGNED_IN,
        method="POST",
        data=lambda w: {"code": "000000"},
    ),
    Entry(
        "accounts/two-factor/recovery-codes/",
        lambda w: "/accounts/two-factor/recovery-codes/",
        SIGNED_IN,
        method="POST",
    ),
    # Editors must keep two-factor sign-in; for everyone else it is optional.
    Entry(
        "accounts/two-factor/remove/",
        lambda w: "/accounts/two-factor/remove/",
        outcomes(OK, inspector=REFUSED, force_a_editor=REFUSED, anonymous=SIGN_IN),
        method="POST",
    ),
    Entry("accounts/password-reset/", lambda w: "/accounts/password-reset/", everyone()),
    Entry(
        "accounts/password-reset/",
        lambda w: "/accounts/password-reset/",
        everyone(),
        method="POST",
        data=lambda w: {"email": "nobody@example.org"},
    ),
    Entry("accounts/password-reset/sent/", lambda w: "/accounts/password-reset/sent/", everyone()),
    Entry(
        "accounts/password-reset/<uidb64>/<token>/",
        lambda w: "/accounts/password-reset/MQ/not-a-token/",
        everyone(),
        label="bad link",
    ),
    Entry("accounts/password-reset/done/", lambda w: "/accounts/password-reset/done/", everyone()),
    # Single sign-on is off unless configured: its routes answer 404 to everyone.
    Entry("accounts/sign-on/", lambda w: "/accounts/sign-on/", outcomes(HIDDEN)),
    Entry(
        "accounts/sign-on/callback/",
        lambda w: "/accounts/sign-on/callback/?code=x&state=y",
        outcomes(HIDDEN),
    ),
]
