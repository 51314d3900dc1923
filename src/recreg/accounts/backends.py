"""Signing in with an email address and password, and reading the signed-in reader back."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from recreg.accounts.models import User


def user_for_session(user_id) -> User | None:
    """The session's user with their organisation, which every page's access rules read
    (recreg.accounts.roles.capabilities_for): read apart, it was a statement of its own on
    every request."""
    try:
        return User.objects.select_related("organisation").get(pk=user_id)
    except (User.DoesNotExist, ValueError, TypeError):
        return None


class PasswordBackend(ModelBackend):
    """Django's model backend (email address and password), with the user's organisation read
    in the same statement as the user."""

    def get_user(self, user_id):
        """The session's user, if they may still sign in."""
        user = user_for_session(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
