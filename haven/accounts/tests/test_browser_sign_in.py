"""A member of staff signs in through the real page in Chromium and sees their home page
(issue 2, item 6), and the pages pass axe-core's WCAG 2.2 AA rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"


def axe_violations(page: Any) -> list[str]:
    # Evaluated through the DevTools protocol, so the page's Content Security Policy still holds.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']})).violations"
    )
    return [f"{v['id']}: {v['help']}" for v in result]


def test_an_officer_signs_in_and_sees_landlord_role_and_policy(live_haven: str, page: Any) -> None:
    page.goto(f"{live_haven}/")
    assert "/sign-in/" in page.url  # deny by default: sent to sign in
    assert axe_violations(page) == []

    page.get_by_label("User name").fill("emh-officer")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "not right" in summary.inner_text()
    assert page.get_by_label("User name").input_value() == "emh-officer"  # kept as typed

    page.get_by_label("Password").fill("haven-demo-2026")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_haven}/")
    assert page.get_by_test_id("landlord").inner_text() == "emh homes"
    assert page.get_by_test_id("role").inner_text() == "Case officer"
    assert "24 working hours" in page.locator("main").inner_text()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in/")
