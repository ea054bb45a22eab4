"""The form to set a case's flags; ``cases.services.flags`` holds the rules. Flags that come from
the case's category are not offered: re-categorising changes those."""

from __future__ import annotations

from typing import Any

from django import forms

from haven.cases.models import Case, HateStrand
from haven.cases.services.flags import SETTABLE_FLAGS
from haven.common.stale import version_of


class FlagsForm(forms.Form):
    flags = forms.MultipleChoiceField(label="Flags", required=False, choices=[])
    hate_strands = forms.MultipleChoiceField(
        label="Strands of the hate incident", required=False, choices=HateStrand.choices
    )
    reason = forms.CharField(
        label="Why are the flags changing?", widget=forms.Textarea, max_length=2000,
        error_messages={"required": "Say why the flags are changing."},
    )  # fmt: skip
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, case: Case, from_category: set[str], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "flags")
        super().__init__(*args, **kwargs)
        self.case, self.from_category = case, from_category
        field = self.fields["flags"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(code, label) for code, label in SETTABLE_FLAGS.items() if code not in from_category]
        if not self.is_bound:
            self.initial.update(
                {
                    "flags": [f for f in case.flags if f in SETTABLE_FLAGS and f not in from_category],
                    "hate_strands": list(case.hate_strands or []),
                    "version": version_of(case.updated_at),
                }
            )

    def changes(self) -> tuple[list[str], list[str], list[str] | None]:
        """(add, remove, hate_strands) from the boxes ticked, against the case's flags."""
        offered = {code for code, _ in self.fields["flags"].choices}  # type: ignore[attr-defined]
        chosen = set(self.cleaned_data["flags"])
        current = set(self.case.flags) & offered
        strands = list(self.cleaned_data["hate_strands"])
        hate = "hate" in (chosen | (set(self.case.flags) & self.from_category))
        return sorted(chosen - current), sorted(current - chosen), strands if hate or strands else []
