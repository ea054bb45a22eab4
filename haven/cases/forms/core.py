"""Forms of the case page: record a contact, re-categorise. They parse input only; the services
(cases.services) hold the rules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from haven.cases.models import Case, ContactChannel
from haven.cases.selectors import plan_of
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
        kwargs.setdefault("auto_id", "contact-%s")  # three forms on one page: ids must not clash
        super().__init__(*args, **kwargs)
        _choices(
            self,
            "party",
            [("", "Nobody in particular")]
            + [
                (str(p.pk), f"{p.display_name} ({p.get_role_display().lower()})")
                for p in case.parties.all()
                if p.removed_at is None
            ],
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
        kwargs.setdefault("auto_id", "recategorise-%s")
        super().__init__(*args, **kwargs)
        _choices(self, "tier", [(t.id, t.label) for t in profile.tiers_by_rank if t.opens_case])
        _choices(self, "category", [(c.code, c.label) for c in profile.categories])
        if not self.is_bound:
            self.initial.update({"tier": case.tier, "category": case.category})


class ContactPlanForm(forms.Form):
    """How and how often the reporter wants to hear from us (whg 2.5)."""

    party = forms.ChoiceField(label="Agreed with", error_messages={"required": "Choose who the plan is agreed with."})
    channel = forms.ChoiceField(
        label="How they want updates", choices=[("", "Choose how"), *ContactChannel.choices],
        error_messages={"required": "Choose how they want to be updated."},
    )  # fmt: skip
    every_days = forms.IntegerField(
        label="How often, in days", help_text="For example 7 for weekly, 14 for every two weeks", min_value=1,
        max_value=90, error_messages={"required": "Say how often, as a number of days.",
                                      "invalid": "Say how often as a whole number of days, like 7.",
                                      "min_value": "Say how often, as a number of days from 1 to 90.",
                                      "max_value": "Say how often, as a number of days from 1 to 90."},
    )  # fmt: skip
    notes = forms.CharField(
        label="Anything to note (optional)", required=False, max_length=2000, widget=forms.Textarea,
        help_text="For example: text first; not after 6pm; an interpreter for Polish",
    )  # fmt: skip

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "plan-%s")
        super().__init__(*args, **kwargs)
        parties = [p for p in case.parties.all() if not p.anonymous and p.role != "agency" and p.removed_at is None]
        _choices(self, "party", [(str(p.pk), f"{p.display_name} ({p.get_role_display().lower()})") for p in parties])
        plan = plan_of(case)
        if not self.is_bound and plan is not None:
            self.initial.update(
                {
                    "party": str(plan.party_id),
                    "channel": plan.channel,
                    "every_days": plan.every_days,
                    "notes": plan.notes,
                }
            )


class ReassignForm(forms.Form):
    officer = forms.ChoiceField(
        label="New officer", error_messages={"required": "Choose the officer who will take the case."}
    )
    reason = forms.CharField(
        label="Why", widget=forms.Textarea, max_length=2000,
        error_messages={"required": "Say why the case is being reassigned."},
    )  # fmt: skip

    def __init__(self, *args: Any, staff: list[Any], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "reassign-%s")
        super().__init__(*args, **kwargs)
        people = [(str(u.pk), f"{u.display_name} ({u.get_role_display().lower()})") for u in staff]
        _choices(self, "officer", [("", "Choose an officer"), *people])
