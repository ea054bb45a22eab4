"""The action plan part of the case page (livv 4 "Case Management"; pnp 5.1; wwh 4.0): the
agreement or its breach, the actions, and the forms to add and update actions and record the
agreement. Registered on the case page through ``case_part``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from haven.accounts.models import User
from haven.accounts.permissions import can_work_case
from haven.accounts.selectors import landlord_profile
from haven.cases.forms.plans import ActionAddForm, ActionPlanAgreeForm, ActionUpdateForm
from haven.cases.models import Case
from haven.cases.selectors.plans import CasePlan, action_staff, case_action, case_plan
from haven.cases.services.plans import action_add, action_plan_agree, action_update
from haven.cases.views.core import case_form_post, case_part, day_text
from haven.common.errors import ApplicationError
from haven.common.stale import version_of

SECTION = "#action-plan"


def plan_due(case: Case, found: CasePlan, now: datetime) -> list[dict[str, str]]:
    """The "What is due" items: the plan until it is agreed (red once the profile's
    ``casework.action_plan_within`` has passed), and the actions past their due date."""
    items: list[dict[str, str]] = []
    if case.is_open and found.plan is None and found.due_at is not None:
        if found.breach:
            text = f"Agree the action plan with the reporter: it was due by {day_text(found.due_at)}"
            items.append({"label": "Action plan overdue", "colour": "red", "href": SECTION, "text": text})
        else:
            soon = timezone.localtime(found.due_at).date() == timezone.localdate(now)
            items.append({"label": "Action plan due today" if soon else "Action plan due",
                          "colour": "yellow" if soon else "blue", "href": SECTION,
                          "text": f"Agree an action plan with the reporter by {day_text(found.due_at)}"})  # fmt: skip
    late = found.overdue_actions if case.is_open else []
    if late:
        first = min(row.action.due_on for row in late)
        count = f"{len(late)} action{'s' if len(late) != 1 else ''}"
        items.append({"label": "Actions overdue", "colour": "red", "href": SECTION,
                      "text": f"{count} past the due date, the earliest due {first.day} {first:%b %Y}"})  # fmt: skip
    return items


@case_part
def _part(user: User, case: Case, forms: dict[str, Any]) -> dict[str, Any]:
    profile = landlord_profile(case.landlord)
    now, today = timezone.now(), timezone.localdate()
    found = case_plan(case=case, profile=profile, now=now, today=today)
    can_work = can_work_case(user, case) and case.is_open
    rows = [
        {
            "row": row,
            "form": forms.get(f"action_update_{row.action.pk}")
            or (ActionUpdateForm(action=row.action) if can_work else None),
        }
        for row in found.actions
    ]
    plan = found.plan
    late = plan is not None and found.due_at is not None and plan.agreed_on > timezone.localtime(found.due_at).date()
    add_form = forms.get("action_add_form")
    if add_form is None and can_work:
        add_form = ActionAddForm(case=case, staff=action_staff(landlord_id=case.landlord_id), profile=profile)
    agree_form = forms.get("action_plan_form")
    if agree_form is None and can_work and found.actions:
        agree_form = ActionPlanAgreeForm(case=case, plan=plan)
    return {
        "action_plan": {
            "plan": plan, "due_at": found.due_at, "breach": found.breach, "agreed_late": late, "rows": rows,
            "add_form": add_form, "agree_form": agree_form, "can_work": can_work,
        },
        "due": plan_due(case, found, now),
    }  # fmt: skip


def _back(case: Case) -> str:
    return reverse("cases:case", args=[case.reference]) + SECTION


def _add_form(data: Any, case: Case) -> ActionAddForm:
    profile = landlord_profile(case.landlord)
    return ActionAddForm(data, case=case, staff=action_staff(landlord_id=case.landlord_id), profile=profile)


@require_POST
def action_add_page(request: HttpRequest, reference: str) -> HttpResponse:
    """Add an action to the case's plan."""

    def act(request: HttpRequest, user: User, case: Case, form: ActionAddForm) -> str:
        data = form.cleaned_data
        kind, party, partner = form.chosen_owner()
        action_add(
            actor=user, case=case, description=data["description"], owner=kind,
            owner_user=form.staff_member() if kind == "landlord" else None, owner_party=party,
            owner_partner=partner, due_on=data["due_on"], source=data.get("source") or "",
        )  # fmt: skip
        messages.success(request, "Action added.")
        return _back(case)

    return case_form_post(
        request, reference, may=can_work_case, make_form=_add_form, act=act, form_key="action_add_form"
    )


@require_POST
def action_update_page(request: HttpRequest, reference: str, action_id: int) -> HttpResponse:
    """Update one action: status, outcome, dates. A stale edit keeps what was typed, with the message."""

    def make_form(data: Any, case: Case) -> ActionUpdateForm:
        action = case_action(case=case, action_id=action_id)
        if action is None:
            raise Http404("No such action on this case.")
        return ActionUpdateForm(data, action=action)

    def act(request: HttpRequest, user: User, case: Case, form: ActionUpdateForm) -> str:
        data = form.cleaned_data
        try:
            action_update(
                actor=user, action=form.action, status=data["status"], outcome=data.get("outcome") or "",
                due_on=data["due_on"], completed_on=data.get("completed_on"), version=data.get("version") or None,
            )  # fmt: skip
        except ApplicationError as error:
            if error.code != "stale":
                raise
            current = case_action(case=case, action_id=action_id)
            if current is not None:
                form.renew(version_of(current.updated_at))
            raise ApplicationError(error.message) from None
        messages.success(request, "Action updated.")
        return _back(case)

    return case_form_post(
        request, reference, may=can_work_case, make_form=make_form, act=act, form_key=f"action_update_{action_id}"
    )


@require_POST
def action_plan_agree_page(request: HttpRequest, reference: str) -> HttpResponse:
    """Record that the action plan was agreed with the reporter, and how it was shared."""

    def act(request: HttpRequest, user: User, case: Case, form: ActionPlanAgreeForm) -> str:
        data = form.cleaned_data
        action_plan_agree(
            actor=user, case=case, agreed_with=form.party(), agreed_on=data["agreed_on"],
            shared_how=data["shared_how"], shared_on=data.get("shared_on"), notes=data.get("notes") or "",
        )  # fmt: skip
        messages.success(request, "Action plan agreement recorded.")
        return _back(case)

    return case_form_post(
        request, reference, may=can_work_case, act=act, form_key="action_plan_form",
        make_form=lambda data, case: ActionPlanAgreeForm(data, case=case),
    )  # fmt: skip


__all__ = ["action_add_page", "action_plan_agree_page", "action_update_page", "plan_due"]
