"""The public report form: a resident reports ASB to their landlord without signing in.

``/report/<slug>/`` shows the form and receives it through ``report_create``; success redirects
(POST/redirect/GET) to ``/report/<slug>/received/``, which reads the reference from the session,
never from the address. Welsh landlords' forms are in Welsh or English (WWH 2.0); everything else
is in English. A one-time form token stops a double click making two reports, a field only robots
fill in stops simple spam, and each address may send ``HAVEN_PUBLIC_REPORTS_PER_HOUR`` reports an
hour before it is asked to phone instead.
"""

from __future__ import annotations

import re
import secrets
import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from haven.accounts.models import Landlord
from haven.accounts.selectors import landlord_by_slug, landlord_profile
from haven.common.errors import ApplicationError
from haven.common.languages import public_language
from haven.intake.evidence import ALLOWED_TEXT
from haven.intake.messages import what_happens_next
from haven.intake.models import Channel, Report
from haven.intake.public_forms import SERVICE_FIELDS, PublicReportForm
from haven.intake.ratelimit import client_hash, limit_count, limit_reached
from haven.intake.services import report_create
from haven.policies.schema import Country, PolicyProfile

SESSION_DONE = "haven_public_done"  # form token → reference, for a second post of the same form
SESSION_RECEIVED = "haven_public_received"  # landlord slug → the report just made, for the confirmation
DONE_KEPT = 20
RATE_SCOPE = "public-report"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
PENDING = "pending"
WAIT_SECONDS = 10  # how long a second click waits for the first one's report
REPOST_SECONDS = 60 * 60  # how long a token's report is remembered outside the session


def _landlord(slug: str) -> Landlord | None:
    # A landlord's public identity only (its slug is in the published link), so no user scope.
    return landlord_by_slug(slug)


def _bilingual(profile: PolicyProfile) -> bool:
    """Landlords in Wales offer the form in Welsh and English (WWH 2.0; Welsh Language Standards)."""
    return profile.landlord.country == Country.WALES


def _language(request: HttpRequest, profile: PolicyProfile) -> str:
    """``?lang=cy`` or ``?lang=en`` (kept in the session), else the browser's choice; English
    for landlords outside Wales."""
    return public_language(request, bilingual=_bilingual(profile))


def _not_found(request: HttpRequest) -> HttpResponse:
    with translation.override("en"):
        return render(request, "intake/public/not_found.html", {"lang": "en"}, status=404)


def _page(landlord: Landlord, profile: PolicyProfile, lang: str) -> dict[str, object]:
    return {
        "slug": landlord.slug,
        "profile": profile,
        "landlord_name": gettext(profile.landlord.name),
        "lang": lang,
        "bilingual": _bilingual(profile),
    }


def _errors(form: PublicReportForm) -> list[tuple[str, str]]:
    """The error summary: (the id to jump to, the message), in the order of the page."""
    first = form["what"].auto_id
    found = [(first, str(e)) for e in form.non_field_errors()]
    for field in form:
        found += [(field.auto_id, str(e)) for e in field.errors]
    return found


def _render_form(
    request: HttpRequest,
    form: PublicReportForm,
    landlord: Landlord,
    profile: PolicyProfile,
    lang: str,
    *,
    status: int = 200,
) -> HttpResponse:
    context = _page(landlord, profile, lang) | {
        "form": form,
        "errors": _errors(form) if form.is_bound else [],
        "allowed": str(ALLOWED_TEXT),
        "max_mb": settings.HAVEN_EVIDENCE_MAX_MB,
        "max_files": settings.HAVEN_EVIDENCE_MAX_FILES,
        "explanation": gettext(profile.anonymous_reports.explanation),
    }
    return render(request, "intake/public/form.html", context, status=status)


def _remember(request: HttpRequest, slug: str, token: str, reference: str, anonymous: bool) -> None:
    done = dict(request.session.get(SESSION_DONE, {}))
    if token:
        done[token] = {"reference": reference, "anonymous": anonymous}
    request.session[SESSION_DONE] = dict(list(done.items())[-DONE_KEPT:])
    received = dict(request.session.get(SESSION_RECEIVED, {}))
    received[slug] = {"reference": reference, "anonymous": anonymous}
    request.session[SESSION_RECEIVED] = received


def _lock(token: str) -> str:
    return f"haven:public-form:{token}"


def _let_go(token: str) -> None:
    if token:
        cache.delete(_lock(token))


def _already_made(request: HttpRequest, token: str) -> dict[str, object] | None:
    """The report this form token already made: from this session, or from a first click that is
    still being saved (waited for briefly)."""
    if not token:
        return None
    done = request.session.get(SESSION_DONE, {})
    if token in done:
        return dict(done[token])
    lock = _lock(token)
    if cache.add(lock, PENDING, timeout=WAIT_SECONDS * 6):
        return None  # this request holds the token now
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        value = cache.get(lock)
        if isinstance(value, dict):
            return value
        if value is None:  # the first click found problems and let go of the token
            cache.add(lock, PENDING, timeout=WAIT_SECONDS * 6)
            return None
        time.sleep(0.2)
    return None


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, slug: str) -> HttpResponse:
    """The report form for one landlord (GET), and receiving it (POST)."""
    landlord = _landlord(slug)
    if landlord is None:
        return _not_found(request)
    profile = landlord_profile(landlord)
    lang = _language(request, profile)
    with translation.override(lang):
        if request.method != "POST":
            form = PublicReportForm(profile=profile, initial={"form_token": secrets.token_urlsafe(24)})
            return _render_form(request, form, landlord, profile, lang)
        return _receive(request, landlord, profile, lang)


def _receive(request: HttpRequest, landlord: Landlord, profile: PolicyProfile, lang: str) -> HttpResponse:
    form = PublicReportForm(request.POST, profile=profile)
    files = request.FILES.getlist("evidence")
    token = request.POST.get("form_token", "")
    token = token if TOKEN.match(token) else ""
    if form.robot:
        form.is_valid()
        form.add_error(None, gettext("We could not send your report. Check your answers and send it again."))
        return _render_form(request, form, landlord, profile, lang, status=400)

    made = _already_made(request, token)
    if made is not None:  # the same form sent twice: the same confirmation, no second report
        _remember(request, landlord.slug, token, str(made["reference"]), bool(made["anonymous"]))
        return redirect("public:received", slug=landlord.slug)

    client = client_hash(request)
    if limit_reached(scope=RATE_SCOPE, client=client, limit=settings.HAVEN_PUBLIC_REPORTS_PER_HOUR):
        _let_go(token)
        context = _page(landlord, profile, lang) | {"phone": profile.landlord.complaints_phone}
        return render(request, "intake/public/too_many.html", context, status=429)

    try:
        report = _create(form, landlord, files, lang)
    except BaseException:
        _let_go(token)  # an unexpected failure must not hold up the resident's next try
        raise
    if report is not None:
        limit_count(scope=RATE_SCOPE, client=client)
        made = {"reference": report.reference, "anonymous": report.anonymous}
        if token:
            cache.set(_lock(token), made, timeout=REPOST_SECONDS)
        _remember(request, landlord.slug, token, report.reference, report.anonymous)
        return redirect("public:received", slug=landlord.slug)

    _let_go(token)
    if files:  # browsers never keep chosen files on a page sent back, so say so where they look
        form.add_error("evidence", gettext("Attach your files again: files are not kept when a report has a problem."))
    return _render_form(request, form, landlord, profile, lang)


def _create(form: PublicReportForm, landlord: Landlord, files: list[UploadedFile], lang: str) -> Report | None:
    """The report, or None with the problems added to the form."""
    if form.is_valid():
        try:
            return report_create(
                actor="public form",
                landlord=landlord,
                channel=Channel.WEB,
                files=files,
                language=lang,
                via="web",
                **form.report_fields(),  # type: ignore[arg-type]
            )
        except ApplicationError as exc:
            _add_service_errors(form, exc)
    return None


def _add_service_errors(form: PublicReportForm, exc: ApplicationError) -> None:
    """Show each of report_create's problems at its own question."""
    if not exc.fields:
        form.add_error(None, exc.message)
    for key, message in exc.fields.items():
        name = SERVICE_FIELDS.get(key, key)
        form.add_error(name if name in form.fields else None, message)


@login_not_required
@never_cache
@require_GET
def received(request: HttpRequest, slug: str) -> HttpResponse:
    """The confirmation: the reference of the report this browser just sent, and what happens next."""
    landlord = _landlord(slug)
    if landlord is None:
        return _not_found(request)
    made = request.session.get(SESSION_RECEIVED, {}).get(slug)
    if not made:
        return redirect("public:start", slug=slug)
    profile = landlord_profile(landlord)
    lang = _language(request, profile)
    with translation.override(lang):
        steps = [gettext(step) for step in what_happens_next(profile=profile, anonymous=made["anonymous"])]
        context = _page(landlord, profile, lang) | {
            "reference": made["reference"],
            "anonymous": made["anonymous"],
            "steps": steps,
        }
        return render(request, "intake/public/received.html", context)
