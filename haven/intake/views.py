"""Staff pages for reports (issue 4): the triage queue, intake by a contact-centre adviser, a report,
the triage decision, and evidence downloads.

Each page checks ``can_take_report`` / ``can_triage`` (everyone else gets a 403 page), calls the
intake services and selectors, and renders. Another landlord's report and a report that does not
exist get the same 404.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from haven.accounts.models import Role, User
from haven.accounts.permissions import can_take_report, can_triage
from haven.accounts.selectors import landlord_profile, staff_for_landlord
from haven.common.errors import ApplicationError
from haven.intake.forms import IntakeForm, TriageForm
from haven.intake.messages import what_happens_next
from haven.intake.models import Report, ReportStatus
from haven.intake.selectors import (
    NotFound,
    evidence_open,
    link_candidates,
    open_cases_for_people,
    open_cases_for_properties,
    recently_triaged,
    report_detail,
    triage_clocks,
    triage_queue,
)
from haven.intake.services import evidence_path, report_create, report_triage
from haven.policies.schema import PolicyProfile
from haven.register.models import Person, Property
from haven.register.selectors import people_for_user, properties_for_user, register_search, warning_markers

QUEUE_PAGE_SIZE = 100
CALLER_RESULTS = 10
MIN_QUERY_LENGTH = 2  # as the register's own search (register_search)
TOKENS_KEPT = 20  # one-time form tokens remembered per session (several tabs open at once)
TOKENS = "intake_tokens"
TELL_CALLER = "intake_tell_caller"


# ---- helpers ---------------------------------------------------------------------------------------


def _intake_user(request: HttpRequest) -> User | None:
    user = request.user
    if isinstance(user, User) and can_take_report(user) and user.landlord is not None:
        return user
    return None


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/staff/forbidden.html", status=403)


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "404.html", status=404)


def _see_other(url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    response.status_code = 303  # after a POST the browser fetches with GET: a refresh never re-posts
    return response


def when_text(at: datetime) -> str:
    """'Tue 1 Sep 2026, 4:30pm' in London time (GOV.UK style: 9am, 4:30pm)."""
    local = timezone.localtime(at)
    hour = local.hour % 12 or 12
    clock = f"{hour}{local:%p}" if local.minute == 0 else f"{hour}:{local:%M%p}"
    return f"{local:%a} {local.day} {local:%b %Y}, {clock.lower()}"


# ---- the triage queue ------------------------------------------------------------------------------


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Reports waiting for a decision, oldest first, each with its clock: how long it has waited
    and whether it is overdue for triage (more than 1 working day after receipt, issue 4)."""
    user = _intake_user(request)
    if user is None or user.landlord is None:
        return _forbidden(request)
    page = Paginator(triage_queue(user=user), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = triage_clocks(landlord=user.landlord, reports=list(page.object_list), now=timezone.now())
    context = {"page": page, "rows": rows, "recent": recently_triaged(user=user)}
    return render(request, "intake/staff/queue.html", context)


# ---- intake by an adviser --------------------------------------------------------------------------


def _caller(user: User, person_ref: str, property_ref: str) -> tuple[Person | None, Property | None, list[str]]:
    """The register person and property the adviser picked, by reference; problems if not found."""
    problems = []
    person = prop = None
    if person_ref:
        person = people_for_user(user=user).filter(reference=person_ref).first()
        if person is None:
            problems.append(f"There is no person {person_ref} in the register. Find the caller again.")
    if property_ref:
        prop = properties_for_user(user=user).filter(reference=property_ref).first()
        if prop is None:
            problems.append(f"There is no property {property_ref} in the register. Find the property again.")
    return person, prop, problems


def _labelled(cases: list[Any], profile: PolicyProfile) -> list[Any]:
    """Cases with their category and tier in the profile's words, for the page."""
    categories = {c.code: c.label for c in profile.categories}
    tiers = {t.id: t.label for t in profile.triage.tiers}
    for case in cases:
        case.category_label = categories.get(case.category, case.category)
        case.tier_label = tiers.get(case.tier, case.tier)
    return cases


def _caller_search(user: User, query: str, profile: PolicyProfile) -> dict[str, Any]:
    """People and properties matching the caller search, each with the open cases at the address or
    about the same person: two register queries and two case queries, whatever is found."""
    results = register_search(user=user, query=query, limit=CALLER_RESULTS)
    homes = {p.pk: p for p in results.properties}
    for person in results.people:
        for membership in person.current_memberships:
            homes.setdefault(membership.tenancy.property_id, membership.tenancy.property)
    at_home = open_cases_for_properties(user=user, property_ids=homes)
    about_person = open_cases_for_people(user=user, person_ids=[p.pk for p in results.people])
    people = []
    for person in results.people:
        home = person.current_memberships[0].tenancy.property if person.current_memberships else None
        cases = list(about_person.get(person.pk, []))
        for membership in person.current_memberships:
            cases += [c for c in at_home.get(membership.tenancy.property_id, []) if c not in cases]
        people.append({"person": person, "home": home, "cases": _labelled(cases, profile)})
    properties = [{"property": p, "cases": _labelled(at_home.get(p.pk, []), profile)} for p in results.properties]
    return {
        "query": results.query,
        "people": people,
        "properties": properties,
        "searched": True,
        "too_short": len(results.query) < MIN_QUERY_LENGTH,
    }


def _new_token(request: HttpRequest) -> str:
    token = secrets.token_urlsafe(16)
    tokens: dict[str, str] = dict(request.session.get(TOKENS, {}))
    tokens[token] = ""
    request.session[TOKENS] = dict(list(tokens.items())[-TOKENS_KEPT:])
    return token


def _intake_page(
    request: HttpRequest, user: User, form: IntakeForm, profile: PolicyProfile, status: int = 200, **extra: Any
) -> HttpResponse:
    context: dict[str, Any] = {
        "form": form,
        "profile": profile,
        "query": "",
        "searched": False,
        "files_lost": False,
        "max_files": settings.HAVEN_EVIDENCE_MAX_FILES,
        "max_mb": settings.HAVEN_EVIDENCE_MAX_MB,
    } | extra
    person, prop = context.get("person"), context.get("chosen_property")
    if person is not None or prop is not None:
        context["chosen_cases"] = _labelled(_chosen_cases(user, person, prop), profile)
    return render(request, "intake/staff/new.html", context, status=status)


def _chosen_cases(user: User, person: Person | None, prop: Property | None) -> list[Any]:
    """Open cases at the chosen property or about the chosen person, shown beside the choice."""
    cases = open_cases_for_properties(user=user, property_ids=[prop.pk]).get(prop.pk, []) if prop else []
    if person is not None:
        cases += [c for c in open_cases_for_people(user=user, person_ids=[person.pk])[person.pk] if c not in cases]
    return cases


@require_http_methods(["GET", "POST"])
def new_report(request: HttpRequest) -> HttpResponse:
    """An adviser records a report taken by phone, in person, by e-mail, letter or from a partner:
    the same questions as the public form (WWH 3.0), with the caller found in the register first."""
    user = _intake_user(request)
    if user is None or user.landlord is None:
        return _forbidden(request)
    landlord = user.landlord
    profile = landlord_profile(landlord)
    if request.method != "POST":
        query = " ".join(request.GET.get("q", "").split())
        person_ref = request.GET.get("person", "").strip()
        property_ref = request.GET.get("property", "").strip()
        person, prop, problems = _caller(user, person_ref, property_ref)
        initial: dict[str, Any] = {"token": _new_token(request)}
        if person is not None:
            initial |= {
                "reporter_person": person.reference,
                "reporter_name": person.full_name,
                "reporter_phone": person.phone,
                "reporter_email": person.email,
            }
        if prop is not None:
            initial["property"] = prop.reference
        form = IntakeForm(initial=initial, profile=profile)
        extra: dict[str, Any] = {"person": person, "chosen_property": prop, "caller_problems": problems}
        if query:
            extra |= _caller_search(user, query, profile)
        return _intake_page(request, user, form, profile, **extra)

    token = request.POST.get("token", "")
    tokens: dict[str, str] = dict(request.session.get(TOKENS, {}))
    if tokens.get(token):
        # The same form sent twice (a double click, or the back button): show what was saved.
        messages.info(request, f"This report was already saved as {tokens[token]}.")
        return _see_other(reverse("intake:report", args=[tokens[token]]))
    data = request.POST.copy()
    if token not in tokens:
        data["token"] = _new_token(request)  # a fresh token, so the form can be sent once more
    form = IntakeForm(data, request.FILES, profile=profile)
    person, prop, problems = _caller(
        user, request.POST.get("reporter_person", "").strip(), request.POST.get("property", "").strip()
    )
    files = request.FILES.getlist("evidence")
    context: dict[str, Any] = {"person": person, "chosen_property": prop, "files_lost": bool(files)}
    if token not in tokens:
        form.is_valid()
        form.add_error(None, "This form has expired. Check the answers and send the report again.")
        return _intake_page(request, user, form, profile, status=400, **context)
    if not form.is_valid() or problems:
        for problem in problems:
            form.add_error(None, problem)
        return _intake_page(request, user, form, profile, status=400, **context)
    try:
        report = report_create(
            actor=user,
            landlord=landlord,
            reporter_person=person,
            property=prop,
            files=files,
            via="web",
            **form.service_values(),
        )
    except ApplicationError as error:
        form.add_application_error(error)
        return _intake_page(request, user, form, profile, status=400, **context)
    tokens[token] = report.reference
    request.session[TOKENS] = tokens
    request.session[TELL_CALLER] = report.reference
    messages.success(request, f"Report {report.reference} saved. Give the caller the reference {report.reference}.")
    return _see_other(reverse("intake:report", args=[report.reference]))


# ---- one report ------------------------------------------------------------------------------------


@require_GET
def report_page(request: HttpRequest, reference: str) -> HttpResponse:
    """All the answers, who reported it, where, the evidence, and the decision once triaged."""
    user = _intake_user(request)
    if user is None or user.landlord is None:
        return _forbidden(request)
    try:
        report = report_detail(user=user, reference=reference)
    except NotFound:
        return _not_found(request)
    profile = landlord_profile(user.landlord)
    tell = request.session.pop(TELL_CALLER, None) == report.reference
    context = {
        "report": report,
        "profile": profile,
        "evidence": list(report.evidence.all()),
        "can_triage": report.status == ReportStatus.NEW and can_triage(user),
        "tell_caller": what_happens_next(profile=profile, anonymous=report.anonymous) if tell else None,
        "decision": _decision(report, profile) if report.status != ReportStatus.NEW else None,
        "category_suggested": next(
            (c.label for c in profile.categories if c.code == report.category_suggested), report.category_suggested
        ),
        # staff safety first (pnp "Red Flag procedure"): the markers of the address and the reporter, one query
        "markers": warning_markers(
            user=user,
            property_ids=[report.property_id] if report.property_id else [],
            person_ids=[report.reporter_person_id] if report.reporter_person_id else [],
        ),
    }
    return render(request, "intake/staff/report.html", context)


def _decision(report: Report, profile: PolicyProfile) -> dict[str, Any]:
    """The triage decision in words from the profile that made it."""
    routes = {r.code: r.label for r in profile.not_asb.advice_routes}
    category = next((c.label for c in profile.categories if c.code == report.category), report.category)
    tier = next((t.label for t in profile.triage.tiers if t.id == report.tier), report.tier)
    questions = {q.code: q.text for q in profile.risk_screen.questions}
    return {
        "routes": [routes.get(code, code) for code in report.advice_routes],
        "category": category,
        "tier": tier,
        "flags": [flag.replace("_", " ") for flag in report.flags],
        "screen_yes": [questions.get(code, code) for code, yes in report.screen_answers.items() if yes],
    }


# ---- the triage decision ---------------------------------------------------------------------------


def _officers(user: User) -> list[User]:
    return list(staff_for_landlord(landlord_id=user.landlord_id or 0).filter(role__in=[Role.OFFICER, Role.SPECIALIST]))


def _triage_page(
    request: HttpRequest,
    report: Report,
    form: TriageForm,
    profile: PolicyProfile,
    candidates: list[Any],
    status: int = 200,
) -> HttpResponse:
    handling = profile.anonymous_reports.handling
    context = {
        "report": report,
        "form": form,
        "profile": profile,
        "candidates": candidates,
        "show_details_confirmed": report.anonymous and handling == "information_only_if_unconfirmed",
        "advice_only_tiers": [t.label for t in profile.triage.tiers if not t.opens_case],
    }
    return render(request, "intake/staff/triage.html", context, status=status)


def triage_message(report: Report, profile: PolicyProfile) -> str:
    """What the decision did, for the banner on the report page."""
    case = report.case
    if report.status == ReportStatus.CASE_OPENED and case is not None:
        officer = (
            f"officer {case.officer.display_name}" if case.officer else "no officer yet: a manager must allocate one"
        )
        return (
            f"Case {case.reference} opened: {profile.tier(case.tier).label}, "
            f"response due by {when_text(case.response_due_at)}, {officer}"
        )
    if report.status == ReportStatus.LINKED and case is not None:
        return f"Report {report.reference} added to case {case.reference}"
    if report.status == ReportStatus.ADVICE_ONLY:
        return f"Report {report.reference} recorded as advice only ({profile.tier(report.tier).label}): no case opened"
    if report.status == ReportStatus.INFORMATION_ONLY:
        return (
            f"Report {report.reference} kept as information only: the reporter is anonymous and their "
            "details could not be confirmed"
        )
    return f"Report {report.reference} recorded as not ASB, with the advice given"


@require_http_methods(["GET", "POST"])
def triage(request: HttpRequest, reference: str) -> HttpResponse:
    """Decide a report against the landlord's policy: not ASB (reason and advice, emh 3.8-3.9), or
    ASB: add it to an open case, or open a new one with its category and tier (emh 4.1-4.4)."""
    user = _intake_user(request)
    if user is None or user.landlord is None or not can_triage(user):
        return _forbidden(request)
    try:
        report = report_detail(user=user, reference=reference)
    except NotFound:
        return _not_found(request)
    if report.status != ReportStatus.NEW:
        messages.info(request, f"Report {report.reference} has already been triaged.")
        return _see_other(reverse("intake:report", args=[report.reference]))
    profile = landlord_profile(user.landlord)
    candidates = _labelled(link_candidates(user=user, report=report), profile)
    officers = _officers(user)
    if request.method != "POST":
        form = TriageForm(profile=profile, candidates=candidates, officers=officers)
        return _triage_page(request, report, form, profile, candidates)
    form = TriageForm(request.POST, profile=profile, candidates=candidates, officers=officers)
    if not form.is_valid():
        return _triage_page(request, report, form, profile, candidates, status=400)
    try:
        report = report_triage(actor=user, report=report, via="web", **form.service_values())
    except ApplicationError as error:
        form.add_application_error(error)
        return _triage_page(request, report, form, profile, candidates, status=400)
    messages.success(request, triage_message(report, profile))
    return _see_other(reverse("intake:report", args=[report.reference]))


# ---- evidence --------------------------------------------------------------------------------------


@require_GET
def evidence_download(request: HttpRequest, evidence_id: int) -> HttpResponseBase:
    """An evidence file, as a download (never shown inline), for staff who take reports; audited."""
    user = _intake_user(request)
    if user is None:
        return _forbidden(request)
    try:
        evidence = evidence_open(user=user, evidence_id=evidence_id)
    except NotFound:
        return _not_found(request)
    try:
        handle = evidence_path(evidence).open("rb")
    except OSError:
        return render(request, "intake/staff/evidence_missing.html", {"evidence": evidence}, status=404)
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
