"""Letters in Chromium (issue 8): a caseworker makes a letter on the case page and downloads its
PDF; an administrator previews a new wording against a real case, is told which placeholder does
not exist, and publishes version 1. axe-core's WCAG 2.2 AA rules pass on each page."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from haven.cases.tests.test_browser_workspace import _option, _sign_in, _sign_out
from haven.register.tests.test_browser_register import axe_violations

pytestmark = pytest.mark.browser
CASE = "ASB-2026-000001"  # the demo's first emh case, the specialist's, with an acknowledgement letter


def test_a_caseworker_makes_a_letter_and_an_administrator_publishes_a_new_wording(live_haven: str, page: Any) -> None:
    _sign_in(page, live_haven, "emh-specialist")
    page.goto(f"{live_haven}/cases/{CASE}/")
    letters = page.get_by_test_id("letters")
    assert "Acknowledgement of a report" in letters.inner_text()
    page.get_by_text("Make a letter").click()
    page.get_by_label("Letter", exact=True).select_option(label="Diary sheet cover letter")
    to = page.get_by_label("To", exact=True)
    to.select_option(_option(to, "(Reporter)"))
    page.get_by_role("button", name="Make the letter").click()
    page.wait_for_url(f"**/cases/{CASE}/#letters")
    assert "Diary sheet cover letter made for" in page.locator(".govuk-notification-banner").inner_text()
    assert page.get_by_test_id("letters").locator("tbody tr").count() == 2
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_test_id("letters").locator("tbody tr").first.get_by_role("link", name="PDF").click()
    text = " ".join(PdfReader(BytesIO(Path(download.value.path()).read_bytes())).pages[0].extract_text().split())
    assert CASE in text and "diary" in text.lower()
    _sign_out(page, live_haven)

    _sign_in(page, live_haven, "emh-admin")
    page.goto(f"{live_haven}/letters/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Acknowledgement of a report").click()
    page.wait_for_url("**/letters/acknowledgement/")
    page.get_by_label("Wording").fill("Dear {{ recipient_name }}\n\nYour case is {{ case_ref }}.")
    page.get_by_label("Preview with case").fill(CASE)
    page.get_by_role("button", name="Preview").click()
    assert "{{ case_ref }}" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("Preview with case").input_value() == CASE
    assert axe_violations(page) == []
    page.get_by_label("Wording").fill("Dear {{ recipient_name }}\n\nYour case is {{ case_reference }}.")
    page.get_by_role("button", name="Preview").click()
    assert f"Your case is {CASE}." in page.get_by_test_id("letter-preview").inner_text()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Publish as version 1").click()
    page.wait_for_url(f"{live_haven}/letters/")
    assert "version 1 published" in page.locator(".govuk-notification-banner").inner_text()
