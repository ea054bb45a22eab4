"""Forms for the people in a case: add, change, record a finding, take off. They parse input only;
``cases.services.parties`` holds the rules. Each form has its own prefix (many on one page)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from haven.cases.models import Finding, Party, PartyRole
from haven.common.stale import version_of
from haven.register.models import ContactMethod

YES_NO = [("", "Not asked yet"), ("yes", "Yes"), ("no", "No")]
WITHDRAW = "none"  # the form's word for "no finding" (a blank radio would be "nothing chosen")


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def from_yes_no(value: str) -> bool | None:
    return None if not value else value == "yes"


def _text(label: str, limit: int, *, textarea: bool = False, **options: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, max_length=limit, widget=forms.Textarea if textarea else None, **options
    )


class PartyDetailsForm(forms.Form):
    role = forms.ChoiceField(
        label="Role", choices=[("", "Choose a role"), *PartyRole.choices],
        help_text="Neutral until a finding is recorded (whg 4.1).",
        error_messages={"required": "Choose the person's role."},
    )  # fmt: skip
    name = _text("Name", 200)
    phone = _text("Phone", 30)
    email = _text("E-mail", 254)
    address = _text("Address", 300, help_text="When they are not in the register.")
    preferred_contact = forms.ChoiceField(
        label="Prefers to be contacted by", required=False, choices=[("", "Not said"), *ContactMethod.choices]
    )
    communication_needs = _text(
        "Communication needs", 2000, textarea=True, help_text="For example large print, an interpreter (WWH 2.0)."
    )
    notes = _text("Description or notes", 2000, textarea=True, help_text="Who they are, when the name is not known.")


class PartyAddForm(PartyDetailsForm):
    person = _text("Register person reference", 40, help_text="Leave blank for someone not in the register.")
    tenancy = _text("Tenancy reference", 40)

    field_order = ["role", "person", "tenancy", "name", "phone", "email", "address", "preferred_contact",
                   "communication_needs", "notes"]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "party-add")
        super().__init__(*args, **kwargs)


class PartyUpdateForm(PartyDetailsForm):
    version = forms.CharField(required=False, widget=forms.HiddenInput)
    witness_statement = forms.ChoiceField(label="Willing to give a statement", required=False, choices=YES_NO)
    witness_court = forms.ChoiceField(label="Willing to attend court", required=False, choices=YES_NO)
    may_be_named = forms.BooleanField(
        label="The reporter agrees that letters to others may name them", required=False,
        help_text="Only with their clear agreement: otherwise no letter to the reported person names them "
        "(emh 6.6-6.7).",
    )  # fmt: skip
    witness_support_needs = _text(
        "Support the witness needs", 2000, textarea=True,
        help_text="emh 4.6: for example reassurance, a special measures request, transport to court",
        error_messages={"max_length": "Write the support needs in no more than 2,000 characters."},
    )  # fmt: skip
    witness_support_given = _text(
        "Support offered or arranged", 2000, textarea=True,
        help_text="For example: referred to Victim Support; court familiarisation visit booked",
        error_messages={"max_length": "Write the support given in no more than 2,000 characters."},
    )  # fmt: skip

    def __init__(self, *args: Any, party: Party, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"party-{party.pk}")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update(
                {
                    k: getattr(party, k)
                    for k in (
                        "role",
                        "name",
                        "phone",
                        "email",
                        "address",
                        "preferred_contact",
                        "communication_needs",
                        "notes",
                        "witness_support_needs",
                        "witness_support_given",
                    )
                }
            )
            self.initial["witness_statement"] = yes_no(party.witness_statement)
            self.initial["witness_court"] = yes_no(party.witness_court)
            self.initial["may_be_named"] = party.may_be_named
            self.initial["version"] = version_of(party.updated_at)


class FindingForm(forms.Form):
    finding = forms.ChoiceField(
        label="Finding",
        choices=[
            (Finding.VICTIM, "Victim"),
            (Finding.PERPETRATOR, "Perpetrator"),
            (WITHDRAW, "No finding (withdraw an earlier one)"),
        ],
        error_messages={"required": "Choose the finding."},
    )
    finding_on = forms.DateField(
        label="Date of the finding", input_formats=["%Y-%m-%d", "%d/%m/%Y"], help_text="For example 27/03/2026",
        error_messages={"required": "Enter the date the finding was made.", "invalid": "Enter the date as DD/MM/YYYY."},
    )  # fmt: skip
    evidence = forms.CharField(
        label="Evidence", widget=forms.Textarea, max_length=5000,
        help_text="What proves it on the balance of probabilities (whg 4.1); or why a finding is withdrawn.",
        error_messages={"required": "Say what the finding rests on."},
    )  # fmt: skip
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, party: Party, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"finding-{party.pk}")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update(
                {"finding_on": timezone.localdate().strftime("%d/%m/%Y"), "version": version_of(party.updated_at)}
            )

    def chosen(self) -> tuple[str, date]:
        value = self.cleaned_data["finding"]
        return ("" if value == WITHDRAW else value), self.cleaned_data["finding_on"]


class PartyRemoveForm(forms.Form):
    reason = forms.CharField(
        label="Why are they being taken off the case?", widget=forms.Textarea, max_length=2000,
        error_messages={"required": "Say why the person is being taken off the case."},
    )  # fmt: skip
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, party: Party, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"remove-{party.pk}")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = version_of(party.updated_at)
