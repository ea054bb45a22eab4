"""The form to add a case note; ``cases.services.notes`` holds the rules."""

from __future__ import annotations

from typing import Any

from django import forms


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Note", widget=forms.Textarea, max_length=10000, error_messages={"required": "Write the note."}
    )
    sensitive = forms.BooleanField(
        label="Sensitive: only the case officer, ASB specialists and team managers may read it",
        required=False,
        help_text="For example health details or what a partner agency shared in confidence (WWH 3.0).",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "note")
        super().__init__(*args, **kwargs)
