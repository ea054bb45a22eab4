"""The reporter's diary page: ``/diary/<signed>/``, no sign-in (the signed link is the key).

It shows only the case reference and the reporter's first name, never anyone else in the case. An
altered link is refused as not working; an expired or withdrawn link, or one for a closed case, gets
a plain page saying so, with the landlord's phone number when the profile has one. Entries go
through ``cases.services.diary.diary_entry_add`` and wait for an officer's review. Welsh landlords'
diary pages are in Welsh or English (WWH 2.0), chosen as on the public report form; everything else
is in English.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from haven.accounts.selectors import landlord_profile
from haven.cases.forms.incidents import DiaryEntryForm
from haven.cases.models import DiaryLink
from haven.cases.services.diary import LinkRefused, diary_entry_add, diary_link_open, first_name
from haven.cases.views.core import see_other
from haven.common.errors import ApplicationError
from haven.common.files import ALLOWED_TEXT, max_files, max_mb
from haven.common.languages import public_language
from haven.policies.registry import UnknownPolicy, get_profile
from haven.policies.schema import Country, PolicyProfile

SERVICE_FIELDS = {"occurred_at": "day", "occurred_until": "until", "files": "evidence"}
REFUSED_STATUS = {"invalid": 404, "expired": 410, "revoked": 410, "closed": 410}


def _bilingual(profile: PolicyProfile) -> bool:
    """Landlords in Wales offer the diary in Welsh and English (WWH 2.0), as their report form."""
    return profile.landlord.country == Country.WALES


def _refused_profile(refusal: LinkRefused) -> PolicyProfile | None:
    if not refusal.policy_id:
        return None
    try:
        return get_profile(refusal.policy_id)
    except UnknownPolicy:
        return None


def _refused(request: HttpRequest, refusal: LinkRefused) -> HttpResponse:
    """A link that cannot be used: in the landlord's languages when the landlord is known."""
    profile = _refused_profile(refusal)
    bilingual = profile is not None and _bilingual(profile)
    lang = public_language(request, bilingual=bilingual)
    with translation.override(lang):
        context = {
            "reason": refusal.reason, "landlord_name": gettext(refusal.landlord_name) if refusal.landlord_name else "",
            "phone": refusal.phone, "lang": lang, "bilingual": bilingual,
        }  # fmt: skip
        return render(request, "cases/diary/refused.html", context, status=REFUSED_STATUS.get(refusal.reason, 404))


def _language(request: HttpRequest, link: DiaryLink) -> str:
    return public_language(request, bilingual=_bilingual(landlord_profile(link.case.landlord)))


def _page(link: DiaryLink, lang: str) -> dict[str, object]:
    """The page's context; call with the page's language active (the landlord's name is translated)."""
    profile = landlord_profile(link.case.landlord)
    return {
        "reference": link.case.reference,
        "name": first_name(link.party),
        "landlord_name": gettext(profile.landlord.name),
        "phone": profile.landlord.complaints_phone or "",
        "expires_at": link.expires_at,
        "lang": lang,
        "bilingual": _bilingual(profile),
    }


def _errors(form: DiaryEntryForm) -> list[tuple[str, str]]:
    found = [(form["description"].auto_id, str(e)) for e in form.non_field_errors()]
    for field in form:
        found += [(field.auto_id, str(e)) for e in field.errors]
    return found


def _form_page(
    request: HttpRequest, link: DiaryLink, form: DiaryEntryForm, lang: str, status: int = 200
) -> HttpResponse:
    context = _page(link, lang) | {
        "form": form, "errors": _errors(form) if form.is_bound else [], "allowed": str(ALLOWED_TEXT),
        "max_mb": max_mb(), "max_files": max_files(),
    }  # fmt: skip
    return render(request, "cases/diary/form.html", context, status=status)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def diary_page(request: HttpRequest, token: str) -> HttpResponse:
    """The diary entry form (GET) and receiving an entry (POST)."""
    try:
        link = diary_link_open(signed=token)
    except LinkRefused as refusal:
        return _refused(request, refusal)
    lang = _language(request, link)
    with translation.override(lang):
        if request.method != "POST":
            return _form_page(request, link, DiaryEntryForm(), lang)
        return _receive(request, link, token, lang)


def _receive(request: HttpRequest, link: DiaryLink, token: str, lang: str) -> HttpResponse:
    form = DiaryEntryForm(request.POST)
    files = request.FILES.getlist("evidence")
    if form.is_valid():
        data = form.cleaned_data
        try:
            diary_entry_add(
                signed=token, occurred_at=form.occurred_at(), occurred_until=form.occurred_until(),
                location=data["location"], people=data["people"], description=data["description"], files=files,
                site_url=request.build_absolute_uri("/"),
            )  # fmt: skip
            return see_other(reverse("cases:diary-sent", args=[token]))
        except LinkRefused as refusal:
            return _refused(request, refusal)
        except ApplicationError as failure:
            if failure.code == "too_many":
                return render(request, "cases/diary/too_many.html", _page(link, lang), status=429)
            if not failure.fields:
                form.add_error(None, failure.message)
            for name, message in failure.fields.items():
                name = SERVICE_FIELDS.get(name, name)
                form.add_error(name if name in form.fields else None, message)
    if files:  # browsers never keep chosen files on a page sent back, so say so where they look
        form.add_error("evidence", gettext("Attach your files again: files are not kept when an entry has a problem."))
    return _form_page(request, link, form, lang, status=400)


@login_not_required
@never_cache
@require_GET
def diary_sent(request: HttpRequest, token: str) -> HttpResponse:
    """The confirmation after an entry, with the way back to add another."""
    try:
        link = diary_link_open(signed=token)
    except LinkRefused as refusal:
        return _refused(request, refusal)
    lang = _language(request, link)
    with translation.override(lang):
        return render(request, "cases/diary/sent.html", _page(link, lang) | {"token": token})
