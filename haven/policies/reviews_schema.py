"""The profile's reviews, ASB Case Review, closure and satisfaction sections (issue 7).

- ``reviews``: the regular case review against the WWH 5.0 checklist, and whether a manager signs
  a review off. The cadence is each tier's ``review_every`` (triage).
- ``quality_review``: the casework quality review a manager makes of a sample of cases (whg 3.5).
- ``persistent_reports``: when repeated reports of matters already explained as not ASB are
  surfaced for a decision (emh 7.8).
- ``asb_case_review``: when the officer is prompted to tell a reporter about their right to an
  ASB Case Review (Anti-social Behaviour, Crime and Policing Act 2014 s104). The thresholds
  themselves belong to each local authority area (``register.LocalAuthorityArea``).
- ``closure``: the reasons a case may close for, the conditions checked at closure and whether a
  manager signs a closure off.
- ``survey``: the satisfaction survey at closure (whg 3.3), with the TSM TP12 question.
- ``complaints``: where a complaint about the handling or outcome of a case goes (whg 3.6-3.7).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from haven.common.working_time import TimeUnit
from haven.policies.types import Code, Duration, Sourced, Text
from haven.policies.types import unique as _unique


class ChecklistItem(Sourced):
    code: Code
    label: Text
    hint: str | None = None


class CaseReviews(Sourced):
    """``checklist``: the questions a review answers (WWH 5.0); ``manager_signoff``: a review's
    conclusion waits for a team manager's sign-off."""

    checklist: tuple[ChecklistItem, ...] = Field(min_length=1)
    manager_signoff: bool

    @model_validator(mode="after")
    def _codes_unique(self) -> CaseReviews:
        _unique("reviews.checklist", [c.code for c in self.checklist])
        return self


class QualityReviews(Sourced):
    """A manager samples ``sample_size`` cases and answers each question yes, partly or no
    (whg 3.5); the score is 2 for yes and 1 for partly, over 2 for each question answered."""

    checklist: tuple[ChecklistItem, ...] = Field(min_length=1)
    sample_size: int = Field(ge=1, le=100)

    @model_validator(mode="after")
    def _codes_unique(self) -> QualityReviews:
        _unique("quality_review.checklist", [c.code for c in self.checklist])
        return self


class PersistentReports(Sourced):
    """``count`` reports triaged as not ASB from one reporter ``within`` a period are surfaced for
    a decision: a support need, the persistent complainant procedure, or no action (emh 7.8)."""

    count: int = Field(ge=2, le=50)
    within: Duration

    @model_validator(mode="after")
    def _in_days(self) -> PersistentReports:
        if self.within.unit is not TimeUnit.CALENDAR_DAYS or self.within.amount < 1:
            raise ValueError("persistent_reports.within must be a number of calendar_days (at least 1)")
        return self


class AsbCaseReview(Sourced):
    """``tell_reporter_at``: the number of qualifying complaints within six months at which the
    officer is prompted to tell the reporter about their right to an ASB Case Review. The Victims'
    Commissioner recommends telling people at the second; the statutory threshold is at most three.
    ``directory_url``: where a resident can find their area's procedure (emh 7.7: ASB Help)."""

    tell_reporter_at: int = Field(ge=1, le=3)
    directory_url: str | None = None
    information: Text


class ClosureReason(Sourced):
    code: Code
    label: Text


# The conditions Haven knows how to check. ``check`` ones are worked out from the case's records
# (each registered by the app that owns the records, cases.extensions.closure_condition);
# ``confirm`` ones are confirmed by the person closing the case.
CHECKED_CONDITIONS = frozenset({"actions_closed", "agreements_ended", "referrals_answered"})
CONFIRMED_CONDITIONS = frozenset({"reporter_told", "risk_reviewed", "parties_told", "support_in_place"})


class ClosureCondition(Sourced):
    """``blocking``: the case cannot close while the condition is not met (or not confirmed);
    otherwise it is recorded as not met and shown to the manager signing the closure off."""

    code: Code
    label: Text
    kind: Literal["check", "confirm"]
    blocking: bool = False

    @model_validator(mode="after")
    def _known(self) -> ClosureCondition:
        known = CHECKED_CONDITIONS if self.kind == "check" else CONFIRMED_CONDITIONS
        if self.code not in known:
            raise ValueError(
                f"closure condition {self.code!r} is not a {self.kind} condition Haven knows: "
                f"{', '.join(sorted(known))}"
            )
        return self


class Closure(Sourced):
    reasons: tuple[ClosureReason, ...] = Field(min_length=1)
    default_reason: Code
    conditions: tuple[ClosureCondition, ...] = ()
    manager_signoff: bool

    @model_validator(mode="after")
    def _consistent(self) -> Closure:
        codes = [r.code for r in self.reasons]
        _unique("closure.reasons", codes)
        _unique("closure.conditions", [c.code for c in self.conditions])
        if self.default_reason not in codes:
            raise ValueError(f"closure.default_reason {self.default_reason!r} is not one of the reasons")
        return self

    def reason_label(self, code: str) -> str:
        return next((r.label for r in self.reasons if r.code == code), code.replace("_", " ").capitalize())


SATISFACTION_SCALE: tuple[tuple[str, str], ...] = (
    ("very_satisfied", "Very satisfied"),
    ("fairly_satisfied", "Fairly satisfied"),
    ("neither", "Neither satisfied nor dissatisfied"),
    ("fairly_dissatisfied", "Fairly dissatisfied"),
    ("very_dissatisfied", "Very dissatisfied"),
)
AGREEMENT_SCALE: tuple[tuple[str, str], ...] = (
    ("strongly_agree", "Strongly agree"),
    ("agree", "Agree"),
    ("neither", "Neither agree nor disagree"),
    ("disagree", "Disagree"),
    ("strongly_disagree", "Strongly disagree"),
)
YES_NO: tuple[tuple[str, str], ...] = (("yes", "Yes"), ("no", "No"))
# TSM TP12 (Regulator of Social Housing, Tenant Satisfaction Measures: Tenant Survey Requirement);
# "{landlord}" is the landlord's short name.
TP12_TEXT = "How satisfied or dissatisfied are you with {landlord}'s approach to handling anti-social behaviour?"


class SurveyQuestion(Sourced):
    """``kind``: ``satisfaction`` and ``agreement`` are five-point scales, ``yes_no`` two answers,
    ``text`` a free answer. ``measure`` marks the question a KPI reads: ``tp12`` (TSM TP12) or a
    transactional measure (kept informed, treated fairly, ease of reporting, outcome)."""

    code: Code
    text: Text
    text_cy: str | None = None  # Welsh (WWH), when the landlord offers it
    kind: Literal["satisfaction", "agreement", "yes_no", "text"]
    measure: Literal["tp12", "kept_informed", "treated_fairly", "ease_of_reporting", "outcome"] | None = None
    required: bool = False

    def choices(self) -> tuple[tuple[str, str], ...]:
        return {"satisfaction": SATISFACTION_SCALE, "agreement": AGREEMENT_SCALE, "yes_no": YES_NO}.get(self.kind, ())

    def wording(self, landlord: str, language: str = "en") -> str:
        text = self.text_cy if language == "cy" and self.text_cy else self.text
        return text.replace("{landlord}", landlord)


class Survey(Sourced):
    """``link_valid``: how long the reporter's survey link works (single use)."""

    link_valid: Duration
    questions: tuple[SurveyQuestion, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Survey:
        _unique("survey.questions", [q.code for q in self.questions])
        measures = [q.measure for q in self.questions if q.measure]
        _unique("survey.questions measure", [str(m) for m in measures])
        for question in self.questions:
            if question.measure == "tp12" and (question.kind != "satisfaction" or question.text != TP12_TEXT):
                raise ValueError(
                    f"the TP12 question must be the regulator's wording on the satisfaction scale: {TP12_TEXT!r}"
                )
        if self.link_valid.unit is not TimeUnit.CALENDAR_DAYS or self.link_valid.amount < 1:
            raise ValueError("survey.link_valid must be a number of calendar_days (at least 1)")
        return self

    def measure(self, measure: str) -> SurveyQuestion | None:
        return next((q for q in self.questions if q.measure == measure), None)


class Complaints(Sourced):
    """Where complaints about the handling of a case (whg 3.6) or its outcome (whg 3.7, with the
    ASB Case Review signposted) are dealt with."""

    process: Text
    url: str | None = None
