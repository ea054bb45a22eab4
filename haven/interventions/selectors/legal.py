"""Reads of legal actions."""

from __future__ import annotations

from haven.cases.models import Case
from haven.interventions.models import LegalAction, LegalStage


def open_legal_action_refusal(case: Case) -> str | None:
    """Why the case cannot be closed while a legal action on it is open (issue 7: "closing with
    open legal action" is refused), or None."""
    count = LegalAction.objects.filter(case=case).exclude(stage=LegalStage.CONCLUDED).count()
    if not count:
        return None
    actions = "a legal action" if count == 1 else f"{count} legal actions"
    return f"The case has {actions} still open. Conclude each legal action, with its outcome, before closing the case."
