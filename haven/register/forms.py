"""Forms of the register pages: parse and check the input only; the services decide the rest."""

from __future__ import annotations

from django import forms

from haven.common.errors import ApplicationError
from haven.register.models import ImportKind

CHOOSE_KIND = "Choose what the file holds"
CHOOSE_FILE = "Choose a CSV or Excel file to check"


class ImportForm(forms.Form):
    """The administrator's import page: which kind of file, the file, and whether it is the whole register.

    The file's type is decided by its content when it is read (``importing.reading``), never by
    its name, so nothing here looks at the extension.
    """

    kind = forms.ChoiceField(
        label="What does the file hold?",
        choices=ImportKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_KIND, "invalid_choice": CHOOSE_KIND},
    )
    file = forms.FileField(
        label="Upload the file",
        help_text="A CSV file in UTF-8 or an Excel .xlsx file, with the column names on the first line.",
        error_messages={
            "required": CHOOSE_FILE,
            "missing": CHOOSE_FILE,
            "invalid": "The file did not arrive whole. Choose it and try again",
            "empty": "The chosen file is empty",
        },
    )
    full_refresh = forms.BooleanField(
        label="This file holds the whole register: mark people and properties missing from it as ended",
        help_text="Nothing is deleted. Records that come back in a later file are no longer ended.",
        required=False,
    )

    @property
    def first_field_id(self) -> str:
        """Where a problem that belongs to no one field is linked from the error summary."""
        return self["kind"].auto_id

    def add_application_error(self, error: ApplicationError) -> None:
        """Show a service's refusal: on its fields where it names them, above the form otherwise."""
        named = {name: message for name, message in error.fields.items() if name in self.fields}
        for name, message in named.items():
            self.add_error(name, message)
        if not named:
            self.add_error(None, error.message)
