"""The TSM page (issue 9): NM01 and TP12 for a chosen reporting year, how each was worked out, and
for team managers and administrators the homes figure of the year and the TSM settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from haven.accounts.models import User
from haven.accounts.permissions import sees_whole_landlord
from haven.accounts.selectors import landlord_profile
from haven.cases.views.core import add_errors, forbidden, see_other, staff_user
from haven.common.errors import ApplicationError
from haven.common.forms import text_field
from haven.insights.models import HomesFigure
from haven.insights.selectors.tsm import FIRST_YEAR, LAST_YEAR, current_reporting_year, nm01, tp12, tsm_settings
from haven.insights.services.tsm import (
    MAX_DECIMALS,
    MAX_HOMES,
    NOTE_MAX,
    homes_figure_save,
    may_edit_tsm,
    tsm_settings_save,
)


class HomesForm(forms.Form):
    homes = forms.IntegerField(
        label="Homes owned at 31 March", min_value=1, max_value=MAX_HOMES,
        help_text="Low cost rental and low cost home ownership homes, as returned to the regulator.",
        error_messages={"required": "Enter the number of homes owned.", "invalid": "Enter a whole number of homes.",
                        "min_value": f"Enter a number of homes from 1 to {MAX_HOMES:,}.",
                        "max_value": f"Enter a number of homes from 1 to {MAX_HOMES:,}."},
    )  # fmt: skip
    note = text_field("Where the figure comes from (optional)", required=False, limit=NOTE_MAX, widget=forms.TextInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "homes")
        super().__init__(*args, **kwargs)


class SettingsForm(forms.Form):
    decimals = forms.TypedChoiceField(
        label="Decimal places of the rates", coerce=int, choices=[(n, str(n)) for n in range(MAX_DECIMALS + 1)],
        error_messages={"required": "Choose the decimal places.", "invalid_choice": "Choose the decimal places."},
    )  # fmt: skip
    excluded = forms.MultipleChoiceField(
        label="Leave out cases closed for these reasons", required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Tick only the reasons shown."},
    )  # fmt: skip

    def __init__(self, *args: Any, reasons: list[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "settings")
        super().__init__(*args, **kwargs)
        excluded = self.fields["excluded"]
        assert isinstance(excluded, forms.MultipleChoiceField)
        excluded.choices = reasons


def _year(request: HttpRequest) -> tuple[int, str]:
    raw = (request.GET.get("year") or request.POST.get("year") or "").strip()
    if not raw:
        return current_reporting_year(timezone.localdate()), ""
    if raw.isdigit() and FIRST_YEAR <= int(raw) <= LAST_YEAR:
        return int(raw), ""
    return current_reporting_year(timezone.localdate()), (
        f"'{raw}' is not a reporting year: give the year it starts in, like 2025 for 2025/26. Showing this year."
    )


def _page(request: HttpRequest, user: User, year: int, *, problem: str = "", homes_form: HomesForm | None = None,
          settings_form: SettingsForm | None = None, status: int = 200) -> HttpResponse:  # fmt: skip
    assert user.landlord is not None
    profile = landlord_profile(user.landlord)
    if not profile.kpis.tsm_applies:
        context = {"applies": False, "landlord": profile.landlord.name}
        return render(request, "insights/tsm.html", context, status=status)
    settings = tsm_settings(user.landlord)
    reasons = [(r.code, r.label) for r in profile.closure.reasons]
    editing = may_edit_tsm(user)
    figure = HomesFigure.objects.filter(landlord=user.landlord, year=year).first()
    if editing and homes_form is None:
        homes_form = HomesForm(initial={"homes": figure.homes, "note": figure.note} if figure else None)
    if editing and settings_form is None:
        settings_form = SettingsForm(
            initial={"decimals": settings.decimals, "excluded": settings.excluded_closure_reasons}, reasons=reasons
        )
    this_year = current_reporting_year(timezone.localdate())
    context = {
        "applies": True, "year": year, "nm01": nm01(user.landlord, year), "tp12": tp12(user.landlord, year),
        "problem": problem, "settings": settings,
        "excluded_labels": [label for code, label in reasons if code in settings.excluded_closure_reasons],
        "homes_form": homes_form, "settings_form": settings_form,
        "error_forms": [f for f in (homes_form, settings_form) if f is not None and f.is_bound and f.errors],
        "years": sorted({*range(this_year, this_year - 5, -1), year}, reverse=True),
    }  # fmt: skip
    return render(request, "insights/tsm.html", context, status=status)


def _user(request: HttpRequest) -> User | None:
    user = staff_user(request)
    return user if user is not None and sees_whole_landlord(user) and user.landlord is not None else None


@require_GET
def tsm_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user is None:
        return forbidden(request)
    year, problem = _year(request)
    return _page(request, user, year, problem=problem)


def _done(year: int, text: str, request: HttpRequest) -> HttpResponse:
    messages.success(request, text)
    return see_other(reverse("insights:tsm") + f"?year={year}")


@require_POST
def homes_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user is None or not may_edit_tsm(user):
        return forbidden(request)
    year, problem = _year(request)
    form = HomesForm(request.POST)
    if not problem and form.is_valid():
        try:
            homes_figure_save(actor=user, year=year, homes=form.cleaned_data["homes"], note=form.cleaned_data["note"])
            return _done(year, "Homes figure saved.", request)
        except ApplicationError as error:
            add_errors(form, error)
    return _page(request, user, year, problem=problem, homes_form=form, status=400)


@require_POST
def settings_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user is None or not may_edit_tsm(user) or user.landlord is None:
        return forbidden(request)
    year, _ = _year(request)
    reasons = [(r.code, r.label) for r in landlord_profile(user.landlord).closure.reasons]
    form = SettingsForm(request.POST, reasons=reasons)
    if form.is_valid():
        try:
            tsm_settings_save(
                actor=user, decimals=form.cleaned_data["decimals"], excluded=form.cleaned_data["excluded"]
            )
            return _done(year, "TSM settings saved.", request)
        except ApplicationError as error:
            add_errors(form, error)
    return _page(request, user, year, settings_form=form, status=400)


urlpatterns = [
    path("insights/tsm/", tsm_page, name="tsm"),
    path("insights/tsm/homes/", homes_page, name="tsm-homes"),
    path("insights/tsm/settings/", settings_page, name="tsm-settings"),
]
