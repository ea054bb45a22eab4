"""Form fields every app's pages share: a date typed as the GOV.UK pattern asks (27/03/2026)."""

from __future__ import annotations

from typing import Any

from django import forms

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%y"]
DATE_INVALID = "Enter the date as DD/MM/YYYY, for example 27/03/2026."
DATE_HINT = "For example 27/03/2026"


def date_field(label: str, missing: str = "", *, required: bool = True, **options: Any) -> forms.DateField:
    """A date field with plain messages: ``missing`` when it is required and left empty."""
    return forms.DateField(
        label=label, input_formats=DATE_FORMATS, required=required, help_text=options.pop("help_text", DATE_HINT),
        error_messages={"required": missing or f"Enter the {label.lower()}.", "invalid": DATE_INVALID}, **options,
    )  # fmt: skip


def text_field(
    label: str, *, required: bool = True, missing: str = "", limit: int = 5000, **options: Any
) -> forms.CharField:
    """A text field (a textarea unless ``widget`` says otherwise) with plain messages."""
    return forms.CharField(
        label=label, required=required, max_length=limit, widget=options.pop("widget", forms.Textarea),
        error_messages={"required": missing or f"Enter the {label.lower()}.",
                        "max_length": f"Write no more than {limit:,} characters here."},
        **options,
    )  # fmt: skip
