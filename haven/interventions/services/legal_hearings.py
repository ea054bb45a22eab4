"""The hearings of a legal action: recorded only once the claim is issued, not before the day it
was issued, at the action's court unless another is given. The first hearing of an action at
"issued" moves it to "hearing" (``interventions.workflow``: made by this service)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.services.core import case_refresh
from haven.common.errors import ApplicationError
from haven.common.stale import ensure_unchanged
from haven.interventions.models import Hearing, HearingKind, LegalAction, LegalStage, LegalStageChange
from haven.interventions.selectors.legal import day
from haven.interventions.services.common import check_length
from haven.interventions.services.legal import TEXT_MAX, _locked_action, _refuse

COURT_MAX = 200  # Hearing.court


def _problems(action: LegalAction, at: datetime | None, court: str, kind: str, outcome: str) -> dict[str, str]:
    problems: dict[str, str] = {}
    if action.claim_issued_on is None:
        problems["at"] = "Record the claim being issued before its hearings."
    elif at is None:
        problems["at"] = "Enter the date and time of the hearing."
    elif timezone.localtime(at).date() < action.claim_issued_on:
        problems["at"] = f"The hearing cannot be before the claim was issued on {day(action.claim_issued_on)}."
    if not court:
        problems["court"] = "Give the court."
    elif len(court) > COURT_MAX:
        problems["court"] = f"Write the court in no more than {COURT_MAX} characters."
    if kind not in HearingKind.values:
        problems["kind"] = f"Choose the kind of hearing: {', '.join(str(k) for k in HearingKind.labels)}."
    check_length(problems, "outcome", outcome, "the outcome", TEXT_MAX)
    if action.stage == LegalStage.CONCLUDED:
        problems.setdefault("at", "This legal action is concluded.")
    return problems


@transaction.atomic
def hearing_add(
    *,
    actor: User,
    legal_action: LegalAction,
    at: datetime | None,
    kind: str,
    court: str = "",
    outcome: str = "",
    via: str = "web",
) -> Hearing:
    """Record a hearing: its date and time (it may be ahead), court (the action's unless given),
    kind and outcome. Only once the claim is issued, and not before the day it was issued."""
    case, action = _locked_action(actor, legal_action)
    court = (court or "").strip() or action.court
    outcome = (outcome or "").strip()
    _refuse(_problems(action, at, court, kind, outcome))
    assert at is not None
    hearing = Hearing.objects.create(
        legal_action=action, at=at, court=court, kind=kind, outcome=outcome, recorded_by=actor
    )
    changes = {
        "legal_action": [action.pk, action.pk],
        "hearing": [None, hearing.pk],
        "kind": [None, kind],
        "at": [None, at.isoformat()],
    }
    if action.stage == LegalStage.ISSUED:
        # The hearing is listed today, or was held on its day if that has passed.
        on = min(timezone.localtime(at).date(), timezone.localdate())
        LegalStageChange.objects.create(
            legal_action=action, stage_from=LegalStage.ISSUED, stage_to=LegalStage.HEARING, on=on, by=actor
        )
        action.stage = LegalStage.HEARING
        changes["stage"] = [LegalStage.ISSUED, LegalStage.HEARING]
    action.save(update_fields=["stage", "updated_at"])
    case_refresh(case, activity_at=timezone.now())
    audit_record(actor=actor, verb=Verb.HEARING_RECORDED, target=case, via=via, changes=changes)
    return hearing


@transaction.atomic
def hearing_update(
    *,
    actor: User,
    hearing: Hearing,
    at: datetime | None = None,
    kind: str | None = None,
    court: str | None = None,
    outcome: str | None = None,
    version: str | None,
    via: str = "web",
) -> Hearing:
    """Change a hearing (moved, or its outcome known); a field left None is kept. The same checks
    as recording it; refused if someone else saved it since ``version``."""
    case, action = _locked_action(actor, hearing.legal_action)
    hearing = Hearing.objects.select_for_update().get(pk=hearing.pk, legal_action=action)
    ensure_unchanged(current=hearing.updated_at, seen=version, what="hearing")
    new_at = at or hearing.at
    new_kind = kind or hearing.kind
    new_court = (court.strip() if court is not None else hearing.court) or action.court
    new_outcome = outcome.strip() if outcome is not None else hearing.outcome
    _refuse(_problems(action, new_at, new_court, new_kind, new_outcome))
    after = {"at": new_at, "kind": new_kind, "court": new_court, "outcome": new_outcome}
    changed: dict[str, Any] = {k: v for k, v in after.items() if getattr(hearing, k) != v}
    if not changed:
        raise ApplicationError("Nothing would change: give a new date, court, kind or outcome.")
    changes: dict[str, object] = {"legal_action": [action.pk, action.pk], "hearing": [hearing.pk, hearing.pk]}
    for name, value in changed.items():
        before: Any = getattr(hearing, name)
        # The court and outcome are free text: the audit says only that they changed.
        if name == "at":
            changes[name] = [before.isoformat(), value.isoformat()]
        elif name == "kind":
            changes[name] = [before, value]
        else:
            changes[name] = ["changed"]
        setattr(hearing, name, value)
    hearing.save(update_fields=[*changed, "updated_at"])
    action.save(update_fields=["updated_at"])
    case_refresh(case, activity_at=timezone.now())
    audit_record(actor=actor, verb=Verb.HEARING_RECORDED, target=case, via=via, changes=changes)
    return hearing
