from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.accounts.models import Landlord
from haven.cases.models import Case
from haven.demo.builder import DEFAULT_PASSWORD, DEMO_PROFILES, demo_load
from haven.demo.scale import cases_generate
from haven.insights.services.summary import summary_refresh


class Command(BaseCommand):
    help = (
        "Load the demo landlords (one per seed policy), their staff, patches and properties, each "
        "property with a current tenancy and its household; with --cases, add that many cases in bulk."
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
        parser.add_argument(
            "--cases",
            type=int,
            default=0,
            metavar="N",
            help="add N cases in all, shared evenly by the landlords in --cases-for (for example --cases 100000); "
            "runs again add more",
        )
        parser.add_argument(
            "--cases-for",
            default=",".join(DEMO_PROFILES),
            metavar="SLUGS",
            help="the demo landlords that get the --cases, comma-separated (default: all five)",
        )
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="password for every demo user")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"] < 0:
            raise CommandError(f"--scale must be 0 or more properties per landlord, not {options['scale']}.")
        if options["cases"] < 0:
            raise CommandError(f"--cases must be 0 or more cases, not {options['cases']}.")
        slugs = [s.strip() for s in options["cases_for"].split(",") if s.strip()]
        unknown = sorted(set(slugs) - set(DEMO_PROFILES))
        if options["cases"] and (unknown or not slugs):
            raise CommandError(
                f"--cases-for takes demo landlords ({', '.join(DEMO_PROFILES)}), not {', '.join(unknown) or 'nothing'}."
            )
        result = demo_load(seed=options["seed"], properties_per_landlord=options["scale"], password=options["password"])
        if result.created:
            self.stdout.write(
                f"Created demo landlords: {', '.join(result.created)} ({result.properties:,} properties)."
            )
            self.stdout.write(f"Created {result.people:,} people and {result.tenancies:,} tenancies.")
        if result.skipped:
            self.stdout.write(f"Already loaded, left as they were: {', '.join(result.skipped)}.")
        if options["cases"]:
            self._cases(options["cases"], slugs, options["seed"])
        self.stdout.write("")
        self.stdout.write("Demo logins (user name: role, landlord); every password is: " + options["password"])
        for username, role, landlord in result.logins:
            self.stdout.write(f"  {username:<16} {role}, {landlord}")

    def _cases(self, total: int, slugs: list[str], seed: int) -> None:
        share, left = divmod(total, len(slugs))
        for n, slug in enumerate(slugs):
            count = share + (n < left)
            if not count:
                continue
            started = time.perf_counter()
            try:
                made = cases_generate(landlord=Landlord.objects.get(slug=slug), count=count, seed=seed)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            rows = ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in sorted(made.rows.items()) if k != "cases")
            self.stdout.write(
                f"Added {made.cases:,} cases to {slug} ({made.closed:,} closed; {rows}) "
                f"in {time.perf_counter() - started:.1f} s."
            )
            landlord = Landlord.objects.get(slug=slug)
            if Case.objects.filter(landlord=landlord).count() >= settings.HAVEN_INSIGHT_SUMMARY_FROM:
                state = summary_refresh(landlord_id=landlord.pk)  # so its first dashboard is quick (ADR 0012)
                self.stdout.write(f"Worked out the month summaries of {slug} in {state.seconds:.1f} s.")
