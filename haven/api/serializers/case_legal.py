"""Legal action in the API (whg 2.11; emh 5.5; pnp 5.6): the bodies of starting one, the
proportionality assessment (emh 4.9; pnp 5.6.3), the approval, a move and a hearing, and how an
action is shown. The request serializers check shapes; the rules are in
``haven.interventions.services.legal`` and ``legal_hearings``."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from haven.api.serializers.cases import PartyField
from haven.api.serializers.common import AwareDateTimeField, StrictSerializer, choice, text, when
from haven.common.stale import version_of
from haven.interventions.models import Hearing, HearingKind, LegalAction, LegalStage
from haven.interventions.workflow import Move, stage_label

DATE_ERRORS: dict[str, Any] = {"invalid": "Give the date as YYYY-MM-DD, like 2026-03-27."}
VERSION_HELP = "The `version` as last read; if it changed since, the answer is 409 and nothing is saved."


def _date(help_text: str) -> serializers.DateField:
    return serializers.DateField(help_text=help_text, required=False, allow_null=True, error_messages=DATE_ERRORS)


# ---- bodies ---------------------------------------------------------------------------------------


class LegalActionCreateSerializer(StrictSerializer):
    what_it_is = "legal action"

    code = text(40, help_text="A legal tool code of the landlord's policy (`interventions.legal`). Required.")
    party = PartyField(
        required=False, allow_null=True, help_text="The party id of the reported person or a household member."
    )
    reason = text(5000, help_text="Why legal action is being considered. Required.")
    started_on = _date("When it was started. Required; not in the future.")
    condition = text(
        40, help_text="Ground 7A only: the condition's code (pnp 5.6.2). Required for a tool with conditions."
    )
    condition_on = _date("Ground 7A only: the date of the conviction, finding or order; not in the future.")
    condition_detail = text(5000, help_text="Ground 7A only: the court and its reference.")


class ProportionalitySerializer(StrictSerializer):
    what_it_is = "proportionality assessment"

    legitimate_aim = text(5000, help_text="The legitimate aim. Required.")
    less_intrusive_tried = text(5000, help_text="The less intrusive options tried; this or the next is required.")
    less_intrusive_why_not = text(5000, help_text="Why no less intrusive option was tried.")
    support_needs = text(5000, help_text="The reported person's known support needs. Required.")
    protected_characteristics = text(5000, help_text="Known or believed; 'None known' if none. Required.")
    equality_consideration = text(5000, help_text="The Equality Act 2010 consideration. Required.")
    household_effect = text(5000, help_text="The effect on others in the household. Required.")
    conclusion = text(5000, help_text="The conclusion. Required.")
    proportionate = serializers.BooleanField(required=False, allow_null=True, help_text="Required.")
    assessed_on = _date("When it was assessed. Required; not in the future nor before the action started.")


class ApprovalSerializer(StrictSerializer):
    what_it_is = "approval"

    on = _date("When it was approved. Required; not in the future.")
    note = text(5000, help_text="The decision. Required.")
    version = text(64, help_text=VERSION_HELP)


class MoveSerializer(StrictSerializer):
    what_it_is = "move"

    to = choice(LegalStage.choices, required=False, help_text="The next stage: one of the action's `next_stages`.")
    on = _date("When the step happened (served, issued, made, concluded). Required; not in the future.")
    notice_expires_on = _date("notice_served: when the notice expires.")
    court = text(200, help_text="issued: the court.")
    claim_number = text(50, help_text="issued: the claim number.")
    order_terms = text(5000, help_text="order_made: the terms of the order.")
    order_expires_on = _date("order_made: when the order expires.")
    power_of_arrest = serializers.BooleanField(
        required=False, allow_null=True, help_text="order_made, injunctions only."
    )
    note = text(5000, help_text="breach: what happened.")
    outcome = text(5000, help_text="concluded: the outcome.")
    version = text(64, help_text=VERSION_HELP)


class HearingCreateSerializer(StrictSerializer):
    what_it_is = "hearing"

    at = AwareDateTimeField(
        required=False, allow_null=True, help_text="When. Required; not before the claim was issued."
    )
    court = text(200, help_text="The court; the action's court if left out.")
    kind = choice(HearingKind.choices, required=False, help_text="The kind of hearing. Required.")
    outcome = text(5000, help_text="What the court decided.")


class HearingUpdateSerializer(HearingCreateSerializer):
    what_it_is = "hearing update"

    version = text(64, help_text=VERSION_HELP)


# ---- documents ------------------------------------------------------------------------------------


class HearingSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    at = serializers.CharField()
    court = serializers.CharField()
    kind = serializers.ChoiceField(choices=HearingKind.choices)
    outcome = serializers.CharField(allow_blank=True)
    version = serializers.CharField()


class AssessmentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    legitimate_aim = serializers.CharField()
    less_intrusive_tried = serializers.CharField(allow_blank=True)
    less_intrusive_why_not = serializers.CharField(allow_blank=True)
    support_needs = serializers.CharField()
    protected_characteristics = serializers.CharField()
    equality_consideration = serializers.CharField()
    household_effect = serializers.CharField()
    conclusion = serializers.CharField()
    proportionate = serializers.BooleanField()
    assessed_on = serializers.DateField()
    assessed_by = serializers.CharField(help_text="The user name.")


class StageChangeSerializer(serializers.Serializer[Any]):
    stage_from = serializers.CharField(allow_blank=True)
    stage_to = serializers.CharField()
    on = serializers.DateField()
    by = serializers.CharField(help_text="The user name.")
    note = serializers.CharField(allow_blank=True)


class NextStageSerializer(serializers.Serializer[Any]):
    stage = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    needs = serializers.ListField(child=serializers.CharField(), help_text="The facts this move needs besides `on`.")


class LegalActionSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    route = serializers.CharField()
    party = serializers.IntegerField()
    stage = serializers.ChoiceField(choices=LegalStage.choices)
    next_step = serializers.CharField(allow_blank=True, help_text="What the stage says comes next.")
    started_on = serializers.DateField()
    reason = serializers.CharField()
    condition = serializers.CharField(allow_blank=True)
    condition_on = serializers.DateField(allow_null=True)
    condition_detail = serializers.CharField(allow_blank=True)
    approved_by = serializers.CharField(allow_null=True)
    approved_on = serializers.DateField(allow_null=True)
    approval_note = serializers.CharField(allow_blank=True)
    notice_served_on = serializers.DateField(allow_null=True)
    notice_expires_on = serializers.DateField(allow_null=True)
    claim_issued_on = serializers.DateField(allow_null=True)
    court = serializers.CharField(allow_blank=True)
    claim_number = serializers.CharField(allow_blank=True)
    order_made_on = serializers.DateField(allow_null=True)
    order_terms = serializers.CharField(allow_blank=True)
    order_expires_on = serializers.DateField(allow_null=True)
    power_of_arrest = serializers.BooleanField(allow_null=True)
    warrant_on = serializers.DateField(allow_null=True)
    concluded_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField(allow_blank=True)
    version = serializers.CharField()


class LegalActionDetailSerializer(LegalActionSerializer):
    next_stages = NextStageSerializer(many=True)
    assessments = AssessmentSerializer(many=True, help_text="Latest first; the latest counts.")
    hearings = HearingSerializer(many=True)
    stage_history = StageChangeSerializer(many=True)


DATES = (
    "started_on",
    "condition_on",
    "approved_on",
    "notice_served_on",
    "notice_expires_on",
    "claim_issued_on",
    "order_made_on",
    "order_expires_on",
    "warrant_on",
    "concluded_on",
)
TEXTS = (
    "code",
    "label",
    "route",
    "stage",
    "reason",
    "condition",
    "condition_detail",
    "approval_note",
    "court",
    "claim_number",
    "order_terms",
    "outcome",
)


def hearing_document(hearing: Hearing) -> dict[str, Any]:
    return {
        "id": hearing.pk,
        "at": when(hearing.at),
        "court": hearing.court,
        "kind": hearing.kind,
        "outcome": hearing.outcome,
        "version": version_of(hearing.updated_at),
    }


def legal_action_document(action: LegalAction, hint: str) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": action.pk,
        "party": action.party_id,
        "next_step": hint,
        "power_of_arrest": action.power_of_arrest,
        "version": version_of(action.updated_at),
        "approved_by": action.approved_by.get_username() if action.approved_by else None,
    }
    found.update({name: getattr(action, name) for name in TEXTS})
    found.update({name: (v.isoformat() if (v := getattr(action, name)) else None) for name in DATES})
    return found


def legal_action_detail(action: LegalAction, hint: str, moves: list[Move]) -> dict[str, Any]:
    """One action with what can come next, its assessments, hearings and stage history (prefetched)."""
    return {
        **legal_action_document(action, hint),
        "next_stages": [{"stage": m.stage_to, "label": stage_label(m.stage_to), "needs": list(m.needs)} for m in moves],
        "assessments": [
            {
                "id": a.pk,
                "legitimate_aim": a.legitimate_aim,
                "less_intrusive_tried": a.less_intrusive_tried,
                "less_intrusive_why_not": a.less_intrusive_why_not,
                "support_needs": a.support_needs,
                "protected_characteristics": a.protected_characteristics,
                "equality_consideration": a.equality_consideration,
                "household_effect": a.household_effect,
                "conclusion": a.conclusion,
                "proportionate": a.proportionate,
                "assessed_on": a.assessed_on.isoformat(),
                "assessed_by": a.assessed_by.get_username(),
            }
            for a in action.assessments.all()
        ],
        "hearings": [hearing_document(h) for h in action.hearings.all()],
        "stage_history": [
            {
                "stage_from": c.stage_from,
                "stage_to": c.stage_to,
                "on": c.on.isoformat(),
                "by": c.by.get_username(),
                "note": c.note,
            }
            for c in action.stage_changes.all()
        ],
    }
