from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.accounts.models import User
from haven.accounts.services import token_create
from haven.common.errors import ApplicationError


class Command(BaseCommand):
    help = "Create an API token for a member of staff; the token is printed alone on the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token that acts as USER")
        create.add_argument("--user", required=True, help="the user name the token acts as")
        create.add_argument("--name", default="", help="what the token is for, e.g. the integration")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["user"])
        except User.DoesNotExist:
            raise CommandError(f"There is no user called {options['user']!r}.") from None
        try:
            raw = token_create(actor="command line", user=user, name=options["name"], via="command")
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        self.stderr.write(
            f"Token for {user.username} ({user.get_role_display()}, {user.landlord}). "
            "Keep it secret; it is shown only once."
        )
        self.stdout.write(raw)
