"""A team manager opens the Tenant Satisfaction Measures from the home page in Chromium, enters the
homes figure of the year and sees NM01 worked out with it; the page passes axe-core's WCAG 2.2 AA
rules before and after."""

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
