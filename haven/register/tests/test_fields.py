"""Register values as typed in files: UPRNs, postcodes, dates, yes/no, codes (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from haven.register import fields
from haven.register.models import TENURE_CHOICES

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("100030563014", "100030563014"),
        ("10023", "000000010023"),
        (" 100030563014 ", "100030563014"),
        ("100030563014.0", "100030563014"),
    ],
)
def test_a_uprn_is_stored_as_twelve_digits(typed: str, stored: str) -> None:
    assert fields.uprn_clean(typed) == stored


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("1000305630145", "has 13 digits"),
        ("10003056301A", "is a number"),
        ("0", "cannot be zero"),
        ("-1", "is a number"),
        ("\uff11\uff12\uff13", "is a number"),
    ],
)
def test_a_malformed_uprn_is_refused_with_the_reason(typed: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        fields.uprn_clean(typed)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("le67 4jp", "LE67 4JP"),
        ("LE674JP", "LE67 4JP"),
        ("  le67   4jp ", "LE67 4JP"),
        ("M1 1AE", "M1 1AE"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("CF10 1EP", "CF10 1EP"),
        ("GIR 0AA", "GIR 0AA"),
        ("w1a 0ax", "W1A 0AX"),
    ],
)
def test_a_postcode_is_normalised(typed: str, stored: str) -> None:
    assert fields.postcode_clean(typed) == stored


@pytest.mark.parametrize("typed", ["NOT A POSTCODE", "LE67", "12345", "LE67 4J", "QE67 4JP", "LE67 4CP", ""])
def test_a_malformed_postcode_is_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="is not a UK postcode"):
        fields.postcode_clean(typed)


@pytest.mark.parametrize("typed", ["2026-04-01", "01/04/2026", "2026-04-01 00:00:00"])
def test_dates_are_read_in_iso_and_uk_order(typed: str) -> None:
    assert fields.date_clean(typed) == date(2026, 4, 1)


@pytest.mark.parametrize("typed", ["04/31/2026", "31/02/2026", "yesterday", "2026-13-01"])
def test_an_impossible_date_is_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="is not a date"):
        fields.date_clean(typed)


def test_a_date_of_birth_in_the_future_is_refused() -> None:
    with pytest.raises(ValueError, match="is in the future"):
        fields.date_of_birth_clean("2027-01-01", today=TODAY)
    with pytest.raises(ValueError, match="before 1900"):
        fields.date_of_birth_clean("1850-01-01", today=TODAY)
    assert fields.date_of_birth_clean("23/11/2026", today=TODAY) == TODAY


def test_codes_and_labels_are_accepted_in_any_case() -> None:
    for typed in ("social_rent", "Social rent", "SOCIAL RENT", "social-rent"):
        assert fields.choice_clean(typed, TENURE_CHOICES, "tenure") == "social_rent"
    with pytest.raises(ValueError, match="is not a tenure Haven knows; use one of: social_rent"):
        fields.choice_clean("council", TENURE_CHOICES, "tenure")


def test_yes_no_email_phone_and_lists() -> None:
    assert fields.bool_clean("Yes") is True and fields.bool_clean("n") is False
    with pytest.raises(ValueError):
        fields.bool_clean("maybe")
    assert fields.email_clean("Amira@Example.org") == "amira@example.org"
    with pytest.raises(ValueError):
        fields.email_clean("amira at example")
    assert fields.phone_clean("+44 (0)1530 555010") == "+44 (0)1530 555010"
    with pytest.raises(ValueError):
        fields.phone_clean("call me")
    assert fields.list_clean(" C1; ;C2 ;") == ["C1", "C2"]


@pytest.mark.parametrize(
    ("born", "band"),
    [
        (date(2010, 11, 24), "under 18"),
        (date(2008, 11, 23), "18-24"),
        (date(1961, 11, 24), "55-64"),
        (date(1960, 1, 1), "65 and over"),
        (None, ""),
    ],
)
def test_age_band_for_equality_reporting(born: date | None, band: str) -> None:
    assert fields.age_band(born, on=TODAY) == band
