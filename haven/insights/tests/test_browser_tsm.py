"""A team manager opens the Tenant Satisfaction Measures from the home page in Chromium, enters the
homes figure of the year and sees NM01 worked out with it; the page passes axe-core's WCAG 2.2 AA
rules before and after. Then the dashboard, the equality trends and a committee report's journey."""

from __future__ import annotations

from typing import Any

import pytest

from haven.cases.tests.test_browser_workspace import _sign_in
from haven.register.tests.test_browser_register import axe_violations

pytestmark = pytest.mark.browser


def test_a_manager_enters_the_homes_figure_and_sees_nm01(live_haven: str, page: Any) -> None:
    _sign_in(page, live_haven, "emh-manager")
    page.get_by_test_id("oversight-links").get_by_role("link", name="Tenant Satisfaction Measures").click()
    page.wait_for_url("**/insights/tsm/")
    assert page.locator("h1").inner_text() == "Tenant Satisfaction Measures"
    assert axe_violations(page) == []
    page.get_by_label("Homes owned at 31 March").fill("2000")
    page.get_by_role("button", name="Save the homes figure").click()
    page.wait_for_url("**/insights/tsm/?year=*")
    assert "Homes figure saved." in page.locator(".govuk-notification-banner").inner_text()
    assert "2000 (the figure entered for the year)" in page.get_by_test_id("nm01").inner_text()
    assert "Not worked out" not in page.get_by_test_id("nm01-a").inner_text()
    assert axe_violations(page) == []


def test_the_dashboard_shows_its_charts_and_tables(live_haven: str, page: Any) -> None:
    """The dashboard in Chromium: the chart is drawn, its table and the response table are there,
    and the page passes axe-core."""
    _sign_in(page, live_haven, "emh-manager")
    page.get_by_test_id("oversight-links").get_by_role("link", name="Dashboard").click()
    page.wait_for_url("**/insights/")
    assert page.locator("svg[role=img] rect").count() > 0
    assert page.get_by_test_id("volumes").locator("tbody tr").count() >= 12
    assert "Low risk" in page.get_by_test_id("responses").inner_text()
    assert axe_violations(page) == []
    page.get_by_label("From").fill("01/03/2026")
    page.get_by_label("To").fill("01/02/2026")
    page.get_by_role("button", name="Show the period").click()
    assert "ends before it starts" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations(page) == []


def test_a_manager_asks_for_a_committee_report_watches_it_build_and_downloads_the_pdf(
    live_haven: str, live_haven_env: dict[str, str], page: Any
) -> None:
    """From the dashboard to the equality trends and the committee reports, in Chromium: a report
    without a title is refused with the commentary kept; with one it waits for the worker (the page
    reloads itself), one pass of the task worker builds it, and the PDF downloads. axe-core passes
    on each page."""
    from io import BytesIO
    from pathlib import Path

    from pypdf import PdfReader

    from haven.cases.tests.test_browser_workspace import _run_worker

    _sign_in(page, live_haven, "emh-manager")
    page.goto(f"{live_haven}/insights/")
    page.get_by_role("link", name="Equality trends of the period").click()
    page.wait_for_url("**/insights/equality/**")
    assert page.get_by_test_id("equality-sex").locator("tbody tr").count() >= 1
    assert axe_violations(page) == []
    page.goto(f"{live_haven}/insights/")
    page.get_by_role("link", name="Committee reports").click()
    page.wait_for_url("**/insights/committee-reports/")
    assert axe_violations(page) == []
    page.get_by_label("Title").fill("")
    page.get_by_label("Summary").fill("A steady half year.")
    page.get_by_role("button", name="Build the report").click()
    assert "Enter a title for the report." in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("Summary").input_value() == "A steady half year."
    assert axe_violations(page) == []
    page.get_by_label("Title").fill("Report to the Board")
    page.get_by_role("button", name="Build the report").click()
    page.wait_for_url("**/insights/committee-reports/*/")
    assert "Waiting for the report to start" in page.get_by_test_id("report-progress").inner_text()
    assert axe_violations(page) == []
    _run_worker(live_haven_env)
    # The page updates itself every few seconds; a reload of our own could race with it.
    page.get_by_test_id("report-ready").wait_for(timeout=20_000)
    assert "The report is ready" in page.get_by_test_id("report-ready").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report (PDF)").click()
    pdf = PdfReader(BytesIO(Path(download.value.path()).read_bytes()))
    assert "Report to the Board" in pdf.pages[0].extract_text() and "A steady half year." in pdf.pages[0].extract_text()
    assert axe_violations(page) == []
