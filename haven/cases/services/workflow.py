"""The one write that changes a case's status: ``case_transition`` (ARCHITECTURE.md convention 3)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.permissions import can_work_case
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.extensions import case_closed, close_refusals
from haven.cases.models import Case, CaseStatus, Closure, StatusChange
from haven.cases.services.core import case_refresh
from haven.cases.workflow import CLOSURE_REASONS, MOVES, STATUSES, may_make, may_reach, move_for
from haven.common.errors import ApplicationError

REASON_MAX = 2000
OUTCOME_MAX = 5000


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
    via: str = "web",
) -> Case:
    """Move a case to another status, as the table in ``cases.workflow`` allows.

    Closing (open or reopened -> closed) needs a reason, a closure reason, the outcome and whether
    the ASB was resolved (pnp 8.2: resolved or unresolved at closure); it may be done by the case's
    officer, ASB specialists and team managers. Reopening (closed -> reopened) needs a reason and
    may be done by the same people. A closed case keeps its closure fields after reopening (they
    describe its last closure); the StatusChange rows and the audit trail keep every move.
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
    if "closure_reason" in move.needs and closure_reason not in CLOSURE_REASONS:
        problems["closure_reason"] = "Choose why the case is being closed."
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
    if move.status_to == CaseStatus.CLOSED and (refusals := close_refusals(case)):
        raise ApplicationError(" ".join(refusals), code="not_allowed")

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
        closure = Closure.objects.create(
            case=case, closed_at=now, by=actor, closure_reason=closure_reason, outcome=outcome, resolved=bool(resolved),
            reason=reason, policy_version=case.policy_version,
        )  # fmt: skip
    else:
        Closure.objects.filter(case=case, reopened_at__isnull=True).update(reopened_at=now)
    case_refresh(case, activity_at=now)
    audit_record(actor=actor, verb=Verb.CASE_STATUS_CHANGED, target=case, via=via, changes=changes)
    if closure is not None:
        case_closed(case, closure, actor)
    return case
