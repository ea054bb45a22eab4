"""The case page's notes, with the secure area for sensitive ones (WWH 3.0)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from haven.accounts.models import User
from haven.accounts.permissions import can_work_case
from haven.cases.forms.notes import NoteForm
from haven.cases.models import Case
from haven.cases.selectors.notes import case_notes
from haven.cases.services.notes import note_add
from haven.cases.views.core import case_form_post, case_part


@case_part
def _part(user: User, case: Case, forms: dict[str, Any]) -> dict[str, Any]:
    """Sensitive notes only for those who may read them (each page view audited once); others are
    told how many are withheld."""
    notes = case_notes(user=user, case=case)
    return {
        "case_notes": notes.notes,
        "notes_withheld": notes.withheld,
        "note_form": forms.get("note_form") or (NoteForm() if can_work_case(user, case) else None),
    }


@require_POST
def note_create(request: HttpRequest, reference: str) -> HttpResponse:
    def act(request: HttpRequest, user: User, case: Case, form: NoteForm) -> str:
        note = note_add(actor=user, case=case, text=form.cleaned_data["text"], sensitive=form.cleaned_data["sensitive"])
        messages.success(request, "Sensitive note added." if note.sensitive else "Note added.")
        return reverse("cases:case", args=[case.reference]) + "#notes"

    return case_form_post(
        request, reference, may=can_work_case, make_form=lambda data, case: NoteForm(data), act=act,
        form_key="note_form",
    )  # fmt: skip
