"""Bodies and answers of closing and reopening a case and of its timeline (API.md: ``close``)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from haven.api.serializers.common import StrictSerializer, text, when
from haven.cases.selectors.timeline import TimelineRow


class CloseSerializer(StrictSerializer):
    """``{"reason", "outcome", "resolved": bool}`` (API.md), with an optional closure reason code."""

    what_it_is = "closure"

    reason = text(2000, help_text="Why the case is being closed now. Required.")
    outcome = text(5000, help_text="The outcome of the case. Required.")
    resolved = serializers.BooleanField(
        required=False, allow_null=True, help_text="Whether the anti-social behaviour was resolved. Required."
    )
    closure_reason = text(
        40,
        help_text="Why it closed: a code of the landlord's policy (`closure.reasons`); its `closure.default_reason` "
        "when not given.",
    )
    confirmed = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        help_text="The codes of the policy's `confirm` closure conditions the person closing confirms "
        "(the reporter told, the risk reviewed...).",
    )


class ReopenSerializer(StrictSerializer):
    what_it_is = "reopening"

    reason = text(2000, help_text="Why the case is being reopened. Required.")


class TimelineRowSerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    who = serializers.CharField(help_text="The member of staff's name, or what did it (Haven, a command).")
    what = serializers.CharField()
    verb = serializers.CharField(help_text="The audit verb, for machines.")
    via = serializers.CharField(help_text="web, api, command or task.")
    details = serializers.ListField(child=serializers.CharField(), help_text="What changed, in words.")


class TimelineSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = TimelineRowSerializer(many=True)


def timeline_row(row: TimelineRow) -> dict[str, Any]:
    return {"at": when(row.at), "who": row.who, "what": row.what, "verb": row.verb, "via": row.via,
            "details": row.details}  # fmt: skip
