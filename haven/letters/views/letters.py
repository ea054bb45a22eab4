"""Letters on the case page (issue 8): the letters made, the form to make one, and their PDF and
Word files (downloads are audited, and shown on the timeline with "show views")."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST

from haven.accounts.models import User
from haven.accounts.permissions import can_work_case
from haven.cases.models import Case
from haven.cases.views.core import case_form_post, case_part, load_case, party_of
from haven.common.forms import text_field
from haven.letters.defaults import default_letters
from haven.letters.models import Letter, LetterFormat
from haven.letters.services.letters import DETAILS_MAX, letter_downloaded, letter_make

SECTION = "#letters"
FILES = {
    "pdf": ("application/pdf", "pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
}


class LetterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Letter",
        error_messages={"required": "Choose the letter.", "invalid_choice": "Choose one of the letters listed."},
    )
    party = forms.ChoiceField(
        label="To",
        error_messages={"required": "Choose who the letter is to.",
                        "invalid_choice": "Choose one of the people on this case."},
    )  # fmt: skip
    details = text_field("What to say about this case", required=False, limit=DETAILS_MAX,
                         help_text="Goes where the letter says {{ details }}: the behaviour, dates, or what you "
                         "ask for. Never the reporter's details in a letter to anyone else.")  # fmt: skip
    format = forms.ChoiceField(
        label="Format", required=False, widget=forms.RadioSelect,
        choices=[("", "As their communication needs say"), *LetterFormat.choices],
    )  # fmt: skip
    email = forms.BooleanField(label="Also e-mail it to them (the PDF)", required=False)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "letter")
        super().__init__(*args, **kwargs)
        kind, party = self.fields["kind"], self.fields["party"]
        assert isinstance(kind, forms.ChoiceField) and isinstance(party, forms.ChoiceField)
        kind.choices = [("", "Choose a letter"), *((d.kind, d.title) for d in default_letters().values())]
        people = [p for p in case.parties.all() if p.removed_at is None and not p.anonymous]
        party.choices = [("", "Choose a person"), *((str(p.pk), f"{p.display_name} ({p.role_label})") for p in people)]


@case_part
def _part(user: User, case: Case, forms_shown: dict[str, Any]) -> dict[str, Any]:
    """The case's letters, newest first, without their files (one query), and the form."""
    letters = list(
        Letter.objects.filter(case=case)
        .defer("pdf", "docx", "body")
        .select_related("created_by")
        .order_by("-created_at")
    )
    form = forms_shown.get("letter_form") or (LetterForm(case=case) if can_work_case(user, case) else None)
    return {"letters": letters, "letter_form": form}


@require_POST
def letter_make_page(request: HttpRequest, reference: str) -> HttpResponse:
    def act(request: HttpRequest, user: User, case: Case, form: LetterForm) -> str:
        d = form.cleaned_data
        letter = letter_make(actor=user, case=case, kind=d["kind"], party=party_of(case, d["party"]),
                             details=d["details"], fmt=d["format"], email=d["email"])  # fmt: skip
        said = f"{letter.title} made for {letter.recipient_name}."
        messages.success(request, said + (" It will be e-mailed to them." if letter.email_to else ""))
        return reverse("cases:case", args=[case.reference]) + SECTION

    return case_form_post(
        request, reference, may=can_work_case, make_form=lambda data, case: LetterForm(data, case=case), act=act,
        form_key="letter_form",
    )  # fmt: skip


@require_GET
def letter_file(request: HttpRequest, reference: str, letter_id: int, what: str) -> HttpResponse:
    user, case, refused = load_case(request, reference)
    if refused is not None:
        return refused
    assert user is not None and case is not None
    letter = Letter.objects.filter(case=case, pk=letter_id).first()
    if letter is None or what not in FILES:
        return render(request, "404.html", status=404)
    letter_downloaded(actor=user, letter=letter, what=what.upper())
    content_type, extension = FILES[what]
    response = HttpResponse(bytes(getattr(letter, what)), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{case.reference}-{letter.kind}-{letter.pk}.{extension}"'
    return response


urlpatterns = [
    path("cases/<str:reference>/letters/", letter_make_page, name="letter-make"),
    path("cases/<str:reference>/letters/<int:letter_id>.<str:what>", letter_file, name="letter-file"),
]
