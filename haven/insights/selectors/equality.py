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
from datetime import date, datetime
from zoneinfo import ZoneInfo

from haven.accounts.models import Landlord
from haven.cases.models import Party, PartyRole
from haven.insights.selectors.scope import ALL, Scope
from haven.intake.models import Report
from haven.register.fields import age_band

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


def _answers(born: date | None, answers: dict[str, str | None], on: date) -> dict[str, str]:
    found = {code: (answers.get(code) or "").strip() or NOT_KNOWN for code in STORED}
    found["age"] = age_band(born, on=on) or NOT_KNOWN
    return found


def equality_trends(landlord: Landlord, start: datetime, end: datetime, scope: Scope = ALL) -> list[EqualityTable]:
    """The counts of each answer, one table per question, answers by count (largest first), "Not known" last.

    Two queries: the reports of the period with their reporter's answers, and the reporting and
    reported parties of the cases opened in it with theirs.
    """
    person_fields = ["date_of_birth", *(f"equality__{code}" for code in STORED)]
    reports: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if scope == ALL:  # a report has no team or patch until it becomes a case
        rows = Report.objects.filter(landlord=landlord, received_at__gte=start, received_at__lt=end).values_list(
            "received_at", *(f"reporter_person__{f}" for f in person_fields)
        )
        for received, born, *values in rows.iterator(chunk_size=5000):
            for code, answer in _answers(
                born, dict(zip(STORED, values, strict=True)), received.astimezone(UK).date()
            ).items():
                reports[code][answer] += 1
    cases: dict[str, dict[str, dict[str, set[int]]]] = {
        role: defaultdict(lambda: defaultdict(set)) for role in (PartyRole.REPORTER, PartyRole.REPORTED)
    }
    parties = Party.objects.filter(
        scope.q("case__"),
        case__landlord=landlord, case__opened_at__gte=start, case__opened_at__lt=end,
        role__in=[PartyRole.REPORTER, PartyRole.REPORTED], removed_at__isnull=True,
    ).values_list("case_id", "role", "case__opened_at", *(f"person__{f}" for f in person_fields))  # fmt: skip
    for case_id, role, opened, born, *values in parties.iterator(chunk_size=5000):
        for code, answer in _answers(
            born, dict(zip(STORED, values, strict=True)), opened.astimezone(UK).date()
        ).items():
            cases[role][code][answer].add(case_id)
    tables = []
    for code, question in QUESTIONS:
        answers = set(reports[code]) | set(cases[PartyRole.REPORTER][code]) | set(cases[PartyRole.REPORTED][code])
        rows_out = [
            EqualityRow(
                answer,
                reports[code].get(answer, 0),
                len(cases[PartyRole.REPORTER][code].get(answer, ())),
                len(cases[PartyRole.REPORTED][code].get(answer, ())),
            )
            for answer in answers
        ]
        rows_out.sort(key=lambda r: (r.answer == NOT_KNOWN, -(r.reports + r.reporters + r.reported), r.answer))
        tables.append(EqualityTable(code, question, rows_out))
    return tables
