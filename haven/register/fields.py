"""Parsing and normalising register values as they arrive from files and the API.

Each function takes the text as typed and returns the clean value, or raises ``ValueError`` with a
sentence a housing officer understands (it is shown next to the row and column). No Django here.
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime

# UK postcode: outward code (area, district) and inward code (sector, unit); GIR 0AA is Girobank's.
_POSTCODE = re.compile(r"^(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNP-Z]? ?[0-9][ABD-HJLNP-UW-Z]{2})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
YES = frozenset({"yes", "y", "true", "1"})
NO = frozenset({"no", "n", "false", "0"})


def uprn_clean(text: str) -> str:
    """A UPRN is a number of up to 12 digits; Haven stores it as 12 digits with leading zeros."""
    value = text.strip()
    if value.endswith(".0"):  # spreadsheets turn long numbers into floats
        value = value[:-2]
    if not value.isdigit() or not value.isascii():
        raise ValueError(f"'{text}' is not a UPRN: a UPRN is a number of up to 12 digits")
    if len(value) > 12:
        raise ValueError(f"'{text}' is not a UPRN: it has {len(value)} digits and a UPRN has at most 12")
    if int(value) == 0:
        raise ValueError("a UPRN cannot be zero")
    return value.zfill(12)


def postcode_clean(text: str) -> str:
    """A UK postcode, upper case with one space before the last three characters ("le67 4jp" → "LE67 4JP")."""
    compact = re.sub(r"\s+", "", text).upper()
    if not _POSTCODE.match(compact):
        raise ValueError(f"'{text.strip()}' is not a UK postcode (for example LE67 4JP)")
    return f"{compact[:-3]} {compact[-3:]}"


def date_clean(text: str) -> date:
    """A date as YYYY-MM-DD or DD/MM/YYYY (how Excel shows dates in the UK)."""
    value = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"'{value}' is not a date: write it as YYYY-MM-DD (2026-04-01) or DD/MM/YYYY (01/04/2026)")


def date_of_birth_clean(text: str, *, today: date) -> date:
    born = date_clean(text)
    if born > today:
        raise ValueError(f"the date of birth {born:%d/%m/%Y} is in the future")
    if born.year < 1900:
        raise ValueError(f"the date of birth {born:%d/%m/%Y} is before 1900; check the year")
    return born


def bool_clean(text: str) -> bool:
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValueError(f"'{text.strip()}' is not yes or no")


def email_clean(text: str) -> str:
    value = text.strip()
    if not _EMAIL.match(value) or len(value) > 254:
        raise ValueError(f"'{value}' is not an e-mail address")
    return value.lower()


def phone_clean(text: str) -> str:
    value = text.strip()
    digits = re.sub(r"[\s()+\-.]", "", value)
    if not digits.isdigit() or not 7 <= len(digits) <= 15:
        raise ValueError(f"'{value}' is not a phone number")
    if len(value) > 30:
        raise ValueError(f"is {len(value)} characters long; write the number with fewer spaces (at most 30)")
    return value


def _normal(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


@functools.cache
def _choice_lookup(choices: tuple[tuple[str, str], ...]) -> dict[str, str]:
    lookup = {_normal(label): code for code, label in choices}
    lookup.update({code: code for code, _ in choices})
    return lookup


def choice_clean(text: str, choices: list[tuple[str, str]] | tuple[tuple[str, str], ...], what: str) -> str:
    """A code or its label, in any case: "social_rent", "Social rent" and "SOCIAL RENT" are one."""
    lookup = _choice_lookup(tuple(choices))
    code = lookup.get(_normal(text))
    if code is None:
        known = ", ".join(code for code, _ in choices)
        raise ValueError(f"'{text.strip()}' is not a {what} Haven knows; use one of: {known}")
    return code


def list_clean(text: str) -> list[str]:
    """A list written in one cell, separated by semicolons: "P1; P2"."""
    return [part.strip() for part in text.split(";") if part.strip()]


def age_band(born: date | None, *, on: date) -> str:
    """Age bands for equality reporting (pnp 8.2), worked out from the date of birth on the day asked.

    Not stored: a stored band would go stale as people age.
    """
    if born is None:
        return ""
    return band_of_age(on.year - born.year - ((on.month, on.day) < (born.month, born.day)))


def band_of_age(age: int) -> str:
    """The band of an age in whole years (``age_band``; the insight pages work the years out in the database)."""
    for upper, band in ((17, "under 18"), (24, "18-24"), (34, "25-34"), (44, "35-44"), (54, "45-54"), (64, "55-64")):
        if age <= upper:
            return band
    return "65 and over"
