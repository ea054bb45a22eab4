"""Equality trends (issue 9; Peaks & Plains 8.2: "monitor ... the protected characteristics of
those reporting ASB and those reported, to spot trends and make sure the service is fair").

For a period, three counts for each answer to each equality monitoring question
(``register.EqualityMonitoring``: sex, gender identity, sexual orientation, ethnicity, religion,
disability) and for each age band (``register.fields.age_band``, worked out from the date of birth
on the day of the report or the day the case was opened, since a stored band would go stale):

- **reports**: reports received in the period whose reporter is a register person;
- **reporters**: cases opened in the period with a reporter who has that answer (a case with two
  reporters with the same answer counts once; with two different answers, once under each, so a
  table's rows can add up to more than the cases);
- **reported**: cases opened in the period with a reported person who has that answer.

Where the person is not on the register, has no equality answers or left the question blank, the
answer is "Not known". Removed parties are left out. The case's team and patch are those it has
now (``Scope``). The counts are exact: the pages that show them are for staff who see the whole
landlord; the committee report, which leaves Haven, shows counts of 1 to 4 as "fewer than 5"
(``suppressed``), the usual small-number rule for equality data (UK GDPR Art. 9).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, ExpressionWrapper, F, IntegerField
from django.db.models.functions import Cast, ExtractDay, ExtractMonth, ExtractYear

from haven.accounts.models import Landlord
from haven.cases.models import Party, PartyRole
from haven.insights.selectors.scope import ALL, Scope
from haven.intake.models import Report
from haven.register.fields import band_of_age

UK = ZoneInfo("Europe/London")
NOT_KNOWN = "Not known"
QUESTIONS = (
    ("age", "Age"),
    ("sex", "Sex"),
    ("gender_identity_same_as_birth", "Gender identity the same as registered at birth"),
    ("sexual_orientation", "Sexual orientation"),
    ("ethnicity", "Ethnicity"),
    ("religion", "Religion or belief"),
    ("disability", "Disability"),
)
STORED = [code for code, _ in QUESTIONS if code != "age"]
SMALL = 5


@dataclass(frozen=True)
class EqualityRow:
    answer: str
    reports: int
    reporters: int
    reported: int


@dataclass(frozen=True)
class EqualityTable:
    code: str
    question: str
    rows: list[EqualityRow]


def suppressed(count: int) -> str:
    """A count for a report that leaves Haven: 1 to 4 as "fewer than 5", so nobody can be singled out."""
    return "fewer than 5" if 0 < count < SMALL else f"{count:,}"


def _yyyymmdd(value: Any, tzinfo: ZoneInfo | None = None) -> Any:
    """A date as the whole number yyyymmdd (an integer: PostgreSQL's EXTRACT gives numerics, whose
    division would not drop the fraction)."""
    return Cast(ExtractYear(value, tzinfo=tzinfo) * 10000 + ExtractMonth(value, tzinfo=tzinfo) * 100
                + ExtractDay(value, tzinfo=tzinfo), IntegerField())  # fmt: skip


def years_old(born: str, on: str) -> ExpressionWrapper:
    """The age in whole years on the UK day of the moment ``on`` of the person born on the date
    ``born``, worked out in the database (NULL without a date of birth): the whole number of times
    10,000 goes into (that day as yyyymmdd) less (the date of birth as yyyymmdd)."""
    return ExpressionWrapper((_yyyymmdd(F(on), UK) - _yyyymmdd(F(born))) / 10000, output_field=IntegerField())


def _keys(person: str, on: str) -> dict[str, Any]:
    """The answers a count is grouped by (names that are no model's fields)."""
    return {"q_age": years_old(f"{person}date_of_birth", on),
            **{f"q_{code}": F(f"{person}equality__{code}") for code in STORED}}  # fmt: skip


def _answers(group: dict[str, Any]) -> dict[str, str]:
    found = {code: (group[f"q_{code}"] or "").strip() or NOT_KNOWN for code in STORED}
    found["age"] = band_of_age(group["q_age"]) if group["q_age"] is not None else NOT_KNOWN
    return found


def equality_trends(landlord: Landlord, start: datetime, end: datetime, scope: Scope = ALL) -> list[EqualityTable]:
    """The counts of each answer, one table per question, answers by count (largest first), "Not known" last.

    Counted in the database (three queries): the reports of the period grouped by their reporter's
    answers; the reporting and reported parties of the cases opened in it grouped by answers; and the
    parties of the cases with more than one reporter or reported person, read one by one so that
    their case counts once under each answer.
    """
    reports: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if scope == ALL:  # a report has no team or patch until it becomes a case
        grouped = (
            Report.objects.filter(landlord=landlord, received_at__gte=start, received_at__lt=end).order_by()
            .values(**_keys("reporter_person__", "received_at")).annotate(n=Count("pk"))
        )  # fmt: skip
        for group in grouped:
            for code, answer in _answers(group).items():
                reports[code][answer] += group["n"]
    counted: dict[str, dict[str, dict[str, int]]] = {
        role: defaultdict(lambda: defaultdict(int)) for role in (PartyRole.REPORTER, PartyRole.REPORTED)
    }
    parties = Party.objects.filter(
        scope.q("case__"),
        case__landlord=landlord, case__opened_at__gte=start, case__opened_at__lt=end,
        role__in=[PartyRole.REPORTER, PartyRole.REPORTED], removed_at__isnull=True,
    ).order_by()  # fmt: skip
    for group in parties.values("role", **_keys("person__", "case__opened_at")).annotate(n=Count("pk")):
        for code, answer in _answers(group).items():
            counted[group["role"]][code][answer] += group["n"]
    # A case with two reporters (or reported people) with the same answer counts once under it: read
    # the parties of such cases one by one, and count their cases instead of them.
    several = list(
        parties.values("case_id", "role").annotate(k=Count("pk")).filter(k__gt=1).values_list("case_id", flat=True)
    )
    shared: dict[str, dict[str, dict[str, set[int]]]] = {
        role: defaultdict(lambda: defaultdict(set)) for role in (PartyRole.REPORTER, PartyRole.REPORTED)
    }
    rows: Any = parties.filter(case_id__in=several).values("case_id", "role", **_keys("person__", "case__opened_at"))
    rows = rows if several else []
    for party in rows:
        for code, answer in _answers(party).items():
            counted[party["role"]][code][answer] -= 1
            shared[party["role"]][code][answer].add(party["case_id"])
    for role, by_question in shared.items():
        for code, by_answer in by_question.items():
            for answer, case_ids in by_answer.items():
                counted[role][code][answer] += len(case_ids)
    tables = []
    for code, question in QUESTIONS:
        by_reporter, by_reported = counted[PartyRole.REPORTER][code], counted[PartyRole.REPORTED][code]
        answers = set(reports[code]) | set(by_reporter) | set(by_reported)
        rows_out = [
            EqualityRow(answer, reports[code].get(answer, 0), by_reporter.get(answer, 0), by_reported.get(answer, 0))
            for answer in answers
        ]
        rows_out.sort(key=lambda r: (r.answer == NOT_KNOWN, -(r.reports + r.reporters + r.reported), r.answer))
        tables.append(EqualityTable(code, question, rows_out))
    return tables
