"""The action plan in the API: the bodies of an action, an action's update and the agreement, and
how the plan is shown (livv 4 "Case Management"; pnp 5.1; wwh 4.0).

The request serializers check shapes and codes; the rules are in ``haven.cases.services.plans``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from haven.api.serializers.cases import PartyField
from haven.api.serializers.common import StrictSerializer, choice, text, when
from haven.cases.models import ActionOwner, ActionStatus, ContactChannel
from haven.cases.selectors.plans import ActionRow, CasePlan
from haven.common.stale import version_of

# A pattern rather than an enum: drf-spectacular names every enum by its field name, and "status" is
# already the case's and the report's (config.settings ENUM_NAME_OVERRIDES); this keeps the schema
# free of collision warnings without touching the shared settings.
STATUS_SCHEMA = {
    "type": "string",
    "pattern": f"^({'|'.join(ActionStatus.values)})$",
    "description": "; ".join(f"`{value}`: {label}" for value, label in ActionStatus.choices),
}


@extend_schema_field(STATUS_SCHEMA)
class ActionStatusField(serializers.ChoiceField):
    pass


DATE_ERRORS: dict[str, Any] = {"invalid": "Give the date as YYYY-MM-DD, like 2026-03-27."}


def _date(help_text: str, **options: Any) -> serializers.DateField:
    options.setdefault("required", False)
    options.setdefault("allow_null", True)
    return serializers.DateField(help_text=help_text, error_messages=DATE_ERRORS, **options)


# ---- bodies ---------------------------------------------------------------------------------------


class ActionCreateSerializer(StrictSerializer):
    """One action of the plan: what, who and by when (wwh 4.0)."""

    what_it_is = "action"

    description = text(2000, help_text="What will be done. Required; at most 2,000 characters.")
    owner = choice(ActionOwner.choices, required=False, help_text="Who will do it. Required.")
    owner_user = text(150, help_text="For owner landlord: the user name of the member of staff.")
    owner_party = PartyField(
        required=False, allow_null=True,
        help_text='For owner reporter or party: a party id from the case, or "reporter".',
    )  # fmt: skip
    owner_partner = text(200, help_text="For owner partner: a partner code of the landlord's policy, or a name.")
    due_on = _date("When it is due. Required; not before the case opened.")
    source = text(40, help_text="Where it came from, such as a case review.")  # type: ignore[assignment]


class ActionUpdateSerializer(StrictSerializer):
    """A change to one action; leave out what does not change."""

    what_it_is = "action update"

    status = ActionStatusField(
        choices=ActionStatus.choices, required=False, help_text="Done and not done need an outcome.",
        error_messages={"invalid_choice": f'"{{input}}" is not one of: {", ".join(ActionStatus.values)}.'},
    )  # fmt: skip
    outcome = text(5000, help_text="What came of it.")
    due_on = _date("A new due date.")
    completed_on = _date("When it was done; today if left out when the status becomes done. Not in the future.")
    version = text(
        64,
        help_text="The action's `version` as last read; if it changed since, the answer is 409 and nothing is saved.",
    )


class ActionPlanAgreeSerializer(StrictSerializer):
    """The agreement of the plan with a party of the case, normally the reporter (livv 4)."""

    what_it_is = "action plan agreement"

    agreed_with = PartyField(
        required=False, allow_null=True, help_text='A party id from the case, or "reporter". Required.'
    )
    agreed_on = _date("When it was agreed. Required; not in the future.")
    shared_how = choice(
        ContactChannel.choices, required=False, help_text="How the plan was shared with them. Required."
    )
    shared_on = _date("When it was shared; not before it was agreed.")
    notes = text(2000, help_text="Anything to note.")


# ---- documents ------------------------------------------------------------------------------------


class ActionSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    description = serializers.CharField()
    owner = serializers.ChoiceField(choices=ActionOwner.choices)
    owner_name = serializers.CharField(help_text="Who will do it, in words.")
    owner_user = serializers.CharField(allow_null=True, help_text="The member of staff's user name.")
    owner_party = serializers.IntegerField(allow_null=True, help_text="The party id.")
    owner_partner = serializers.CharField(allow_blank=True, help_text="A partner code of the policy, or a name.")
    due_on = serializers.DateField()
    status = ActionStatusField(choices=ActionStatus.choices)
    outcome = serializers.CharField(allow_blank=True)
    completed_on = serializers.DateField(allow_null=True)
    source = serializers.CharField(allow_blank=True)  # type: ignore[assignment]
    overdue = serializers.BooleanField(help_text="Not finished and past its due date.")
    version = serializers.CharField(help_text="Send it back with an update to guard against overwriting a change.")


class AgreementSerializer(serializers.Serializer[Any]):
    agreed_with = serializers.IntegerField(allow_null=True, help_text="The party id.")
    agreed_on = serializers.DateField()
    agreed_by = serializers.CharField(help_text="The user name of whoever recorded it.")
    shared_how = serializers.ChoiceField(choices=ContactChannel.choices)
    shared_on = serializers.DateField(allow_null=True)
    notes = serializers.CharField(allow_blank=True)


class ActionPlanSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField()
    action_plan_due_at = serializers.CharField(allow_null=True, help_text="When the agreed plan is due by the policy.")
    breach = serializers.BooleanField(help_text="Open, no agreed plan, and past action_plan_due_at.")
    agreement = AgreementSerializer(allow_null=True)
    actions = ActionSerializer(many=True)


def action_document(row: ActionRow) -> dict[str, Any]:
    action = row.action
    return {
        "id": action.pk,
        "description": action.description,
        "owner": action.owner,
        "owner_name": row.owner_name,
        "owner_user": action.owner_user.get_username() if action.owner_user is not None else None,
        "owner_party": action.owner_party_id,
        "owner_partner": action.owner_partner,
        "due_on": action.due_on.isoformat(),
        "status": action.status,
        "outcome": action.outcome,
        "completed_on": action.completed_on.isoformat() if action.completed_on else None,
        "source": action.source,
        "overdue": row.overdue,
        "version": version_of(action.updated_at),
    }


def plan_document(reference: str, found: CasePlan) -> dict[str, Any]:
    plan = found.plan
    agreement = (
        None
        if plan is None
        else {
            "agreed_with": plan.agreed_with_id,
            "agreed_on": plan.agreed_on.isoformat(),
            "agreed_by": plan.agreed_by.get_username(),
            "shared_how": plan.shared_how,
            "shared_on": plan.shared_on.isoformat() if plan.shared_on else None,
            "notes": plan.notes,
        }
    )
    return {
        "reference": reference,
        "action_plan_due_at": when(found.due_at),
        "breach": found.breach,
        "agreement": agreement,
        "actions": [action_document(row) for row in found.actions],
    }
