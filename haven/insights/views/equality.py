"""Equality trends (issue 9; Peaks & Plains 8.2) and the case-level data for benchmarking returns
(whg 3.2; emh 7.2), for the dashboard's period, team and patch. Case-level exports are audited."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from io import BytesIO

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from haven.cases.views.core import forbidden
from haven.insights.selectors.caselevel import COLUMNS, case_rows
from haven.insights.selectors.equality import equality_trends
from haven.insights.selectors.scope import ALL
from haven.insights.selectors.volumes import period_bounds
from haven.insights.services.exports import case_export_recorded
from haven.insights.views.dashboard import XLSX
from haven.insights.views.period import export_request, insight_user, period_asked, period_query


@require_GET
def equality_page(request: HttpRequest) -> HttpResponse:
    """Reports and cases by the protected characteristics of reporters and reported persons."""
    user = insight_user(request)
    if user is None:
        return forbidden(request)
    assert user.landlord is not None
    form, start, end = period_asked(request, user.landlord)
    scope = form.scope()
    since, until = period_bounds(start, end)
    context = {
        "form": form, "start": start, "end": end, "tables": equality_trends(user.landlord, since, until, scope),
        "scoped": scope != ALL, "query": period_query(start, end, scope),
    }  # fmt: skip
    return render(request, "insights/equality.html", context, status=400 if form.errors else 200)


class _Echo:
    """A file-like object whose write returns the line, for csv.writer into a streamed response."""

    def write(self, value: str) -> str:
        return value


def _asked_rows(request: HttpRequest, kind: str) -> tuple[str, Iterator[list[object]]] | HttpResponse:
    asked = export_request(request)
    if isinstance(asked, HttpResponse):
        return asked
    user, form, start, end = asked
    assert user.landlord is not None
    since, until = period_bounds(start, end)
    case_export_recorded(actor=user, kind=kind, start=start, end=end)
    return f"haven-cases-{start:%Y%m}-{end:%Y%m}", case_rows(user.landlord, since, until, form.scope())


@require_GET
def cases_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """Case-level data of the period as CSV, streamed row by row."""
    asked = _asked_rows(request, "CSV")
    if isinstance(asked, HttpResponse):
        return asked
    name, rows = asked
    writer = csv.writer(_Echo())
    lines = (writer.writerow(row) for row in _with_header(rows))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _with_header(rows: Iterator[list[object]]) -> Iterator[list[object]]:
    yield list(COLUMNS)
    yield from rows


@require_GET
def cases_xlsx(request: HttpRequest) -> HttpResponse:
    """Case-level data of the period as an Excel workbook (openpyxl's write-only mode)."""
    from openpyxl import Workbook

    asked = _asked_rows(request, "Excel")
    if isinstance(asked, HttpResponse):
        return asked
    name, rows = asked
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Cases")
    for row in _with_header(rows):
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


urlpatterns = [
    path("insights/equality/", equality_page, name="equality"),
    path("insights/cases.csv", cases_csv, name="cases-csv"),
    path("insights/cases.xlsx", cases_xlsx, name="cases-xlsx"),
]
