from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.policies.registry import UnknownPolicy, get_profile, profile_ids
from haven.policies.summary import check_file, summarise


class Command(BaseCommand):
    help = "Check a policy profile file, or show a readable summary of a loaded profile."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="validate a profile file and list every problem with its place")
        check.add_argument("file")
        show = sub.add_parser("show", help="print a readable summary of a profile")
        show.add_argument("policy_id")
        sub.add_parser("list", help="list the profiles this deployment has")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "check":
            ok, text = check_file(options["file"])
            if not ok:
                raise CommandError(text, returncode=1)
            self.stdout.write(text)
        elif action == "show":
            try:
                self.stdout.write(summarise(get_profile(options["policy_id"])))
            except UnknownPolicy as exc:
                raise CommandError(f"{exc} Known profiles: {', '.join(profile_ids())}.") from None
        else:
            for policy_id in profile_ids():
                profile = get_profile(policy_id)
                self.stdout.write(f"{policy_id}\t{profile.version}\t{profile.landlord.name}")
