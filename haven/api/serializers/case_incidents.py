"""Incidents and case files in the API: the body of a new incident, the multipart body of a new
file, and how incidents and files are shown. The rules are in ``haven.cases.services.incidents``
and ``.files``; these check shapes only."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from haven.api.serializers.cases import PartyField
from haven.api.serializers.common import AwareDateTimeField, StrictSerializer, choice, text, when
from haven.cases.models import CaseFile, FileKind, Incident, IncidentSource

# ---- bodies ---------------------------------------------------------------------------------------


class IncidentCreateSerializer(StrictSerializer):
    """One incident: when (and until when), where, who, what, and where the account came from."""

    what_it_is = "incident"

    occurred_at = AwareDateTimeField(help_text="When it happened (started). Not in the future.")
    occurred_until = AwareDateTimeField(
        required=False, allow_null=True, help_text="When it ended, if it went on; not before occurred_at."
    )
    location = text(300, help_text="Where it happened.")
    people = text(2000, help_text="Who was involved or saw it, as told.")
    description = text(10_000, help_text="What happened. Required.")
    source = choice(IncidentSource.choices, help_text="Where the account came from.")  # type: ignore[assignment]
    party = PartyField(required=False, allow_null=True, help_text='Whose account: a party id, or "reporter".')


class CaseFileCreateSerializer(serializers.Serializer[Any]):
    """A multipart body: the file and what it is."""

    file = serializers.FileField(
        help_text="The file: photos, audio, video, PDF or Word (.docx), checked by its content.",
        error_messages={"required": "Attach the file.", "invalid": "Send the file as multipart form data."},
    )
    kind = choice(FileKind.choices, help_text="What the file is.")
    description = serializers.CharField(required=False, allow_blank=True, max_length=500)
    sensitive = serializers.BooleanField(
        required=False, default=False, help_text="In the secure area (WWH 3.0): only the case's officer, "
        "ASB specialists and team managers see it.",
    )  # fmt: skip
    incident = serializers.IntegerField(required=False, allow_null=True, help_text="The id of an incident it shows.")


# ---- documents ------------------------------------------------------------------------------------


class CaseFileSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=FileKind.choices)
    name = serializers.CharField(help_text="The name it was sent with.")
    content_type = serializers.CharField(help_text="Decided by its content, not by its name.")
    size = serializers.IntegerField(help_text="Bytes.")
    sha256 = serializers.CharField(help_text="SHA-256 of the bytes as received.")
    description = serializers.CharField()
    sensitive = serializers.BooleanField()
    incident = serializers.IntegerField(allow_null=True)
    uploaded_by = serializers.CharField(allow_null=True, help_text="A user name; null for the reporter's link.")
    uploaded_via = serializers.CharField(help_text="web, api or diary_link.")
    uploaded_at = serializers.DateTimeField()
    reviewed_at = serializers.DateTimeField(allow_null=True)
    download = serializers.CharField(help_text="The API path that downloads it (audited).")


class IncidentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    occurred_at = serializers.DateTimeField()
    occurred_until = serializers.DateTimeField(allow_null=True)
    location = serializers.CharField()
    people = serializers.CharField()
    description = serializers.CharField()
    source = serializers.ChoiceField(choices=IncidentSource.choices)  # type: ignore[assignment]
    party = serializers.IntegerField(allow_null=True)
    recorded_by = serializers.CharField(allow_null=True)
    recorded_via = serializers.CharField(help_text="web, api or diary_link.")
    recorded_at = serializers.DateTimeField()
    reviewed_at = serializers.DateTimeField(allow_null=True, help_text="Null while it waits in the evidence inbox.")
    reviewed_by = serializers.CharField(allow_null=True)
    files = CaseFileSerializer(many=True)


def _username(user: Any) -> str | None:
    return user.get_username() if user is not None else None


def case_file_document(reference: str, case_file: CaseFile) -> dict[str, Any]:
    return {
        "id": case_file.pk,
        "kind": case_file.kind,
        "name": case_file.original_name,
        "content_type": case_file.content_type,
        "size": case_file.size,
        "sha256": case_file.sha256,
        "description": case_file.description,
        "sensitive": case_file.sensitive,
        "incident": case_file.incident_id,
        "uploaded_by": _username(case_file.uploaded_by),
        "uploaded_via": case_file.uploaded_via,
        "uploaded_at": when(case_file.created_at),
        "reviewed_at": when(case_file.reviewed_at),
        "download": reverse("api:case-file", args=[reference, case_file.pk]),
    }


def incident_document(reference: str, incident: Incident) -> dict[str, Any]:
    """An incident with the files the caller may see (the selector's prefetch)."""
    return {
        "id": incident.pk,
        "occurred_at": when(incident.occurred_at),
        "occurred_until": when(incident.occurred_until),
        "location": incident.location,
        "people": incident.people,
        "description": incident.description,
        "source": incident.source,
        "party": incident.party_id,
        "recorded_by": _username(incident.recorded_by),
        "recorded_via": incident.recorded_via,
        "recorded_at": when(incident.created_at),
        "reviewed_at": when(incident.reviewed_at),
        "reviewed_by": _username(incident.reviewed_by),
        "files": [case_file_document(reference, f) for f in incident.files.all()],
    }
