"""What the case page and the API show of a case's survey (whg 3.3): its invitations and its
answers, labelled with the profile's questions and the policy version they were asked under."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from haven.cases.models import Case, CaseStatus, Closure
from haven.policies.schema import PolicyProfile
from haven.reviews.models import SurveyInvitation, SurveyResponse


def invitation_state(invitation: SurveyInvitation, now: Any = None) -> str:
    """``answered``, ``withdrawn``, ``expired``, ``waiting`` (e-mail not sent yet) or ``open``."""
    now = now or timezone.now()
    if invitation.used_at is not None:
        return "answered"
    if invitation.withdrawn_at is not None:
        return "withdrawn"
    if invitation.expires_at <= now:
        return "expired"
    if invitation.channel == "email" and invitation.sent_at is None:
        return "waiting"
    return "open"


@dataclass(frozen=True)
class Answer:
    code: str
    question: str
    answer: str


def answers_labelled(profile: PolicyProfile, response: SurveyResponse) -> list[Answer]:
    """Each answer with its question's wording and the choice's label (an answer to a question the
    profile no longer has is shown by its code)."""
    questions = {q.code: q for q in profile.survey.questions}
    order = {code: n for n, code in enumerate(questions)}  # PostgreSQL's jsonb keeps no key order
    rows = []
    for code in sorted(response.answers, key=lambda code: (order.get(code, len(order)), code)):
        value = response.answers[code]
        question = questions.get(code)
        if question is None:
            rows.append(Answer(code, code, str(value)))
            continue
        label = dict(question.choices()).get(value, str(value))
        rows.append(Answer(code, question.wording(profile.landlord.short_name), label))
    return rows


def case_survey(case: Case, profile: PolicyProfile) -> dict[str, Any]:
    """The case's invitations (newest first, with their reporter), its answers and whether the
    latest closure's survey is still to answer. Three queries whatever the rows."""
    invitations = list(
        SurveyInvitation.objects.filter(case=case).select_related("party").order_by("-created_at", "-pk")
    )
    responses = list(SurveyResponse.objects.filter(case=case).select_related("recorded_by").order_by("-answered_at"))
    latest = Closure.objects.filter(case=case).order_by("-closed_at", "-pk").values_list("pk", flat=True).first()
    answered_latest = any(r.closure_id == latest for r in responses)
    now = timezone.now()
    return {
        "invitations": [{"invitation": i, "state": invitation_state(i, now)} for i in invitations],
        "responses": [{"response": r, "answers": answers_labelled(profile, r)} for r in responses],
        "to_answer": case.status == CaseStatus.CLOSED and not answered_latest,
    }
