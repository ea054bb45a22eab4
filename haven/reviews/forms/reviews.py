"""Forms of case reviews (WWH 5.0): record a review against the landlord's checklist, and a team
manager's sign-off of one (``reviews.manager_signoff``).

They parse input only; the rules (every question answered, a reason for the conclusion, who may
sign off) are in ``reviews.services.reviews``. Each form has its own prefix so that field ids do
not clash on the case page.
"""

from __future__ import annotations

from typing import Any

from django import forms

from haven.cases.models import SignOff
from haven.policies.schema import PolicyProfile
from haven.reviews.models import Conclusion, Review
from haven.reviews.services.reviews import answer_field

THRESHOLD_CHOICES = [("yes", "Yes"), ("no", "No"), ("unsure", "Not sure yet")]
THRESHOLD_VALUES: dict[str, bool | None] = {"yes": True, "no": False, "unsure": None, "": None}
DECISION_CHOICES = [(SignOff.SIGNED_OFF.value, "Sign it off"), (SignOff.RETURNED.value, "Return it to the officer")]


def _text(label: str, limit: int, **options: Any) -> forms.CharField:
    return forms.CharField(
        label=label, widget=forms.Textarea, max_length=limit, required=False,
        error_messages={"max_length": f"Write no more than {limit:,} characters."}, **options,
    )  # fmt: skip


class ReviewForm(forms.Form):
    """One text answer for each question of the profile's checklist (``answer_<code>``), the
    officer's view on the ASB Case Review threshold, the conclusion and why."""

    threshold_met = forms.ChoiceField(
        label="In your view, does the case reach the ASB Case Review threshold?", choices=THRESHOLD_CHOICES,
        required=False,
    )  # fmt: skip
    conclusion = forms.ChoiceField(
        label="Your conclusion", choices=Conclusion.choices,
        error_messages={"required": "Choose the conclusion of the review: continue, escalate, de-escalate or close.",
                        "invalid_choice": "Choose a conclusion from the list."},
    )  # fmt: skip
    conclusion_note = _text("Why you came to this conclusion", 5000)

    def __init__(self, *args: Any, profile: PolicyProfile, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "review-add")
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.checklist = profile.reviews.checklist
        answers = {f"answer_{item.code}": _text(item.label, 5000, help_text=item.hint or "") for item in self.checklist}
        self.fields = {**answers, **self.fields}

    def answer_fields(self) -> list[forms.BoundField]:
        return [self[f"answer_{item.code}"] for item in self.checklist]

    def answers(self) -> dict[str, str]:
        return {item.code: self.cleaned_data.get(f"answer_{item.code}") or "" for item in self.checklist}

    def threshold(self) -> bool | None:
        return THRESHOLD_VALUES.get(self.cleaned_data.get("threshold_met") or "")

    def renames(self) -> dict[str, str]:
        """The service's names of the answers as this form's fields (for ``add_errors``)."""
        return {answer_field(item.code): f"answer_{item.code}" for item in self.checklist}


class SignOffForm(forms.Form):
    """A team manager signs a review off or returns it to the officer with a note."""

    decision = forms.ChoiceField(
        label="Your decision", choices=DECISION_CHOICES,
        error_messages={"required": "Choose whether to sign the review off or return it to the officer.",
                        "invalid_choice": "Choose whether to sign the review off or return it to the officer."},
    )  # fmt: skip
    note = _text("Note (needed to return it)", 5000, help_text="What the officer should look at again")

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"review-{review.pk}-signoff")
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.review = review
