"""Legal action pages (whg 2.11; emh 5.5; pnp 5.6): the part on the case page (the actions, the
next step of each, the form to start one, what is due) and each action's own page (its facts by
stage, the stage history, the proportionality assessment, the approval, the next move and the
hearings). The rules are in ``interventions.services.legal`` and ``legal_hearings``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from haven.accounts.models import User
from haven.accounts.permissions import can_work_case
from haven.accounts.selectors import landlord_profile
from haven.cases.models import Case
from haven.cases.views.core import add_errors, case_form_post, case_part, forbidden, load_case, see_other, with_errors
from haven.common.errors import ApplicationError
from haven.common.stale import renew_version, version_of
from haven.interventions.forms.legal import ApprovalForm, AssessmentForm, HearingForm, LegalStartForm, MoveForm
from haven.interventions.models import LegalAction, LegalStage
from haven.interventions.selectors.legal import (
    case_hearing,
    case_legal_action,
    case_legal_actions,
    hint,
    legal_due,
    may_approve,
    needs_assessment,
    next_moves,
    tool_of,
)
from haven.interventions.services.legal import (
    legal_action_approve,
    legal_action_move,
    legal_action_start,
    proportionality_assess,
)
from haven.interventions.services.legal_hearings import hearing_add, hearing_update
from haven.interventions.workflow import stage_label

SECTION = "#legal-actions"
STAGE_COLOURS: dict[str, str] = {
    LegalStage.CONSIDERING: "grey",
    LegalStage.PROPORTIONALITY: "blue",
    LegalStage.APPROVED: "turquoise",
    LegalStage.NOTICE_SERVED: "purple",
    LegalStage.ISSUED: "purple",
    LegalStage.HEARING: "orange",
    LegalStage.ORDER_MADE: "green",
    LegalStage.BREACH: "red",
    LegalStage.WARRANT: "red",
    LegalStage.CONCLUDED: "grey",
}


def _action_url(case: Case, action: LegalAction) -> str:
    return reverse("interventions:legal-action", args=[case.reference, action.pk])


@case_part
def _part(user: User, case: Case, forms: dict[str, Any]) -> dict[str, Any]:
    """Two queries: the actions and their hearings; parties come from the case's prefetch."""
    actions = case_legal_actions(case=case)
    parties = {p.pk: p for p in case.parties.all()}
    can_work = can_work_case(user, case) and case.is_open
    start_form = forms.get("legal_start_form")
    if start_form is None and can_work:
        start_form = LegalStartForm(case=case, profile=landlord_profile(case.landlord))
    rows = [
        {
            "action": a,
            "party": parties.get(a.party_id),
            "colour": STAGE_COLOURS.get(a.stage, "grey"),
            "hint": hint(a),
            "url": _action_url(case, a),
        }
        for a in actions
    ]
    due = [
        {"label": item.label, "colour": item.colour, "text": item.text, "href": _action_url(case, item.action)}
        for item in legal_due(case, actions, timezone.now())
    ]
    return {"legal": {"rows": rows, "start_form": start_form, "can_work": can_work}, "due": due}


@require_POST
def legal_start_page(request: HttpRequest, reference: str) -> HttpResponse:
    """Start considering a legal action against a person on the case."""

    def act(request: HttpRequest, user: User, case: Case, form: LegalStartForm) -> str:
        data = form.cleaned_data
        action = legal_action_start(
            actor=user,
            case=case,
            code=data["code"],
            party=form.chosen_party(),
            reason=data.get("reason") or "",
            started_on=data["started_on"],
            condition=data.get("condition") or "",
            condition_on=data.get("condition_on"),
            condition_detail=data.get("condition_detail") or "",
        )
        messages.success(request, "Legal action started: record the proportionality assessment next.")
        return _action_url(case, action)

    return case_form_post(
        request,
        reference,
        may=can_work_case,
        act=act,
        form_key="legal_start_form",
        make_form=lambda data, case: LegalStartForm(data, case=case, profile=landlord_profile(case.landlord)),
    )


def _action_page(
    request: HttpRequest, user: User, case: Case, action: LegalAction, forms: dict[str, Any], status: int = 200
) -> HttpResponse:
    can_work = can_work_case(user, case) and case.is_open and action.is_open
    moves = [m for m in next_moves(case, action) if m.stage_to != LegalStage.APPROVED]
    approvable = action.stage == LegalStage.PROPORTIONALITY or (
        action.stage == LegalStage.CONSIDERING and not needs_assessment(case, action)
    )
    hearings_open = action.claim_issued_on is not None
    hearings = list(action.hearings.all())
    tool = tool_of(case, action.code)
    condition = next((c.label for c in tool.conditions if c.code == action.condition), "") if tool else ""
    context = {
        "condition": condition or action.condition,
        "case": case,
        "action": action,
        "stage": stage_label(action.stage),
        "stage_hint": hint(action),  # not "hint": the field includes read that name
        "colour": STAGE_COLOURS.get(action.stage, "grey"),
        "can_work": can_work,
        "changes": [
            {"change": c, "from": stage_label(c.stage_from) if c.stage_from else "", "to": stage_label(c.stage_to)}
            for c in action.stage_changes.all()
        ],
        "assessments": list(action.assessments.all()),
        "assessment_form": forms.get("assessment") or (AssessmentForm() if can_work else None),
        "awaiting_approval": approvable and can_work and tool is not None and tool.needs_manager_approval,
        "approval_form": forms.get("approval")
        or (ApprovalForm(action=action) if can_work and approvable and may_approve(user, case, action) else None),
        "move_form": forms.get("move") or (MoveForm(action=action, moves=moves) if can_work and moves else None),
        "hearings": [
            {"hearing": h, "form": forms.get(f"hearing-{h.pk}") or (HearingForm(hearing=h) if can_work else None)}
            for h in hearings
        ],
        "hearing_form": forms.get("hearing") or (HearingForm() if can_work and hearings_open else None),
    }
    context["error_forms"] = with_errors(*forms.values())
    return render(request, "interventions/legal_action.html", context, status=status)


def _load(request: HttpRequest, reference: str, legal_action_id: int) -> tuple[Any, Any, Any, HttpResponse | None]:
    user, case, refused = load_case(request, reference)
    if refused is not None:
        return None, None, None, refused
    assert user is not None and case is not None
    action = case_legal_action(case=case, legal_action_id=legal_action_id)
    if action is None:
        raise Http404("No such legal action on this case.")
    return user, case, action, None


@require_GET
def legal_action_page(request: HttpRequest, reference: str, legal_action_id: int) -> HttpResponse:
    user, case, action, refused = _load(request, reference, legal_action_id)
    return refused or _action_page(request, user, case, action, {})


Act = Callable[[User, Case, LegalAction, Any], str]


def _post(
    request: HttpRequest,
    reference: str,
    legal_action_id: int,
    *,
    key: str,
    make_form: Callable[[Any, Case, LegalAction], Any],
    act: Act,
    rename: dict[str, str] | None = None,
) -> HttpResponse:
    """One shape for the action page's forms: 404 for a case or action unseen, 403 for who may
    not work the case, the service through ``act``, and the page again with the form and its
    errors (400) on a problem."""
    user, case, action, refused = _load(request, reference, legal_action_id)
    if refused is not None:
        return refused
    if not can_work_case(user, case):
        return forbidden(request)
    form = make_form(request.POST, case, action)
    stale = False
    if form.is_valid():
        try:
            done = act(user, case, action, form)
            return see_other(done)
        except ApplicationError as error:
            add_errors(form, error, rename, general=("version",))
            stale = error.code == "stale"
    action = case_legal_action(case=case, legal_action_id=legal_action_id)
    assert action is not None
    if stale:
        _renew(form, action)
    return _action_page(request, user, case, action, {key: form}, status=400)


def _renew(form: Any, action: LegalAction) -> None:
    """After a stale edit, keep what was typed but carry the record's current version, so that
    saving again after checking the other person's change goes through (as the action plan does)."""
    if "version" not in form.fields:
        return
    hearing = getattr(form, "hearing", None)
    current = case_hearing(legal_action=action, hearing_id=hearing.pk) if hearing is not None else action
    if current is None:
        return
    renew_version(form, version_of(current.updated_at))


@require_POST
def proportionality_page(request: HttpRequest, reference: str, legal_action_id: int) -> HttpResponse:
    """Record the proportionality assessment (emh 4.9; pnp 5.6.3)."""

    def act(user: User, case: Case, action: LegalAction, form: AssessmentForm) -> str:
        proportionality_assess(actor=user, legal_action=action, **form.values())
        messages.success(request, "Proportionality assessment recorded.")
        return _action_url(case, action)

    return _post(
        request,
        reference,
        legal_action_id,
        key="assessment",
        act=act,
        make_form=lambda data, case, action: AssessmentForm(data),
    )


@require_POST
def approval_page(request: HttpRequest, reference: str, legal_action_id: int) -> HttpResponse:
    """Record the approval to go ahead (by a team manager where the profile asks)."""

    def act(user: User, case: Case, action: LegalAction, form: ApprovalForm) -> str:
        data = form.cleaned_data
        legal_action_approve(
            actor=user,
            legal_action=action,
            on=data["on"],
            note=data.get("note") or "",
            version=data.get("version") or None,
        )
        messages.success(request, "Approval recorded.")
        return _action_url(case, action)

    return _post(
        request,
        reference,
        legal_action_id,
        key="approval",
        act=act,
        make_form=lambda data, case, action: ApprovalForm(data, action=action),
        rename={"approval_note": "note"},
    )


@require_POST
def move_page(request: HttpRequest, reference: str, legal_action_id: int) -> HttpResponse:
    """Record the action's next step, with its facts."""

    def act(user: User, case: Case, action: LegalAction, form: MoveForm) -> str:
        data = form.cleaned_data
        moved = legal_action_move(
            actor=user,
            legal_action=action,
            to=data["to"],
            on=data["on"],
            version=data.get("version") or None,
            **form.facts(),
        )
        messages.success(request, f"Legal action now at: {stage_label(moved.stage).lower()}.")
        return _action_url(case, action)

    def make(data: Any, case: Case, action: LegalAction) -> MoveForm:
        moves = [m for m in next_moves(case, action) if m.stage_to != LegalStage.APPROVED]
        return MoveForm(data, action=action, moves=moves)

    return _post(request, reference, legal_action_id, key="move", act=act, make_form=make)


@require_POST
def hearing_add_page(request: HttpRequest, reference: str, legal_action_id: int) -> HttpResponse:
    """Record a hearing of the action."""

    def act(user: User, case: Case, action: LegalAction, form: HearingForm) -> str:
        data = form.cleaned_data
        hearing_add(
            actor=user,
            legal_action=action,
            at=form.at(),
            kind=data["kind"],
            court=data.get("court") or "",
            outcome=data.get("outcome") or "",
        )
        messages.success(request, "Hearing recorded.")
        return _action_url(case, action) + "#hearings"

    return _post(
        request,
        reference,
        legal_action_id,
        key="hearing",
        act=act,
        make_form=lambda data, case, action: HearingForm(data),
        rename={"at": "on"},
    )


@require_POST
def hearing_update_page(request: HttpRequest, reference: str, legal_action_id: int, hearing_id: int) -> HttpResponse:
    """Change a hearing: moved, or its outcome known."""

    def make(data: Any, case: Case, action: LegalAction) -> HearingForm:
        hearing = case_hearing(legal_action=action, hearing_id=hearing_id)
        if hearing is None:
            raise Http404("No such hearing.")
        return HearingForm(data, hearing=hearing)

    def act(user: User, case: Case, action: LegalAction, form: HearingForm) -> str:
        data = form.cleaned_data
        assert form.hearing is not None
        hearing_update(
            actor=user,
            hearing=form.hearing,
            at=form.at(),
            kind=data["kind"],
            court=data.get("court") or "",
            outcome=data.get("outcome") or "",
            version=data.get("version") or None,
        )
        messages.success(request, "Hearing updated.")
        return _action_url(case, action) + "#hearings"

    return _post(
        request, reference, legal_action_id, key=f"hearing-{hearing_id}", act=act, make_form=make, rename={"at": "on"}
    )


urlpatterns = [
    path("cases/<str:reference>/legal/", legal_start_page, name="legal-start"),
    path("cases/<str:reference>/legal/<int:legal_action_id>/", legal_action_page, name="legal-action"),
    path(
        "cases/<str:reference>/legal/<int:legal_action_id>/proportionality/",
        proportionality_page,
        name="legal-proportionality",
    ),
    path("cases/<str:reference>/legal/<int:legal_action_id>/approve/", approval_page, name="legal-approve"),
    path("cases/<str:reference>/legal/<int:legal_action_id>/move/", move_page, name="legal-move"),
    path("cases/<str:reference>/legal/<int:legal_action_id>/hearings/", hearing_add_page, name="legal-hearing-add"),
    path(
        "cases/<str:reference>/legal/<int:legal_action_id>/hearings/<int:hearing_id>/",
        hearing_update_page,
        name="legal-hearing-update",
    ),
]
