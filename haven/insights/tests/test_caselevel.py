"""Case-level data for benchmarking returns (issue 9; whg 3.2, emh 7.2), worked out by hand (emh):

- P: opened Mon 5 Jan 2026 10:00, first response Tue 6 Jan 09:00 before its target: "met"; closed
  Mon 19 Jan 10:00, resolved: 14 days, 9 working days (6-9 Jan and 12-16 Jan);
- Q: opened Mon 2 Feb 10:00, no response and its target passed: "missed"; still open; a hate case
  with one legal action and a TP12 answer;
- R: opened 2 December 2025, closed 10 March 2026: in the export of January to March because it
  closed then (90 working days are not checked here);
- S: opened and closed in 2025: not in the export.
No row holds the reporter's name, phone or e-mail.
"""

from __future__ import annotations

import csv
from datetime import datetime
from io import BytesIO, StringIO
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Case, CaseStatus, Party, PartyRole
from haven.cases.tests.factories import open_case, signed_in
from haven.insights.selectors.caselevel import COLUMNS, case_rows
from haven.interventions.models import LegalAction
from haven.reviews.models import SurveyResponse

pytestmark = pytest.mark.django_db
UK = ZoneInfo("Europe/London")
START, END = datetime(2026, 1, 1, tzinfo=UK), datetime(2026, 4, 1, tzinfo=UK)


def uk(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UK)  # type: ignore[misc]


@pytest.fixture
def world(staff):  # type: ignore[no-untyped-def]
    landlord, adviser, officer = staff("emh")
    p = open_case(landlord, adviser, officer, received_at=uk(2026, 1, 5, 10))
    Case.objects.filter(pk=p.pk).update(
        first_response_at=uk(2026, 1, 6, 9), status=CaseStatus.CLOSED, closed_at=uk(2026, 1, 19, 10),
        closure_reason="resolved", resolved=True,
    )  # fmt: skip
    q = open_case(landlord, adviser, officer, received_at=uk(2026, 2, 2, 10), category="hate_crime", tier="high")
    Case.objects.filter(pk=q.pk).update(flags=["hate"], hate_strands=["race"])
    reported = Party.objects.create(case=q, role=PartyRole.REPORTED, name="Someone")
    LegalAction.objects.create(case=q, code="injunction", label="Injunction", route="injunction", party=reported,
                               started_on=uk(2026, 2, 20).date(), reason="Threats", recorded_by=officer)  # fmt: skip
    SurveyResponse.objects.create(landlord=landlord, case=q, via="phone", answers={}, tp12="fairly_satisfied",
                                  answered_at=uk(2026, 3, 1, 12), policy_id="emh", policy_version="1")  # fmt: skip
    r = open_case(landlord, adviser, officer, received_at=uk(2025, 12, 2, 10))
    Case.objects.filter(pk=r.pk).update(status=CaseStatus.CLOSED, closed_at=uk(2026, 3, 10, 10), resolved=False,
                                        closure_reason="not_asb")  # fmt: skip
    s = open_case(landlord, adviser, officer, received_at=uk(2025, 6, 2, 10))
    Case.objects.filter(pk=s.pk).update(status=CaseStatus.CLOSED, closed_at=uk(2025, 7, 1, 10))
    return landlord, p, q, r


def test_rows_match_the_hand_count(world) -> None:  # type: ignore[no-untyped-def]
    landlord, p, q, r = world
    rows = [dict(zip(COLUMNS, row, strict=True)) for row in case_rows(landlord, START, END)]
    assert [row["reference"] for row in rows] == [r.reference, p.reference, q.reference]
    rp = rows[1]
    assert (rp["opened_on"], rp["closed_on"], rp["response"], rp["resolved"]) == (
        "2026-01-05",
        "2026-01-19",
        "met",
        "yes",
    )
    assert (rp["days_to_resolve"], rp["working_days_to_resolve"], rp["legal_actions"]) == (14, 9, 0)
    rq = rows[2]
    assert (rq["response"], rq["hate"], rq["hate_strands"], rq["tier"]) == ("missed", "yes", "race", "high")
    assert (rq["closed_on"], rq["days_to_resolve"], rq["legal_actions"], rq["tp12"]) == ("", "", 1, "fairly_satisfied")
    assert rows[0]["closure_reason"] == "not_asb" and rows[0]["resolved"] == "no"


def test_the_csv_and_excel_exports_hold_the_same_rows_no_personal_details_and_are_audited(world, make_user) -> None:  # type: ignore[no-untyped-def]
    landlord, p, q, r = world
    manager = signed_in(make_user(landlord, "manager"))
    query = "?start=01/01/2026&end=31/03/2026"
    answer = manager.get("/insights/cases.csv" + query)
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    body = b"".join(answer.streaming_content).decode()  # type: ignore[attr-defined]
    rows = list(csv.reader(StringIO(body)))
    assert rows[0] == list(COLUMNS) and [row[0] for row in rows[1:]] == [r.reference, p.reference, q.reference]
    assert "Amira" not in body and "07700" not in body and "example.org" not in body
    book = load_workbook(BytesIO(manager.get("/insights/cases.xlsx" + query).content))
    sheet = [[("" if c is None else str(c)) for c in row] for row in book["Cases"].iter_rows(values_only=True)]
    assert sheet == rows
    events = AuditEvent.objects.filter(verb=Verb.INSIGHT_EXPORTED, landlord_id=landlord.pk)
    assert events.count() == 2
    bad = manager.get("/insights/cases.csv?start=01/03/2026&end=01/01/2026")
    assert bad.status_code == 400 and "ends before it starts" in bad.content.decode()
    assert events.count() == 2
    officer = signed_in(make_user(landlord, "officer", username="o2"))
    assert officer.get("/insights/cases.csv" + query).status_code == 403
