"""The manager's dashboard (issue 9): for a chosen period, cases opened, closed and open at each
month end with legal cases year to date (Livv 6), response times against target by tier (emh 7.1),
closures resolved and unresolved with the time to resolve (pnp 8.2), types of ASB, transactional
satisfaction (whg 3.3) and this reporting year's TSMs; each chart beside the table of its figures, and the monthly
figures as CSV. For staff who see the whole landlord (managers, specialists, auditors, admins)."""

from __future__ import annotations

import csv
from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from haven.accounts.models import User
from haven.accounts.selectors import landlord_profile
from haven.cases.views.core import forbidden
from haven.common.errors import ApplicationError
from haven.insights.charts import grouped_bars
from haven.insights.selectors.compliance import compliance_audit
from haven.insights.selectors.outcomes import by_category, closure_outcomes, survey_results
from haven.insights.selectors.responses import response_performance
from haven.insights.selectors.scope import ALL, Scope
from haven.insights.selectors.summary import summary_state, whole_months
from haven.insights.selectors.tsm import current_reporting_year, nm01, tp12
from haven.insights.selectors.volumes import monthly_volumes, period_bounds
from haven.insights.services.summary import summary_ask
from haven.insights.views.period import default_period, export_request, insight_user, period_asked, period_query


@require_GET
def dashboard_page(request: HttpRequest) -> HttpResponse:
    user = insight_user(request)
    if user is None:
        return forbidden(request)
    assert user.landlord is not None
    summary_ask(user.landlord)
    form, start, end = period_asked(request, user.landlord)
    try:
        volumes = monthly_volumes(user.landlord, start, end, form.scope())
    except ApplicationError as error:
        form.add_error("end", error.message)
        start, end = default_period(timezone.localdate())
        volumes = monthly_volumes(user.landlord, start, end)
    labels = [f"{v.month.first:%b %y}" for v in volumes]
    chart = grouped_bars(labels, [[v.opened for v in volumes], [v.closed for v in volumes]],
                         line=[v.open_at_end for v in volumes])  # fmt: skip
    since, until = period_bounds(start, end)
    scope = form.scope()
    responses = response_performance(user.landlord, since, until, scope)
    profile = landlord_profile(user.landlord)
    year = current_reporting_year(timezone.localdate())
    context = {
        "form": form, "start": start, "end": end, "volumes": volumes, "chart": chart, "responses": responses,
        "outcomes": closure_outcomes(user.landlord, since, until, scope),
        "categories": by_category(user.landlord, since, until, scope),
        "survey": survey_results(user.landlord, since, until, scope), "scoped": scope != ALL,
        "tsm": (nm01(user.landlord, year), tp12(user.landlord, year)) if profile.kpis.tsm_applies else None,
        "query": period_query(start, end, scope),
        "summary": summary_state(user.landlord), "whole_months": whole_months(since, until) is not None,
    }  # fmt: skip
    return render(request, "insights/dashboard.html", context, status=400 if form.errors else 200)


@require_GET
def volumes_csv(request: HttpRequest) -> HttpResponse:
    """The monthly figures of the dashboard's period as CSV (the same numbers as its chart and table)."""
    asked = export_request(request)
    if isinstance(asked, HttpResponse):
        return asked
    user, form, start, end = asked
    assert user.landlord is not None
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="haven-volumes-{start:%Y%m}-{end:%Y%m}.csv"'
    writer = csv.writer(response)
    writer.writerow(["month", "opened", "closed", "open_at_month_end", "legal_cases_year_to_date"])
    for row in monthly_volumes(user.landlord, start, end, form.scope()):
        writer.writerow([f"{row.month.first:%Y-%m}", row.opened, row.closed, row.open_at_end, row.legal_year_to_date])
    return response


def _workbook(user: User, start: date, end: date, scope: Scope) -> bytes:
    """Every measure of the dashboard's period, one sheet each (the same selectors as the page)."""
    from io import BytesIO

    from openpyxl import Workbook

    assert user.landlord is not None
    landlord = user.landlord
    since, until = period_bounds(start, end)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Volumes"
    sheet.append(["Month", "Opened", "Closed", "Open at the month end", "Legal cases, year to date"])
    for v in monthly_volumes(landlord, start, end, scope):
        sheet.append([f"{v.month.first:%Y-%m}", v.opened, v.closed, v.open_at_end, v.legal_year_to_date])
    sheet = book.create_sheet("Responses")
    sheet.append(["Tier", "Met", "Missed", "Waiting", "Share met (%)", "Median hours to respond"])
    for r in response_performance(landlord, since, until, scope):
        sheet.append([r.label, r.met, r.missed, r.waiting, r.share_met, r.median_hours])
    outcomes = closure_outcomes(landlord, since, until, scope)
    sheet = book.create_sheet("Closures")
    for row in (["Closed", outcomes.closed], ["Resolved", outcomes.resolved], ["Unresolved", outcomes.unresolved],
                ["Median days to resolve", outcomes.median_days], ["90th percentile days", outcomes.p90_days],
                ["Median working days", outcomes.median_working_days],
                ["90th percentile working days", outcomes.p90_working_days],
                *([f"Reason: {label}", n] for label, n in outcomes.by_reason)):  # fmt: skip
        sheet.append(row)
    sheet = book.create_sheet("Types of ASB")
    sheet.append(["Category", "Opened", "Closed"])
    for label, opened, closed in by_category(landlord, since, until, scope):
        sheet.append([label, opened, closed])
    sheet = book.create_sheet("Satisfaction")
    sheet.append(["Question", "Answered", "Satisfied or agreeing (%)"])
    for result in survey_results(landlord, since, until, scope):
        sheet.append([result.question, result.answered, result.percent])
    if landlord_profile(landlord).kpis.tsm_applies:
        year = current_reporting_year(end)
        n, t = nm01(landlord, year), tp12(landlord, year)
        sheet = book.create_sheet("TSM")
        for row in (["Reporting year", n.year.label], ["Homes", n.homes.homes], ["Homes from", n.homes.source],
                    ["ASB cases opened", n.cases_opened], ["Involving hate incidents", n.hate_cases_opened],
                    ["Left out by the settings", n.excluded],
                    ["NM01 (a) per 1,000 homes", float(n.nm01_a) if n.nm01_a is not None else None],
                    ["NM01 (b) per 1,000 homes", float(n.nm01_b) if n.nm01_b is not None else None],
                    ["TP12 answered", t.answered], ["TP12 satisfied", t.satisfied],
                    ["TP12 (%)", float(t.percent) if t.percent is not None else None]):  # fmt: skip
            sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
def measures_xlsx(request: HttpRequest) -> HttpResponse:
    """Every measure of the period as an Excel workbook (whg 3.2; emh 7.2 benchmarking returns)."""
    asked = export_request(request)
    if isinstance(asked, HttpResponse):
        return asked
    user, form, start, end = asked
    response = HttpResponse(_workbook(user, start, end, form.scope()), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="haven-measures-{start:%Y%m}-{end:%Y%m}.xlsx"'
    return response


@require_GET
def compliance_page(request: HttpRequest) -> HttpResponse:
    """The policy compliance audit of a period (whg 3.4), each line with the cases that fall short."""
    user = insight_user(request)
    if user is None:
        return forbidden(request)
    assert user.landlord is not None
    form, start, end = period_asked(request, user.landlord)
    since, until = period_bounds(start, end)
    lines = compliance_audit(user.landlord, since, until, form.scope())
    context = {"form": form, "start": start, "end": end, "lines": lines}
    return render(request, "insights/compliance.html", context, status=400 if form.errors else 200)


urlpatterns = [
    path("insights/compliance/", compliance_page, name="compliance"),
    path("insights/measures.xlsx", measures_xlsx, name="measures-xlsx"),
    path("insights/", dashboard_page, name="dashboard"),
    path("insights/volumes.csv", volumes_csv, name="volumes-csv"),
]
