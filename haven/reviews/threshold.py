"""The ASB Case Review threshold as a pure rule (Anti-social Behaviour, Crime and Policing Act 2014
s104 and Sch 4; the statutory guidance).

- A **qualifying complaint** is a complaint about anti-social behaviour made within one month of
  the alleged behaviour (s104(8)-(9)). A complaint with no incident date is taken to be about
  behaviour on the day it was made (so it qualifies).
- The **application** must be made within six months of the complaint (s104(8)(b)): a complaint
  counts "as at" a day while that day is not more than six months after it was made.
- "Month" is a calendar month (Interpretation Act 1978 Sch 1): a complaint made on the same
  day-of-month one month after the incident still qualifies; one made a day later does not. From a
  day the next month lacks (31 January), a month on is that month's last day (28 February).
- The relevant bodies set a threshold of **not more than three** qualifying complaints
  (s104(10)); local variations (``register.LocalAuthorityArea``): one qualifying complaint of a
  hate incident meets it, or N reports from different people about one place within six months.
- A problem reported to several agencies counts once: the reporter's complaints about behaviour on
  the same day are one complaint.
- The Victims' Commissioner recommends telling people of their right at the second complaint within
  six months: the profile's ``asb_case_review.tell_reporter_at`` (default 2).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

STATUTORY_MAX = 3  # s104(10): "not more than three"
STATUTORY_DEFAULT = 3
TELL_AT_DEFAULT = 2  # the Victims' Commissioner's recommendation
WINDOW_MONTHS = 6  # s104(8)(b)
QUALIFY_MONTHS = 1  # s104(9)

STATUTORY, HATE, COMMUNITY = "statutory", "hate", "community"
RULE_TEXT = {
    STATUTORY: "qualifying complaints within six months",
    HATE: "a hate incident (a local variation)",
    COMMUNITY: "reports from different people about one place (a local variation)",
}


def add_months(day: date, months: int) -> date:
    """``day`` plus calendar months; the last day of the month when that month is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class AreaRule:
    """An area's threshold: ``complaints`` (1-3), whether one hate incident meets it, and the
    number of different people's reports about one place that meet it (None: no such variation)."""

    complaints: int = STATUTORY_DEFAULT
    hate_incident_qualifies: bool = False
    community_reports: int | None = None

    @classmethod
    def of(cls, area: object | None) -> AreaRule:
        """The rule of a ``LocalAuthorityArea`` (None: the statutory default, three and no variants)."""
        if area is None:
            return cls()
        return cls(
            complaints=min(max(int(getattr(area, "threshold_complaints", 3) or 3), 1), STATUTORY_MAX),
            hate_incident_qualifies=bool(getattr(area, "hate_incident_qualifies", False)),
            community_reports=getattr(area, "community_reports", None) or None,
        )


@dataclass(frozen=True)
class Complaint:
    """One complaint: when made, about behaviour on which day (None: the day it was made), whether
    about a hate incident, who made it and about which place (``reporter``/``place``: opaque keys).
    ``kind`` and ``ref`` say where it came from (a report or an agency complaint) for pages."""

    made_on: date
    incident_on: date | None = None
    hate: bool = False
    reporter: str = ""
    place: str = ""
    kind: str = "report"
    ref: int | str = ""
    label: str = ""

    @property
    def incident(self) -> date:
        return self.incident_on or self.made_on

    @property
    def qualifies(self) -> bool:
        """Made within one calendar month of the behaviour (s104(9))."""
        return self.made_on <= add_months(self.incident, QUALIFY_MONTHS)

    def counts_on(self, as_at: date) -> bool:
        """A qualifying complaint made on or before ``as_at`` and not more than six months before."""
        return self.qualifies and self.made_on <= as_at <= add_months(self.made_on, WINDOW_MONTHS)


@dataclass(frozen=True)
class Assessment:
    """Where a reporter stands as at a day: the qualifying complaints counted (one per incident day),
    the threshold, whether met and by which rule, the day the right lapses unless more complaints
    come, and whether the officer should tell the reporter of their right."""

    as_at: date
    threshold: int
    counted: list[Complaint] = field(default_factory=list)
    met: bool = False
    rule: str | None = None
    lapses_on: date | None = None
    prompt_due: bool = False
    community: int = 0

    @property
    def count(self) -> int:
        return len(self.counted)

    @property
    def rule_text(self) -> str:
        return RULE_TEXT.get(self.rule or "", "")


def deduplicated(complaints: list[Complaint]) -> list[Complaint]:
    """One complaint per incident day (a problem reported to several agencies counts once): the
    earliest made, so the six months run from the first complaint about it. Latest incident first."""
    first: dict[date, Complaint] = {}
    for c in sorted(complaints, key=lambda c: (c.made_on, c.kind != "report")):
        first.setdefault(c.incident, c)
    return sorted(first.values(), key=lambda c: (c.made_on, c.incident), reverse=True)


def _lapse(needed: list[Complaint]) -> date:
    """Six months after the earliest of the complaints needed to stay at the threshold."""
    return add_months(min(c.made_on for c in needed), WINDOW_MONTHS)


def assess(
    rule: AreaRule,
    complaints: list[Complaint],
    as_at: date,
    *,
    reporter: str | None = None,
    community: list[Complaint] | None = None,
    tell_at: int = TELL_AT_DEFAULT,
) -> Assessment:
    """The reporter's standing as at ``as_at``. ``complaints``: the reporter's (those of another
    ``reporter`` key are ignored when one is given); ``community``: everyone's reports about the
    places the reporter complained of, for the community variation (the reporter's own count too).
    Rules tried in order (statutory count, hate incident, community); the right lapses on the latest
    day any met rule would still be met."""
    own = [c for c in complaints if reporter is None or c.reporter == reporter]
    counted = deduplicated([c for c in own if c.counts_on(as_at)])
    threshold = min(max(rule.complaints, 1), STATUTORY_MAX)
    met: list[tuple[str, date]] = []
    if len(counted) >= threshold:
        met.append((STATUTORY, _lapse(counted[:threshold])))  # the latest ``threshold`` complaints
    if rule.hate_incident_qualifies:
        hate = [c for c in counted if c.hate]
        if hate:
            met.append((HATE, _lapse(hate[:1])))
    most = 0
    if rule.community_reports:
        places = {c.place for c in own if c.place}
        by_place: dict[str, dict[str, Complaint]] = {}
        for c in [*(community or []), *own]:
            if c.place in places and c.reporter and c.counts_on(as_at):
                latest = by_place.setdefault(c.place, {})
                if c.reporter not in latest or c.made_on > latest[c.reporter].made_on:
                    latest[c.reporter] = c
        for people in by_place.values():
            most = max(most, len(people))
            if len(people) >= rule.community_reports:
                newest = sorted(people.values(), key=lambda c: c.made_on, reverse=True)
                met.append((COMMUNITY, _lapse(newest[: rule.community_reports])))
    lapses = max((day for _, day in met), default=None)
    return Assessment(
        as_at=as_at, threshold=threshold, counted=counted, met=bool(met), rule=met[0][0] if met else None,
        lapses_on=lapses, prompt_due=bool(met) or len(counted) >= max(tell_at, 1), community=most,
    )  # fmt: skip
