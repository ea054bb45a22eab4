"""What came of a support need or a safeguarding concern: the agency's response and the outcome,
recorded after the need or concern itself (wwh 4.0 "Monitor Referrals: ensure that any referrals
... are being progressed"; emh 4.8 support and referral; emh 4.11-4.14 safeguarding). The earlier
record is kept; the outcome is added to it, guarded against stale edits (common.stale)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.permissions import can_view_special_category, can_work_case
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import Case, SafeguardingConcern, SupportNeed
from haven.cases.services.core import case_refresh
from haven.common.errors import ApplicationError
from haven.common.stale import ensure_unchanged

OUTCOME_MAX = 5000


def _check(actor: User, case: Case, outcome: str) -> dict[str, str]:
    if not can_work_case(actor, case) or not can_view_special_category(actor):
        raise ApplicationError("You cannot record outcomes on this case.")
    problems: dict[str, str] = {}
    if not outcome.strip():
        problems["outcome"] = "Say what came of it: the agency's response or what changed."
    elif len(outcome) > OUTCOME_MAX:
        problems["outcome"] = f"Keep the outcome to {OUTCOME_MAX:,} characters or fewer."
    return problems


@transaction.atomic
def support_need_outcome_record(
    *,
    actor: User,
    need: SupportNeed,
    outcome: str,
    referred_to: str | None = None,
    referred_on: date | None = None,
    version: str | None,
    via: str = "web",
) -> SupportNeed:
    """Record what came of a support need (emh 4.8), and the referral if it was made since: a
    referral needs both to whom and when, not in the future. Allowed on a closed case too: an
    agency's answer often comes after closure."""
    case = Case.objects.select_for_update().get(pk=need.case_id)
    need = SupportNeed.objects.select_for_update().get(pk=need.pk)
    problems = _check(actor, case, outcome)
    ensure_unchanged(current=need.updated_at, seen=version, what="support need")
    to = (referred_to if referred_to is not None else need.referred_to).strip()
    on = referred_on if referred_on is not None else need.referred_on
    if to and on is None:
        problems["referred_on"] = "Enter the date of the referral."
    elif on is not None and not to:
        problems["referred_to"] = "Say which agency or service the referral was made to."
    elif on is not None and on > timezone.localdate():
        problems["referred_on"] = "The referral date cannot be in the future."
    if len(to) > 200:
        problems["referred_to"] = "Keep the agency or service to 200 characters or fewer."
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    had = bool(need.outcome)
    need.outcome, need.referred_to, need.referred_on = outcome.strip(), to, on
    need.save(update_fields=["outcome", "referred_to", "referred_on", "updated_at"])
    case_refresh(case, activity_at=timezone.now())
    audit_record(
        actor=actor, verb=Verb.OUTCOME_RECORDED, target=case, via=via,
        changes={"support_need": [None, need.pk], "outcome": ["recorded" if had else None, "recorded"]},
    )  # fmt: skip
    return need


@transaction.atomic
def safeguarding_outcome_record(
    *, actor: User, concern: SafeguardingConcern, outcome: str, version: str | None, via: str = "web"
) -> SafeguardingConcern:
    """Record what came of a safeguarding concern: the agency's response to the referral, or what
    was done (emh 4.11-4.14: every concern acted on and properly recorded). Allowed on a closed case."""
    case = Case.objects.select_for_update().get(pk=concern.case_id)
    concern = SafeguardingConcern.objects.select_for_update().get(pk=concern.pk)
    problems = _check(actor, case, outcome)
    ensure_unchanged(current=concern.updated_at, seen=version, what="safeguarding concern")
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    had = bool(concern.outcome)
    concern.outcome = outcome.strip()
    concern.save(update_fields=["outcome", "updated_at"])
    case_refresh(case, activity_at=timezone.now())
    audit_record(
        actor=actor, verb=Verb.OUTCOME_RECORDED, target=case, via=via,
        changes={"safeguarding_concern": [None, concern.pk], "outcome": ["recorded" if had else None, "recorded"]},
    )  # fmt: skip
    return concern
