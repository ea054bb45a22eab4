"""TSM NM01 and TP12 (issue 9), each checked against a small data set worked out by hand.

Rules proved: the reporting year runs 1 April to 31 March in UK time (a report at 00:30 on 1 April
BST counts in the new year, one at 23:30 on 31 March in the old); a case counts once, in the year
its first report was received, however late it was keyed in; a repeat report linked to an open case
and a reopened case open no new case; a case flagged hate counts in (b); the denominator is the
landlord's entered homes figure, else the register's homes that count for TSM and had not left by
31 March; excluded closure reasons are counted apart; rates round half up to the set places; TP12 is
very or fairly satisfied over all who answered; a Welsh landlord (WWH) has no TSMs; the API answers
as API.md says.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from haven.accounts.models import Landlord, User
from haven.accounts.services import token_create
from haven.cases.models import CaseStatus
from haven.cases.services.workflow import case_transition
from haven.cases.tests.factories import open_case
from haven.common.errors import ApplicationError
from haven.insights.models import HomesFigure, TsmSettings
from haven.insights.selectors.tsm import current_reporting_year, nm01, per_thousand, tp12
from haven.intake.services import report_create, report_triage
from haven.register.models import Property
from haven.reviews.models import SurveyResponse

pytestmark = pytest.mark.django_db
UK = ZoneInfo("Europe/London")
Staff = Callable[[str], tuple[Landlord, User, User]]


def uk(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UK)  # type: ignore[misc]


def home(landlord: Landlord, n: int, **fields: object) -> Property:
    return Property.objects.create(
        landlord=landlord, reference=f"P{n}", uprn=f"1000305610{n:02d}", address_line_1=f"{n} Elm Street",
        town="Coalville", postcode="LE67 4JP", tenure="social_rent", **fields,
    )  # fmt: skip


@pytest.fixture
def world(staff: Staff, make_user: Callable[..., User]) -> dict[str, object]:
    """emh, year 2025 (1 April 2025 to 31 March 2026), worked out by hand:
    in the year: A (00:30 on 1 April 2025), C (23:59 on 31 March 2026), E (hate, October);
    not in it: B (23:30 on 31 March 2025), D (00:01 on 1 April 2026); a repeat report on A opens
    nothing; A is closed and reopened. So 3 cases, 1 involving hate."""
    landlord, adviser, officer = staff("emh")
    manager = make_user(landlord, "manager")
    cases = {
        "A": open_case(landlord, adviser, officer, received_at=uk(2025, 4, 1, 0, 30)),
        "B": open_case(landlord, adviser, officer, received_at=uk(2025, 3, 31, 23, 30)),
        "C": open_case(landlord, adviser, officer, received_at=uk(2026, 3, 31, 23, 59)),
        "D": open_case(landlord, adviser, officer, received_at=uk(2026, 4, 1, 0, 1)),
        "E": open_case(landlord, adviser, officer, received_at=uk(2025, 10, 10, 20, 0), category="hate_crime",
                       tier="high"),
    }  # fmt: skip
    repeat = report_create(actor=adviser, landlord=landlord, channel="phone", what="It happened again", where="Flat 3",
                           reporter_name="Amira Khan", received_at=uk(2025, 6, 1, 12, 0))  # fmt: skip
    report_triage(actor=adviser, report=repeat, is_asb=True, link_to_case=cases["A"].reference)
    case_transition(actor=officer, case=cases["A"], to=CaseStatus.CLOSED, reason="Quiet", closure_reason="resolved",
                    outcome="Stopped", resolved=True)  # fmt: skip
    case_transition(actor=officer, case=cases["A"], to=CaseStatus.REOPENED, reason="Started again")
    return {"landlord": landlord, "officer": officer, "manager": manager, "adviser": adviser, "cases": cases}


def test_nm01_counts_each_case_once_in_the_year_of_its_first_report(world: dict) -> None:  # type: ignore[type-arg]
    landlord = world["landlord"]
    HomesFigure.objects.create(landlord=landlord, year=2025, homes=1200, entered_by=world["manager"])
    found = nm01(landlord, 2025)
    assert (found.cases_opened, found.hate_cases_opened, found.excluded) == (3, 1, 0)
    assert found.homes.homes == 1200 and found.homes.source == "entered"
    assert found.nm01_a == Decimal("2.50") and found.nm01_b == Decimal("0.83")  # 3000/1200, 1000/1200
    assert nm01(landlord, 2024).cases_opened == 1  # B, in 2024/25
    assert nm01(landlord, 2026).cases_opened == 1  # D, in 2026/27


def test_the_register_gives_the_homes_when_none_is_entered(world: dict) -> None:  # type: ignore[type-arg]
    """Homes counted for TSM still in the stock on 31 March: 3 + 1 that left after the year = 4."""
    landlord = world["landlord"]
    for n in range(3):
        home(landlord, n)
    home(landlord, 3, counts_for_tsm=False)  # not low cost rental or LCHO
    home(landlord, 4, ended_on=date(2026, 1, 1))  # left during the year
    home(landlord, 5, ended_on=date(2026, 6, 1))  # left after it
    found = nm01(landlord, 2025)
    assert found.homes.homes == 4 and found.homes.source == "register"
    assert found.nm01_a == Decimal("750.00") and found.nm01_b == Decimal("250.00")  # 3000/4, 1000/4


def test_no_homes_gives_the_counts_without_rates(world: dict) -> None:  # type: ignore[type-arg]
    found = nm01(world["landlord"], 2025)
    assert found.cases_opened == 3 and found.homes.homes is None and found.nm01_a is None and found.nm01_b is None


def test_excluded_closure_reasons_and_rounding_are_settings(world: dict) -> None:  # type: ignore[type-arg]
    """Case C closed as not ASB after investigation and excluded: 2 cases; one place: 1.7 and 0.8."""
    landlord, officer = world["landlord"], world["officer"]
    case_transition(actor=officer, case=world["cases"]["C"], to=CaseStatus.CLOSED, reason="Checked",
                    closure_reason="not_asb", outcome="Not ASB", resolved=False)  # fmt: skip
    HomesFigure.objects.create(landlord=landlord, year=2025, homes=1200, entered_by=world["manager"])
    TsmSettings.objects.create(landlord=landlord, decimals=1, excluded_closure_reasons=["not_asb"])
    found = nm01(landlord, 2025)
    assert (found.cases_opened, found.hate_cases_opened, found.excluded) == (2, 1, 1)
    assert found.nm01_a == Decimal("1.7") and found.nm01_b == Decimal("0.8")  # 2000/1200 = 1.666..., 0.833...


def test_rates_round_half_up() -> None:
    assert per_thousand(1, 8000, 2) == Decimal("0.13")  # 0.125: half up, not to even
    assert per_thousand(1, 3, 2) == Decimal("333.33") and per_thousand(2, 3, 0) == Decimal("667")
    assert per_thousand(5, 0, 2) is None and per_thousand(5, None, 2) is None


def test_the_reporting_year_of_a_day() -> None:
    assert current_reporting_year(date(2026, 3, 31)) == 2025 and current_reporting_year(date(2026, 4, 1)) == 2026


def test_tp12_is_satisfied_over_all_who_answered(world: dict) -> None:  # type: ignore[type-arg]
    """Answers in the year: very, fairly, neither, fairly dissatisfied, and one without TP12: 2 of 4 = 50.0%;
    one answered on 1 April 2026 is the next year's."""
    landlord = world["landlord"]
    case = world["cases"]["A"]
    answers = [("very_satisfied", uk(2025, 5, 1)), ("fairly_satisfied", uk(2025, 9, 1)), ("neither", uk(2026, 1, 1)),
               ("fairly_dissatisfied", uk(2026, 3, 31, 23)), ("", uk(2025, 7, 1)),
               ("very_satisfied", uk(2026, 4, 1, 0, 30))]  # fmt: skip
    for value, at in answers:
        SurveyResponse.objects.create(
            landlord=landlord, case=case, via="phone", answers={"tp12": value} if value else {}, tp12=value,
            answered_at=at, policy_id="emh", policy_version="1",
        )  # fmt: skip
    found = tp12(landlord, 2025)
    assert (found.answered, found.satisfied, found.percent) == (4, 2, Decimal("50.0"))
    assert tp12(landlord, 2026).percent == Decimal("100.0") and tp12(landlord, 2024).percent is None


def test_tsms_do_not_apply_in_wales(staff: Staff) -> None:
    landlord, _, _ = staff("wwh")
    with pytest.raises(ApplicationError, match="do not apply"):
        nm01(landlord, 2025)
    with pytest.raises(ApplicationError, match="do not apply"):
        tp12(landlord, 2025)


def test_the_api_answers_as_api_md_says(world: dict, staff: Staff, make_user: Callable[..., User]) -> None:  # type: ignore[type-arg]
    landlord, manager = world["landlord"], world["manager"]
    HomesFigure.objects.create(landlord=landlord, year=2025, homes=1200, entered_by=manager)

    def get(user: User, query: str = "?year=2025") -> object:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token_create(actor=user, user=user)}"}
        return Client().get(f"/api/v1/insights/tsm{query}", **headers)

    body = get(manager).json()  # type: ignore[attr-defined]
    assert {k: body[k] for k in ("homes", "cases_opened", "hate_cases_opened", "nm01_a", "nm01_b")} == {
        "homes": 1200, "cases_opened": 3, "hate_cases_opened": 1, "nm01_a": 2.5, "nm01_b": 0.83,
    }  # fmt: skip
    assert body["period"] == {"label": "2025/26", "from": "2025-04-01", "to": "2026-03-31"} and body["message"] == ""
    none = get(manager, "?year=2024").json()  # type: ignore[attr-defined]
    assert none["nm01_a"] is None and "No homes figure for 2024/25" in none["message"]
    assert get(manager, "?year=last").status_code == 400  # type: ignore[attr-defined]
    assert get(manager, "?year=1850").status_code == 400  # type: ignore[attr-defined]
    assert get(world["officer"]).status_code == 403  # type: ignore[attr-defined]
    wales, _, _ = staff("wwh")
    refused = get(make_user(wales, "manager"))
    assert refused.status_code == 404 and "do not apply" in str(refused.json())  # type: ignore[attr-defined]


# ---- the page ---------------------------------------------------------------------------------


def test_the_page_shows_the_measures_and_a_manager_enters_the_homes_and_settings(world: dict) -> None:  # type: ignore[type-arg]
    """A manager sees NM01 for 2025/26, enters the homes figure (bad input kept, then saved, audited)
    and the settings; an officer may not see the page; an auditor sees it without the forms."""
    from haven.audit.models import AuditEvent, Verb
    from haven.cases.tests.factories import signed_in, text

    manager = signed_in(world["manager"])
    page = text(manager.get("/insights/tsm/?year=2025"))
    assert "Reporting year 2025/26" in page and "Not worked out: no homes figure" in page
    bad = manager.post("/insights/tsm/homes/", {"year": "2025", "homes-homes": "lots", "homes-note": "From the return"})
    assert bad.status_code == 400 and "Enter a whole number of homes." in text(bad) and "From the return" in text(bad)
    assert not HomesFigure.objects.exists()
    ok = manager.post("/insights/tsm/homes/", {"year": "2025", "homes-homes": "1200", "homes-note": "SDR return"})
    assert ok.status_code == 303 and ok["Location"].endswith("?year=2025")
    assert HomesFigure.objects.get(year=2025).homes == 1200
    assert AuditEvent.objects.filter(verb=Verb.TSM_SETTINGS_SAVED).count() == 1
    page = text(manager.get("/insights/tsm/?year=2025"))
    assert "2.50" in page and "0.83" in page and "the figure entered for the year" in page
    saved = manager.post("/insights/tsm/settings/", {"year": "2025", "settings-decimals": "1",
                                                     "settings-excluded": ["not_asb"]})  # fmt: skip
    assert saved.status_code == 303 and TsmSettings.objects.get().excluded_closure_reasons == ["not_asb"]
    assert "2.5" in text(manager.get("/insights/tsm/?year=2025"))
    odd = manager.get("/insights/tsm/?year=soon")
    assert odd.status_code == 200 and "is not a reporting year" in text(odd)
    assert signed_in(world["officer"]).get("/insights/tsm/").status_code == 403


def test_the_page_says_tsms_do_not_apply_in_wales(staff: Staff, make_user: Callable[..., User]) -> None:
    from haven.cases.tests.factories import signed_in, text

    landlord, _, _ = staff("wwh")
    page = text(signed_in(make_user(landlord, "manager")).get("/insights/tsm/"))
    assert "do not apply" in page and "NM01 (a)" not in page
