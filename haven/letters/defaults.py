"""Haven's default letters (``defaults.yaml``), which every landlord gets as version 0 of each kind
(issue 8). Read once; checked by the tests against ``placeholders.PLACEHOLDERS`` and the rule that a
letter for a reported person never names the reporter."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

FILE = Path(__file__).with_name("defaults.yaml")


@dataclass(frozen=True)
class DefaultLetter:
    kind: str
    title: str
    recipient: str  # reporter, reported or any: who the letter is for
    source: str
    subject: str
    body: str


@cache
def default_letters() -> dict[str, DefaultLetter]:
    """The default letters by kind, in the file's order."""
    data = yaml.safe_load(FILE.read_text(encoding="utf-8"))
    return {
        row["kind"]: DefaultLetter(
            kind=row["kind"],
            title=row["title"],
            recipient=row["recipient"],
            source=str(row.get("source", "")),
            subject=row["subject"],
            body=row["body"].strip() + "\n",
        )
        for row in data["letters"]
    }
