"""Forms of the risk part of the case page: the full risk and vulnerability assessment (every
question of the profile's matrix as radios), a support need, a safeguarding concern. They parse
input only; ``cases.services.risk`` holds the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from haven.cases.models import Case, Party, PartyRole, SafeguardingAbout, SupportNeedKind
from haven.policies.schema import PolicyProfile

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_HINT = "For example 27/03/2026"
YES_NO = [("yes", "Yes"), ("no", "No")]
ASSESSED_ROLES = (PartyRole.REPORTER, PartyRole.WITNESS, PartyRole.HOUSEHOLD)


def _date(label: str, *, required: bool, missing: str = "") -> forms.DateField:
    return forms.DateField(
        label=label, required=required, input_formats=DATE_FORMATS, help_text=DATE_HINT,
        error_messages={"required": missing or f"Enter the {label.lower()}.",
                        "invalid": "Enter the date as DD/MM/YYYY, for example 27/03/2026."},
    )  # fmt: skip


def _party_label(party: Party) -> str:
    return f"{party.display_name} ({party.get_role_display().lower()})"


def _current(case: Case) -> list[Party]:
    return [p for p in case.parties.all() if p.removed_at is None]


def question_field(code: str) -> str:
    return f"q_{code}"


def answer_renames(profile: PolicyProfile) -> dict[str, str]:
    """The service's field names to the form's: ``answers.<code>`` is that question's radios, and
    the assessment's time (not asked on the page) is reported against the party."""
    return {
        "assessed_at": "party",
        **{f"answers.{q.code}": question_field(q.code) for q in profile.risk_matrix.questions},
    }


class RiskAssessmentForm(forms.Form):
    """One fieldset of radios per question of the matrix (emh 4.4), for one chosen party."""

    party = forms.ChoiceField(
        label="Who is this assessment of", error_messages={"required": "Choose who this assessment is of."}
    )
    notes = forms.CharField(
        label="Notes (optional)", required=False, max_length=5000, widget=forms.Textarea,
        help_text="What the person told you, and what support was offered (emh 4.5).",
    )  # fmt: skip

    def __init__(self, *args: Any, case: Case, profile: PolicyProfile, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "risk")
        super().__init__(*args, **kwargs)
        self.matrix = profile.risk_matrix
        parties = [p for p in _current(case) if p.role in ASSESSED_ROLES]
        party = self.fields["party"]
        assert isinstance(party, forms.ChoiceField)
        party.choices = [("", "Choose a person"), *((str(p.pk), _party_label(p)) for p in parties)]
        for question in self.matrix.questions:
            self.fields[question_field(question.code)] = forms.ChoiceField(
                label=question.text, help_text=question.hint or "", widget=forms.RadioSelect,
                choices=[(o.code, o.label) for o in question.options],
                error_messages={"required": f"Answer the question: {question.text}",
                                "invalid_choice": f"Choose one of the answers to: {question.text}"},
            )  # fmt: skip
        # the notes come after the questions
        self.order_fields(["party", *(question_field(q.code) for q in self.matrix.questions), "notes"])

    @property
    def question_fields(self) -> list[forms.BoundField]:
        return [self[question_field(q.code)] for q in self.matrix.questions]

    def answers(self) -> dict[str, str]:
        return {q.code: self.cleaned_data[question_field(q.code)] for q in self.matrix.questions}


class SupportNeedForm(forms.Form):
    """A support need of a party, usually the reported person (emh 4.7-4.8)."""

    party = forms.ChoiceField(label="Whose need is it", error_messages={"required": "Choose whose need this is."})
    kind = forms.ChoiceField(
        label="Kind of need", choices=[("", "Choose a kind"), *SupportNeedKind.choices],
        error_messages={"required": "Choose the kind of need."},
    )  # fmt: skip
    description = forms.CharField(
        label="What is the need", widget=forms.Textarea, max_length=5000,
        help_text="How it affects the behaviour or the person's ability to cope.",
        error_messages={"required": "Describe the support need."},
    )  # fmt: skip
    referred_to = forms.CharField(
        label="Referred to (optional)", required=False, max_length=200,
        help_text="The agency or service, if a referral was made (emh 4.8).",
    )  # fmt: skip
    referred_on = _date("Date of the referral (optional)", required=False)
    outcome = forms.CharField(label="Outcome so far (optional)", required=False, max_length=5000, widget=forms.Textarea)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "support")
        super().__init__(*args, **kwargs)
        parties = sorted(_current(case), key=lambda p: (p.role != PartyRole.REPORTED, p.pk))
        party = self.fields["party"]
        assert isinstance(party, forms.ChoiceField)
        party.choices = [("", "Choose a person"), *((str(p.pk), _party_label(p)) for p in parties)]


class SafeguardingForm(forms.Form):
    """A safeguarding concern and its referral (emh 4.11-4.14; livv 4: the MASH)."""

    about = forms.ChoiceField(
        label="Who is the concern about", choices=SafeguardingAbout.choices, widget=forms.RadioSelect,
        error_messages={"required": "Say whether the concern is about an adult at risk or a child."},
    )  # fmt: skip
    party = forms.ChoiceField(label="Person in this case (optional)", required=False)
    concern = forms.CharField(
        label="What is the concern", widget=forms.Textarea, max_length=5000,
        error_messages={"required": "Describe the safeguarding concern."},
    )  # fmt: skip
    raised_on = _date("Date the concern was raised", required=True)
    referred = forms.ChoiceField(
        label="Has it been referred", choices=YES_NO, widget=forms.RadioSelect,
        error_messages={"required": "Say whether the concern has been referred."},
    )  # fmt: skip
    referred_to = forms.CharField(
        label="Referred to", required=False, max_length=200,
        help_text="For example the Multi Agency Safeguarding Hub (MASH), adult or children's social care.",
    )  # fmt: skip
    referred_on = _date("Date of the referral", required=False)
    referral_reference = forms.CharField(label="Their reference (optional)", required=False, max_length=100)
    no_referral_reason = forms.CharField(
        label="Why it has not been referred", required=False, max_length=5000, widget=forms.Textarea,
        help_text="For example: already known to social care, who were told on the same day.",
    )  # fmt: skip

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "safeguarding")
        super().__init__(*args, **kwargs)
        party = self.fields["party"]
        assert isinstance(party, forms.ChoiceField)
        party.choices = [("", "Nobody in particular"), *((str(p.pk), _party_label(p)) for p in _current(case))]
        if not self.is_bound:
            self.initial["raised_on"] = timezone.localdate().strftime("%d/%m/%Y")

    def clean(self) -> dict[str, Any]:
        """The answers under the radio not chosen were hidden; they are not part of the concern."""
        data = super().clean() or {}
        hidden = {"no": ("referred_to", "referred_on", "referral_reference"), "yes": ("no_referral_reason",)}
        for name in hidden.get(data.get("referred", ""), ()):
            self.errors.pop(name, None)
            data[name] = None if name == "referred_on" else ""
        return data
