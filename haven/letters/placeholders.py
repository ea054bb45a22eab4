"""The placeholders a letter template may use (issue 8), and filling them in.

A template is plain text with ``{{ name }}`` placeholders, nothing else: no logic, no access to
records, so an administrator's edit cannot reach data the letter was not meant to carry. A name not
in ``PLACEHOLDERS`` (or a stray ``{{``, ``}}`` or ``{%``) is an error naming it, at preview and at
save. ``CONFIDENTIAL`` are the reporter's details: never in a letter to anyone but the reporter
unless the reporter agreed (emh 6.6-6.7; ``letters.services.letters``).
"""

from __future__ import annotations

import re

from haven.common.errors import ApplicationError

PLACEHOLDERS: dict[str, str] = {
    "today": "The date of the letter",
    "landlord_name": "The landlord's name",
    "landlord_address": "The landlord's address (letter settings)",
    "landlord_phone": "The landlord's phone number (letter settings)",
    "landlord_email": "The landlord's e-mail address (letter settings)",
    "landlord_website": "The landlord's website (letter settings)",
    "officer_name": "The case officer's name",
    "officer_email": "The case officer's e-mail address",
    "officer_phone": "The landlord's phone number, for the officer",
    "recipient_name": "The name of the person the letter is to",
    "recipient_address": "Their address, on one line",
    "case_reference": "The case reference",
    "case_opened": "The date of the first report",
    "case_category": "The type of ASB",
    "response_target": "The response target of the case's tier, in words",
    "details": "What the officer types when making the letter",
    "next_review": "The date of the next case review",
    "closure_outcome": "The outcome recorded at closure",
    "agreement_terms": "The terms of the person's latest agreement (ABC or GNA)",
    "case_review_contact": "How to apply for an ASB Case Review in the case's area",
    "case_review_threshold": "The ASB Case Review threshold of the case's area, in words",
    "survey_link": "Where to answer the satisfaction survey",
    "reporter_name": "The reporter's name (confidential)",
    "reporter_address": "The reporter's address (confidential)",
    "reporter_phone": "The reporter's phone number (confidential)",
    "reporter_email": "The reporter's e-mail address (confidential)",
}
CONFIDENTIAL = frozenset({"reporter_name", "reporter_address", "reporter_phone", "reporter_email"})

_TOKEN = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
_STRAY = re.compile(r"\{\{|\}\}|\{%|%\}")


def placeholders_in(*texts: str) -> set[str]:
    """The placeholder names used in the texts."""
    return {name for text in texts for name in _TOKEN.findall(text)}


def placeholders_check(**texts: str) -> None:
    """Refuse a template whose texts use an unknown placeholder or a stray brace, naming each.

    ``texts`` are the template's parts by field name (subject, body), so each error sits on its field.
    """
    problems = {}
    for field, text in texts.items():
        unknown = sorted({name for name in _TOKEN.findall(text) if name not in PLACEHOLDERS})
        if unknown:
            names = ", ".join("{{ " + name + " }}" for name in unknown)
            problems[field] = (
                f"There is no placeholder called {names}. Use one of the placeholders listed, spelt as shown."
            )
        elif _STRAY.search(_TOKEN.sub("", text)):
            problems[field] = "Write each placeholder as {{ name }}, with two braces on each side."
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)


def placeholders_fill(text: str, values: dict[str, str]) -> str:
    """The text with every placeholder replaced by its value (checked templates only)."""
    return _TOKEN.sub(lambda m: values.get(m.group(1), ""), text)
