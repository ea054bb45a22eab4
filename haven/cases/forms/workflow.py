"""The close and reopen forms of the case page. They parse input only; ``case_transition`` holds
the rules (cases.workflow). The closure reasons and the conditions to confirm are the profile's
``closure`` section (issue 7)."""

from __future__ import annotations

from typing import Any

from django import forms

from haven.policies.schema import PolicyProfile

YES_NO = [("yes", "Yes, it was resolved"), ("no", "No, it was not resolved")]


class CloseForm(forms.Form):
    closure_reason = forms.ChoiceField(
        label="Why is the case closing",
        choices=[("", "Choose a reason")],
        error_messages={"required": "Choose why the case is being closed.",
                        "invalid_choice": "Choose why the case is being closed."},
    )  # fmt: skip
    resolved = forms.ChoiceField(
        label="Was the anti-social behaviour resolved?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the anti-social behaviour was resolved.",
                        "invalid_choice": "Say whether the anti-social behaviour was resolved."},
    )  # fmt: skip
    outcome = forms.CharField(
        label="Outcome", widget=forms.Textarea, max_length=5000,
        help_text="What happened and what was achieved; the reporter may be told this.",
        error_messages={"required": "Describe the outcome of the case."},
    )  # fmt: skip
    reason = forms.CharField(
        label="Reason for closing now", widget=forms.Textarea, max_length=2000,
        error_messages={"required": "Say why the case is being closed."},
    )  # fmt: skip
    confirmed = forms.MultipleChoiceField(
        label="Before closing, confirm", required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Tick only the conditions shown."},
    )  # fmt: skip

    def __init__(self, *args: Any, profile: PolicyProfile, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "close")
        super().__init__(*args, **kwargs)
        reason = self.fields["closure_reason"]
        assert isinstance(reason, forms.ChoiceField)
        reason.choices = [("", "Choose a reason"), *((r.code, r.label) for r in profile.closure.reasons)]
        confirmed = self.fields["confirmed"]
        assert isinstance(confirmed, forms.MultipleChoiceField)
        confirmed.choices = [(c.code, c.label) for c in profile.closure.conditions if c.kind == "confirm"]
        if not confirmed.choices:
            del self.fields["confirmed"]

    def resolved_value(self) -> bool:
        return self.cleaned_data["resolved"] == "yes"


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why is the case being reopened", widget=forms.Textarea, max_length=2000,
        error_messages={"required": "Say why the case is being reopened."},
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "reopen")
        super().__init__(*args, **kwargs)
