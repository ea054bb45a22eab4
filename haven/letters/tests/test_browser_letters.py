"""Letters in Chromium (issue 8): a caseworker makes a letter on the case page and downloads its
PDF; an administrator previews a new wording against a real case, is told which placeholder does
not exist, and publishes version 1; a caseworker makes a court bundle and downloads it.
axe-core's WCAG 2.2 AA rules pass on each page."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from haven.cases.tests.test_browser_workspace import _option, _run_worker, _sign_in, _sign_out
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


def test_a_caseworker_makes_a_court_bundle_and_downloads_it(
    live_haven: str, live_haven_env: dict[str, str], page: Any
) -> None:
    """The bundle journey: refused without a title (the court kept as typed), then asked for, built
    by one worker pass, shown with its index, and downloaded; axe-core on each page."""
    _sign_in(page, live_haven, "emh-specialist")
    page.goto(f"{live_haven}/cases/{CASE}/")
    page.get_by_role("link", name="Court evidence bundles").click()
    page.wait_for_url(f"**/cases/{CASE}/bundles/")
    assert axe_violations(page) == []
    page.get_by_label("Title").fill("")
    page.get_by_label("Court", exact=True).fill("Leicester County Court")
    page.get_by_role("button", name="Make the bundle").click()
    assert "Enter a title for the bundle" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("Court", exact=True).input_value() == "Leicester County Court"
    assert axe_violations(page) == []
    page.get_by_label("Title").fill("Claim for an injunction")
    page.get_by_role("button", name="Make the bundle").click()
    page.wait_for_url(f"**/cases/{CASE}/bundles/*/")
    assert page.get_by_test_id("bundle-progress").is_visible()
    _run_worker(live_haven_env)
    # The page updates itself every few seconds; a reload of our own could race with it.
    page.get_by_test_id("bundle-ready").wait_for(timeout=20_000)
    assert "The bundle is ready" in page.get_by_test_id("bundle-ready").inner_text()
    assert "Chronology" in page.get_by_test_id("bundle-index").inner_text()
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the bundle").click()
    reader = PdfReader(BytesIO(Path(download.value.path()).read_bytes()))
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Claim for an injunction" in first and f"Page 1 of {len(reader.pages)}" in first
