"""An officer works a case in Chromium from triage to a reassignment (issue 5, the case workspace):

- an adviser takes a report with the reporter's e-mail address from "Reports to triage" and triages
  it as ASB with a category and a tier, giving the case to the demo officer (emh 4.1-4.4);
- the officer records a full risk assessment of the reporter, every question answered (emh 4.4);
- adds an action we own and one the reporter owns, and records the plan as agreed with the
  reporter (wwh 4.0; livv 4 "Case Management");
- records a contact with the reporter (the first response) and sends the reporter a diary link,
  which the task worker e-mails;
- the reporter opens the link with no session and adds a diary entry; the officer sees it
  "Not reviewed" on the case and in the evidence inbox and marks it reviewed;
- the officer hands the case to the ASB specialist with a reason; the specialist sees it in the
  reassignment history and the timeline.

The case page (before and after the forms are used), the reporter's diary page and the evidence
inbox pass axe-core's WCAG 2.2 AA rules.
"""

from __future__ import annotations

import email
import re
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from haven.conftest import ROOT
from haven.register.tests.test_browser_register import axe_violations

pytestmark = pytest.mark.browser

PASSWORD = "haven-demo-2026"
REPORTER = "Robin Ashdown"
REPORTER_EMAIL = "robin.ashdown@example.com"
DIARY_TEXT = "Loud music and banging from the flat above until the early hours."


def _sign_in(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/sign-in/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}/")


def _sign_out(page: Any, url: str) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(rf"{re.escape(url)}/.*"))
    page.context.clear_cookies()


def _staff_name(env: dict[str, str], username: str) -> str:
    """A demo user's display name, from the live server's own database (read only)."""
    db = Path(env["HAVEN_VAR_DIR"]) / "haven.sqlite3"
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        first, last = connection.execute(
            "SELECT first_name, last_name FROM accounts_user WHERE username = ?", (username,)
        ).fetchone()
    return f"{first} {last}".strip() or username


def _option(select: Any, containing: str) -> str:
    """The value of the one option of ``select`` whose text contains ``containing``."""
    values = select.evaluate(
        "(el, text) => [...el.options].filter(o => o.text.includes(text)).map(o => o.value)", containing
    )
    assert len(values) == 1, (containing, values)
    return values[0]


def _banner(page: Any) -> str:
    return page.locator(".govuk-notification-banner--success").inner_text()


def _run_worker(env: dict[str, str]) -> None:
    """One pass of the task worker (the server runs the database task backend with no worker)."""
    subprocess.run(
        [sys.executable, "-m", "haven.cli", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=ROOT, env=env, check=True, timeout=120, stdout=subprocess.DEVNULL,
    )  # fmt: skip


def _diary_link(env: dict[str, str], reference: str) -> str:
    """The link in the newest diary e-mail for the case, from the demo's mail folder."""
    files = sorted((Path(env["HAVEN_VAR_DIR"]) / "mail").glob("*"), key=lambda f: f.stat().st_mtime, reverse=True)
    for file in files:
        for chunk in file.read_text().split("-" * 79):
            message = email.message_from_string(chunk.strip())
            if message["Subject"] == f"Your diary for case {reference}":
                assert message["To"] == REPORTER_EMAIL
                payload = message.get_payload(decode=True)
                assert isinstance(payload, bytes)
                body = payload.decode()
                found = re.search(r"https?://\S+/diary/\S+/", body)
                assert found, body
                return found.group(0)
    raise AssertionError(f"no diary e-mail for case {reference} in {[f.name for f in files]}")


def _triage_a_new_report(page: Any, url: str, officer: str) -> str:
    """The adviser takes the report, finds it waiting and triages it; returns the case reference."""
    _sign_in(page, url, "emh-adviser")
    page.get_by_role("link", name="Reports to triage").click()
    page.wait_for_url("**/reports/")
    assert page.locator("h1").inner_text() == "Reports waiting for triage"
    page.get_by_role("button", name="New report").click()
    page.wait_for_url("**/reports/new/")
    page.get_by_label("What happened?").fill("Shouting, banging and loud music from the flat above every night")
    page.get_by_label("Where did it happen?").fill("The flat above the caller's")
    page.get_by_label("Caller's name").fill(REPORTER)
    page.get_by_label("E-mail address").fill(REPORTER_EMAIL)
    page.get_by_role("button", name="Save the report").click()
    page.wait_for_url(re.compile(r".*/reports/REP-\d{4}-\d{6}/$"))
    report = re.search(r"REP-\d{4}-\d{6}", page.url).group(0)  # type: ignore[union-attr]
    assert "saved" in page.locator(".govuk-notification-banner").inner_text()

    page.goto(f"{url}/reports/")  # it waits in the queue (oldest first: it may be on a later page)
    assert "waiting for a decision" in page.get_by_test_id("queue-count").inner_text()
    page.goto(f"{url}/reports/{report}/")
    page.get_by_role("button", name="Triage this report").click()
    page.wait_for_url("**/triage/")
    page.get_by_label("Yes, it is ASB").check()
    page.get_by_label("Category of ASB").select_option(
        label="Harassment, intimidation, verbal abuse or threatening behaviour"
    )
    page.get_by_label("Tier", exact=True).select_option(label="Medium risk")
    officer_select = page.get_by_label("Officer", exact=True)
    officer_select.select_option(_option(officer_select, f"{officer} (Case officer"))
    page.get_by_role("button", name="Save the decision").click()
    page.wait_for_url(f"**/reports/{report}/")
    banner = page.locator(".govuk-notification-banner").inner_text()
    found = re.search(rf"Case (ASB-\d{{4}}-\d{{6}}) opened: Medium risk, response due by .+, officer {officer}", banner)
    assert found, banner
    _sign_out(page, url)
    return found.group(1)


def _assess_risk(page: Any) -> None:
    form = page.locator("#risk-form")
    page.get_by_text("Record a full risk assessment").click()
    party = form.get_by_label("Who is this assessment of")
    party.select_option(_option(party, f"{REPORTER} (reporter)"))
    groups = form.locator("fieldset")
    assert groups.count() == 10  # every question of the emh matrix
    for n in range(groups.count()):
        groups.nth(n).locator("input[type=radio]").nth(1).check()  # the second answer of each
    form.get_by_label("Notes (optional)").fill("Not sleeping; offered a referral to victim support.")
    form.get_by_role("button", name="Record assessment").click()
    page.wait_for_url(re.compile(r".*/cases/ASB-\d{4}-\d{6}/.*"))
    assert re.search(r"Risk assessment recorded: \w+ risk, score \d+\.", _banner(page)), _banner(page)
    latest = page.get_by_test_id("risk-latest").locator("tr", has_text=REPORTER).inner_text()
    assert "risk" in latest and "Not assessed yet" not in latest, latest


def _agree_action_plan(page: Any, officer: str) -> None:
    due = (timezone.localdate() + timedelta(days=14)).strftime("%d/%m/%Y")
    form = page.locator("#action-add")
    form.get_by_label("What will be done", exact=True).fill("Visit the flat above and warn the tenant about the noise.")
    form.get_by_label("Us: a member of staff").check()
    staff = form.get_by_label("Member of staff", exact=True)
    staff.select_option(_option(staff, officer))
    form.get_by_label("Due by", exact=True).fill(due)
    form.get_by_role("button", name="Add action").click()
    page.wait_for_url("**#action-plan")
    assert "Action added." in _banner(page)

    form = page.locator("#action-add")
    form.get_by_label("What will be done", exact=True).fill("Keep a diary of every time the noise happens.")
    form.get_by_label("The reporter or another person in the case").check()
    person = form.get_by_label("Person", exact=True)
    person.select_option(_option(person, f"{REPORTER} (reporter)"))
    form.get_by_label("Due by", exact=True).fill(due)
    form.get_by_role("button", name="Add action").click()
    page.wait_for_url("**#action-plan")
    actions = page.get_by_test_id("actions")
    assert actions.locator("tr", has_text="warn the tenant").locator("td").nth(1).inner_text() == officer
    assert REPORTER in actions.locator("tr", has_text="Keep a diary").locator("td").nth(1).inner_text()

    form = page.locator("#agree-plan")
    form.get_by_label("Agreed with").select_option(_option(form.get_by_label("Agreed with"), f"{REPORTER} (reporter)"))
    form.get_by_label("How the plan was shared with them").select_option(label="E-mail")
    form.get_by_role("button", name="Record agreement").click()
    page.wait_for_url("**#action-plan")
    assert "Action plan agreement recorded." in _banner(page)
    agreement = page.get_by_test_id("action-plan-agreement").inner_text()
    assert f"{REPORTER} (reporter)" in agreement and f"recorded by {officer}" in agreement, agreement


def _record_contact(page: Any) -> None:
    form = page.locator("#contact-form")
    who = form.get_by_label("Who with")
    who.select_option(_option(who, REPORTER))
    form.get_by_label("How").select_option("phone")
    form.get_by_label("Summary").fill("Went through the action plan and the diary link by phone.")
    form.get_by_role("button", name="Record contact").click()
    page.wait_for_url("**#contacts")
    assert "Contact recorded." in _banner(page)
    assert "the diary link by phone" in page.get_by_test_id("contacts").inner_text()
    assert "Responded" in page.locator("main").inner_text()


def _send_diary_link(page: Any) -> None:
    form = page.locator("#diary")
    link_to = form.get_by_label("Send a diary link to")
    link_to.select_option(_option(link_to, REPORTER_EMAIL))
    form.get_by_role("button", name="Send diary link").click()
    page.wait_for_url("**#incidents")
    assert f"Diary link sent to {REPORTER_EMAIL}." in _banner(page)
    links = page.get_by_test_id("diary-links").locator("tr", has_text=REPORTER_EMAIL).inner_text()
    assert "Working" in links, links


def _reporter_adds_a_diary_entry(browser: Any, link: str, reference: str) -> None:
    context = browser.new_context()  # the reporter: no session, only the link
    try:
        diary = context.new_page()
        diary.goto(link)
        assert diary.locator("h1").inner_text() == "Add to your diary"
        assert f"Case {reference}" in diary.locator(".govuk-caption-l").inner_text()
        assert "Robin, tell us" in diary.locator("main").inner_text()
        assert axe_violations(diary) == []
        yesterday = timezone.localdate() - timedelta(days=1)
        diary.get_by_label("Day").fill(str(yesterday.day))
        diary.get_by_label("Month").fill(str(yesterday.month))
        diary.get_by_label("Year").fill(str(yesterday.year))
        diary.get_by_label("What time did it start?").fill("23:10")
        diary.get_by_label("What happened?").fill(DIARY_TEXT)
        diary.get_by_role("button", name="Send this entry").click()
        diary.wait_for_url("**/sent/")
        assert diary.locator("h1").inner_text() == "Diary entry sent"
        assert diary.get_by_test_id("reference").inner_text() == reference
        assert axe_violations(diary) == []
    finally:
        context.close()


def _inbox_row(page: Any, url: str, reference: str) -> Any:
    page.get_by_role("link", name="Evidence inbox").click()
    page.wait_for_url(f"{url}/cases/inbox/")
    assert page.locator("h1").inner_text() == "Evidence inbox"
    pages = page.locator("a.govuk-pagination__link[aria-label^='Page ']")
    if pages.count():  # oldest first: the new entry is on the last page
        pages.last.click()
        page.wait_for_url("**/cases/inbox/?page=*")
    return page.get_by_test_id("inbox").locator("tr", has_text=reference)


def test_an_officer_works_a_case_from_triage_to_reassignment(
    live_haven: str, live_haven_env: dict[str, str], browser: Any, page: Any
) -> None:
    url, env = live_haven, live_haven_env
    officer, specialist = _staff_name(env, "emh-officer"), _staff_name(env, "emh-specialist")
    reference = _triage_a_new_report(page, url, officer)

    _sign_in(page, url, "emh-officer")
    page.goto(f"{url}/cases/{reference}/")
    assert page.locator("h1").inner_text() == f"Case {reference}"
    summary = page.get_by_test_id("case-summary").inner_text()
    assert "Medium risk" in summary and officer in summary, summary
    assert "No action plan agreed yet." in page.get_by_test_id("action-plan-status").inner_text()
    assert axe_violations(page) == []

    _assess_risk(page)
    _agree_action_plan(page, officer)
    _record_contact(page)
    _send_diary_link(page)
    assert axe_violations(page) == []

    _run_worker(env)
    link = _diary_link(env, reference)
    assert link.startswith(f"{url}/diary/"), link
    _reporter_adds_a_diary_entry(browser, link, reference)

    page.goto(f"{url}/cases/{reference}/")
    entry = page.get_by_test_id("incidents").locator("tr", has_text=DIARY_TEXT)
    assert "Through the diary link" in entry.inner_text() and "Not reviewed" in entry.inner_text()
    assert "Not reviewed" in page.get_by_test_id("evidence-waiting").inner_text()
    row = _inbox_row(page, url, reference)
    assert "entry about" in row.inner_text() and "Loud music and banging" in row.inner_text()
    assert axe_violations(page) == []

    row.get_by_role("link", name=reference).click()
    page.wait_for_url(f"**/cases/{reference}/#incidents")
    entry.get_by_role("button", name="Mark reviewed").click()
    page.wait_for_url("**#incidents")
    assert "Incident marked as reviewed." in _banner(page)
    entry = page.get_by_test_id("incidents").locator("tr", has_text=DIARY_TEXT)
    assert f"Reviewed by {officer}" in entry.inner_text() and "Not reviewed" not in entry.inner_text()
    assert page.get_by_test_id("evidence-waiting").count() == 0
    assert _inbox_row(page, url, reference).count() == 0

    page.goto(f"{url}/cases/{reference}/")
    form = page.locator("#reassign-form")
    new_officer = form.get_by_label("New officer")
    new_officer.select_option(_option(new_officer, f"{specialist} (asb specialist)"))
    form.get_by_label("Why").fill("Noise at night for weeks: the ASB team takes it on.")
    form.get_by_role("button", name="Reassign").click()
    page.wait_for_url(re.compile(rf"{re.escape(url)}/cases/.*"))
    assert f"Case reassigned to {specialist}." in _banner(page)
    _sign_out(page, url)

    _sign_in(page, url, "emh-specialist")  # the case is now theirs, in the ASB team
    page.goto(f"{url}/cases/{reference}/")
    summary = page.get_by_test_id("case-summary").inner_text()
    assert specialist in summary, summary
    history = page.get_by_test_id("reassignments").locator("tbody tr").last.inner_text()
    assert officer in history and specialist in history and "the ASB team takes it on" in history, history
    timeline = page.get_by_test_id("timeline").inner_text()
    for done in (
        "Reassigned the case",
        "Added a diary entry",
        "Recorded the agreed action plan",
        "Recorded a risk assessment",
    ):
        assert done in timeline, (done, timeline)
    assert axe_violations(page) == []
