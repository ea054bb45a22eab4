"""A resident on a phone reports ASB to their landlord in Chromium: emh and whg in English, wwh in
Welsh. They forget to say what happened, are told so (and to attach their photo again), correct it
and see their reference. The form, the form with errors and the confirmation pass axe-core's
WCAG 2.2 AA rules."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from haven.intake.tests.test_public_form import PNG
from haven.register.tests.test_browser_register import axe_violations

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}

TEXT = {
    "en": {
        "heading": "Report anti-social behaviour",
        "problem": "There is a problem",
        "no_what": "Tell us what happened.",
        "again": "Attach your files again",
        "sent": "Report sent",
        "next": "What happens next",
    },
    "cy": {
        "heading": "Rhoi gwybod am ymddygiad gwrthgymdeithasol",
        "problem": "Mae problem",
        "no_what": "Dywedwch wrthym beth ddigwyddodd.",
        "again": "Atodwch eich ffeiliau eto",
        "sent": "Adroddiad wedi’i anfon",  # noqa: RUF001 (Welsh apostrophe)
        "next": "Beth sy’n digwydd nesaf",  # noqa: RUF001
    },
}


@pytest.mark.parametrize(("slug", "lang"), [("emh", "en"), ("whg", "en"), ("wwh", "cy")])
def test_a_resident_on_a_phone_reports_asb_with_a_photo_and_gets_a_reference(
    live_haven: str, browser: Any, tmp_path: Path, slug: str, lang: str
) -> None:
    text = TEXT[lang]
    photo = tmp_path / "photo.png"
    photo.write_bytes(PNG)
    context = browser.new_context(**PHONE)
    page = context.new_page()
    try:
        page.goto(f"{live_haven}/report/{slug}/")
        if lang == "cy":
            page.get_by_role("link", name="Cymraeg").click()
            page.wait_for_url("**/report/wwh/?lang=cy")
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("h1").inner_text() == text["heading"]
        assert axe_violations(page) == []

        # everything but what happened, with a photo attached
        page.locator("#id_address").fill("14 Meadow Court")
        page.locator("#id_postcode").fill("LE67 4JP")
        page.locator("#id_when").fill("Most nights after 11pm")
        page.locator("input[name=evidence]").set_input_files(photo)
        page.locator("#id_for_someone_else").check()  # reveals who they report for
        page.locator("#id_on_behalf_of").fill("Mrs Jones")
        page.locator("#id_give_name").check()
        page.locator("#id_reporter_name").fill("Alex Resident")
        page.locator("#id_reporter_email").fill("alex@example.org")
        page.locator("button[type=submit]").click()

        summary = page.locator(".govuk-error-summary")
        summary.wait_for()
        assert text["problem"] in summary.inner_text()
        assert text["no_what"] in summary.inner_text()
        assert text["again"] in summary.inner_text()
        assert page.locator("#id_address").input_value() == "14 Meadow Court"
        assert page.locator("#id_give_name").is_checked()
        assert page.locator("#id_on_behalf_of").input_value() == "Mrs Jones"
        assert axe_violations(page) == []

        page.locator("#id_what").fill("Loud music from the flat above every night.")
        page.locator("input[name=evidence]").set_input_files(photo)
        page.locator("button[type=submit]").click()
        page.wait_for_url(f"**/report/{slug}/received/")

        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("h1").inner_text() == text["sent"]
        assert re.fullmatch(r"REP-\d{4}-\d{6}", page.get_by_test_id("reference").inner_text())
        assert text["next"] in page.locator("main").inner_text()
        assert "999" in page.locator("main").inner_text()
        assert axe_violations(page) == []
    finally:
        context.close()
