"""Case reviews of the demo cases (issue 7; WWH 5.0, emh 7.1): the worked case (``cases[1]``) was
reviewed and the review signed off by the team manager; the next case has a review awaiting the
manager's sign-off; the others keep the review date their tier gives them, so the list of reviews
due has something in it. Everything goes through the real services, so the next review dates are
what the rules make of them. (Quality reviews and persistent reports are another part's.)"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.permissions import can_work_case
from haven.cases.models import Case, SignOff
from haven.policies.schema import PolicyProfile
from haven.reviews.models import Review
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
