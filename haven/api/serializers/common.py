"""Serializer pieces shared by the reports and cases API: strict bodies that name every unknown
field, text and choice fields with plain messages, profile codes, and how times and homes are shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.utils import timezone
from rest_framework import serializers
from rest_framework.settings import api_settings

from haven.policies.schema import PolicyProfile
from haven.register.models import Property

# ---- parsing helpers shared with serializers.cases ------------------------------------------------


class StrictSerializer(serializers.Serializer[Any]):
    """A body of known fields only: each unknown field is one error naming the fields there are."""

    what_it_is = "request"  # "is not a field of a <what_it_is>"

    default_error_messages = {"invalid": "Send this as a JSON object of fields."}

    def to_internal_value(self, data: Any) -> Any:
        problems: dict[str, Any] = {}
        if isinstance(data, Mapping):
            allowed = [name for name, field in self.fields.items() if not field.read_only]
            for name in data:
                if name not in allowed:
                    problems[str(name)] = [
                        f"is not a field of a {self.what_it_is}; the fields are: {', '.join(allowed)}"
                    ]
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as failure:
            if isinstance(failure.detail, dict):
                problems = {**problems, **{k: _named(v) for k, v in failure.detail.items()}}
            else:
                raise
        if problems:
            raise serializers.ValidationError(problems)
        return value


def _named(detail: Any) -> Any:
    """A nested object's own problem (it is not an object at all) named by its field, not by none."""
    if isinstance(detail, dict) and set(detail) == {api_settings.NON_FIELD_ERRORS_KEY}:
        return detail[api_settings.NON_FIELD_ERRORS_KEY]
    return detail


def text(max_length: int | None = None, **options: Any) -> serializers.CharField:
    """Optional text; null counts as blank."""
    options.setdefault("required", False)
    if max_length is not None:
        options["max_length"] = max_length
    return serializers.CharField(allow_blank=True, allow_null=True, trim_whitespace=True, **options)


def choice(choices: Iterable[str] | Iterable[tuple[str, str]], **options: Any) -> serializers.ChoiceField:
    """A choice of codes (or of a ``TextChoices``' ``choices``, so the schema shows the labels too);
    the error lists the codes."""
    pairs = [(c, c) if isinstance(c, str) else (c[0], c[1]) for c in choices]
    values = [value for value, _ in pairs]
    return serializers.ChoiceField(
        choices=pairs,
        error_messages={"invalid_choice": f'"{{input}}" is not one of: {", ".join(values)}.'},
        **options,
    )


class AwareDateTimeField(serializers.DateTimeField):
    """ISO 8601, with its offset (API.md); a time without one is UK local time (Europe/London)."""

    default_error_messages = {
        "invalid": "Give the date and time in ISO 8601 with its offset, like 2026-03-02T14:30:00+00:00.",
        "date": "Give a time as well as the date, with its offset, like 2026-03-02T14:30:00+00:00.",
        "overflow": "That date and time is out of range.",
    }


def in_profile(value: str, allowed: list[str], what: str) -> str:
    """A code of the caller's policy profile; the message lists the codes there are."""
    if value not in allowed:
        raise serializers.ValidationError(f"'{value}' is not {what} of this landlord's policy: {', '.join(allowed)}.")
    return value


def categories_of(profile: PolicyProfile) -> list[str]:
    return [c.code for c in profile.categories]


def tiers_of(profile: PolicyProfile) -> list[str]:
    return [t.id for t in profile.triage.tiers]


class PropertyBriefSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField()
    uprn = serializers.CharField()
    address = serializers.CharField(help_text="The address on one line, with the postcode.")


def when(value: datetime | None) -> str | None:
    """ISO 8601 with the UK offset of the moment (API.md)."""
    return timezone.localtime(value).isoformat() if value is not None else None


def property_brief(prop: Property | None) -> dict[str, str] | None:
    if prop is None:
        return None
    lines = [prop.address_line_1, prop.address_line_2, prop.address_line_3, prop.town, prop.postcode]
    return {"reference": prop.reference, "uprn": prop.uprn, "address": ", ".join(x for x in lines if x)}
