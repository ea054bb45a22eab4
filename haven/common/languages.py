"""Choosing the language of a public page (no sign-in) for a resident.

Landlords in Wales offer their public pages in Welsh and English (WWH 2.0; Welsh Language
Standards). Whether a landlord is bilingual is the caller's question (it needs the policy
profile); this module only picks the language: ``?lang=cy`` or ``?lang=en`` (kept in the session,
so every public page of the visit follows it), else the browser's Accept-Language.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import translation

SESSION_LANGUAGE = "haven_public_language"
CHOICES = ("cy", "en")


def public_language(request: HttpRequest, *, bilingual: bool) -> str:
    """``?lang=cy`` or ``?lang=en`` (kept in the session), else the browser's choice; English
    when the landlord is not bilingual."""
    if not bilingual:
        return "en"
    asked = request.GET.get("lang") or request.POST.get("lang")
    if asked in CHOICES:
        if request.session.get(SESSION_LANGUAGE) != asked:
            request.session[SESSION_LANGUAGE] = asked
        return str(asked)
    kept = request.session.get(SESSION_LANGUAGE)
    if kept in CHOICES:
        return str(kept)
    return "cy" if translation.get_language_from_request(request).startswith("cy") else "en"
