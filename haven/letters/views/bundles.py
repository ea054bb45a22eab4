"""Court evidence bundles of a case (issue 8; WWH 5.0): choose what goes in and what is redacted,
watch it being built (the page reloads itself), download the PDF (audited)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from haven.accounts.models import User
from haven.accounts.permissions import can_work_case
from haven.cases.models import Case
from haven.cases.views.core import add_errors, forbidden, load_case, see_other
from haven.common.errors import ApplicationError
from haven.common.forms import text_field
from haven.letters.models import BundleStatus, EvidenceBundle
from haven.letters.services.bundles import (
    CLAIM_MAX,
    COURT_MAX,
    TITLE_MAX,
    BundleAsked,
    BundleChoices,
    bundle_choices,
    bundle_downloaded,
    bundle_path,
    bundle_request,
)

REFRESH_SECONDS = 3
SHOWN = 20


def _ids(field: str) -> dict[str, Any]:
    return {
        "required": False,
        "widget": forms.CheckboxSelectMultiple,
        "label": field,
        "error_messages": {"invalid_choice": "Choose only from the list: something chosen is no longer on this case."},
    }


class BundleForm(forms.Form):
    title = text_field(
        "Title",
        missing="Enter a title for the bundle, such as the claim it is for.",
        limit=TITLE_MAX,
        widget=forms.TextInput,
        help_text="For example, Claim for an injunction.",
    )
    court = text_field("Court", required=False, limit=COURT_MAX, widget=forms.TextInput)
    claim_number = text_field("Claim number", required=False, limit=CLAIM_MAX, widget=forms.TextInput)
    incidents = forms.MultipleChoiceField(**_ids("Incidents (each is an allegation in the Scott schedule)"))
    documents = forms.MultipleChoiceField(**_ids("Statements, exhibits and documents"))
    letters = forms.MultipleChoiceField(**_ids("Letters sent"))
    agreements = forms.BooleanField(label="Put in the agreements and their breaches", required=False)
    redact = forms.MultipleChoiceField(**_ids("Redact these people's details"))
    redact_terms = text_field(
        "Other words to redact",
        required=False,
        limit=12_000,
        help_text="One a line: other people's names, addresses, phone numbers or car "
        "registrations. They become [redacted] wherever Haven writes them.",
    )

    def __init__(self, *args: Any, choices: BundleChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set(
            "incidents",
            [(str(i.pk), f"{i.occurred_at:%d/%m/%Y %H:%M}: {i.description[:120]}") for i in choices.incidents],
        )
        self._set(
            "documents",
            [
                (str(f.pk), f"{f.original_name} ({f.get_kind_display().lower()}{', sensitive' if f.sensitive else ''})")
                for f in choices.files
            ],
        )
        self._set(
            "letters",
            [(str(x.pk), f"{x.title} to {x.recipient_name}, {x.created_at:%d/%m/%Y}") for x in choices.letters],
        )
        self._set("redact", [(str(p.pk), f"{p.display_name} ({p.role_label})") for p in choices.parties])

    def _set(self, name: str, options: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = options

    def asked(self) -> BundleAsked:
        d = self.cleaned_data
        return BundleAsked(
            title=d["title"],
            court=d["court"],
            claim_number=d["claim_number"],
            incident_ids=[int(x) for x in d["incidents"]],
            file_ids=[int(x) for x in d["documents"]],
            letter_ids=[int(x) for x in d["letters"]],
            agreements=d["agreements"],
            redact_party_ids=[int(x) for x in d["redact"]],
            redact_terms=[line.strip() for line in d["redact_terms"].splitlines() if line.strip()],
        )


def _initial(case: Case, choices: BundleChoices) -> dict[str, Any]:
    """Everything in, the third parties redacted (privacy by default), the court from the legal action."""
    return {
        "title": "Evidence bundle",
        "court": choices.court,
        "claim_number": choices.claim_number,
        "incidents": [str(i.pk) for i in choices.incidents],
        "documents": [str(f.pk) for f in choices.files],
        "letters": [str(x.pk) for x in choices.letters],
        "agreements": True,
        "redact": [str(pk) for pk in choices.redact_by_default],
    }


def _page(request: HttpRequest, user: User, case: Case, form: BundleForm | None, status: int = 200) -> HttpResponse:
    bundles = EvidenceBundle.objects.filter(case=case).select_related("requested_by").defer("contents")
    context = {"case": case, "form": form, "bundles": bundles.order_by("-created_at")[:SHOWN]}
    return render(request, "letters/bundles.html", context, status=status)


@require_http_methods(["GET", "POST"])
def bundles_page(request: HttpRequest, reference: str) -> HttpResponse:
    """The case's bundles, newest first, and the form to make another."""
    user, case, refused = load_case(request, reference)
    if refused is not None:
        return refused
    assert user is not None and case is not None
    if not can_work_case(user, case):
        return forbidden(request)
    choices = bundle_choices(user=user, case=case)
    if request.method == "GET":
        return _page(request, user, case, BundleForm(initial=_initial(case, choices), choices=choices))
    form = BundleForm(request.POST, choices=choices)
    if form.is_valid():
        try:
            bundle = bundle_request(actor=user, case=case, asked=form.asked())
        except ApplicationError as error:
            add_errors(form, error)
        else:
            return see_other(reverse("letters:bundle", args=[case.reference, bundle.pk]))
    return _page(request, user, case, form, status=400)


def _bundle_of(request: HttpRequest, reference: str, bundle_id: int) -> tuple[Any, Any, HttpResponse | None]:
    user, case, refused = load_case(request, reference)
    if refused is not None:
        return None, None, refused
    assert user is not None and case is not None
    if not can_work_case(user, case):
        return None, None, forbidden(request)
    bundle = EvidenceBundle.objects.select_related("requested_by", "case").filter(case=case, pk=bundle_id).first()
    if bundle is None:
        return None, None, render(request, "404.html", status=404)
    return user, bundle, None


@require_GET
def bundle_page(request: HttpRequest, reference: str, bundle_id: int) -> HttpResponse:
    """One bundle: its progress while it is built, then its index and download."""
    _user, bundle, refused = _bundle_of(request, reference, bundle_id)
    if refused is not None:
        return refused
    in_progress = bundle.status in (BundleStatus.QUEUED, BundleStatus.BUILDING)
    not_reproduced = [e for e in bundle.contents if e.get("reason")]
    context = {
        "case": bundle.case,
        "bundle": bundle,
        "in_progress": in_progress,
        "refresh_seconds": REFRESH_SECONDS,
        "not_reproduced": not_reproduced,
    }
    response = render(request, "letters/bundle.html", context)
    if in_progress:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@require_GET
def bundle_pdf(request: HttpRequest, reference: str, bundle_id: int) -> HttpResponseBase:
    user, bundle, refused = _bundle_of(request, reference, bundle_id)
    if refused is not None:
        return refused
    path = bundle_path(bundle) if bundle.stored_name else None
    if bundle.status != BundleStatus.READY or path is None or not path.exists():
        return render(request, "404.html", status=404)
    bundle_downloaded(actor=user, bundle=bundle)
    filename = f"{bundle.case.reference}-evidence-bundle-{bundle.pk}.pdf"
    return FileResponse(path.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf")


urlpatterns = [
    path("cases/<str:reference>/bundles/", bundles_page, name="bundles"),
    path("cases/<str:reference>/bundles/<int:bundle_id>/", bundle_page, name="bundle"),
    path("cases/<str:reference>/bundles/<int:bundle_id>.pdf", bundle_pdf, name="bundle-pdf"),
]
