from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.demo.builder import DEFAULT_PASSWORD, demo_load


class Command(BaseCommand):
    help = (
        "Load the demo landlords (one per seed policy), their staff, patches and properties, each "
        "property with a current tenancy and its household."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="the same seed gives the same data")
        parser.add_argument(
            "--scale",
            "--properties",
            dest="scale",
            type=int,
            default=40,
            metavar="N",
            help="N properties per landlord, with people and tenancies to match (for example --scale 20000)",
        )
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="password for every demo user")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"] < 0:
            raise CommandError(f"--scale must be 0 or more properties per landlord, not {options['scale']}.")
        result = demo_load(seed=options["seed"], properties_per_landlord=options["scale"], password=options["password"])
        if result.created:
            self.stdout.write(
                f"Created demo landlords: {', '.join(result.created)} ({result.properties:,} properties)."
            )
            self.stdout.write(f"Created {result.people:,} people and {result.tenancies:,} tenancies.")
        if result.skipped:
            self.stdout.write(f"Already loaded, left as they were: {', '.join(result.skipped)}.")
        self.stdout.write("")
        self.stdout.write("Demo logins (user name: role, landlord); every password is: " + options["password"])
        for username, role, landlord in result.logins:
            self.stdout.write(f"  {username:<16} {role}, {landlord}")
