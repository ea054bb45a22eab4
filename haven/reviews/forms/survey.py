"""The survey's form (whg 3.3; TSM TP12): one field per question of the profile's ``survey``, in
the reporter's words on the public page, with how the answers came for staff recording a phone
call or a paper form. It parses input only: ``services.survey`` checks the answers again."""

from __future__ import annotations

from typing import Any

from django import forms

from haven.policies.schema import PolicyProfile
from haven.reviews.models import SurveyVia
from haven.reviews.services.survey import TEXT_MAX


class SurveyForm(forms.Form):
    """``language`` picks the question's Welsh wording where the profile has one (WWH 2.0)."""

    def __init__(self, *args: Any, profile: PolicyProfile, language: str = "en", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        landlord = profile.landlord.short_name
        self.codes = []
        for question in profile.survey.questions:
            label = question.wording(landlord, language)
            self.codes.append(question.code)
            if question.kind == "text":
                self.fields[question.code] = forms.CharField(
                    label=label, required=False, widget=forms.Textarea, max_length=TEXT_MAX,
                    error_messages={"max_length": f"Write no more than {TEXT_MAX:,} characters."},
                )  # fmt: skip
            else:
                message = "Answer this question: it is the one we must ask everyone."
                self.fields[question.code] = forms.ChoiceField(
                    label=label, required=question.required, choices=question.choices(), widget=forms.RadioSelect,
                    error_messages={"required": message, "invalid_choice": "Choose one of the answers shown."},
                )  # fmt: skip

    @property
    def first_field_id(self) -> str:
        return self[self.codes[0]].auto_id if self.codes else ""

    def answers(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(code) or "" for code in self.codes}


class SurveyRecordForm(SurveyForm):
    """Answers a caseworker keys in: asked by phone, or from a paper form the reporter sent back."""

    via_channel = forms.ChoiceField(
        label="How were the answers given", choices=[(SurveyVia.PHONE, "By phone"), (SurveyVia.PAPER, "On paper")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the answers were given by phone or on paper."},
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "survey")
        super().__init__(*args, **kwargs)
        self.order_fields(["via_channel", *self.codes])
