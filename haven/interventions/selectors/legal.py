"""Reads of legal actions: a case's actions for its page part, one action with its history for
its own page and the API, what is due (an assessment, an approval, a hearing soon), and the
checks the services share (the Ground 7A notice's last day, Housing Act 1988 s8)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Prefetch
from django.utils import timezone

from haven.accounts.models import Role, User
from haven.accounts.selectors import landlord_profile
from haven.cases.models import Case
from haven.interventions.models import (
    Hearing,
    LegalAction,
    LegalStage,
    LegalStageChange,
    ProportionalityAssessment,
)
from haven.interventions.workflow import STAGE_HINTS, Move, moves_from
from haven.policies.toolkit import Intervention

HEARING_SOON_DAYS = 14  # default: not in seed; two weeks to prepare witnesses and the bundle


def open_legal_action_refusal(case: Case) -> str | None:
    """Why the case cannot be closed while a legal action on it is open (issue 7: "closing with
    open legal action" is refused), or None."""
    count = LegalAction.objects.filter(case=case).exclude(stage=LegalStage.CONCLUDED).count()
    if not count:
        return None
    actions = "a legal action" if count == 1 else f"{count} legal actions"
    return f"The case has {actions} still open. Conclude each legal action, with its outcome, before closing the case."


def day(on: date) -> str:
    return f"{on.day} {on:%B %Y}"


def ground_7a_last_day(condition_on: date) -> date:
    """The last day for serving the notice: within 12 months beginning with the day of the
    condition (Housing Act 1988 s8: the conviction, finding or order), so the day before the same
    date a year on; from 29 February, whose year-on date does not exist, 28 February (the
    corresponding-date rule)."""
    try:
        corresponding = condition_on.replace(year=condition_on.year + 1)
    except ValueError:
        corresponding = date(condition_on.year + 1, 3, 1)
    return corresponding - timedelta(days=1)


def tool_of(case: Case, code: str) -> Intervention | None:
    """The landlord's legal tool of that code, or None (an informal tool is not legal action)."""
    return next((t for t in landlord_profile(case.landlord).interventions.legal if t.code == code), None)


def last_stage_on(action: LegalAction) -> date:
    last = LegalStageChange.objects.filter(legal_action=action).order_by("-on").values_list("on", flat=True).first()
    return last or action.started_on


def latest_assessment(action: LegalAction) -> ProportionalityAssessment | None:
    return ProportionalityAssessment.objects.filter(legal_action=action).order_by("-created_at", "-pk").first()


def hint(action: LegalAction) -> str:
    return STAGE_HINTS.get(action.stage, "")


def needs_assessment(case: Case, action: LegalAction) -> bool:
    tool = tool_of(case, action.code)
    return tool is None or tool.needs_proportionality


def next_moves(case: Case, action: LegalAction) -> list[Move]:
    """The moves the officer can make from here (those made by another record excluded)."""
    found = moves_from(action.stage, route=action.route, needs_proportionality=needs_assessment(case, action))
    return [m for m in found if not m.by_service]


def may_approve(user: User, case: Case, action: LegalAction) -> bool:
    """A tool that ``needs_manager_approval`` is approved by a team manager of the landlord only."""
    tool = tool_of(case, action.code)
    if tool is not None and not tool.needs_manager_approval:
        return True
    return user.role == Role.MANAGER and user.landlord_id == case.landlord_id


def case_legal_actions(*, case: Case) -> list[LegalAction]:
    """A case's legal actions, newest first, with their hearings (two queries, whatever the count)."""
    hearings = Prefetch("hearings", queryset=Hearing.objects.order_by("at"))
    return list(LegalAction.objects.filter(case=case).prefetch_related(hearings).order_by("-started_on", "-pk"))


def case_legal_action(*, case: Case, legal_action_id: int) -> LegalAction | None:
    """One legal action of the case with its stage history, assessments and hearings, or None."""
    return (
        LegalAction.objects.filter(case=case, pk=legal_action_id)
        .select_related("party__person", "approved_by", "recorded_by")
        .prefetch_related(
            Prefetch("stage_changes", queryset=LegalStageChange.objects.select_related("by").order_by("at", "pk")),
            Prefetch(
                "assessments",
                queryset=ProportionalityAssessment.objects.select_related("assessed_by").order_by("-created_at", "-pk"),
            ),
            Prefetch("hearings", queryset=Hearing.objects.order_by("at", "pk")),
        )
        .first()
    )


def case_hearing(*, legal_action: LegalAction, hearing_id: int) -> Hearing | None:
    return Hearing.objects.filter(legal_action=legal_action, pk=hearing_id).first()


@dataclass(frozen=True)
class DueItem:
    label: str
    colour: str
    text: str
    action: LegalAction


def legal_due(case: Case, actions: list[LegalAction], now: datetime) -> list[DueItem]:
    """What is due on the case's legal actions: an action waiting for its proportionality
    assessment (emh 4.9; pnp 5.6.3) or its approval, and a hearing in the next 14 days."""
    items: list[DueItem] = []
    if not case.is_open:
        return items
    soon = now + timedelta(days=HEARING_SOON_DAYS)
    for action in actions:
        if action.stage == LegalStage.CONCLUDED:
            continue
        if action.stage == LegalStage.CONSIDERING:
            items.append(
                DueItem("Assessment needed", "blue", f"{action.label}: record the proportionality assessment", action)
            )
        elif action.stage == LegalStage.PROPORTIONALITY:
            items.append(DueItem("Approval needed", "blue", f"{action.label}: record the approval to go ahead", action))
        for hearing in action.hearings.all():
            if now <= hearing.at <= soon:
                at = timezone.localtime(hearing.at)
                kind = hearing.get_kind_display().lower()
                text = f"{action.label}: {kind} at {hearing.court}, {at:%a} {at.day} {at:%b %Y, %H:%M}"
                items.append(DueItem("Hearing soon", "yellow", text, action))
    return items
