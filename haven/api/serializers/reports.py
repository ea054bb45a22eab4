"""Reports in the API: the bodies of ``POST /api/v1/reports`` and of a triage decision, and how a
report is shown.

The request serializers only parse and check shapes (types, lengths, codes of the caller's policy
profile, unknown fields); every rule of receiving and triaging a report is in
``haven.intake.services``. The response serializers document the API in the OpenAPI schema; the
documents themselves are built by :func:`report_document`, as in ``serializers.register``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from haven.accounts.permissions import CASEWORK_ROLES
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
from haven.intake.models import Channel, ContactPreference, Report, ReportStatus
from haven.policies.schema import Flag
from haven.register.fields import uprn_clean

TRIAGE_FLAGS = (Flag.HATE.value, Flag.DOMESTIC_ABUSE.value, Flag.SAFEGUARDING.value, Flag.STAFF_TARGETED.value)


# ---- POST /api/v1/reports -------------------------------------------------------------------------


class ReporterSerializer(StrictSerializer):
    what_it_is = "reporter"

    name = text(200, help_text="Required unless the report is anonymous.")
    phone = text(30)
    email = text(254)
    preferred_contact = choice(ContactPreference.choices, required=False, allow_blank=True, allow_null=True)
    communication_needs = text(help_text="Needs and reasonable adjustments (WWH 2.0).")


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "maxLength": 200, "description": "The name of the person reported for."},
            {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "maxLength": 200},
                    "relationship": {"type": "string", "maxLength": 100},
                },
                "required": ["name"],
                "additionalProperties": False,
            },
        ],
        "nullable": True,
        "description": "Who the report is made for, when not the reporter: a name, or {name, relationship}.",
    }
)
class OnBehalfOfField(serializers.Field):
    """A name, or ``{"name", "relationship"}``; parsed to that object."""

    default_error_messages = {
        "invalid": "Give the name of the person reported for, or an object with name and relationship.",
    }

    def to_internal_value(self, data: Any) -> dict[str, str]:
        if isinstance(data, str):
            data = {"name": data}
        if not isinstance(data, Mapping):
            self.fail("invalid")
        problems: dict[str, list[str]] = {}
        for name in data:
            if name not in ("name", "relationship"):
                problems[str(name)] = ["is not a field of on_behalf_of; the fields are: name, relationship"]
        value = {}
        for name, limit in (("name", 200), ("relationship", 100)):
            item = data.get(name)
            if item is None:
                item = ""
            if not isinstance(item, str):
                problems[name] = ["must be text"]
                continue
            if len(item.strip()) > limit:
                problems[name] = [f"write no more than {limit} characters"]
            value[name] = item.strip()
        if not problems and not value["name"] and value["relationship"]:
            problems["name"] = ["give the name of the person reported for"]
        if problems:
            raise serializers.ValidationError(problems)
        return value

    def to_representation(self, value: Any) -> Any:
        return value


class LocationSerializer(StrictSerializer):
    what_it_is = "location"

    property_uprn = text(
        help_text=(
            "The place's UPRN (up to 12 digits; leading zeros optional). One of the landlord's homes is "
            "linked; any other UPRN is kept as the place."
        )
    )
    property_reference = text(40, help_text="Or the landlord's own property reference.")
    address = text(300, help_text="Where, when it is not one of the landlord's homes.")
    postcode = text(12)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The home named by UPRN or reference, in the caller's landlord's register (``context["properties"]``)."""
        uprn, reference = attrs.get("property_uprn") or "", attrs.get("property_reference") or ""
        attrs["property"] = None
        if uprn and reference:
            raise serializers.ValidationError(
                {"property_reference": ["Give property_uprn or property_reference, not both."]}
            )
        properties = self.context["properties"]
        if uprn:
            try:
                clean = uprn_clean(uprn)
            except ValueError as problem:
                raise serializers.ValidationError({"property_uprn": [str(problem)]}) from None
            # A UPRN that is not one of the landlord's homes is still a place (an owner-occupied
            # house next door, a shop): the report keeps the UPRN, linked to no home.
            attrs["property"] = properties.filter(uprn=clean).first()
            attrs["uprn"] = clean
        elif reference:
            attrs["property"] = properties.filter(reference=reference).first()
            if attrs["property"] is None:
                raise serializers.ValidationError(
                    {
                        "property_reference": [
                            f"There is no home with the reference {reference} in this landlord's register."
                        ]
                    }
                )
        return attrs


class ReportCreateSerializer(StrictSerializer):
    """A new report of ASB (API.md ``POST /api/v1/reports``; the seven questions of WWH 3.0)."""

    what_it_is = "report"

    channel = choice(Channel.choices, help_text="How the report was made.")
    received_at = AwareDateTimeField(
        required=False, allow_null=True, help_text="When the landlord received it; the clock starts here. Default now."
    )
    anonymous = serializers.BooleanField(required=False, default=False, help_text="No name, no contact (emh 6.6).")
    reporter = ReporterSerializer(required=False, allow_null=True)
    on_behalf_of = OnBehalfOfField(required=False, allow_null=True)
    location = LocationSerializer(
        required=False, allow_null=True, help_text="property_uprn (or property_reference), or address and postcode."
    )
    what = text(help_text="What happened. Required.")
    where = text(help_text="Where it happened.")
    who = text(help_text="Who was involved, if known.")
    when = text(help_text="When it happened.")
    happened_on = serializers.DateField(
        required=False, allow_null=True, help_text="The date of the latest incident, YYYY-MM-DD, if known."
    )
    how_often = text(help_text="How often it happens.")
    steps_taken = text(help_text="What the reporter has done about it so far.")
    other_agencies = text(help_text="Other agencies told (police, council, ...).")
    category = text(40, help_text="A suggested category code of the landlord's policy (GET /api/v1/policy).")
    targets_staff = serializers.BooleanField(
        required=False, default=False, help_text="Staff or contractors were targeted (emh 3.4)."
    )

    def validate_category(self, value: str | None) -> str:
        if not value:
            return ""
        return in_profile(value, categories_of(self.context["profile"]), "a category")


class ReportCreatedSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField(help_text="REP-YYYY-NNNNNN: give it to the reporter.")
    status = choice(ReportStatus.choices)
    received_at = serializers.DateTimeField()
    case = serializers.DictField(allow_null=True, help_text='null, or {"reference"} once a case is opened.')


# ---- POST /api/v1/reports/{reference}/triage ------------------------------------------------------


class TriageSerializer(StrictSerializer):
    """A triage decision (API.md): not ASB with advice, or ASB with a category and a tier or screen."""

    what_it_is = "triage decision"

    is_asb = serializers.BooleanField(help_text="Whether the report is ASB under the landlord's policy.")
    reason = text(help_text="Why it is (or is not) ASB, against the policy's definition.")
    not_asb_reason = text(help_text="When is_asb is false: why not (emh 3.8).")
    advice_given = text(help_text="When is_asb is false, or for an advice-only tier: the advice given.")
    advice_routes = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Where the person was signposted: advice route codes."
    )
    category = text(40, help_text="When is_asb is true: a category code of the landlord's policy.")
    tier = text(40, help_text="A tier id of the landlord's policy; or send screen.")
    screen = serializers.DictField(
        child=serializers.BooleanField(),
        required=False,
        allow_null=True,
        help_text="Answers to the initial risk screen, question code to true or false; the tier is derived.",
    )
    link_to_case = text(20, help_text="Add the report to this open case instead of opening a new one.")
    details_confirmed = serializers.BooleanField(
        required=False, default=False, help_text="An anonymous reporter's details were confirmed (Livv)."
    )
    flags = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Flags to add: " + ", ".join(TRIAGE_FLAGS) + "."
    )
    officer = text(150, help_text="The username of the officer to give the case to; default by the policy's routing.")

    def validate_category(self, value: str | None) -> str:
        return in_profile(value, categories_of(self.context["profile"]), "a category") if value else ""

    def validate_officer(self, value: str | None) -> Any:
        """The member of staff named, from ``context["staff"]`` (the caller's landlord's staff)."""
        if not value:
            return None
        officer = self.context["staff"].filter(username=value).first()
        if officer is None:
            raise serializers.ValidationError(f"There is no member of this landlord's staff with the username {value}.")
        if officer.role not in CASEWORK_ROLES:
            raise serializers.ValidationError(
                f"{value} is not a caseworker: give the username of a case officer, specialist or manager."
            )
        return officer

    def validate_tier(self, value: str | None) -> str:
        return in_profile(value, tiers_of(self.context["profile"]), "a tier") if value else ""

    def validate_flags(self, value: list[str]) -> list[str]:
        bad = [v for v in value if v not in TRIAGE_FLAGS]
        if bad:
            raise serializers.ValidationError(f"Unknown flags: {', '.join(bad)}; use {', '.join(TRIAGE_FLAGS)}.")
        return value

    def validate_advice_routes(self, value: list[str]) -> list[str]:
        allowed = [r.code for r in self.context["profile"].not_asb.advice_routes]
        bad = [v for v in value if v not in allowed]
        if bad:
            raise serializers.ValidationError(
                f"Not an advice route of this landlord's policy: {', '.join(bad)}; "
                f"the routes are: {', '.join(allowed)}."
            )
        return value

    def validate_screen(self, value: dict[str, bool] | None) -> dict[str, bool] | None:
        if value is None:
            return None
        known = [q.code for q in self.context["profile"].risk_screen.questions]
        unknown = {
            code: [f"is not a question of this landlord's risk screen; the questions are: {', '.join(known)}"]
            for code in value
            if code not in known
        }
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


# ---- how a report is shown ------------------------------------------------------------------------


class EvidenceSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="image, audio, video or document.")
    content_type = serializers.CharField(help_text="From the file's content, not its name.")
    size = serializers.IntegerField(help_text="Bytes.")
    sha256 = serializers.CharField(help_text="SHA-256 at receipt, for the court bundle.")


class ReportLocationSerializer(serializers.Serializer[Any]):
    property = PropertyBriefSerializer(allow_null=True)
    address = serializers.CharField(allow_blank=True)
    postcode = serializers.CharField(allow_blank=True)


class ReportReporterSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(required=False, help_text="Left out for an anonymous report.")
    phone = serializers.CharField(required=False, help_text="Left out for an anonymous report.")
    email = serializers.CharField(required=False, help_text="Left out for an anonymous report.")
    preferred_contact = serializers.CharField(required=False, help_text="Left out for an anonymous report.")
    person = serializers.CharField(required=False, allow_null=True, help_text="The register person's reference.")
    communication_needs = serializers.CharField(allow_blank=True)


class OnBehalfOfSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    relationship = serializers.CharField(allow_blank=True)


class TriageDecisionSerializer(serializers.Serializer[Any]):
    triaged_at = serializers.DateTimeField()
    triaged_by = serializers.CharField(allow_null=True, help_text="Username.")
    is_asb = serializers.BooleanField()
    reason = serializers.CharField(allow_blank=True)
    advice_given = serializers.CharField(allow_blank=True)
    advice_routes = serializers.ListField(child=serializers.CharField())
    screen = serializers.DictField(allow_null=True, help_text="{score, version, answers} when the screen was used.")
    policy = serializers.DictField(help_text="{id, version} of the policy that decided.")


class CaseRefSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField()


class ReportSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField()
    status = choice(ReportStatus.choices)
    status_label = serializers.CharField()
    channel = choice(Channel.choices)
    received_at = serializers.DateTimeField()
    anonymous = serializers.BooleanField()
    reporter = ReportReporterSerializer(help_text="Contact details are left out for an anonymous report.")
    on_behalf_of = OnBehalfOfSerializer(allow_null=True)
    targets_staff = serializers.BooleanField()
    location = ReportLocationSerializer()
    what = serializers.CharField()
    where = serializers.CharField(allow_blank=True)
    who = serializers.CharField(allow_blank=True)
    when = serializers.CharField(allow_blank=True)
    happened_on = serializers.DateField(allow_null=True)
    how_often = serializers.CharField(allow_blank=True)
    steps_taken = serializers.CharField(allow_blank=True)
    other_agencies = serializers.CharField(allow_blank=True)
    category_suggested = serializers.CharField(allow_blank=True)
    category = serializers.CharField(allow_null=True, help_text="After triage.")
    tier = serializers.CharField(allow_null=True, help_text="After triage.")
    flags = serializers.ListField(child=serializers.CharField(), help_text="After triage.")
    triage = TriageDecisionSerializer(allow_null=True)
    case = CaseRefSerializer(allow_null=True)
    evidence = EvidenceSerializer(many=True)


def report_document(report: Report) -> dict[str, Any]:
    """A report as the API shows it (``selectors.report_detail`` selects and prefetches what it reads).

    An anonymous report shows no name or contact details (emh 6.6); evidence is listed by id, kind,
    type, size and hash, never by the name it is stored under.
    """
    reporter: dict[str, Any] = {"communication_needs": report.communication_needs}
    if not report.anonymous:
        reporter = {
            "name": report.reporter_name,
            "phone": report.reporter_phone,
            "email": report.reporter_email,
            "preferred_contact": report.preferred_contact,
            "person": report.reporter_person.reference if report.reporter_person is not None else None,
            **reporter,
        }
    triaged = report.triaged_at is not None
    return {
        "reference": report.reference,
        "status": report.status,
        "status_label": report.get_status_display(),
        "channel": report.channel,
        "received_at": when(report.received_at),
        "anonymous": report.anonymous,
        "reporter": reporter,
        "on_behalf_of": (
            {"name": report.on_behalf_of, "relationship": report.on_behalf_relationship}
            if report.on_behalf_of
            else None
        ),
        "targets_staff": report.targets_staff,
        "location": {
            "property": property_brief(report.property),
            "uprn": report.uprn or None,
            "address": report.address,
            "postcode": report.postcode,
        },
        "what": report.what,
        "where": report.where,
        "who": report.who,
        "when": report.when,
        "happened_on": report.happened_on.isoformat() if report.happened_on else None,
        "how_often": report.how_often,
        "steps_taken": report.steps_taken,
        "other_agencies": report.other_agencies,
        "category_suggested": report.category_suggested,
        "category": report.category or None,
        "tier": report.tier or None,
        "flags": list(report.flags or []),
        "triage": (
            {
                "triaged_at": when(report.triaged_at),
                "triaged_by": report.triaged_by.username if report.triaged_by is not None else None,
                "is_asb": report.is_asb,
                "reason": report.decision_reason,
                "advice_given": report.advice_given,
                "advice_routes": list(report.advice_routes or []),
                "screen": (
                    {"score": report.screen_score, "version": report.screen_version, "answers": report.screen_answers}
                    if report.screen_version
                    else None
                ),
                "policy": {"id": report.policy_id, "version": report.policy_version},
            }
            if triaged
            else None
        ),
        "case": {"reference": report.case.reference} if report.case is not None else None,
        "evidence": [
            {"id": e.pk, "kind": e.kind, "content_type": e.content_type, "size": e.size, "sha256": e.sha256}
            for e in sorted(report.evidence.all(), key=lambda e: e.pk)
        ],
    }
