"""The ASB Case Review threshold as a pure rule (2014 Act s104 and Sch 4; Interpretation Act 1978
Sch 1 for calendar months): the date edges of qualifying complaints and the six months, the count,
the two local variations and a problem reported to several agencies counted once."""

from __future__ import annotations

from datetime import date

import pytest

from haven.reviews.threshold import COMMUNITY, HATE, STATUTORY, AreaRule, Complaint, add_months, assess

STATUTORY_RULE = AreaRule()


def c(made: date, incident: date | None = None, **more: object) -> Complaint:
    return Complaint(made_on=made, incident_on=incident, reporter=str(more.pop("reporter", "amira")), **more)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 3, 1), 1, date(2026, 4, 1)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # February is shorter: its last day
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # a leap year
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 11, 15), 2, date(2027, 1, 15)),
    ],
)
def test_a_month_is_a_calendar_month(day: date, months: int, expected: date) -> None:
    """Interpretation Act 1978 Sch 1: "month" means calendar month."""
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("made", "qualifies"),
    [
        (date(2026, 3, 31), True),  # day 30 after the incident
        (date(2026, 4, 1), True),  # day 31: the same day of the next month
        (date(2026, 4, 2), False),  # day 32: more than a month after
    ],
)
def test_a_complaint_qualifies_within_one_calendar_month_of_the_incident(made: date, qualifies: bool) -> None:
    """s104(9): a qualifying complaint is made within one month of the behaviour (a 31-day March)."""
    assert c(made, date(2026, 3, 1)).qualifies is qualifies


@pytest.mark.parametrize(("made", "qualifies"), [(date(2026, 2, 28), True), (date(2026, 3, 1), False)])
def test_in_february_a_month_after_the_31st_of_january_ends_on_the_28th(made: date, qualifies: bool) -> None:
    """s104(9) with a short month: an incident on 31 January; a complaint on 28 February qualifies
    (day 28), on 1 March it does not (day 29)."""
    assert c(made, date(2026, 1, 31)).qualifies is qualifies


def test_a_complaint_without_an_incident_date_is_about_the_day_it_was_made() -> None:
    assert c(date(2026, 5, 9)).qualifies


def three(first: date) -> list[Complaint]:
    return [c(first, first), c(date(2026, 4, 10), date(2026, 4, 9)), c(date(2026, 5, 2), date(2026, 5, 1))]


@pytest.mark.parametrize(
    ("as_at", "met"),
    [
        (date(2026, 9, 3), True),  # exactly six months after the first complaint
        (date(2026, 9, 4), False),  # six months and a day
    ],
)
def test_the_application_must_be_within_six_months_of_the_complaint(as_at: date, met: bool) -> None:
    """s104(8)(b): the first of three complaints (3 March) still counts on 3 September, not the 4th."""
    result = assess(STATUTORY_RULE, three(date(2026, 3, 3)), as_at)
    assert result.met is met
    assert result.count == (3 if met else 2)
    if met:
        assert result.rule == STATUTORY
        assert result.lapses_on == date(2026, 9, 3)


def test_three_qualifying_complaints_meet_the_statutory_threshold_and_two_do_not() -> None:
    """s104(10): three complaints (the most an area may ask for) meet it; two do not."""
    complaints = three(date(2026, 3, 3))
    assert assess(STATUTORY_RULE, complaints, date(2026, 6, 1)).met
    two = assess(STATUTORY_RULE, complaints[1:], date(2026, 6, 1))
    assert not two.met and two.count == 2 and two.rule is None and two.lapses_on is None


def test_a_complaint_made_too_late_after_the_incident_is_not_counted() -> None:
    complaints = [*three(date(2026, 3, 3))[1:], c(date(2026, 5, 20), date(2026, 4, 1))]  # 49 days late
    assert assess(STATUTORY_RULE, complaints, date(2026, 6, 1)).count == 2


def test_an_area_may_set_a_lower_threshold() -> None:
    """s104(10): "not more than three"; an area of two is met by two."""
    assert assess(AreaRule(complaints=2), three(date(2026, 3, 3))[1:], date(2026, 6, 1)).met


def test_the_right_lapses_six_months_after_the_earliest_complaint_needed() -> None:
    """With four complaints and a threshold of three the oldest is not needed: the right runs from
    the second oldest."""
    complaints = [c(date(2026, 2, 20), date(2026, 2, 20)), *three(date(2026, 3, 3))]
    assert assess(STATUTORY_RULE, complaints, date(2026, 6, 1)).lapses_on == date(2026, 9, 3)


def test_a_problem_reported_to_two_agencies_counts_once() -> None:
    """The same incident reported to the landlord and the police is one complaint; the six months
    run from the first of them."""
    complaints = [
        c(date(2026, 4, 10), date(2026, 4, 9)),
        c(date(2026, 4, 12), date(2026, 4, 9), kind="agency"),
        c(date(2026, 5, 2), date(2026, 5, 1)),
    ]
    result = assess(STATUTORY_RULE, complaints, date(2026, 6, 1))
    assert result.count == 2 and not result.met
    assert {x.made_on for x in result.counted} == {date(2026, 4, 10), date(2026, 5, 2)}


@pytest.mark.parametrize(("variant", "met"), [(True, True), (False, False)])
def test_one_hate_incident_meets_the_threshold_only_where_the_area_says(variant: bool, met: bool) -> None:
    """A local variation: one qualifying complaint of a hate incident meets the threshold."""
    result = assess(AreaRule(hate_incident_qualifies=variant), [c(date(2026, 5, 2), hate=True)], date(2026, 6, 1))
    assert result.met is met
    assert result.rule == (HATE if met else None)
    assert result.lapses_on == (date(2026, 11, 2) if met else None)


def test_a_hate_incident_reported_too_late_does_not_meet_the_variant() -> None:
    result = assess(
        AreaRule(hate_incident_qualifies=True), [c(date(2026, 5, 20), date(2026, 4, 1), hate=True)], date(2026, 6, 1)
    )
    assert not result.met


def neighbours(people: int) -> list[Complaint]:
    return [c(date(2026, 5, 1 + n), reporter=f"neighbour-{n}", place="property:7") for n in range(people)]


@pytest.mark.parametrize(("people", "met"), [(5, True), (4, False)])
def test_five_reports_from_different_people_about_one_place(people: int, met: bool) -> None:
    """A local variation: five reports from different people about one place within six months."""
    everyone = neighbours(people)
    result = assess(
        AreaRule(community_reports=5), everyone, date(2026, 6, 1), reporter="neighbour-0", community=everyone
    )
    assert result.met is met and result.community == people
    assert result.rule == (COMMUNITY if met else None)
    if met:
        assert result.lapses_on == date(2026, 11, 1)  # the earliest of the five: 1 May


def test_one_person_reporting_five_times_is_not_five_people() -> None:
    own = [c(date(2026, 5, d), place="property:7") for d in range(1, 6)]
    assert not assess(AreaRule(complaints=3, community_reports=5), own[:2], date(2026, 6, 1), community=own).met


def test_reports_about_another_place_do_not_count_toward_the_community_variation() -> None:
    everyone = [*neighbours(4), c(date(2026, 5, 9), reporter="other", place="property:8")]
    result = assess(
        AreaRule(community_reports=5), everyone, date(2026, 6, 1), reporter="neighbour-0", community=everyone
    )
    assert not result.met


@pytest.mark.parametrize(("tell_at", "count", "due"), [(2, 1, False), (2, 2, True), (3, 2, False), (1, 1, True)])
def test_the_prompt_to_tell_the_reporter_follows_the_profile(tell_at: int, count: int, due: bool) -> None:
    """The Victims' Commissioner: tell people at the second complaint within six months (the
    profile's ``asb_case_review.tell_reporter_at``)."""
    complaints = three(date(2026, 3, 3))[:count]
    assert assess(STATUTORY_RULE, complaints, date(2026, 6, 1), tell_at=tell_at).prompt_due is due


def test_an_area_threshold_above_three_is_held_to_the_statutory_maximum() -> None:
    assert AreaRule.of(type("Area", (), {"threshold_complaints": 5})()).complaints == 3
    assert AreaRule.of(None) == AreaRule(3, False, None)


def test_a_complaint_made_after_the_day_assessed_does_not_count() -> None:
    assert assess(STATUTORY_RULE, three(date(2026, 3, 3)), date(2026, 4, 30)).count == 2
