"""Cases in the API: the bodies of a re-categorisation and of a contact, and how a case is shown.

As in ``serializers.reports``: the request serializers check shapes and the codes of the caller's
policy profile; the rules are in ``haven.cases.services``. :func:`case_document` and
:func:`case_summary` build the documents the response serializers describe.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from haven.api.serializers.common import (
    AwareDateTimeField,
    PropertyBriefSerializer,
    StrictSerializer,
    categories_of,
    choice,
    in_profile,
    property_brief,
    text,
    tiers_of,
    when,
)
from haven.cases.models import Case, CaseStatus, Contact, ContactChannel, Party, PartyRole
from haven.cases.selectors import plan_of, response_overdue, update_overdue
from haven.cases.selectors.activity import case_is_active
from haven.policies.schema import PolicyProfile

# ---- bodies ---------------------------------------------------------------------------------------


class RecategoriseSerializer(StrictSerializer):
    """A new tier and/or category, with the reason (WWH 3.0; emh 4.3)."""

    what_it_is = "re-categorisation"

    tier = text(40, help_text="A tier id of the landlord's policy.")
    category = text(40, help_text="A category code of the landlord's policy.")
    reason = text(help_text="Why the case is being re-categorised. Required.")

    def validate_tier(self, value: str | None) -> str | None:
        return in_profile(value, tiers_of(self.context["profile"]), "a tier") if value else None

    def validate_category(self, value: str | None) -> str | None:
        return in_profile(value, categories_of(self.context["profile"]), "a category") if value else None


REPORTER = "reporter"


@extend_schema_field(
    {
        "oneOf": [{"type": "integer"}, {"type": "string", "enum": [REPORTER]}],
        "description": "A party id from the case's parties, or \"reporter\" for the case's reporter.",
    }
)
class PartyField(serializers.Field):
    default_error_messages = {"invalid": 'Give a party id from the case\'s parties, or "reporter".'}

    def to_internal_value(self, data: Any) -> int | str:
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, int):
            return data
        if isinstance(data, str):
            value = data.strip()
            if value.lower() == REPORTER:
                return REPORTER
            if value.isdigit() and len(value) < 19:
                return int(value)
        self.fail("invalid")
        raise AssertionError  # fail() raises

    def to_representation(self, value: Any) -> Any:
        return value


class ContactCreateSerializer(StrictSerializer):
    """A contact with a party (API.md); the first with the reporter is the first response."""

    what_it_is = "contact"

    party = PartyField(help_text='A party id from the case\'s parties, or "reporter".')
    channel = choice(ContactChannel.choices, help_text="How the contact was made.")
    at = AwareDateTimeField(required=False, allow_null=True, help_text="When the contact was made. Default now.")
    summary = text(help_text="What was said or done. Required.")


class ContactPlanCreateSerializer(StrictSerializer):
    """How and how often the reporter wants updates (whg 2.5)."""

    what_it_is = "contact plan"

    party = PartyField(help_text='A party id from the case\'s parties, or "reporter".')
    channel = choice(ContactChannel.choices, help_text="How they want to be updated.")
    every_days = serializers.IntegerField(help_text="Calendar days between updates, 1 to 90.")
    agreed_at = AwareDateTimeField(required=False, allow_null=True, help_text="When it was agreed. Default now.")
    notes = text(help_text="Anything to note, such as times to avoid.")


class ReassignCreateSerializer(StrictSerializer):
    """A new named officer for the case, with the reason."""

    what_it_is = "reassignment"

    officer = text(150, help_text="The user name of an officer, specialist or manager of the landlord.")
    reason = text(help_text="Why the case changes hands. Required.")


class ReassignmentSerializer(serializers.Serializer[Any]):
    at = serializers.CharField()
    by = serializers.CharField()
    officer_from = serializers.CharField(allow_null=True)
    officer_to = serializers.CharField()
    reason = serializers.CharField()


class ContactPlanSerializer(serializers.Serializer[Any]):
    party = serializers.IntegerField()
    channel = serializers.CharField()
    every_days = serializers.IntegerField()
    agreed_at = serializers.CharField()
    notes = serializers.CharField(allow_blank=True)
    next_contact_due_at = serializers.CharField(allow_null=True)
    overdue = serializers.BooleanField(help_text="The next update was due and has not been made.")


def contact_plan_document(case: Case, now: Any) -> dict[str, Any] | None:
    plan = plan_of(case)
    if plan is None:
        return None
    due = case.next_contact_due_at
    return {
        "party": plan.party_id,
        "channel": plan.channel,
        "every_days": plan.every_days,
        "agreed_at": when(plan.agreed_at),
        "notes": plan.notes,
        "next_contact_due_at": when(due),
        "overdue": update_overdue(case, now),
    }


# ---- how a case is shown --------------------------------------------------------------------------


class OfficerSerializer(serializers.Serializer[Any]):
    username = serializers.CharField()
    name = serializers.CharField()


class PolicyRefSerializer(serializers.Serializer[Any]):
    id = serializers.CharField()
    version = serializers.CharField()


class CaseLocationSerializer(serializers.Serializer[Any]):
    address = serializers.CharField(allow_blank=True, help_text="Where, when it is not one of the landlord's homes.")
    postcode = serializers.CharField(allow_blank=True)


class CaseSummarySerializer(serializers.Serializer[Any]):
    reference = serializers.CharField(help_text="ASB-YYYY-NNNNNN.")
    status = choice(CaseStatus.choices)
    active = serializers.BooleanField(
        help_text="Open or reopened, with work recorded within the policy's casework.inactive_after (WWH 5.0)."
    )
    tier = serializers.CharField()
    tier_label = serializers.CharField()
    category = serializers.CharField()
    category_label = serializers.CharField()
    flags = serializers.ListField(child=serializers.CharField())
    restricted = serializers.BooleanField(help_text="Seen only by its officer, specialists and managers.")
    officer = OfficerSerializer(allow_null=True)
    team = serializers.CharField(allow_null=True)
    opened_at = serializers.DateTimeField(help_text="When its first report was received.")
    response_due_at = serializers.DateTimeField()
    first_response_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField(help_text="Open, not yet responded to, and past response_due_at.")
    closed_at = serializers.DateTimeField(allow_null=True)
    last_reviewed_at = serializers.DateTimeField(allow_null=True, help_text="When it was last reviewed (WWH 5.0).")
    review_due_at = serializers.DateTimeField(
        allow_null=True, help_text="Its next regular review: the tier's review_every from the latest of opened, "
        "last reviewed and reopened; null when closed."
    )  # fmt: skip
    policy = PolicyRefSerializer()
    property = PropertyBriefSerializer(allow_null=True)
    location = CaseLocationSerializer()


class PartySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(help_text="Use it as the party of a contact.")
    role = choice(PartyRole.choices, help_text="Neutral until a finding (whg 4.1).")
    name = serializers.CharField(help_text='"Anonymous reporter" for an anonymous reporter.')
    anonymous = serializers.BooleanField()
    person = serializers.CharField(allow_null=True, help_text="The register person's reference, if linked.")
    finding = serializers.CharField(
        help_text='"", "victim" or "perpetrator": a finding on the balance of probabilities.'
    )
    removed_at = serializers.DateTimeField(allow_null=True, help_text="When taken off the case (kept for the record).")


class RecategorisationSerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    tier_from = serializers.CharField()
    tier_to = serializers.CharField()
    category_from = serializers.CharField()
    category_to = serializers.CharField()
    due_from = serializers.DateTimeField()
    due_to = serializers.DateTimeField()
    reason = serializers.CharField()
    policy_version = serializers.CharField()


class ContactSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    party = serializers.IntegerField(allow_null=True, help_text="The party's id.")
    channel = choice(ContactChannel.choices)
    at = serializers.DateTimeField()
    summary = serializers.CharField()


class CaseSerializer(CaseSummarySerializer):
    routing_note = serializers.CharField(allow_blank=True, help_text="Why this team and officer.")
    procedure = serializers.CharField(allow_blank=True, help_text="A specialist procedure to follow.")
    reports = serializers.ListField(child=serializers.CharField(), help_text="References of the case's reports.")
    parties = PartySerializer(many=True)
    recategorisations = RecategorisationSerializer(many=True)
    contacts = ContactSerializer(many=True)
    contact_plan = ContactPlanSerializer(allow_null=True, help_text="The agreed contact plan (whg 2.5), or null.")
    reassignments = ReassignmentSerializer(many=True)


class CaseResponseSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField()
    first_response_at = serializers.DateTimeField(allow_null=True)
    response_due_at = serializers.DateTimeField()


class ContactCreatedSerializer(ContactSerializer):
    case = CaseResponseSerializer(help_text="The case's first response, set by the first contact with the reporter.")


def _label(lookup: Any, code: str) -> str:
    try:
        return str(lookup(code).label)
    except KeyError:  # a code of an earlier version of the profile
        return code


def case_summary(case: Case, profile: PolicyProfile, *, now: Any) -> dict[str, Any]:
    """A case as lists show it; ``officer``, ``team`` and ``property`` must be selected."""
    officer = case.officer
    return {
        "reference": case.reference,
        "status": case.status,
        "active": case_is_active(case, profile, now),
        "tier": case.tier,
        "tier_label": _label(profile.tier, case.tier),
        "category": case.category,
        "category_label": _label(profile.category, case.category),
        "flags": list(case.flags or []),
        "restricted": case.restricted,
        "officer": (
            {"username": officer.username, "name": officer.get_full_name() or officer.username}
            if officer is not None
            else None
        ),
        "team": case.team.name if case.team is not None else None,
        "opened_at": when(case.opened_at),
        "response_due_at": when(case.response_due_at),
        "first_response_at": when(case.first_response_at),
        "overdue": response_overdue(case, now),
        "closed_at": when(case.closed_at),
        "last_reviewed_at": when(case.last_reviewed_at),
        "review_due_at": when(case.review_due_at),
        "policy": {"id": case.policy_id, "version": case.policy_version},
        "property": property_brief(case.property),
        "location": {"address": case.location, "postcode": case.postcode},
    }


def party_document(party: Party) -> dict[str, Any]:
    return {
        "id": party.pk,
        "role": party.role,
        "name": party.display_name,
        "anonymous": party.anonymous,
        "person": party.person.reference if party.person is not None else None,
        "finding": party.finding,
        "removed_at": when(party.removed_at),
    }


def contact_document(contact: Contact) -> dict[str, Any]:
    return {
        "id": contact.pk,
        "party": contact.party_id,
        "channel": contact.channel,
        "at": when(contact.at),
        "summary": contact.summary,
    }


def case_document(case: Case, profile: PolicyProfile, *, reports: list[str], now: Any) -> dict[str, Any]:
    """One case (``selectors.case_detail`` prefetches parties, re-categorisations and contacts)."""
    return {
        **case_summary(case, profile, now=now),
        "routing_note": case.routing_note,
        "procedure": case.procedure,
        "reports": reports,
        "parties": [party_document(p) for p in sorted(case.parties.all(), key=lambda p: p.pk)],
        "recategorisations": [
            {
                "at": when(r.at),
                "tier_from": r.tier_from,
                "tier_to": r.tier_to,
                "category_from": r.category_from,
                "category_to": r.category_to,
                "due_from": when(r.due_from),
                "due_to": when(r.due_to),
                "reason": r.reason,
                "policy_version": r.policy_version,
            }
            for r in sorted(case.recategorisations.all(), key=lambda r: (r.at, r.pk))
        ],
        "contacts": [contact_document(c) for c in sorted(case.contacts.all(), key=lambda c: (c.at, c.pk))],
        "contact_plan": contact_plan_document(case, now),
        "reassignments": [
            {
                "at": when(r.at),
                "by": r.by.get_username(),
                "officer_from": r.officer_from.get_username() if r.officer_from else None,
                "officer_to": r.officer_to.get_username() if r.officer_to else None,
                "reason": r.reason,
            }
            for r in sorted(case.reassignments.all(), key=lambda r: (r.at, r.pk))
        ],
    }
