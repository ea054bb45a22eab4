"""Survey answers for a closed demo case (issue 7; whg 3.3, TSM TP12): the officer asked the
reporter of the older closed case (``demo.closures``) by phone and recorded the answers; the newer
one's invitation stays open, waiting for the call."""

from __future__ import annotations

from haven.accounts.models import User
from haven.cases.models import Case, CaseStatus
from haven.policies.schema import PolicyProfile
from haven.reviews.models import SurveyResponse
from haven.reviews.services.survey import survey_record

ANSWERS = {
    "tp12": "fairly_satisfied", "kept_informed": "very_satisfied", "treated_fairly": "agree",
    "ease_of_reporting": "fairly_satisfied", "outcome": "neither",
    "comments": "The weekly calls helped. It took a while before anyone visited.",
}  # fmt: skip


def surveys_generate(*, cases: list[Case], users: dict[str, User], profile: PolicyProfile) -> None:
    """The answers of the older closed demo case, taken by phone."""
    officer = users.get("officer")
    if officer is None or officer.landlord_id is None:
        return
    closed = Case.objects.filter(landlord_id=officer.landlord_id, status=CaseStatus.CLOSED).order_by("opened_at")
    case = closed.first()
    if case is None or SurveyResponse.objects.filter(case=case).exists():
        return
    codes = {q.code for q in profile.survey.questions}
    survey_record(
        actor=officer, case=case, answers={k: v for k, v in ANSWERS.items() if k in codes}, via_channel="phone",
        via="command",
    )  # fmt: skip
