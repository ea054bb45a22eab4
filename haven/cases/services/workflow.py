"""The one write that changes a case's status: ``case_transition`` (ARCHITECTURE.md convention 3).

Closing checks the profile's closure section (issue 7): the reason is one of ``closure.reasons``;
each ``closure.conditions`` entry is worked out (a ``check``, by the function its app registered
through ``cases.extensions.closure_condition``) or ticked by the person closing (a ``confirm``); a
``blocking`` one not met refuses the closure, any other is recorded ``met: false`` on the Closure
and shown to the manager who signs it off (``closure.manager_signoff``). ``actions_closed`` (the
action plan) is registered here, as cases owns actions; interventions registers the agreement and
referral ones.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.permissions import can_work_case
from haven.accounts.selectors import landlord_profile
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.extensions import case_closed, close_refusals, closure_condition, condition_check
from haven.cases.models import OPEN_ACTION_STATUSES, Action, Case, CaseStatus, Closure, SignOff, StatusChange
from haven.cases.services.core import case_refresh
from haven.cases.workflow import MOVES, STATUSES, may_make, may_reach, move_for
from haven.common.errors import ApplicationError
from haven.policies.schema import PolicyProfile

REASON_MAX = 2000
OUTCOME_MAX = 5000

# What to do when a blocking condition is not met, in the words of the person closing the case.
NOT_MET = {
    "actions_closed": "Close or finish the open actions in the action plan first.",
    "agreements_ended": "End the agreements still in place (ABC or GNA), or set a review date to keep them under "
    "review, first.",
    "referrals_answered": "Record the partners' answers to the referrals still waiting, first.",
}


@closure_condition("actions_closed")
def actions_closed(case: Case) -> bool:
    """No action of the case's action plan is still open or in progress (closure condition)."""
    return not Action.objects.filter(case=case, status__in=OPEN_ACTION_STATUSES).exists()


def closure_conditions(case: Case, profile: PolicyProfile, confirmed: Collection[str] = ()) -> list[dict[str, Any]]:
    """The profile's closure conditions as they stand on this case: each ``{"code", "label",
    "kind", "blocking", "met"}``. A ``check`` is worked out by its registered function (``met`` is
    None when no app registered one: not checked); a ``confirm`` is met when its code is in
    ``confirmed``. One query for each ``check`` condition, whatever the number of rows."""
    rows = []
    for condition in profile.closure.conditions:
        met: bool | None
        if condition.kind == "check":
            check = condition_check(condition.code)
            met = bool(check(case)) if check is not None else None
        else:
            met = condition.code in confirmed
        rows.append({"code": condition.code, "label": condition.label, "kind": condition.kind,
                     "blocking": condition.blocking, "met": met})  # fmt: skip
    return rows


def _reason_problem(profile: PolicyProfile, closure_reason: str) -> str | None:
    codes = [r.code for r in profile.closure.reasons]
    if closure_reason in codes:
        return None
    if not closure_reason:
        return "Choose why the case is being closed."
    return f"'{closure_reason}' is not a closure reason of this landlord; choose one of: {', '.join(codes)}."


def _refusal(status_from: str, to: str) -> str:
    labels = dict(CaseStatus.choices)
    if to == status_from:
        return f"This case is already {labels[to].lower()}."
    if to == CaseStatus.OPEN:
        return "A case is open only when it is first opened; reopen a closed case instead."
    if to == CaseStatus.REOPENED:
        return "Only a closed case can be reopened."
    return f"A {labels[status_from].lower()} case cannot be made {labels[to].lower()}."


@transaction.atomic
def case_transition(
    *,
    actor: User,
    case: Case,
    to: str,
    reason: str,
    closure_reason: str = "",
    outcome: str = "",
    resolved: bool | None = None,
    confirmed: Collection[str] = (),
    via: str = "web",
) -> Case:
    """Move a case to another status, as the table in ``cases.workflow`` allows.

    Closing (open or reopened -> closed) needs a reason, a closure reason, the outcome and whether
    the ASB was resolved (pnp 8.2: resolved or unresolved at closure); it may be done by the case's
    officer, ASB specialists and team managers. Reopening (closed -> reopened) needs a reason and
    may be done by the same people. A closed case keeps its closure fields after reopening (they
    describe its last closure); the StatusChange rows and the audit trail keep every move.

    ``closure_reason`` is a code of the profile's ``closure.reasons``; ``confirmed`` the codes of
    the ``confirm`` closure conditions the person closing ticked. A blocking condition not met
    refuses the closure, nothing saved; the conditions as they stood are kept on the Closure, whose
    sign-off is ``awaiting`` where the profile's ``closure.manager_signoff`` asks for one.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not can_work_case(actor, case):
        raise ApplicationError("You cannot change this case.")
    if to not in STATUSES:
        raise ApplicationError(
            f"'{to}' is not a case status: {', '.join(STATUSES)}.", fields={"to": "Choose a status."}
        )
    reachable = any(m.status_to == to for m in MOVES.values())
    if reachable and not may_reach(to, role=actor.role, is_case_officer=case.officer_id == actor.pk):
        action = "close" if to == CaseStatus.CLOSED else "reopen"
        raise ApplicationError(
            f"Only the case's officer, an ASB specialist or a team manager can {action} this case.", code="forbidden"
        )
    move = move_for(case.status, to)
    if move is None:
        message = _refusal(case.status, to)
        raise ApplicationError(message, fields={"to": message}, code="not_allowed")
    if not may_make(move, role=actor.role, is_case_officer=case.officer_id == actor.pk):
        raise ApplicationError(f"You cannot {move.action} this case.", code="forbidden")
    problems: dict[str, str] = {}
    reason = reason.strip()
    if not reason:
        problems["reason"] = f"Say why the case is being {move.past}."
    elif len(reason) > REASON_MAX:
        problems["reason"] = f"Write the reason in no more than {REASON_MAX:,} characters."
    profile = landlord_profile(case.landlord)
    closing = move.status_to == CaseStatus.CLOSED
    if "closure_reason" in move.needs and (why := _reason_problem(profile, closure_reason)):
        problems["closure_reason"] = why
    confirms = {c.code for c in profile.closure.conditions if c.kind == "confirm"}
    if closing and (unknown := sorted(set(confirmed) - confirms)):
        problems["confirmed"] = (
            f"{', '.join(unknown)} is not a closure condition to confirm; the ones to confirm are: "
            f"{', '.join(sorted(confirms)) or 'none'}."
        )
    outcome = outcome.strip()
    if "outcome" in move.needs:
        if not outcome:
            problems["outcome"] = "Describe the outcome of the case."
        elif len(outcome) > OUTCOME_MAX:
            problems["outcome"] = f"Write the outcome in no more than {OUTCOME_MAX:,} characters."
    if "resolved" in move.needs and resolved is None:
        problems["resolved"] = "Say whether the anti-social behaviour was resolved."
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    conditions: list[dict[str, Any]] = []
    if closing:
        if refusals := close_refusals(case):
            raise ApplicationError(" ".join(refusals), code="not_allowed")
        conditions = closure_conditions(case, profile, confirmed)
        unticked = [c for c in conditions if c["blocking"] and c["kind"] == "confirm" and not c["met"]]
        if unticked:
            message = "Confirm before closing: " + "; ".join(c["label"] for c in unticked) + "."
            raise ApplicationError(message, fields={"confirmed": message})
        if unmet := [c for c in conditions if c["blocking"] and c["kind"] == "check" and c["met"] is False]:
            raise ApplicationError(" ".join(NOT_MET.get(c["code"], f"{c['label']}: not yet.") for c in unmet),
                                   code="not_allowed")  # fmt: skip

    now = timezone.now()
    status_from = case.status
    changes: dict[str, list[object]] = {"status": [status_from, move.status_to]}
    fields = ["status", "updated_at"]
    if move.status_to == CaseStatus.CLOSED:
        changes["closure_reason"] = [case.closure_reason or None, closure_reason]
        changes["resolved"] = [case.resolved, resolved]
        case.closed_at, case.closure_reason, case.outcome, case.resolved = now, closure_reason, outcome, resolved
        fields += ["closed_at", "closure_reason", "outcome", "resolved"]
    else:
        case.reopened_at = now
        fields.append("reopened_at")
    case.status = move.status_to
    case.save(update_fields=fields)
    StatusChange.objects.create(case=case, by=actor, status_from=status_from, status_to=move.status_to, reason=reason)
    closure = None
    if move.status_to == CaseStatus.CLOSED:
        signoff = SignOff.AWAITING if profile.closure.manager_signoff else SignOff.NOT_NEEDED
        closure = Closure.objects.create(
            case=case, closed_at=now, by=actor, closure_reason=closure_reason, outcome=outcome, resolved=bool(resolved),
            reason=reason, conditions=conditions, signoff=signoff, policy_version=case.policy_version,
        )  # fmt: skip
        changes["conditions_not_met"] = [None, [c["code"] for c in conditions if c["met"] is False]]
    else:
        Closure.objects.filter(case=case, reopened_at__isnull=True).update(reopened_at=now)
    case_refresh(case, activity_at=now)
    audit_record(actor=actor, verb=Verb.CASE_STATUS_CHANGED, target=case, via=via, changes=changes)
    if closure is not None:
        case_closed(case, closure, actor)
    return case
