"""Background tasks of the insights app (django-tasks; the worker is ``haven worker``)."""

from __future__ import annotations

from django_tasks import task

from haven.insights.services.committee import committee_report_build
from haven.insights.services.summary import summary_refresh


@task()
def committee_report_task(*, report_id: int) -> int:
    """Build a committee report's PDF (a year of a large landlord's cases takes a while, so never in a
    request). Returns its number of pages, 0 when it failed or was already built."""
    report = committee_report_build(report_id=report_id)
    return report.pages if report is not None else 0


@task()
def summary_refresh_task(*, landlord_id: int) -> int:
    """Work a large landlord's month summaries out again (seconds at 200,000 cases). Returns the
    number of cases they cover."""
    return summary_refresh(landlord_id=landlord_id).cases
