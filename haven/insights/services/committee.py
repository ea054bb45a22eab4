"""Committee reports (issue 9; whg 3.1 bi-annual report to the oversight committee; Peaks & Plains
7.4.1 annual report to the Board): asked for on a page, built by the task worker as a PDF.

``committee_report_request`` checks what was asked, saves it, audits it and queues the build once
the transaction commits. ``committee_report_build`` (run by ``committee_report_task``) computes
each section with the dashboard's own selectors, saying which section it is on (``step``,
``progress``) as it goes, then renders ``insights/committee_report_pdf.html`` with WeasyPrint and
keeps the PDF in the row. A failure marks the report failed with a plain message; the log names the
report only, never what is in it.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from haven.accounts.models import Team, User
from haven.accounts.permissions import sees_whole_landlord
from haven.accounts.selectors import landlord_profile
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.common.documents import pdf_render
from haven.common.errors import ApplicationError
from haven.insights.charts import grouped_bars
from haven.insights.models import CommitteeReport, ReportStatus
from haven.insights.selectors.compliance import compliance_audit
from haven.insights.selectors.equality import equality_trends, suppressed
from haven.insights.selectors.outcomes import by_category, closure_outcomes, survey_results
from haven.insights.selectors.responses import response_performance
from haven.insights.selectors.scope import Scope
from haven.insights.selectors.tsm import current_reporting_year, nm01, tp12
from haven.insights.selectors.volumes import monthly_volumes, months_between, period_bounds
from haven.register.models import Patch

logger = logging.getLogger(__name__)

TITLE_MAX, AUDIENCE_MAX, COMMENT_MAX = 200, 200, 4000
COMMENTARY = ("summary", "performance", "equality", "next_steps")


@dataclass(frozen=True)
class ReportAsked:
    title: str
    audience: str
    start: date
    end: date
    team_id: int | None = None
    patch_id: int | None = None
    summary: str = ""
    performance: str = ""
    equality: str = ""
    next_steps: str = ""


def may_ask_for_reports(user: User) -> bool:
    return user.landlord_id is not None and sees_whole_landlord(user)


def _problems(actor: User, asked: ReportAsked) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not asked.title.strip():
        problems["title"] = "Enter a title for the report."
    elif len(asked.title.strip()) > TITLE_MAX:
        problems["title"] = f"Write the title in no more than {TITLE_MAX} characters."
    if len(asked.audience.strip()) > AUDIENCE_MAX:
        problems["audience"] = f"Write who it is for in no more than {AUDIENCE_MAX} characters."
    for name in COMMENTARY:
        if len(getattr(asked, name).strip()) > COMMENT_MAX:
            problems[name] = f"Write this commentary in no more than {COMMENT_MAX:,} characters."
    try:
        months_between(asked.start, asked.end)
    except ApplicationError as error:
        problems["end"] = error.message
    if asked.team_id is not None and not Team.objects.filter(pk=asked.team_id, landlord=actor.landlord).exists():
        problems["team"] = "Choose one of your landlord's teams."
    if asked.patch_id is not None and not Patch.objects.filter(pk=asked.patch_id, landlord=actor.landlord).exists():
        problems["patch"] = "Choose one of your landlord's patches."
    return problems


@transaction.atomic
def committee_report_request(*, actor: User, asked: ReportAsked, via: str = "web") -> CommitteeReport:
    """Save and queue a committee report; nothing is saved if anything asked for is wrong."""
    if not may_ask_for_reports(actor):
        raise ApplicationError("Only staff who see the whole landlord's cases can ask for a committee report.",
                               code="forbidden")  # fmt: skip
    problems = _problems(actor, asked)
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    assert actor.landlord is not None
    report = CommitteeReport.objects.create(
        landlord=actor.landlord, title=asked.title.strip(), audience=asked.audience.strip(), start=asked.start,
        end=asked.end, team_id=asked.team_id, patch_id=asked.patch_id, requested_by=actor,
        **{name: getattr(asked, name).strip() for name in COMMENTARY},
    )  # fmt: skip
    audit_record(actor=actor, verb=Verb.COMMITTEE_REPORT_REQUESTED, target=report, label=str(report), via=via)
    from haven.insights.tasks import committee_report_task

    transaction.on_commit(lambda: committee_report_task.enqueue(report_id=report.pk))
    return report


@transaction.atomic
def committee_report_downloaded(*, actor: User, report: CommitteeReport, via: str = "web") -> None:
    audit_record(actor=actor, verb=Verb.COMMITTEE_REPORT_DOWNLOADED, target=report, label=str(report), via=via)


def _step(report: CommitteeReport, progress: int, step: str) -> None:
    """Say how far the build has got, at once (the build runs outside a transaction)."""
    CommitteeReport.objects.filter(pk=report.pk).update(progress=progress, step=step, updated_at=timezone.now())


def _sections(report: CommitteeReport) -> dict[str, Any]:
    landlord = report.landlord
    scope = Scope(report.team_id, report.patch_id)
    since, until = period_bounds(report.start, report.end)
    found: dict[str, Any] = {}
    _step(report, 10, "Counting cases opened, closed and open each month")
    volumes = monthly_volumes(landlord, report.start, report.end, scope)
    found["volumes"] = volumes
    found["chart"] = grouped_bars([f"{v.month.first:%b %y}" for v in volumes],
                                  [[v.opened for v in volumes], [v.closed for v in volumes]],
                                  line=[v.open_at_end for v in volumes])  # fmt: skip
    _step(report, 25, "Response times against target")
    found["responses"] = response_performance(landlord, since, until, scope)
    _step(report, 40, "Closures, time to resolve and types of ASB")
    found["outcomes"] = closure_outcomes(landlord, since, until, scope)
    found["categories"] = by_category(landlord, since, until, scope)
    _step(report, 50, "Satisfaction and the Tenant Satisfaction Measures")
    found["survey"] = survey_results(landlord, since, until, scope)
    if landlord_profile(landlord).kpis.tsm_applies:
        year = current_reporting_year(report.end)
        found["tsm"] = (nm01(landlord, year), tp12(landlord, year))
    _step(report, 60, "The policy compliance audit")
    found["compliance"] = compliance_audit(landlord, since, until, scope)
    _step(report, 70, "Equality trends")
    found["equality"] = [
        (table, [(row.answer, suppressed(row.reports), suppressed(row.reporters), suppressed(row.reported))
                 for row in table.rows])
        for table in equality_trends(landlord, since, until, scope)
    ]  # fmt: skip
    return found


def committee_report_build(*, report_id: int) -> CommitteeReport | None:
    """Build the PDF of a queued report; a report already built (or gone) is left as it is."""
    report = (
        CommitteeReport.objects.select_related("landlord", "team", "patch", "requested_by")
        .filter(pk=report_id, status__in=[ReportStatus.QUEUED, ReportStatus.BUILDING])
        .first()
    )
    if report is None:
        return None
    CommitteeReport.objects.filter(pk=report.pk).update(status=ReportStatus.BUILDING, error="")
    try:
        context = {"report": report, "generated": timezone.localtime(), **_sections(report)}
        _step(report, 85, "Drawing the PDF")
        pdf = pdf_render(render_to_string("insights/committee_report_pdf.html", context))
        from pypdf import PdfReader

        pages = len(PdfReader(BytesIO(pdf)).pages)
    except Exception:
        logger.exception("Committee report %s could not be built", report.pk)
        CommitteeReport.objects.filter(pk=report.pk).update(
            status=ReportStatus.FAILED, step="", finished_at=timezone.now(),
            error="Something went wrong while building the report. Ask for it again; if it fails again, tell support.",
        )  # fmt: skip
        return None
    CommitteeReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.READY, progress=100, step="", pdf=pdf, pages=pages,
        sha256=hashlib.sha256(pdf).hexdigest(), finished_at=timezone.now(),
    )  # fmt: skip
    report.refresh_from_db()
    return report
