"""An officer finds a property from the header link in Chromium and opens it, and the search and
property pages pass axe-core's WCAG 2.2 AA rules."""

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


def test_an_officer_searches_for_a_property_by_reference_and_opens_it(live_haven: str, page: Any) -> None:
    page.goto(f"{live_haven}/")
    page.get_by_label("User name").fill("emh-officer")
    page.get_by_label("Password").fill("haven-demo-2026")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_haven}/")

    page.get_by_role("link", name="Find a person or property").click()
    page.wait_for_url("**/register/")
    assert page.locator("h1").inner_text() == "Find a person or property"
    assert axe_violations(page) == []

    page.get_by_label("Name, address, postcode, UPRN or reference").fill("EMH000001")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/register/?q=EMH000001")
    results = page.locator("table").first
    assert "EMH000001" in results.inner_text()
    assert axe_violations(page) == []

    link = results.get_by_role("link").first
    address = link.inner_text()
    link.click()
    page.wait_for_url("**/register/properties/EMH000001/")
    assert page.locator("h1").inner_text() == address
    assert "EMH000001" in page.locator(".govuk-summary-list").first.inner_text()
    assert axe_violations(page) == []
