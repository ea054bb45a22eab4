"""The period, team and patch every insight page and export is asked for (issue 9), and who may ask:
staff who see the whole landlord (managers, specialists, auditors, admins)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from haven.accounts.models import Landlord, Team, User
from haven.accounts.permissions import sees_whole_landlord
from haven.cases.views.core import forbidden, staff_user
from haven.common.forms import date_field
from haven.insights.selectors.scope import Scope
from haven.register.models import Patch


class PeriodForm(forms.Form):
    start = date_field("From", "Enter the first day of the period.")
    end = date_field("To", "Enter the last day of the period.")
    team = forms.ChoiceField(label="Team", required=False,
                             error_messages={"invalid_choice": "Choose one of your landlord's teams."})  # fmt: skip
    patch = forms.ChoiceField(label="Patch", required=False,
                              error_messages={"invalid_choice": "Choose one of your landlord's patches."})  # fmt: skip

    def __init__(self, *args: Any, landlord: Landlord, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team, patch = self.fields["team"], self.fields["patch"]
        assert isinstance(team, forms.ChoiceField) and isinstance(patch, forms.ChoiceField)
        team.choices = [("", "All teams"), *((str(t.pk), t.name) for t in Team.objects.filter(landlord=landlord))]
        patches = Patch.objects.filter(landlord=landlord).order_by("name")
        patch.choices = [("", "All patches"), *((str(p.pk), p.name) for p in patches)]

    def scope(self) -> Scope:
        data = self.cleaned_data if self.is_bound and not self.errors else {}
        team, patch = data.get("team") or "", data.get("patch") or ""
        return Scope(int(team) if team else None, int(patch) if patch else None)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The period ends before it starts: choose an end on or after the start.")
        return data


def default_period(today: date) -> tuple[date, date]:
    """The last twelve calendar months, this one included: from the first of the month a year ago."""
    first = date(today.year, 1, 1) if today.month == 12 else date(today.year - 1, today.month + 1, 1)
    return first, today


def period_query(start: date, end: date, scope: Scope) -> str:
    query = f"start={start:%d/%m/%Y}&end={end:%d/%m/%Y}"
    if scope.team_id is not None:
        query += f"&team={scope.team_id}"
    if scope.patch_id is not None:
        query += f"&patch={scope.patch_id}"
    return query


def export_request(request: HttpRequest) -> tuple[User, PeriodForm, date, date] | HttpResponse:
    """Who asks for an export and for which period, or the refusal: 403, or 400 naming the problem."""
    user = insight_user(request)
    if user is None or user.landlord is None:
        return forbidden(request)
    form, start, end = period_asked(request, user.landlord)
    if form.errors:
        message = " ".join(str(e) for errs in form.errors.values() for e in errs)
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    return user, form, start, end


def insight_user(request: HttpRequest) -> User | None:
    user = staff_user(request)
    return user if user is not None and sees_whole_landlord(user) and user.landlord is not None else None


def period_asked(request: HttpRequest, landlord: Landlord) -> tuple[PeriodForm, date, date]:
    today = timezone.localdate()
    start, end = default_period(today)
    if any(name in request.GET for name in ("start", "end", "team", "patch")):
        data = request.GET.copy()
        data.setdefault("start", start.strftime("%d/%m/%Y"))
        data.setdefault("end", end.strftime("%d/%m/%Y"))
        form = PeriodForm(data, landlord=landlord)
        if form.is_valid():
            return form, form.cleaned_data["start"], form.cleaned_data["end"]
        return form, start, end
    initial = {"start": start.strftime("%d/%m/%Y"), "end": end.strftime("%d/%m/%Y")}
    return PeriodForm(initial=initial, landlord=landlord), start, end
