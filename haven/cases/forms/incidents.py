"""Forms for incidents, files and diary links on the case page, and the reporter's diary entry.
They parse input only; the rules are in ``cases.services.incidents``, ``.files`` and ``.diary``.
The diary entry form is seen by residents, so its words are translatable (Welsh for Welsh landlords)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from haven.cases.models import Case, FileKind, IncidentSource, PartyRole

DIARY_ROLES = (PartyRole.REPORTER, PartyRole.WITNESS)
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y"]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def _date(label: str, *, required: bool = True, help_text: str = "For example 27/03/2026") -> forms.DateField:
    return forms.DateField(
        label=label, required=required, input_formats=DATE_FORMATS, help_text=help_text,
        error_messages={"required": "Enter the date it happened.", "invalid": "Enter the date as DD/MM/YYYY."},
    )  # fmt: skip


def _time(
    label: StrOrPromise, *, required: bool = True, help_text: StrOrPromise = "24-hour clock, for example 21:30"
) -> forms.TimeField:
    return forms.TimeField(
        label=label, required=required, input_formats=["%H:%M", "%H.%M"], help_text=help_text,
        error_messages={"required": _("Enter the time it started."),
                        "invalid": _("Enter the time as HH:MM, like 21:30.")},
    )  # fmt: skip


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _until(day: date | None, at: time | None, until: time | None) -> datetime | None:
    """The end, on the day it started; an end earlier than the start is the next morning."""
    if day is None or at is None or until is None:
        return None
    end_day = day + timedelta(days=1) if until < at else day
    return _aware(end_day, until)


class IncidentForm(forms.Form):
    """An incident recorded by a caseworker (an officer's observation, a call, CCTV...)."""

    on = _date("Date it happened")
    at = _time("Time it started")
    until = _time(
        "Time it ended (optional)", required=False,
        help_text="If it went on past midnight, the time it ended the next morning",
    )  # fmt: skip
    source = forms.ChoiceField(
        label="Where the account came from", choices=[("", "Choose"), *IncidentSource.choices],
        error_messages={"required": "Choose where the account came from."},
    )  # fmt: skip
    party = forms.ChoiceField(label="Whose account it is (optional)", required=False)
    location = forms.CharField(label="Where (optional)", required=False, max_length=300)
    people = forms.CharField(label="Who was involved or saw it (optional)", required=False, widget=forms.Textarea)
    description = forms.CharField(
        label="What happened", widget=forms.Textarea, max_length=10_000,
        error_messages={"required": "Describe what happened."},
    )  # fmt: skip
    evidence = forms.Field(label="Evidence files (optional)", required=False, widget=MultipleFileInput)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "incident")
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        party = self.fields["party"]
        assert isinstance(party, forms.ChoiceField)
        party.choices = [("", "Nobody in particular")] + [
            (str(p.pk), f"{p.display_name} ({p.get_role_display().lower()})")
            for p in case.parties.all()
            if p.removed_at is None
        ]
        self.fields["until"].error_messages["invalid"] = "Enter the time it ended as HH:MM, like 23:15."
        if not self.is_bound:
            self.initial.setdefault("on", timezone.localdate().strftime("%d/%m/%Y"))
            self.initial.setdefault("source", IncidentSource.OFFICER)

    def occurred_at(self) -> datetime:
        return _aware(self.cleaned_data["on"], self.cleaned_data["at"])

    def occurred_until(self) -> datetime | None:
        data = self.cleaned_data
        return _until(data.get("on"), data.get("at"), data.get("until"))


class CaseFileForm(forms.Form):
    """One file added to the case: evidence, a witness statement or a document."""

    file = forms.Field(label="File", required=False, widget=forms.ClearableFileInput)
    kind = forms.ChoiceField(
        label="What it is", choices=[("", "Choose"), *FileKind.choices],
        error_messages={"required": "Choose what the file is."},
    )  # fmt: skip
    incident = forms.ChoiceField(label="The incident it shows (optional)", required=False)
    description = forms.CharField(label="Description (optional)", required=False, max_length=500)
    sensitive = forms.BooleanField(
        label="Keep it in the secure area", required=False,
        help_text="Only the case's officer, ASB specialists and team managers will see it (WWH 3.0).",
    )  # fmt: skip

    def __init__(self, *args: Any, incidents: list[Any] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "file")
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        incident = self.fields["incident"]
        assert isinstance(incident, forms.ChoiceField)
        incident.choices = [("", "None")] + [
            (str(i.pk), f"{timezone.localtime(i.occurred_at):%d/%m/%Y %H:%M}: {i.description[:50]}")
            for i in incidents or []
        ]


class DiaryLinkForm(forms.Form):
    """Send a diary link to the reporter (or a witness) who has an e-mail address."""

    party = forms.ChoiceField(label="Send to", error_messages={"required": "Choose who to send the link to."})

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "diary")
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        party = self.fields["party"]
        assert isinstance(party, forms.ChoiceField)
        party.choices = [
            (str(p.pk), f"{p.display_name} ({p.email})")
            for p in case.parties.all()
            if p.removed_at is None
            and not p.anonymous
            and p.email
            and p.role in (PartyRole.REPORTER, PartyRole.WITNESS)
        ]


class DiaryEntryForm(forms.Form):
    """The reporter's diary entry: GOV.UK date input (day, month, year), times, what happened."""

    day = forms.IntegerField(label=_("Day"), min_value=1, max_value=31, required=False)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    at = _time(_("What time did it start?"), help_text=_("For example 21:30"))
    until = _time(
        _("What time did it stop? (optional)"), required=False,
        help_text=_("If it went on past midnight, the time it stopped the next morning"),
    )  # fmt: skip
    location = forms.CharField(label=_("Where did it happen? (optional)"), required=False, max_length=300)
    people = forms.CharField(
        label=_("Who was involved, or who saw it? (optional)"), required=False, widget=forms.Textarea, max_length=2000
    )
    description = forms.CharField(
        label=_("What happened?"), widget=forms.Textarea, max_length=10_000,
        error_messages={"required": _("Tell us what happened.")},
    )  # fmt: skip
    evidence = forms.Field(
        label=_("Photos, recordings or documents (optional)"), required=False, widget=MultipleFileInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "diary-%s")
        super().__init__(*args, **kwargs)
        for name in ("day", "month", "year"):
            self.fields[name].error_messages.update(
                {"invalid": _("Enter the date as numbers, like 27 3 2026."),
                 "min_value": _("Enter a real date, like 27 3 2026."),
                 "max_value": _("Enter a real date, like 27 3 2026.")}
            )  # fmt: skip
        self.fields["until"].error_messages["invalid"] = _("Enter the time it stopped as HH:MM, like 23:15.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parts = [data.get("day"), data.get("month"), data.get("year")]
        if any(f in self.errors for f in ("day", "month", "year")):
            return data
        if None in parts:
            self.add_error("day", gettext("Enter the date it happened, with the day, month and year."))
            return data
        try:
            data["on"] = date(int(parts[2]), int(parts[1]), int(parts[0]))  # type: ignore[arg-type]
        except ValueError:
            self.add_error("day", gettext("Enter a real date, like 27 3 2026."))
        return data

    def occurred_at(self) -> datetime | None:
        data = self.cleaned_data
        return _aware(data["on"], data["at"]) if data.get("on") and data.get("at") else None

    def occurred_until(self) -> datetime | None:
        data = self.cleaned_data
        return _until(data.get("on"), data.get("at"), data.get("until"))
