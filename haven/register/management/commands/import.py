from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.accounts.models import Landlord
from haven.register.importing.layouts import LAYOUTS
from haven.register.services import register_import


class Command(BaseCommand):
    help = (
        "Import the register from a CSV (UTF-8) or Excel file: patches, properties, people or tenancies "
        "(in that order). Every row is checked first; nothing is written unless every row is sound. "
        "Column layouts: docs/register-import.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=list(LAYOUTS), help="what the file holds")
        parser.add_argument("file", help="the CSV or .xlsx file")
        parser.add_argument(
            "--landlord", help="the landlord's short name (for example emh); needed when there are several"
        )
        parser.add_argument("--dry-run", action="store_true", help="check every row and report, writing nothing")
        parser.add_argument(
            "--full-refresh",
            action="store_true",
            help="the file holds the whole register: mark people and properties missing from it as ended",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"There is no file {path}.")
        landlord = self._landlord(options["landlord"])
        kind = options["kind"]
        apply = not options["dry_run"]

        def progress(done: int) -> None:
            self.stderr.write(f"  checked {done:,} rows …")

        _, result = register_import(
            actor="command line",
            landlord=landlord,
            kind=kind,
            path=path,
            file_name=path.name,
            apply=apply,
            full_refresh=options["full_refresh"],
            via="command",
            progress=progress,
        )
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(f"  {problem}")
            if result.problem_count > len(result.problems):
                self.stderr.write(f"  … and {result.problem_count - len(result.problems):,} more problems.")
            self.stderr.write(
                f"{path.name}: {result.problem_count:,} problem{'s' if result.problem_count != 1 else ''} in "
                f"{result.rows:,} rows; nothing was imported. Correct the file and import it again."
            )
            sys.exit(1)
        if result.applied:
            counts = ", ".join(f"{value:,} {name}" for name, value in result.counts.items())
            self.stdout.write(f"{path.name}: imported {result.rows:,} {kind} for {landlord.name} ({counts}).")
        else:
            self.stdout.write(f"{path.name}: all {result.rows:,} rows are sound; nothing was written (dry run).")

    def _landlord(self, slug: str | None) -> Landlord:
        if slug:
            try:
                return Landlord.objects.get(slug=slug)
            except Landlord.DoesNotExist:
                known = ", ".join(Landlord.objects.values_list("slug", flat=True)) or "none yet"
                raise CommandError(f"There is no landlord {slug!r} (landlords: {known}).") from None
        landlords = list(Landlord.objects.all()[:2])
        if len(landlords) == 1:
            return landlords[0]
        if not landlords:
            raise CommandError("There are no landlords yet; run haven demo or create one first.")
        raise CommandError("There are several landlords; say which with --landlord (for example --landlord emh).")
