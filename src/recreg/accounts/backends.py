"""Signing in with an email address and password, and reading the signed-in reader back."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db import connections

from recreg.accounts.models import User
from recreg.core.statements import PAGE_IDS, CompiledRecords, KeptStatements, ids_parameter

_READ = KeptStatements()


def user_for_session(user_id) -> User | None:
    """The session's user with their organisation, which every page's access rules read
    (recreg.accounts.roles.capabilities_for): read apart, it was a statement of its own on
    every request.

    Compiled once for each thread: built and compiled through the ORM on every request, the
    read took nine times as long as running it (docs/performance.md, seventeenth round)."""
    try:
        ids = [int(user_id)]
    except (ValueError, TypeError):
        return None
    statement = _READ.get(
        "user",
        lambda: CompiledRecords(
            User._default_manager.filter(pk__one_of=PAGE_IDS), ("organisation",)
        ),
    )
    vendor = connections[statement.db].vendor
    found = statement.records(statement.params_with({PAGE_IDS: ids_parameter(ids, vendor)}))
    return found[0] if found else None


class PasswordBackend(ModelBackend):
    """Django's model backend (email address and password), with the user's organisation read
    in the same statement as the user."""

    def get_user(self, user_id):
        """The session's user, if they may still sign in."""
        user = user_for_session(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
