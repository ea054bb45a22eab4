"""Forms of the case page: record a contact, re-categorise. They parse input only; the services
(cases.services) hold the rules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from haven.cases.models import Case, ContactChannel
from haven.policies.schema import PolicyProfile


def _choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class ContactForm(forms.Form):
    party = forms.ChoiceField(label="Who with", required=False)
    channel = forms.ChoiceField(label="How", choices=[("", "Choose how"), *ContactChannel.choices])
    on = forms.DateField(
        label="Date", input_formats=["%Y-%m-%d", "%d/%m/%Y"], help_text="For example 27/03/2026",
        error_messages={"required": "Enter the date of the contact.", "invalid": "Enter the date as DD/MM/YYYY."},
    )  # fmt: skip
    time = forms.TimeField(
        label="Time", input_formats=["%H:%M"], help_text="24-hour clock, for example 14:30",
        error_messages={"required": "Enter the time of the contact.", "invalid": "Enter the time as HH:MM."},
    )  # fmt: skip
    summary = forms.CharField(
        label="Summary", widget=forms.Textarea, max_length=5000,
        error_messages={"required": "Write a short summary of the contact."},
    )  # fmt: skip

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(
            self,
            "party",
            [("", "Nobody in particular")]
            + [(str(p.pk), f"{p.display_name} ({p.get_role_display().lower()})") for p in case.parties.all()],
        )
        self.fields["channel"].error_messages["required"] = "Choose how the contact was made."
        if not self.is_bound:
            now = timezone.localtime()
            self.initial.setdefault("on", now.strftime("%d/%m/%Y"))
            self.initial.setdefault("time", now.strftime("%H:%M"))

    def at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.cleaned_data["on"], self.cleaned_data["time"]))


class RecategoriseForm(forms.Form):
    tier = forms.ChoiceField(label="Tier")
    category = forms.ChoiceField(label="Category")
    reason = forms.CharField(
        label="Why", widget=forms.Textarea, max_length=5000,
        help_text="What has changed: the behaviour, the risk, or what we now know (emh 4.3; WWH 3.0).",
        error_messages={"required": "Say why the case is being re-categorised."},
    )  # fmt: skip

    def __init__(self, *args: Any, case: Case, profile: PolicyProfile, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "tier", [(t.id, t.label) for t in profile.tiers_by_rank if t.opens_case])
        _choices(self, "category", [(c.code, c.label) for c in profile.categories])
        if not self.is_bound:
            self.initial.update({"tier": case.tier, "category": case.category})
