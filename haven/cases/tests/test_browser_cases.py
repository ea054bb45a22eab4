"""An officer opens their cases in Chromium, sees the response clock, opens a case and records the
first contact with the reporter; the list and the case page pass axe-core's WCAG 2.2 AA rules."""

from __future__ import annotations

from typing import Any

import pytest

from haven.register.tests.test_browser_register import axe_violations

pytestmark = pytest.mark.browser


def test_an_officer_records_the_first_contact_on_a_case(live_haven: str, page: Any) -> None:
    page.goto(f"{live_haven}/sign-in/")
    page.get_by_label("User name").fill("emh-officer")
    page.get_by_label("Password").fill("haven-demo-2026")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_haven}/")

    page.get_by_role("link", name="Cases", exact=True).click()
    page.wait_for_url("**/cases/")
    cases = page.get_by_test_id("cases")
    assert "Low risk" in cases.inner_text()
    assert axe_violations(page) == []

    # The demo's unanswered low-risk case: a row without "Responded".
    row = cases.locator("tbody tr", has_not_text="Responded").first
    reference = row.get_by_role("link").first.inner_text()
    row.get_by_role("link").first.click()
    page.wait_for_url(f"**/cases/{reference}/")
    assert page.locator("h1").inner_text() == f"Case {reference}"
    assert axe_violations(page) == []

    form = page.locator("#contact-form")
    form.get_by_label("Who with").select_option(index=1)  # the reporter
    form.get_by_label("How").select_option("phone")
    form.get_by_label("Summary").fill("Called to agree how often we update them: weekly, by phone.")
    form.get_by_role("button", name="Record contact").click()
    page.wait_for_url(f"**/cases/{reference}/#contacts")
    assert "Contact recorded." in page.locator(".govuk-notification-banner").inner_text()
    assert "weekly, by phone" in page.get_by_test_id("contacts").inner_text()
    assert "Responded" in page.locator("main").inner_text()
    assert axe_violations(page) == []
