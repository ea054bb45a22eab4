"""Case reviews of the demo cases (issue 7; WWH 5.0, emh 7.1): the worked case (``cases[1]``) was
reviewed and the review signed off by the team manager; the next case has a review awaiting the
manager's sign-off; the others keep the review date their tier gives them, so the list of reviews
due has something in it. Everything goes through the real services, so the next review dates are
what the rules make of them. The team manager also
scored the worked case in a casework quality review (whg 3.5), and one reporter's repeated reports
of something explained as not ASB wait for a persistent-reports decision (emh 7.8)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.permissions import can_work_case
from haven.cases.models import Case, SignOff
from haven.intake.services import report_create, report_triage
from haven.policies.schema import PolicyProfile
from haven.reviews.models import QualityAnswer, Review
from haven.reviews.selectors.quality import default_sample_label
from haven.reviews.services.quality import quality_review_record
from haven.reviews.services.reviews import review_record, review_sign_off

ANSWERS = {
    "duration_pattern": "Reported for several weeks, mostly late evenings at the weekend.",
    "same_issue": "The same issue as at the start: loud music and shouting from the flat above.",
    "actions_outcomes": "Advice and a warning given; diary sheets returned. No barriers so far.",
    "agreed_actions_done": "Yes: the reporter keeps the diary; we visited and wrote as agreed.",
    "advice_worked": "The advice helped for a week; incidents have started again.",
    "information_complete": "Yes. A noise recording would help; app offered.",
    "evidence_quality": "Not yet: the diary sheets need more detail for a court bundle.",
    "satisfaction": "The reporter is happy with the contact but wants it to stop sooner.",
    "other_support": "Mediation offered to both households; a support referral is open.",
    "case_review_threshold": "No: two complaints so far within six months.",
}


def _answers(profile: PolicyProfile) -> dict[str, str]:
    return {item.code: ANSWERS.get(item.code, "Looked at; nothing to add.") for item in profile.reviews.checklist}


def _review(case: Case, worker: User, profile: PolicyProfile, at: datetime, conclusion: str, note: str) -> Review:
    return review_record(
        actor=worker, case=case, answers=_answers(profile), threshold_met=False, conclusion=conclusion,
        conclusion_note=note, held_at=max(at, case.opened_at + timedelta(minutes=1)), via="command",
    )  # fmt: skip


def reviews_generate(*, cases: list[Case], users: dict[str, User], profile: PolicyProfile) -> None:
    """A signed-off review on the worked case and one awaiting sign-off on the next (issue 7)."""
    manager = users.get("manager")
    now = timezone.now()
    for index, conclusion, note in (
        (1, "continue", "Incidents go on but the plan is working; keep it and review again."),
        (2, "escalate", "Incidents are more frequent; consider an agreement or a warning."),
    ):
        if len(cases) <= index:
            continue
        case = Case.objects.select_related("landlord").get(pk=cases[index].pk)
        worker = case.officer or manager
        if worker is None or not case.is_open or not can_work_case(worker, case):
            continue
        review = _review(case, worker, profile, now - timedelta(hours=2), conclusion, note)
        if index == 1 and manager is not None and review.signoff == SignOff.AWAITING and review.by_id != manager.pk:
            review_sign_off(actor=manager, review=review, decision=SignOff.SIGNED_OFF,
                            note="Agreed: keep the plan.", via="command")  # fmt: skip
    _quality_review(cases, manager, profile)
    _persistent_reporter(users, profile)


def _quality_review(cases: list[Case], manager: User | None, profile: PolicyProfile) -> None:
    """whg 3.5: the team manager scored the worked case against the quality checklist."""
    if manager is None or len(cases) < 2:
        return
    answers: dict[str, str] = {item.code: QualityAnswer.YES for item in profile.quality_review.checklist}
    if answers:
        answers[next(iter(answers))] = QualityAnswer.PARTLY
    quality_review_record(
        actor=manager, case=Case.objects.select_related("landlord").get(pk=cases[1].pk), answers=answers,
        notes="Good contact with the reporter; the risk assessment was late.", learning="Book the risk visit sooner.",
        sample=default_sample_label(timezone.localdate()), via="command",
    )  # fmt: skip


def _persistent_reporter(users: dict[str, User], profile: PolicyProfile) -> None:
    """emh 7.8: one person reported children playing ball several times in the window; each was
    explained as not ASB, so /reviews/persistent/ asks a manager to decide."""
    adviser = users.get("adviser")
    if adviser is None or adviser.landlord is None or not profile.not_asb.reasons:
        return
    now = timezone.now()
    route = profile.not_asb.advice_routes[0] if profile.not_asb.advice_routes else None
    for days in range(profile.persistent_reports.count):  # within the window, a few days apart
        report = report_create(
            actor=adviser, landlord=adviser.landlord, channel="phone", received_at=now - timedelta(days=2 + 4 * days),
            reporter_name="Pat Morley", reporter_email="pat.morley@example.com", preferred_contact="email",
            what="Children playing ball games on the green in the afternoon.", where="The green outside my house",
            via="command",
        )  # fmt: skip
        report_triage(
            actor=adviser, report=report, is_asb=False, not_asb_reason=profile.not_asb.reasons[0],
            advice_given=route.advice if route else "Explained that this is not anti-social behaviour.",
            advice_routes=[route.code] if route else [], via="command",
        )  # fmt: skip
