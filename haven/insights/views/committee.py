"""Committee reports (issue 9; whg 3.1, Peaks & Plains 7.4.1): ask for one, watch it being built,
download its PDF (audited). For staff who see the whole landlord."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from haven.cases.views.core import add_errors, forbidden, see_other
from haven.common.errors import ApplicationError
from haven.common.forms import text_field
from haven.insights.models import CommitteeReport, ReportStatus
from haven.insights.services.committee import (
    AUDIENCE_MAX,
    COMMENT_MAX,
    TITLE_MAX,
    ReportAsked,
    committee_report_downloaded,
    committee_report_request,
)
from haven.insights.views.period import PeriodForm, default_period, insight_user

REFRESH_SECONDS = 3
SHOWN = 20


class CommitteeReportForm(PeriodForm):
    title = text_field("Title", missing="Enter a title for the report.", limit=TITLE_MAX, widget=forms.TextInput)
    audience = text_field("Who it is for", required=False, limit=AUDIENCE_MAX, widget=forms.TextInput,
                          help_text="For example, the Board, or the oversight committee (whg 3.1).")  # fmt: skip
    summary = text_field("Summary", required=False, limit=COMMENT_MAX)
    performance = text_field("Commentary on performance", required=False, limit=COMMENT_MAX)
    equality = text_field("Commentary on equality trends", required=False, limit=COMMENT_MAX)
    next_steps = text_field("Next steps", required=False, limit=COMMENT_MAX)

    def asked(self) -> ReportAsked:
        data, scope = self.cleaned_data, self.scope()
        return ReportAsked(
            title=data["title"], audience=data["audience"], start=data["start"], end=data["end"],
            team_id=scope.team_id, patch_id=scope.patch_id, summary=data["summary"],
            performance=data["performance"], equality=data["equality"], next_steps=data["next_steps"],
        )  # fmt: skip


def _reports_page(request: HttpRequest, form: CommitteeReportForm, status: int = 200) -> HttpResponse:
    user = insight_user(request)
    assert user is not None
    reports = (
        CommitteeReport.objects.filter(landlord=user.landlord)
        .select_related("requested_by")
        .defer("pdf", "summary", "performance", "equality", "next_steps")
        .order_by("-created_at")[:SHOWN]
    )
    return render(request, "insights/committee_reports.html", {"form": form, "reports": reports}, status=status)


@require_http_methods(["GET", "POST"])
def committee_reports(request: HttpRequest) -> HttpResponse:
    """The reports asked for so far, newest first, and the form to ask for another."""
    user = insight_user(request)
    if user is None:
        return forbidden(request)
    assert user.landlord is not None
    if request.method == "GET":
        start, end = default_period(timezone.localdate())
        title = f"Anti-social behaviour: report for {start:%B %Y} to {end:%B %Y}"
        initial: dict[str, Any] = {"start": start.strftime("%d/%m/%Y"), "end": end.strftime("%d/%m/%Y"), "title": title}
        return _reports_page(request, CommitteeReportForm(initial=initial, landlord=user.landlord))
    form = CommitteeReportForm(request.POST, landlord=user.landlord)
    if form.is_valid():
        try:
            report = committee_report_request(actor=user, asked=form.asked())
        except ApplicationError as error:
            add_errors(form, error)
        else:
            return see_other(reverse("insights:committee-report", args=[report.pk]))
    return _reports_page(request, form, status=400)


def _report_of(request: HttpRequest, report_id: int) -> tuple[Any, CommitteeReport | None]:
    user = insight_user(request)
    if user is None:
        return None, None
    report = (
        CommitteeReport.objects.select_related("team", "patch", "requested_by")
        .filter(pk=report_id, landlord=user.landlord)
        .first()
    )
    return user, report


@require_GET
def committee_report(request: HttpRequest, report_id: int) -> HttpResponse:
    """One report: its progress while it is built (the page reloads itself), then its download."""
    user, report = _report_of(request, report_id)
    if user is None:
        return forbidden(request)
    if report is None:
        return render(request, "404.html", status=404)
    in_progress = report.status in (ReportStatus.QUEUED, ReportStatus.BUILDING)
    context = {"report": report, "in_progress": in_progress, "refresh_seconds": REFRESH_SECONDS}
    response = render(request, "insights/committee_report.html", context)
    if in_progress:
        response["Refresh"] = str(REFRESH_SECONDS)  # as the import page: base.html has no head block
    return response


@require_GET
def committee_report_pdf(request: HttpRequest, report_id: int) -> HttpResponse:
    user, report = _report_of(request, report_id)
    if user is None:
        return forbidden(request)
    if report is None or report.status != ReportStatus.READY or not report.pdf:
        return render(request, "404.html", status=404)
    committee_report_downloaded(actor=user, report=report)
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="haven-committee-report-{report.pk}.pdf"'
    return response


urlpatterns = [
    path("insights/committee-reports/", committee_reports, name="committee-reports"),
    path("insights/committee-reports/<int:report_id>/", committee_report, name="committee-report"),
    path("insights/committee-reports/<int:report_id>/pdf", committee_report_pdf, name="committee-report-pdf"),
]
