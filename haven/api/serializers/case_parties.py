"""The people, notes, flags and warning markers of a case in the API.

Request serializers check shapes only; the rules are in ``haven.cases.services.parties``,
``.notes`` and ``.flags``. The ``*_document`` functions build what the response serializers describe.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from haven.api.serializers.common import StrictSerializer, choice, text, when
from haven.cases.models import Finding, HateStrand, Note, PartyRole
from haven.cases.selectors.parties import PartyView
from haven.cases.services.flags import SETTABLE_FLAGS
from haven.common.stale import version_of
from haven.register.models import ContactMethod, WarningMarker

NO_FINDING = "none"

# ---- bodies ---------------------------------------------------------------------------------------


class PartyCreateSerializer(StrictSerializer):
    """A person added to a case with a neutral role (whg 4.1)."""

    what_it_is = "person in a case"

    role = choice(PartyRole.choices, help_text="Neutral until a finding is recorded (whg 4.1).")
    person = text(40, help_text="A register person's reference, to link them.")
    tenancy = text(40, help_text="A register tenancy's reference.")
    name = text(200, help_text="Needed, or a description in notes, for someone not in the register.")
    phone = text(30)
    email = text(254)
    address = text(300, help_text="When they are not in the register.")
    preferred_contact = choice([("", "Not said"), *ContactMethod.choices], required=False, allow_blank=True)
    communication_needs = text(2000, help_text="For example large print, an interpreter (WWH 2.0).")
    notes = text(2000, help_text="A description of the person, when the name is not known, or notes.")


class PartyUpdateSerializer(StrictSerializer):
    """A change to a person in a case; only the fields sent change."""

    what_it_is = "change to a person in a case"

    version = text(
        64, help_text="The `version` of the person as last read; a change over someone else's is refused (409)."
    )
    role = choice(PartyRole.choices, required=False, help_text="The reporter's role cannot change.")
    name = text(200)
    phone = text(30)
    email = text(254)
    address = text(300)
    preferred_contact = choice([("", "Not said"), *ContactMethod.choices], required=False, allow_blank=True)
    communication_needs = text(2000)
    notes = text(2000)
    witness_statement = serializers.BooleanField(
        required=False, allow_null=True, help_text="Willing to give a statement (emh 4.6); null: not asked yet."
    )
    witness_court = serializers.BooleanField(
        required=False, allow_null=True, help_text="Willing to attend court (emh 4.6); null: not asked yet."
    )
    witness_support_needs = text(2000, help_text="A witness's support needs (emh 4.6).")
    witness_support_given = text(2000, help_text="The support offered or arranged for the witness (emh 4.6).")


class FindingCreateSerializer(StrictSerializer):
    """A finding on the balance of probabilities (whg 4.1)."""

    what_it_is = "finding"

    finding = choice(
        [(Finding.VICTIM.value, "Victim"), (Finding.PERPETRATOR.value, "Perpetrator"),
         (NO_FINDING, "No finding: withdraws an earlier one")],
        help_text='"victim", "perpetrator", or "none" to withdraw an earlier finding.',
    )  # fmt: skip
    finding_on = serializers.DateField(
        required=False, allow_null=True, help_text="The date the finding was made (YYYY-MM-DD); not in the future."
    )
    evidence = text(5000, help_text="The evidence it rests on (or why it is withdrawn). Required.")
    version = text(64, help_text="The `version` of the person as last read (409 when stale).")


class PartyRemoveSerializer(StrictSerializer):
    what_it_is = "taking a person off a case"

    reason = text(2000, help_text="Why they are taken off the case. Required.")
    version = text(64, help_text="The `version` of the person as last read (409 when stale).")


class NoteCreateSerializer(StrictSerializer):
    what_it_is = "note"

    text = text(10000, help_text="The note. Required.")
    sensitive = serializers.BooleanField(
        required=False, default=False,
        help_text="In the secure area (WWH 3.0): read only by the case officer, ASB specialists and managers.",
    )  # fmt: skip


class FlagsSetSerializer(StrictSerializer):
    """Flags to add and to take off, with the reason."""

    what_it_is = "change of flags"

    add = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, default=list,
        help_text=f"Flags to add: any of {', '.join(SETTABLE_FLAGS)}.",
    )  # fmt: skip
    remove = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, default=list,
        help_text=f"Flags to take off: any of {', '.join(SETTABLE_FLAGS)}, except those from the category.",
    )  # fmt: skip
    hate_strands = serializers.ListField(
        child=choice(HateStrand.choices), required=False, allow_null=True,
        help_text="The hate incident's strands (at least one with the hate flag); leave out to keep them.",
    )  # fmt: skip
    reason = text(2000, help_text="Why the flags change. Required.")
    version = text(64, help_text="The case's `version` (from GET .../flags or a flags answer); 409 when stale.")


# ---- how they are shown ---------------------------------------------------------------------------


class VulnerabilitySerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    detail = serializers.CharField(allow_blank=True)


class PartyDetailSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    version = serializers.CharField(help_text="Send it back with a change (the stale-edit guard).")
    role = choice(PartyRole.choices, help_text="Neutral (whg 4.1).")
    role_label = serializers.CharField(help_text="The neutral role, or with the finding once one is recorded.")
    name = serializers.CharField()
    anonymous = serializers.BooleanField()
    person = serializers.CharField(allow_null=True, help_text="The register person's reference, if linked.")
    tenancy = serializers.CharField(allow_null=True)
    phone = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)
    address = serializers.CharField(allow_blank=True)
    preferred_contact = serializers.CharField(allow_blank=True)
    communication_needs = serializers.ListField(child=serializers.CharField(), help_text="Its own and the register's.")
    reasonable_adjustments = serializers.CharField(allow_blank=True)
    has_vulnerabilities = serializers.BooleanField()
    vulnerabilities = VulnerabilitySerializer(
        many=True, allow_null=True, help_text="Only for case officers, specialists and managers (audited); else null."
    )
    notes = serializers.CharField(allow_blank=True)
    finding = serializers.CharField(allow_blank=True, help_text='"", "victim" or "perpetrator".')
    finding_on = serializers.DateField(allow_null=True)
    finding_evidence = serializers.CharField(allow_blank=True)
    witness_statement = serializers.BooleanField(allow_null=True)
    witness_court = serializers.BooleanField(allow_null=True)
    witness_support_needs = serializers.CharField(allow_blank=True, help_text="A witness's support needs (emh 4.6).")
    witness_support_given = serializers.CharField(
        allow_blank=True, help_text="The support offered or arranged (emh 4.6)."
    )
    removed_at = serializers.DateTimeField(allow_null=True)


def party_detail(view: PartyView) -> dict[str, Any]:
    p = view.party
    return {
        "id": p.pk,
        "version": version_of(p.updated_at),
        "role": p.role,
        "role_label": p.role_label,
        "name": p.display_name,
        "anonymous": p.anonymous,
        "person": p.person.reference if p.person is not None else None,
        "tenancy": p.tenancy.reference if p.tenancy_id and p.tenancy is not None else None,
        "phone": p.phone,
        "email": p.email,
        "address": p.address,
        "preferred_contact": p.preferred_contact,
        "communication_needs": view.needs,
        "reasonable_adjustments": view.adjustments,
        "has_vulnerabilities": view.has_vulnerabilities,
        "vulnerabilities": (
            [{"kind": v.kind, "label": v.get_kind_display(), "detail": v.detail} for v in view.vulnerabilities]
            if view.may_see_vulnerabilities
            else None
        ),
        "notes": p.notes,
        "finding": p.finding,
        "finding_on": p.finding_on.isoformat() if p.finding_on else None,
        "finding_evidence": p.finding_evidence,
        "witness_statement": p.witness_statement,
        "witness_court": p.witness_court,
        "witness_support_needs": p.witness_support_needs,
        "witness_support_given": p.witness_support_given,
        "removed_at": when(p.removed_at),
    }


class NoteSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    author = serializers.CharField(help_text="The user name of who wrote it.")
    text = serializers.CharField()
    sensitive = serializers.BooleanField()


def note_document(note: Note) -> dict[str, Any]:
    return {
        "id": note.pk,
        "at": when(note.created_at),
        "author": note.author.get_username(),
        "text": note.text,
        "sensitive": note.sensitive,
    }


class FlagsSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField()
    version = serializers.CharField(help_text="The case's version, for the next change.")
    flags = serializers.ListField(child=serializers.CharField())
    hate_strands = serializers.ListField(child=serializers.CharField())
    restricted = serializers.BooleanField()


class MarkerSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    detail = serializers.CharField(allow_blank=True)
    person = serializers.CharField(allow_null=True, help_text="The register person's reference, for a person marker.")
    person_name = serializers.CharField(allow_null=True)
    property = serializers.CharField(allow_null=True, help_text="The property's reference, for an address marker.")


def marker_document(marker: WarningMarker) -> dict[str, Any]:
    return {
        "kind": marker.kind,
        "label": marker.get_kind_display(),
        "detail": marker.detail,
        "person": marker.person.reference if marker.person_id and marker.person else None,
        "person_name": marker.person.full_name if marker.person_id and marker.person else None,
        "property": marker.property.reference if marker.property_id and marker.property else None,
    }
