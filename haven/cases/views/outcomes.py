"""Recording what came of a support need or a safeguarding concern, from the risk part of the case
page (its rows carry the forms; see views/risk.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from haven.accounts.models import User
from haven.accounts.permissions import can_view_special_category, can_work_case
from haven.cases.forms.outcomes import OutcomeForm
from haven.cases.models import Case, SafeguardingConcern, SupportNeed
from haven.cases.services.outcomes import safeguarding_outcome_record, support_need_outcome_record
from haven.cases.views.core import case_form_post


def may_record_outcomes(user: User, case: Case) -> bool:
    return can_work_case(user, case) and can_view_special_category(user)


def _post(request: HttpRequest, reference: str, model: Any, record_id: int, prefix: str, save: Any) -> HttpResponse:
    def act(request: HttpRequest, user: User, case: Case, form: OutcomeForm) -> str:
        record = model.objects.filter(case=case, pk=record_id).first()
        if record is None:
            raise Http404
        save(actor=user, record=record, outcome=form.cleaned_data["outcome"], version=form.cleaned_data["version"])
        messages.success(request, "Outcome recorded.")
        return reverse("cases:case", args=[case.reference]) + "#risk"

    return case_form_post(
        request, reference, may=may_record_outcomes, act=act, form_key=f"{prefix}-{record_id}",
        make_form=lambda data, case: OutcomeForm(data, prefix=f"{prefix}-{record_id}"),
        rename={"version": "outcome"},  # a stale edit is said beside what was typed
    )  # fmt: skip


@require_POST
def support_need_outcome(request: HttpRequest, reference: str, need_id: int) -> HttpResponse:
    return _post(request, reference, SupportNeed, need_id, "need-outcome",
                 lambda record, **kw: support_need_outcome_record(need=record, **kw))  # fmt: skip


@require_POST
def safeguarding_outcome(request: HttpRequest, reference: str, concern_id: int) -> HttpResponse:
    return _post(request, reference, SafeguardingConcern, concern_id, "concern-outcome",
                 lambda record, **kw: safeguarding_outcome_record(concern=record, **kw))  # fmt: skip
