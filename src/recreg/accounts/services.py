"""Changes to people and their tokens, each audited."""

from __future__ import annotations

from django.db import transaction

from recreg.accounts.models import ApiToken, User
from recreg.audit.services import record_create


@transaction.atomic
def create_api_token(user: User, *, name: str = "command line", actor) -> tuple[str, ApiToken]:
    """Create a token for this user; returns the secret (shown once) and the stored token."""
    raw, prefix, key_hash = ApiToken.new_secret()
    token = ApiToken.objects.create(user=user, name=name, prefix=prefix, key_hash=key_hash)
    record_create(token, actor=actor, note=f"API token for {user.email}")
    return raw, token
