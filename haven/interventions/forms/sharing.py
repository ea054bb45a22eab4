"""Forms of information sharing: an entry of the case's sharing log, a sharing agreement, and a case
opened from partner intelligence. They parse input only; the rules are in
``interventions.services.sharing`` (emh 6.3-6.4; WWH 4.0)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from haven.accounts.models import User
from haven.common.stale import Renewable, version_of
from haven.interventions.models.partnership import LawfulBasis, ShareDirection, ShareMethod, SharingAgreement
from haven.policies.schema import PolicyProfile

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"]
DATE_INVALID = "Enter the date as DD/MM/YYYY, for example 27/03/2026."


def _date(label: str, missing: str, **options: Any) -> forms.DateField:
    return forms.DateField(
        label=label, input_formats=DATE_FORMATS, help_text=options.pop("help_text", "For example 27/03/2026"),
        error_messages={"required": missing, "invalid": DATE_INVALID}, **options,
    )  # fmt: skip


def _text(
    label: str, *, required: bool = True, missing: str = "", limit: int = 5000, **options: Any
) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=limit, widget=options.pop("widget", forms.Textarea),
        error_messages={"required": missing, "max_length": f"Write no more than {limit:,} characters here."},
        **options,
    )  # fmt: skip


def _choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class InformationShareForm(forms.Form):
    """One entry of the sharing log (emh 6.3-6.4): what, with whom, when, how, and for a disclosure
    the agreement or lawful basis and who approved it; for information received, its handling."""

    direction = forms.ChoiceField(
        label="Was the information disclosed or received?", choices=ShareDirection.choices, widget=forms.RadioSelect,
        error_messages={"required": "Say whether the information was disclosed or received."},
    )  # fmt: skip
    partner = forms.ChoiceField(label="Partner", required=False)
    organisation = forms.CharField(
        label="Or the organisation's name, if it is not listed", required=False, max_length=200,
        error_messages={"max_length": "Write the organisation's name in no more than 200 characters."},
    )  # fmt: skip
    what = _text("What information", missing="Say what information was shared.",
                 help_text="Describe the information; do not paste a copy of it")  # fmt: skip
    shared_on = _date("Date shared", "Enter the date it was shared.")
    method = forms.ChoiceField(
        label="How", choices=[("", "Choose how"), *ShareMethod.choices],
        error_messages={"required": "Choose how it was shared."},
    )  # fmt: skip
    agreement = forms.ChoiceField(label="Information sharing agreement (disclosures)", required=False)
    lawful_basis = forms.ChoiceField(
        label="Or the lawful basis (disclosures)", required=False, choices=[("", "None"), *LawfulBasis.choices]
    )
    basis_detail = _text("Why the lawful basis applies", required=False)
    approved_by = forms.ChoiceField(label="Approved by (disclosures)", required=False)
    handling = _text(
        "Handling restrictions (information received)", required=False,
        help_text="How it must be handled, for example 'Not to be shared with the reported person', "
        "or 'No restrictions'",
    )  # fmt: skip

    def __init__(
        self, *args: Any, profile: PolicyProfile, agreements: list[SharingAgreement], approvers: list[User],
        **kwargs: Any,
    ) -> None:  # fmt: skip
        kwargs.setdefault("prefix", "share")
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.agreements, self.approvers = agreements, approvers
        _choices(self, "partner", [("", "Choose a partner"), *((p.code, p.label) for p in profile.partners)])
        _choices(self, "agreement", [("", "None"), *((str(a.pk), a.title) for a in agreements)])
        _choices(
            self, "approved_by", [("", "Choose who approved it"), *((str(u.pk), u.display_name) for u in approvers)]
        )

    def chosen_agreement(self) -> SharingAgreement | None:
        wanted = self.cleaned_data.get("agreement") or ""
        return next((a for a in self.agreements if str(a.pk) == wanted), None)

    def approver(self) -> User | None:
        wanted = self.cleaned_data.get("approved_by") or ""
        return next((u for u in self.approvers if str(u.pk) == wanted), None)


class SharingAgreementForm(Renewable, forms.Form):
    """An information sharing agreement of the landlord (emh 6.3); ``version`` guards a stale edit."""

    title = forms.CharField(
        label="Title", max_length=200,
        error_messages={"required": "Give the agreement's title.",
                        "max_length": "Write the title in no more than 200 characters."},
    )  # fmt: skip
    parties = _text("Parties", missing="List the organisations that are party to it, one a line.",
                    help_text="The organisations that signed it, one a line")  # fmt: skip
    purpose = _text("Purpose", missing="Say what the agreement is for.")
    signed_on = _date("Signed on (optional)", "", required=False)
    review_on = _date("Review by", "Enter the date the agreement is due for review.")
    active = forms.BooleanField(label="In force", required=False, help_text="Disclosures can be made under it")
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, agreement: SharingAgreement | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"agreement-{agreement.pk}" if agreement else "agreement")
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        if not self.is_bound:
            if agreement is None:
                self.initial["active"] = True
            else:
                self.initial.update({
                    "title": agreement.title, "parties": agreement.parties, "purpose": agreement.purpose,
                    "signed_on": agreement.signed_on.strftime("%d/%m/%Y") if agreement.signed_on else "",
                    "review_on": agreement.review_on.strftime("%d/%m/%Y"), "active": agreement.active,
                    "version": version_of(agreement.updated_at),
                })  # fmt: skip


class IntelligenceCaseForm(forms.Form):
    """A case opened from a partner's intelligence (WWH 4.0): who gave it, when, what, the category
    and tier, where, and how it must be handled."""

    partner = forms.ChoiceField(
        label="Partner agency that gave it",
        error_messages={"required": "Choose the partner agency that gave the intelligence."},
    )
    received_on = _date("Date received", "Enter the date the intelligence was received.")
    received_time = forms.TimeField(
        label="Time received (optional)", required=False, input_formats=["%H:%M", "%H.%M"],
        help_text="24-hour clock, for example 14:30",
        error_messages={"invalid": "Enter the time as HH:MM, for example 14:30."},
    )  # fmt: skip
    method = forms.ChoiceField(
        label="How it was received", choices=[("", "Choose how"), *ShareMethod.choices],
        error_messages={"required": "Choose how the intelligence was received."},
    )  # fmt: skip
    summary = _text("Summary of the intelligence", missing="Summarise the intelligence.")
    category = forms.ChoiceField(label="Category", error_messages={"required": "Choose the category of ASB."})
    tier = forms.ChoiceField(label="Tier", error_messages={"required": "Choose the tier."})
    property_reference = forms.CharField(
        label="Property reference (if it is one of our homes)", required=False, max_length=40,
        error_messages={"max_length": "A property reference has no more than 40 characters."},
    )  # fmt: skip
    location = forms.CharField(
        label="Or the location", required=False, max_length=300,
        error_messages={"max_length": "Write the location in no more than 300 characters."},
    )  # fmt: skip
    postcode = forms.CharField(label="Postcode of the location", required=False, max_length=10,
                               error_messages={"max_length": "Enter a real postcode, like LE67 4JP."})  # fmt: skip
    handling = _text(
        "Handling restrictions", missing="Say how it must be handled, or 'No restrictions'.",
        help_text="For example 'Police only: do not disclose the source', or 'No restrictions'",
    )  # fmt: skip

    def __init__(self, *args: Any, profile: PolicyProfile, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "intelligence")
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        agencies = [(p.code, p.label) for p in profile.partners if p.kind == "agency"]
        _choices(self, "partner", [("", "Choose a partner"), *agencies])
        _choices(self, "category", [("", "Choose a category"), *((c.code, c.label) for c in profile.categories)])
        _choices(self, "tier", [("", "Choose a tier"), *((t.id, t.label) for t in profile.triage.tiers)])

    def received_at(self) -> datetime:
        """The date and time received, UK time: now for today without a time, else midday."""
        day = self.cleaned_data["received_on"]
        at: time | None = self.cleaned_data.get("received_time")
        if at is None:
            if day == timezone.localdate():
                return timezone.now()
            at = time(12, 0)
        return timezone.make_aware(datetime.combine(day, at))
