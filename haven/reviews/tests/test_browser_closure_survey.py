"""An officer closes a case in Chromium and the reporter answers the survey (issue 7):

- an adviser takes a report with the reporter's e-mail address and triages it to the demo officer;
- the officer closes the case: reason, resolved, outcome, and the profile's closure conditions to
  confirm (emh asks for a manager's sign-off, so the closure waits for one);
- the task worker e-mails the reporter their survey link (whg 3.3); the reporter opens it with no
  session, first sends it without the TP12 answer (an error, the rest kept), then answers;
- the link is refused when used again; the officer sees the answers on the case page;
- a team manager finds the closure in "Closures to sign off" and signs it off.

The case page, the survey page, its error and thank-you pages and the managers' list pass axe-core's
WCAG 2.2 AA rules.
"""

from __future__ import annotations

import email
import re
from pathlib import Path
from typing import Any

import pytest

from haven.cases.tests.test_browser_workspace import _run_worker, _sign_in, _sign_out, _staff_name, _triage_a_new_report
from haven.policies.registry import get_profile
from haven.policies.reviews_schema import TP12_TEXT
from haven.register.tests.test_browser_register import axe_violations

pytestmark = pytest.mark.browser
COMMENT = "The officer called me back every week."


def _survey_link(env: dict[str, str], reference: str) -> str:
    """The link in the survey e-mail for the case, from the demo's mail folder."""
    files = sorted((Path(env["HAVEN_VAR_DIR"]) / "mail").glob("*"), key=lambda f: f.stat().st_mtime, reverse=True)
    for file in files:
        for chunk in file.read_text().split("-" * 79):
            message = email.message_from_string(chunk.strip())
            if message["Subject"] == f"How did we do? Case {reference}":
                payload = message.get_payload(decode=True)
                assert isinstance(payload, bytes)
                found = re.search(r"https?://\S+/survey/\S+/", payload.decode())
                assert found, payload
                return found.group(0)
    raise AssertionError(f"no survey e-mail for case {reference}")


def _close(page: Any) -> None:
    form = page.locator("#close")
    form.get_by_label("Why is the case closing").select_option(label="The behaviour has stopped")
    form.get_by_role("group", name="Was the anti-social behaviour resolved?").get_by_label(
        "Yes, it was resolved", exact=True
    ).check()
    form.get_by_label("Outcome", exact=True).fill("The noise stopped after our visit and a warning.")
    form.get_by_label("Reason for closing now").fill("No incidents for eight weeks; the reporter agrees.")
    form.get_by_label("The reporter has been told the case is closing and why").check()
    form.get_by_label("The risk and vulnerability assessment has been reviewed").check()
    form.get_by_role("button", name="Close the case").click()
    page.wait_for_url("**#status")
    assert "Case closed." in page.locator(".govuk-notification-banner").inner_text()


def _reporter_answers(browser: Any, link: str, reference: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(link)
    assert page.locator("h1").inner_text() == "How did we do?"
    assert reference in page.locator("main").inner_text()
    assert axe_violations(page) == []
    tp12 = TP12_TEXT.replace("{landlord}", get_profile("emh").landlord.short_name)
    page.get_by_label("What could we have done differently").fill(COMMENT)
    page.get_by_role("button", name="Send my answers").click()
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("What could we have done differently").input_value() == COMMENT
    assert axe_violations(page) == []
    page.get_by_role("group", name=tp12).get_by_label("Fairly satisfied", exact=True).check()
    page.get_by_role("group", name="We treated you fairly and with respect.").get_by_label("Agree", exact=True).check()
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_url("**/thanks/")
    assert "Thank you for your answers" in page.locator("h1").inner_text()
    assert axe_violations(page) == []
    page.goto(link)
    assert "already been answered" in page.locator("main").inner_text()
    context.close()


def test_an_officer_closes_a_case_and_the_reporter_answers_the_survey(
    live_haven: str, live_haven_env: dict[str, str], browser: Any, page: Any
) -> None:
    url, env = live_haven, live_haven_env
    reference = _triage_a_new_report(page, url, _staff_name(env, "emh-officer"))

    _sign_in(page, url, "emh-officer")
    page.goto(f"{url}/cases/{reference}/")
    _close(page)
    assert "Awaiting sign-off" in page.get_by_test_id("signoff-state").inner_text()
    assert axe_violations(page) == []

    _run_worker(env)
    link = _survey_link(env, reference)
    assert link.startswith(f"{url}/survey/"), link
    _reporter_answers(browser, link, reference)

    page.goto(f"{url}/cases/{reference}/")
    answers = page.get_by_test_id("survey-answers").inner_text()
    assert "Fairly satisfied" in answers and COMMENT in answers
    assert "Answered" in page.get_by_test_id("survey-invitations").inner_text()
    _sign_out(page, url)

    _sign_in(page, url, "emh-manager")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Closures to sign off").click()
    page.wait_for_url("**/closures/awaiting-sign-off/")
    assert axe_violations(page) == []
    page.get_by_test_id("closures-awaiting").get_by_role("link", name=reference).click()
    page.wait_for_url(f"**/cases/{reference}/#closure-signoff")
    page.get_by_label("Sign off the closure").check()
    page.get_by_role("button", name="Save the decision").click()
    page.wait_for_url("**#closure-signoff")
    assert "Closure signed off." in page.locator(".govuk-notification-banner").inner_text()
    assert "Signed off" in page.get_by_test_id("closures").inner_text()
