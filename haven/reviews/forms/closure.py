"""The forms of the closure part of the case page: a manager's sign-off of a closure, and a
complaint about the case with its answer (whg 3.6-3.7). They parse input only; the rules are in
``reviews.services.closure``."""

from __future__ import annotations

from typing import Any

from django import forms

from haven.cases.models import Case, SignOff
from haven.common.forms import date_field, text_field
from haven.reviews.models import ComplaintAbout
from haven.reviews.services.closure import NOTE_MAX, REFERENCE_MAX, SUMMARY_MAX


class SignOffForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision", widget=forms.RadioSelect,
        choices=[(SignOff.SIGNED_OFF, "Sign off the closure"), (SignOff.RETURNED, "Return the case to the officer")],
        error_messages={"required": "Choose whether to sign off the closure or return it to the officer."},
    )  # fmt: skip
    note = text_field("Note for the officer", required=False, limit=NOTE_MAX,
                      help_text="Needed when you return the case: say what is still to do.")  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "signoff")
        super().__init__(*args, **kwargs)


class ComplaintForm(forms.Form):
    about = forms.ChoiceField(
        label="What is the complaint about", widget=forms.RadioSelect, choices=ComplaintAbout.choices,
        error_messages={
            "required": "Say whether the complaint is about how the case was handled or about its outcome."
        },
    )  # fmt: skip
    party = forms.ChoiceField(label="Who complained", required=False)
    received_on = date_field("Date received", "Enter the date the complaint was received.")
    summary = text_field("What the complaint says", missing="Say what the complaint is about.", limit=SUMMARY_MAX)
    complaints_reference = text_field(
        "Complaints reference (optional)", required=False, limit=REFERENCE_MAX, widget=forms.TextInput,
        help_text="The reference in the landlord's complaints system, if it has one yet.",
    )  # fmt: skip

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "complaint")
        super().__init__(*args, **kwargs)
        party = self.fields["party"]
        assert isinstance(party, forms.ChoiceField)
        people = [p for p in case.parties.all() if p.removed_at is None]
        party.choices = [
            ("", "Not said"),
            *((str(p.pk), f"{p.name or 'Anonymous'} ({p.get_role_display().lower()})") for p in people),
        ]
        self._people = {str(p.pk): p for p in people}

    def chosen_party(self) -> Any:
        return self._people.get(self.cleaned_data.get("party") or "")


class ComplaintAnswerForm(forms.Form):
    answered_on = date_field("Date answered", "Enter the date the complaint was answered.")
    answer = text_field("The answer given", missing="Say what the answer was.", limit=SUMMARY_MAX)

    def __init__(self, *args: Any, complaint_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"answer-{complaint_id}")
        super().__init__(*args, **kwargs)
