"""The case page (issue 4: clocks, contacts, re-categorisation).

Issue 5 grows the case page into the full workspace; this page already shows what the Housing
Ombudsman most often finds missing: who owns the case, what is due, and what was said to whom.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from haven.accounts.models import Role, User
from haven.accounts.permissions import can_view_case, can_work_case, is_landlord_staff
from haven.accounts.selectors import landlord_profile
from haven.cases.forms import ContactForm, ContactPlanForm, ReassignForm, RecategoriseForm
from haven.cases.models import Case
from haven.cases.selectors import (
    NotFound,
    case_detail,
    case_reports,
    case_staff_names,
    caseworkers,
    plan_of,
    response_overdue,
    update_overdue,
)
from haven.cases.services import case_reassign, case_recategorise, contact_plan_agree, contact_record
from haven.common.errors import ApplicationError
from haven.policies.schema import PolicyProfile, flag_label

PAGE_SIZE = 50
SCOPES = {"mine": "My cases", "team": "My team's cases", "all": "All cases I can see"}


def staff_user(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and is_landlord_staff(user) and user.role != Role.ADMIN else None


def forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/forbidden.html", status=403)


def see_other(url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def clock(case: Case, now: Any) -> dict[str, str]:
    """The response clock as a GOV.UK tag: responded, overdue, due today or due."""
    if case.first_response_at is not None:
        late = case.first_response_at > case.response_due_at
        return {"text": "Responded late" if late else "Responded", "colour": "orange" if late else "green"}
    if not case.is_open:
        return {"text": "Closed", "colour": "grey"}
    if response_overdue(case, now):
        return {"text": "Overdue", "colour": "red"}
    if timezone.localtime(case.response_due_at).date() == timezone.localdate(now):
        return {"text": "Due today", "colour": "yellow"}
    return {"text": "Due", "colour": "blue"}


def update_clock(case: Case, now: Any) -> dict[str, str] | None:
    """The contact plan's clock (whg 2.5): the next update due, or overdue when it was missed."""
    if case.next_contact_due_at is None or not case.is_open:
        return None
    if update_overdue(case, now):
        return {"text": "Update overdue", "colour": "red"}
    return {"text": "Update due", "colour": "blue"}


def _labels(profile: PolicyProfile) -> tuple[dict[str, str], dict[str, str]]:
    return {c.code: c.label for c in profile.categories}, {t.id: t.label for t in profile.triage.tiers}


def day_text(at: datetime) -> str:
    """A moment as the case page says it: "Mon 7 Sep 2026, 17:00", UK time."""
    local = timezone.localtime(at)
    return f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M}"


def _core_due(case: Case, now: Any) -> list[dict[str, str]]:
    """The first response (emh 4.2; whg 2.5) and the next update of the contact plan (whg 2.5)."""
    items = []
    if case.is_open and case.first_response_at is None:
        c = clock(case, now)
        items.append({"label": c["text"], "colour": c["colour"], "href": "#contacts",
                      "text": f"First response by {day_text(case.response_due_at)}"})  # fmt: skip
    update = update_clock(case, now)
    if update is not None and case.next_contact_due_at is not None:
        items.append({"label": update["text"], "colour": update["colour"], "href": "#contact-plan",
                      "text": f"Next update by {day_text(case.next_contact_due_at)}"})  # fmt: skip
    return items


# ---- the case page's parts ------------------------------------------------------------------------
# Each part of the workspace (risk, action plan, incidents, notes...) lives in its own views module
# and adds its section to the case page through ``case_part``: a function given the user, the case
# and the forms being shown again with errors, returning its template context. A part may return
# "due": a list of {"text", "colour", "href"} for the "What is due" box at the top of the page.

CasePart = Callable[[User, Case, dict[str, Any]], dict[str, Any]]
_PARTS: list[CasePart] = []


def case_part(part: CasePart) -> CasePart:
    if part not in _PARTS:
        _PARTS.append(part)
    return part


def _case_page(
    request: HttpRequest, user: User, case: Case, *, contact_form: ContactForm | None = None,
    recategorise_form: RecategoriseForm | None = None, plan_form: ContactPlanForm | None = None,
    reassign_form: ReassignForm | None = None, status: int = 200, forms: dict[str, Any] | None = None,
) -> HttpResponse:  # fmt: skip
    profile = landlord_profile(case.landlord)
    categories, tiers = _labels(profile)
    can_work = can_work_case(user, case)
    names = case_staff_names(case=case)
    context = {
        "case": case,
        "flag_labels": [flag_label(f) for f in case.flags],
        "profile": profile,
        "category": categories.get(case.category, case.category),
        "tier": tiers.get(case.tier, case.tier),
        "clock": clock(case, timezone.now()),
        "reports": list(case_reports(case=case)),
        "history": [
            {
                "change": r,
                "tier_from": tiers.get(r.tier_from, r.tier_from),
                "tier_to": tiers.get(r.tier_to, r.tier_to),
                "category_from": categories.get(r.category_from, r.category_from),
                "category_to": categories.get(r.category_to, r.category_to),
                "by": names.get(r.by_id, "") if r.by_id else "",
            }
            for r in sorted(case.recategorisations.all(), key=lambda r: r.at)
        ],
        "contacts": [
            {"contact": c, "by": names.get(c.recorded_by_id, "") if c.recorded_by_id else ""}
            for c in sorted(case.contacts.all(), key=lambda c: c.at, reverse=True)
        ],
        "can_work": can_work,
        "contact_form": contact_form or (ContactForm(case=case) if can_work else None),
        "recategorise_form": recategorise_form or (RecategoriseForm(case=case, profile=profile) if can_work else None),
        "plan": plan_of(case),
        "update": update_clock(case, timezone.now()),
        "plan_form": plan_form or (ContactPlanForm(case=case) if can_work and case.active else None),
        "reassignments": sorted(case.reassignments.all(), key=lambda r: r.at),
        "reassign_form": reassign_form
        or (ReassignForm(staff=caseworkers(landlord_id=case.landlord_id)) if _may_reassign(user, case) else None),
    }
    due: list[dict[str, str]] = []
    for part in _PARTS:
        extra = part(user, case, forms or {})
        due.extend(extra.pop("due", []))
        context.update(extra)
    context["due"] = _core_due(case, timezone.now()) + due
    context["error_forms"] = with_errors(
        contact_form, recategorise_form, plan_form, reassign_form, *(forms or {}).values()
    )
    return render(request, "cases/case.html", context, status=status)


def load_case(request: HttpRequest, reference: str) -> tuple[User | None, Case | None, HttpResponse | None]:
    user = staff_user(request)
    if user is None:
        return None, None, forbidden(request)
    try:
        case = case_detail(user=user, reference=reference)
    except NotFound:
        return user, None, render(request, "404.html", status=404)
    return user, case, None


@require_GET
def case_page(request: HttpRequest, reference: str) -> HttpResponse:
    user, case, refused = load_case(request, reference)
    if refused is not None:
        return refused
    assert user is not None and case is not None
    return _case_page(request, user, case)


def with_errors(*forms: Any) -> list[Any]:
    """The forms with errors, for the page's error summary (``includes/error_summary.html``)."""
    return [f for f in forms if f is not None and getattr(f, "errors", None)]


def add_errors(
    form: Any, error: ApplicationError, rename: dict[str, str] | None = None, *, general: tuple[str, ...] = ()
) -> None:
    """A service's refusal on the form: each field's error on the field the form calls it (``rename``),
    unless the form has no such field or it is one of ``general``; the rest on the form."""
    if not error.fields:
        form.add_error(None, error.message)
    for name, message in error.fields.items():
        name = (rename or {}).get(name, name)
        form.add_error(name if name in form.fields and name not in general else None, message)


FormFactory = Callable[[Any, Case], Any]
Act = Callable[[HttpRequest, User, Case, Any], str]


def case_form_post(
    request: HttpRequest, reference: str, *, may: Callable[[User, Case], bool], make_form: FormFactory,
    act: Act, form_key: str, rename: dict[str, str] | None = None,
) -> HttpResponse:  # fmt: skip
    """One shape for every form on the case page: load the case (404 if unseen), check the user may
    (403), parse the form, call the service through ``act`` (which returns where to go next), and on
    a problem show the case page again with the form as typed and its errors (400)."""
    user, case, refused = load_case(request, reference)
    if refused is not None:
        return refused
    assert user is not None and case is not None
    if not may(user, case):
        return forbidden(request)
    form = make_form(request.POST, case)
    if form.is_valid():
        try:
            return see_other(act(request, user, case, form))
        except ApplicationError as error:
            add_errors(form, error, rename)
    if form_key in ("contact_form", "recategorise_form", "plan_form", "reassign_form"):
        return _case_page(request, user, case, status=400, **{form_key: form})
    return _case_page(request, user, case, status=400, forms={form_key: form})


def party_of(case: Case, wanted: str) -> Any:
    return next((p for p in case.parties.all() if str(p.pk) == wanted), None)


@require_POST
def contact_add(request: HttpRequest, reference: str) -> HttpResponse:
    """Record a contact; the first with the reporter is the case's first response."""

    def act(request: HttpRequest, user: User, case: Case, form: ContactForm) -> str:
        data = form.cleaned_data
        contact_record(
            actor=user, case=case, party=party_of(case, data["party"]), channel=data["channel"], at=form.at(),
            summary=data["summary"],
        )  # fmt: skip
        messages.success(request, "Contact recorded.")
        return reverse("cases:case", args=[case.reference]) + "#contacts"

    return case_form_post(
        request, reference, may=can_work_case, make_form=lambda data, case: ContactForm(data, case=case), act=act,
        form_key="contact_form", rename={"at": "on"},
    )  # fmt: skip


@require_POST
def recategorise(request: HttpRequest, reference: str) -> HttpResponse:
    """Change the tier or category; the response target is recomputed and the history kept."""

    def act(request: HttpRequest, user: User, case: Case, form: RecategoriseForm) -> str:
        profile = landlord_profile(case.landlord)
        tier, category = form.cleaned_data["tier"], form.cleaned_data["category"]
        case = case_recategorise(
            actor=user, case=case, tier=tier if tier != case.tier else None,
            category=category if category != case.category else None, reason=form.cleaned_data["reason"],
        )  # fmt: skip
        due = timezone.localtime(case.response_due_at)
        clock_text = (
            "the first response was already made"
            if case.first_response_at is not None
            else f"response now due by {due:%a} {due.day} {due:%b %Y, %H:%M}"
        )
        messages.success(
            request,
            f"Re-categorised to {profile.tier(case.tier).label}, {profile.category(case.category).label}; "
            f"{clock_text}.",
        )
        if not can_view_case(user, case):  # now restricted (emh 3.4-3.6) and not this user's case
            return reverse("cases:list")
        return reverse("cases:case", args=[case.reference])

    return case_form_post(
        request, reference, may=can_work_case, act=act, form_key="recategorise_form",
        make_form=lambda data, case: RecategoriseForm(data, case=case, profile=landlord_profile(case.landlord)),
    )  # fmt: skip


@require_POST
def contact_plan(request: HttpRequest, reference: str) -> HttpResponse:
    """Agree or change the contact plan (whg 2.5); the next update due follows from it."""

    def act(request: HttpRequest, user: User, case: Case, form: ContactPlanForm) -> str:
        data = form.cleaned_data
        contact_plan_agree(
            actor=user, case=case, party=party_of(case, data["party"]), channel=data["channel"],
            every_days=data["every_days"], notes=data["notes"],
        )  # fmt: skip
        messages.success(request, "Contact plan agreed.")
        return reverse("cases:case", args=[case.reference]) + "#contact-plan"

    return case_form_post(
        request, reference, may=can_work_case, make_form=lambda data, case: ContactPlanForm(data, case=case),
        act=act, form_key="plan_form",
    )  # fmt: skip


def _may_reassign(user: User, case: Case) -> bool:
    return (
        case.active
        and can_work_case(user, case)
        and (user.role in (Role.MANAGER, Role.SPECIALIST) or case.officer_id == user.pk)
    )


@require_POST
def reassign(request: HttpRequest, reference: str) -> HttpResponse:
    """Give the case to another officer, with the reason; the history is kept."""

    def act(request: HttpRequest, user: User, case: Case, form: ReassignForm) -> str:
        wanted = form.cleaned_data["officer"]
        officer = next((u for u in caseworkers(landlord_id=case.landlord_id) if str(u.pk) == wanted), None)
        case = case_reassign(actor=user, case=case, officer=officer, reason=form.cleaned_data["reason"])
        assert case.officer is not None
        messages.success(request, f"Case reassigned to {case.officer.display_name}.")
        if can_view_case(user, case):
            return reverse("cases:case", args=[case.reference])
        return reverse("cases:list")

    return case_form_post(
        request, reference, may=_may_reassign, act=act, form_key="reassign_form",
        make_form=lambda data, case: ReassignForm(data, staff=caseworkers(landlord_id=case.landlord_id)),
    )  # fmt: skip
