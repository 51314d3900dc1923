"""`recreg token create --user EMAIL`: print a new API token."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from recreg.accounts.models import User
from recreg.accounts.services import create_api_token


class Command(BaseCommand):
    help = "Create an API token for a user and print it (it is shown only once)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token")
        create.add_argument("--user", required=True, help="The user's email address")
        create.add_argument("--name", default="command line", help="What the token is for")

    def handle(self, *args, action, **options):
        email = options["user"].strip().lower()
        try:
            user = User.objects.get(email=email, is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"No active user with the email address {email}") from None
        raw, _token = create_api_token(user, name=options["name"], actor=None)
        self.stdout.write(raw)
