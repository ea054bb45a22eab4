"""The administrator's letters (issue 8): the letterhead details, every letter with its current
version, and editing one: preview the new wording against a real case of the landlord, then
publish it as the next version. Unknown placeholders are named at preview and at publish."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from haven.accounts.models import User
from haven.accounts.permissions import is_landlord_staff
from haven.cases.views.core import add_errors, forbidden, see_other
from haven.common.errors import ApplicationError
from haven.common.forms import text_field
from haven.letters.defaults import default_letters
from haven.letters.models import LetterSettings, LetterTemplate
from haven.letters.placeholders import PLACEHOLDERS
from haven.letters.services.letters import letter_template_current
from haven.letters.services.templates import (
    BODY_MAX,
    SUBJECT_MAX,
    letter_settings_save,
    may_edit_letters,
    template_preview,
    template_publish,
)


class SettingsForm(forms.Form):
    address = text_field("Address", required=False, limit=500, help_text="One line each.")
    phone = text_field("Phone", required=False, limit=30, widget=forms.TextInput)
    email = forms.EmailField(label="E-mail", required=False, error_messages={"invalid": "Enter an e-mail address."})
    website = text_field("Website", required=False, limit=200, widget=forms.TextInput)


class TemplateForm(forms.Form):
    subject = text_field("Subject line", missing="Enter the subject line.", limit=SUBJECT_MAX, widget=forms.TextInput)
    body = text_field(
        "Wording", missing="Enter the wording of the letter.", limit=BODY_MAX,
        help_text="Leave a blank line between paragraphs. Placeholders are written {{ name }}.",
    )  # fmt: skip
    case = text_field("Preview with case", required=False, limit=20, widget=forms.TextInput,
                      help_text="A case reference of yours, such as ASB-2026-000123.")  # fmt: skip


def _admin(request: HttpRequest) -> Any:
    user = request.user
    return user if isinstance(user, User) and is_landlord_staff(user) and may_edit_letters(user) else None


@require_http_methods(["GET", "POST"])
def letters_page(request: HttpRequest) -> HttpResponse:
    user = _admin(request)
    if user is None:
        return forbidden(request)
    found = LetterSettings.objects.filter(landlord=user.landlord).first()
    status = 200
    if request.method == "POST":
        form = SettingsForm(request.POST)
        if form.is_valid():
            try:
                letter_settings_save(actor=user, **form.cleaned_data)
            except ApplicationError as error:
                add_errors(form, error)
            else:
                messages.success(request, "Letter details saved.")
                return see_other(reverse("letters:letters"))
        status = 400
    else:
        initial = {k: getattr(found, k) for k in ("address", "phone", "email", "website")} if found else {}
        form = SettingsForm(initial=initial)
    versions = dict(LetterTemplate.objects.filter(landlord=user.landlord).order_by("version")
                    .values_list("kind", "version"))  # fmt: skip
    rows = [{"letter": d, "version": versions.get(d.kind, 0)} for d in default_letters().values()]
    return render(request, "letters/letters.html", {"form": form, "rows": rows}, status=status)


@require_http_methods(["GET", "POST"])
def template_page(request: HttpRequest, kind: str) -> HttpResponse:
    user = _admin(request)
    if user is None:
        return forbidden(request)
    if kind not in default_letters():
        return render(request, "404.html", status=404)
    current = letter_template_current(user.landlord, kind)
    preview, status = None, 200
    if request.method == "POST":
        form = TemplateForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                if "publish" in request.POST:
                    template = template_publish(actor=user, kind=kind, subject=d["subject"], body=d["body"])
                    messages.success(request, f"{current.title}: version {template.version} published.")
                    return see_other(reverse("letters:letters"))
                preview = template_preview(
                    actor=user, kind=kind, reference=d["case"], subject=d["subject"], body=d["body"]
                )
            except ApplicationError as error:
                add_errors(form, error)
        status = 400 if form.errors else 200
    else:
        form = TemplateForm(initial={"subject": current.subject, "body": current.body})
    context = {"form": form, "current": current, "preview": preview, "placeholders": PLACEHOLDERS}
    return render(request, "letters/template.html", context, status=status)


urlpatterns = [
    path("letters/", letters_page, name="letters"),
    path("letters/<str:kind>/", template_page, name="template"),
]
