"""The outcome of a support need or a safeguarding concern, one small form per row of the risk part."""

from __future__ import annotations

from typing import Any

from django import forms

from haven.common.stale import renew_version, version_of


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label="Outcome", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
        help_text="The agency's response, or what changed.",
        error_messages={"required": "Say what came of it: the agency's response or what changed."},
    )  # fmt: skip
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    @classmethod
    def for_record(cls, record: Any, prefix: str) -> OutcomeForm:
        return cls(prefix=prefix, initial={"outcome": record.outcome, "version": version_of(record.updated_at)})

    @staticmethod
    def kept(form: OutcomeForm | None, record: Any) -> OutcomeForm | None:
        """A form sent back with errors, as typed, carrying the record's current version."""
        if form is None:
            return None
        renew_version(form, version_of(record.updated_at))
        return form
