"""Every read of a case's action plan: the agreement and its actions, the breach and overdue actions.

A case without an agreed plan once ``action_plan_due_at`` has passed (set at opening from the
profile's ``casework.action_plan_within``: livv 4 "Case Management"; pnp 5.1 "at the earliest
opportunity") is in breach; an open action past its due date is overdue (wwh 4.0: "ensure that
any referrals, or action plans, are being progressed"). The ``*_q`` filters let case lists find
both with the indexes on ``Case`` and ``Action``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q

from haven.accounts.models import Role, User
from haven.cases.models import (
    OPEN_ACTION_STATUSES,
    OPEN_STATUSES,
    Action,
    ActionOwner,
    ActionPlan,
    Case,
)
from haven.policies.schema import PolicyProfile

ACTION_OWNER_ROLES = frozenset({Role.ADVISER, Role.OFFICER, Role.SPECIALIST, Role.MANAGER})


@dataclass(frozen=True)
class ActionRow:
    """An action with the name of whoever owns it, ready to show."""

    action: Action
    owner_name: str
    overdue: bool


@dataclass(frozen=True)
class CasePlan:
    """A case's plan: the agreement (None until agreed), its actions by due date, and its clocks."""

    plan: ActionPlan | None
    actions: list[ActionRow] = field(default_factory=list)
    breach: bool = False
    due_at: datetime | None = None

    @property
    def overdue_actions(self) -> list[ActionRow]:
        return [row for row in self.actions if row.overdue]


def plan_breach(case: Case, now: datetime, *, agreed: bool | None = None) -> bool:
    """Open, no agreed plan, and past ``action_plan_due_at`` (casework.action_plan_within). ``agreed``
    says whether a plan exists when the caller already knows; otherwise one query finds out."""
    if not case.is_open or case.action_plan_due_at is None or case.action_plan_due_at >= now:
        return False
    if agreed is None:
        agreed = ActionPlan.objects.filter(case=case).exists()
    return not agreed


def action_overdue(action: Action, today: date) -> bool:
    """Not started or in progress, and its due date has passed (due at the end of ``due_on``)."""
    return action.is_open and action.due_on < today


def plan_breach_q(now: datetime) -> Q:
    """Cases in breach: open, no agreed plan, past ``action_plan_due_at`` (index case_plan_due)."""
    return Q(status__in=OPEN_STATUSES, action_plan_due_at__lt=now, action_plan__isnull=True)


def action_overdue_q(today: date) -> Q:
    """Open cases with at least one open action due before ``today`` (index action_case_due); one
    row per case whatever the number of actions (a subquery, not a join)."""
    late = Action.objects.filter(case=OuterRef("pk"), status__in=OPEN_ACTION_STATUSES, due_on__lt=today)
    return Q(Exists(late), status__in=OPEN_STATUSES)


def partner_name(profile: PolicyProfile, code_or_name: str) -> str:
    """A partner of the profile by its label; any other name as typed."""
    return next((p.label for p in profile.partners if p.code == code_or_name), code_or_name)


def owner_name(action: Action, profile: PolicyProfile) -> str:
    """Who will do it, in words: the member of staff, the party (neutral role, whg 4.1) or the partner."""
    if action.owner == ActionOwner.LANDLORD:
        return action.owner_user.display_name if action.owner_user is not None else "The landlord"
    if action.owner in (ActionOwner.REPORTER, ActionOwner.OTHER_PARTY) and action.owner_party is not None:
        party = action.owner_party
        return f"{party.display_name} ({party.get_role_display().lower()})"
    if action.owner == ActionOwner.PARTNER:
        return partner_name(profile, action.owner_partner)
    return action.get_owner_display()


def case_plan(*, case: Case, profile: PolicyProfile, now: datetime, today: date) -> CasePlan:
    """The agreement and every action of a case, with owner names: two queries whatever the number
    of actions."""
    plan = ActionPlan.objects.filter(case=case).select_related("agreed_with__person", "agreed_by").first()
    actions = (
        Action.objects.filter(case=case).select_related("owner_user", "owner_party__person").order_by("due_on", "pk")
    )
    rows = [ActionRow(action=a, owner_name=owner_name(a, profile), overdue=action_overdue(a, today)) for a in actions]
    return CasePlan(
        plan=plan,
        actions=rows,
        breach=plan_breach(case, now, agreed=plan is not None),
        due_at=case.action_plan_due_at,
    )


def case_action(*, case: Case, action_id: int) -> Action | None:
    """One action of this case (None for an action of another case)."""
    return Action.objects.filter(case=case, pk=action_id).select_related("case").first()


def action_staff(*, landlord_id: int) -> list[User]:
    """The staff who may own an action: the landlord's active advisers, officers, specialists and managers."""
    return list(
        User.objects.filter(landlord_id=landlord_id, is_active=True, role__in=sorted(ACTION_OWNER_ROLES)).order_by(
            "first_name", "last_name", "username"
        )
    )


def staff_member(*, landlord_id: int, username: str) -> User | None:
    """A member of staff of the landlord by user name (the API names owners that way)."""
    return User.objects.filter(landlord_id=landlord_id, username=username).first()
