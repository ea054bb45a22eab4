"""Forms of the staff intake and triage pages: parse and check the input only; the services
(report_create, report_triage) decide everything the policy decides."""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from haven.accounts.models import User
from haven.common.errors import ApplicationError
from haven.intake.models import Channel, ContactPreference
from haven.policies.schema import Flag, PolicyProfile

# Every channel but the public online form, which reporters fill in themselves (WWH 3.0: any way
# is most convenient to them).
STAFF_CHANNELS = [(value, label) for value, label in Channel.choices if value != Channel.WEB]
YES_NO = [("yes", "Yes"), ("no", "No")]
OTHER_REASON = "other"
NEW_CASE = "new"
# The flags an adviser may add at triage (services.TRIAGE_FLAGS), in plain words.
TRIAGE_FLAG_CHOICES = [
    (Flag.HATE.value, "Hate incident"),
    (Flag.DOMESTIC_ABUSE.value, "Domestic abuse"),
    (Flag.SAFEGUARDING.value, "Safeguarding concern"),
    (Flag.STAFF_TARGETED.value, "Staff or contractors targeted"),
]


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ServiceErrorsMixin:
    """Show a service's ApplicationError on the form: each named field on its own input (through
    ``field_map`` where the service's name differs), the rest above the form."""

    field_map: dict[str, str] = {}
    first_field: str = ""

    @property
    def first_field_id(self) -> str:
        form: Any = self
        return form[self.first_field].auto_id if self.first_field else "main-content"

    def add_application_error(self, error: ApplicationError) -> None:
        form: Any = self
        placed = False
        for name, message in error.fields.items():
            target = self.field_map.get(name, name)
            if target in form.fields and not isinstance(form.fields[target].widget, forms.HiddenInput):
                form.add_error(target, message)
                placed = True
            else:
                form.add_error(None, message)
                placed = True
        if not placed:
            form.add_error(None, error.message)


def _text(label: str, *, required: bool = False, textarea: bool = False, help_text: str = "", **extra: Any) -> Any:
    widget = forms.Textarea(attrs={"rows": 3}) if textarea else forms.TextInput
    return forms.CharField(label=label, required=required, help_text=help_text, widget=widget, strip=False, **extra)


class IntakeForm(ServiceErrorsMixin, forms.Form):
    """A report taken by an adviser: the seven questions of WWH 3.0, where, who reported it, how
    and when it reached us. Defaults are the common case: a phone call, received now."""

    field_map = {"received_at": "received_on", "category": "category_suggested", "evidence": "evidence"}
    first_field = "what"

    token = forms.CharField(widget=forms.HiddenInput, required=False)
    reporter_person = forms.CharField(widget=forms.HiddenInput, required=False)
    property = forms.CharField(widget=forms.HiddenInput, required=False)

    channel = forms.ChoiceField(
        label="How did the report reach us?",
        choices=STAFF_CHANNELS,
        initial=Channel.PHONE.value,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how the report reached us",
            "invalid_choice": "Choose how the report reached us",
        },
    )
    received_on = forms.DateField(
        label="Date received",
        error_messages={"required": "Enter the date the report was received", "invalid": "Enter a real date"},
    )
    received_time = forms.TimeField(
        label="Time received",
        error_messages={
            "required": "Enter the time the report was received",
            "invalid": "Enter a real time, like 14:30",
        },
    )

    what = _text(
        "What happened?",
        required=True,
        textarea=True,
        help_text="In the caller's words, as far as you can.",
        error_messages={"required": "Enter what happened"},
    )
    where = _text(
        "Where did it happen?", textarea=True, help_text="For example the flat above, the car park, the stairs."
    )
    address = _text("Address, if not a property chosen above")
    postcode = _text("Postcode")
    who = _text("Who was involved?", textarea=True, help_text="Names or descriptions, if the caller knows them.")
    when = _text("When did it happen?", help_text="For example every night after 11pm.")
    happened_on = forms.DateField(
        label="Date of the latest incident (optional)",
        required=False,
        error_messages={"invalid": "Enter a real date for the latest incident"},
    )
    how_often = _text("How often does it happen?")
    steps_taken = _text("What has the caller done about it so far?", textarea=True)
    other_agencies = _text("Has the caller told anyone else, such as the police or the council?", textarea=True)

    anonymous = forms.BooleanField(
        label="The caller wants to stay anonymous",
        required=False,
        help_text="No name or contact details are kept, and we cannot update them.",
    )
    reporter_name = _text("Caller's name")
    reporter_phone = _text("Phone number")
    reporter_email = _text("E-mail address")
    preferred_contact = forms.ChoiceField(
        label="How would they like us to contact them?",
        choices=[("", "No preference"), *ContactPreference.choices],
        required=False,
        error_messages={"invalid_choice": "Choose how they would like us to contact them"},
    )
    communication_needs = _text(
        "Communication needs or reasonable adjustments",
        textarea=True,
        help_text="For example large print, an interpreter, a carer present.",
    )
    on_behalf_of = _text("Reporting for someone else? Their name")
    on_behalf_relationship = _text("Their relationship to the caller")
    targets_staff = forms.BooleanField(label="Our staff or contractors were targeted", required=False)
    category_suggested = forms.ChoiceField(label="What kind of ASB does it sound like?", required=False)
    evidence = forms.Field(
        label="Evidence files (optional)",
        required=False,
        widget=MultipleFileInput,
        help_text="Photos, audio, video, PDF or Word documents the caller has sent.",
    )

    def __init__(self, *args: Any, profile: PolicyProfile, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(
            self, "category_suggested", [("", "Not sure yet")] + [(c.code, c.label) for c in profile.categories]
        )
        self.fields["category_suggested"].error_messages["invalid_choice"] = "Choose a category from the list"
        if not self.is_bound:
            now = timezone.localtime()
            self.fields["received_on"].initial = now.date().isoformat()
            self.fields["received_time"].initial = now.strftime("%H:%M")

    @builtins.property  # the field "property" hides the builtin in this class body
    def first_field_id(self) -> str:
        # Problems with no one field are mostly about the register person or property chosen:
        # the caller search above the form is where they are put right.
        return "q"

    def received_at(self) -> datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.combine(data["received_on"], data["received_time"]))

    def service_values(self) -> dict[str, Any]:
        """The answers as report_create's keywords (except the objects the view resolves)."""
        data = self.cleaned_data
        names = [
            "channel", "what", "where", "who", "when", "happened_on", "how_often", "steps_taken", "other_agencies",
            "anonymous", "reporter_name", "reporter_phone", "reporter_email", "preferred_contact",
            "communication_needs", "on_behalf_of", "on_behalf_relationship", "targets_staff", "address", "postcode",
            "category_suggested",
        ]  # fmt: skip
        return {name: data[name] for name in names} | {"received_at": self.received_at()}


class TriageForm(ServiceErrorsMixin, forms.Form):
    """The decision on a report, by the landlord's profile: not ASB with reasons and advice
    (emh 3.8-3.9), or ASB: linked to an open case, or a category and the initial risk screen
    (emh 4.4) from which the tier is worked out unless the adviser chooses one."""

    field_map = {"flags": "extra_flags"}
    first_field = "is_asb"

    is_asb = forms.ChoiceField(
        label="Is this ASB under our policy?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether this is ASB under the policy"},
    )
    not_asb_reason = forms.ChoiceField(label="Why is it not ASB?", required=False, widget=forms.RadioSelect)
    other_reason = _text("If it is another reason, give it")
    advice_given = _text("Advice given", textarea=True)
    advice_routes = forms.MultipleChoiceField(
        label="Signposted to", required=False, widget=forms.CheckboxSelectMultiple
    )
    link_to_case = forms.ChoiceField(label="This may be about an open case", required=False, widget=forms.RadioSelect)
    category = forms.ChoiceField(label="Category of ASB", required=False)
    screen = forms.MultipleChoiceField(label="Initial risk screen", required=False, widget=forms.CheckboxSelectMultiple)
    tier = forms.ChoiceField(label="Tier", required=False)
    extra_flags = forms.MultipleChoiceField(
        label="Also flag it as", required=False, widget=forms.CheckboxSelectMultiple, choices=TRIAGE_FLAG_CHOICES
    )
    asb_advice = _text(
        "Advice given", textarea=True, help_text="Needed when the tier is advice only; otherwise optional."
    )
    details_confirmed = forms.BooleanField(label="The reporter's details have been confirmed", required=False)
    officer = forms.ChoiceField(label="Officer", required=False)

    def __init__(
        self, *args: Any, profile: PolicyProfile, candidates: list[Any], officers: list[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.profile = profile
        reasons = profile.not_asb.reasons
        reason_choices = [(f"reason-{n}", text) for n, text in enumerate(reasons, start=1)]
        _set_choices(self, "not_asb_reason", [*reason_choices, (OTHER_REASON, "Another reason")])
        self.reasons = dict(reason_choices)
        _set_choices(self, "advice_routes", [(r.code, r.label) for r in profile.not_asb.advice_routes])
        link_choices = [(case.reference, f"Add to case {case.reference}") for case in candidates]
        _set_choices(self, "link_to_case", [*link_choices, (NEW_CASE, "Open a new case")])
        self.fields["link_to_case"].initial = NEW_CASE
        _set_choices(self, "category", [("", "Choose a category")] + [(c.code, c.label) for c in profile.categories])
        _set_choices(self, "screen", [(q.code, q.text) for q in profile.risk_screen.questions])
        _set_choices(
            self, "tier", [("", "Work it out from the risk screen")] + [(t.id, t.label) for t in profile.tiers_by_rank]
        )
        officer_choices = [
            (str(u.pk), f"{u.display_name} ({u.get_role_display()}{f', {u.team.name}' if u.team else ''})")
            for u in officers
        ]
        _set_choices(self, "officer", [("", "Choose automatically by the policy's routing"), *officer_choices])
        for name in ("not_asb_reason", "link_to_case", "category", "tier", "officer"):
            self.fields[name].error_messages["invalid_choice"] = "Choose one of the options"
        for name in ("advice_routes", "screen", "extra_flags"):
            self.fields[name].error_messages["invalid_choice"] = "Choose from the options shown"
        self.officers = {str(u.pk): u for u in officers}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("is_asb") == "no":
            if not data.get("not_asb_reason"):
                self.add_error("not_asb_reason", "Choose why this is not ASB")
            elif data["not_asb_reason"] == OTHER_REASON and not (data.get("other_reason") or "").strip():
                self.add_error("other_reason", "Enter the reason this is not ASB")
        return data

    def add_application_error(self, error: ApplicationError) -> None:
        # The advice box belongs to whichever answer was given to "Is this ASB?".
        self.field_map = {**type(self).field_map, "advice_given": "asb_advice" if self.says_asb else "advice_given"}
        super().add_application_error(error)

    @property
    def says_asb(self) -> bool:
        return self.cleaned_data.get("is_asb") == "yes"

    def service_values(self) -> dict[str, Any]:
        """The decision as report_triage's keywords.

        The screen is sent whenever the tier is left to it or any answer is yes: the service never
        lowers the screen's harm-centred result below a chosen tier (emh 4.2).
        """
        data = self.cleaned_data
        if not self.says_asb:
            choice = data["not_asb_reason"]
            reason = data["other_reason"].strip() if choice == OTHER_REASON else self.reasons[choice]
            return {
                "is_asb": False,
                "not_asb_reason": reason,
                "advice_given": data["advice_given"],
                "advice_routes": data["advice_routes"],
            }
        values: dict[str, Any] = {"is_asb": True, "advice_given": data["asb_advice"]}
        link = data.get("link_to_case") or NEW_CASE
        if link != NEW_CASE:
            return values | {"link_to_case": link}
        answers = {q.code: q.code in data["screen"] for q in self.profile.risk_screen.questions}
        values |= {
            "category": data["category"] or None,
            "tier": data["tier"] or None,
            "extra_flags": data["extra_flags"],
            "details_confirmed": data["details_confirmed"],
            "officer": self.officers.get(data["officer"] or ""),
        }
        if not data["tier"] or any(answers.values()):
            values["screen"] = answers
        return values
