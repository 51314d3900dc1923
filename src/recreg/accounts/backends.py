"""Signing in with an email address and password, and reading the signed-in reader back."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from recreg.accounts.models import User
from recreg.core.statements import ID_STAND_IN, CompiledRecords, KeptStatements

_READ = KeptStatements()


def user_for_session(user_id) -> User | None:
    """The session's user with their organisation, which every page's access rules read
    (recreg.accounts.roles.capabilities_for): read apart, it was a statement of its own on
    every request.

    Compiled once for each thread: built and compiled through the ORM on every request, the
    read took nine times as long as running it (docs/performance.md, seventeenth round)."""
    try:
        pk = int(user_id)
    except (ValueError, TypeError):
        return None
    if not -(2**63) <= pk < 2**63:  # no key is that large, and SQLite refuses the number
        return None
    statement = _READ.get(
        "user",
        lambda: CompiledRecords(
            User._default_manager.filter(pk=ID_STAND_IN).order_by(), ("organisation",)
        ),
    )
    found = statement.records(statement.params_with({ID_STAND_IN: pk}))
    return found[0] if found else None


class PasswordBackend(ModelBackend):
    """Django's model backend (email address and password), with the user's organisation read
    in the same statement as the user."""

    def get_user(self, user_id):
        """The session's user, if they may still sign in."""
        user = user_for_session(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
