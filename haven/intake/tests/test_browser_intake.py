"""An adviser takes a phone report in Chromium for three landlords: finds the caller in the demo
register by name, records the report, triages it as ASB with the risk screen and sees the case
opened with its tier and due date; the intake, queue and triage pages pass axe-core's WCAG 2.2 AA
rules."""

from __future__ import annotations

import re
from typing import Any

import pytest

from haven.register.tests.test_browser_register import axe_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("policy_id", ["emh", "wwh", "whg"])
def test_an_adviser_takes_a_report_from_a_caller_in_the_register_and_triages_it(
    live_haven: str, page: Any, policy_id: str
) -> None:
    page.goto(f"{live_haven}/sign-in/")
    page.get_by_label("User name").fill(f"{policy_id}-adviser")
    page.get_by_label("Password").fill("haven-demo-2026")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_haven}/")

    page.goto(f"{live_haven}/reports/")
    assert page.locator("h1").inner_text() == "Reports waiting for triage"
    assert axe_violations(page) == []

    page.get_by_role("button", name="New report").click()
    page.wait_for_url("**/reports/new/")
    search = page.get_by_label("Name, address, postcode or reference")
    assert search.evaluate("el => el === document.activeElement")  # ready to type the caller's name
    # The demo register's first person, found by reference, then by surname as a caller gives it.
    search.fill(f"{policy_id.upper()}-C0000001")
    page.get_by_role("button", name="Find", exact=True).click()
    results = page.get_by_test_id("caller-results")
    full_name = results.locator("tbody tr").first.locator("td").first.inner_text().split("\n")[0].strip()
    full_name = re.sub(rf"\s*{policy_id.upper()}-C0000001$", "", full_name)
    surname = full_name.split()[-1]
    page.get_by_label("Name, address, postcode or reference").fill(surname)
    page.get_by_role("button", name="Find", exact=True).click()
    page.wait_for_url(f"**/reports/new/?q={surname}")
    assert axe_violations(page) == []
    page.get_by_role("link", name=f"Choose {full_name}").first.click()
    chosen = page.get_by_test_id("caller-chosen")
    assert full_name in chosen.inner_text() and "Property" in chosen.inner_text()
    assert page.get_by_label("Caller's name").input_value() == full_name

    page.get_by_label("What happened?").fill("Shouting and threats on the stairs every night")
    page.get_by_label("Where did it happen?").fill("The stairs outside the caller's flat")
    page.get_by_role("button", name="Save the report").click()
    page.wait_for_url(re.compile(r".*/reports/REP-\d{4}-\d{6}/$"))
    assert "saved" in page.locator(".govuk-notification-banner").inner_text()
    assert "What to tell the caller" in page.get_by_test_id("tell-caller").inner_text()

    page.get_by_role("button", name="Triage this report").click()
    page.wait_for_url("**/triage/")
    page.get_by_label("Yes, it is ASB").check()
    page.get_by_label("Category of ASB").select_option(index=1)
    page.get_by_label("Has anyone been hurt, or threatened with violence?").check()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save the decision").click()
    page.wait_for_url(re.compile(r".*/reports/REP-\d{4}-\d{6}/$"))
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert re.search(r"Case ASB-\d{4}-\d{6} opened: .+, response due by \w{3} \d{1,2} \w{3} \d{4}, ", banner), banner
    assert "Case opened" in page.get_by_test_id("status").inner_text()
