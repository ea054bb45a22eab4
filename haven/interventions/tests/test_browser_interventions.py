"""An officer takes a case from a warning letter to an injunction hearing in Chromium (issue 6):

- on a newly triaged emh case, the officer adds the reported person, records a warning letter, then
  an Acceptable Behaviour Contract with its terms, signatories and review date (emh 5.4);
- records a breach of the contract's first term on its own page, with the evidence and response;
- starts a Part 1 injunction against the reported person (emh 5.5) and is told the proportionality
  assessment comes first; records it (emh 4.9): the approval is not theirs to give (emh: manager);
- the team manager approves it; the officer records the claim issued and the first hearing, and
  the action shows "Hearing listed" with the hearing, and the timeline says each step.

The case page, the agreement page and the legal action page pass axe-core's WCAG 2.2 AA rules.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from haven.cases.tests.test_browser_workspace import _banner, _option, _sign_in, _sign_out, _staff_name
from haven.cases.tests.test_browser_workspace import _triage_a_new_report as triage_a_new_report
from haven.register.tests.test_browser_register import axe_violations

pytestmark = pytest.mark.browser

REPORTED = "Lee Marsh"


def _day(days: int = 0) -> str:
    return (timezone.localdate() + timedelta(days=days)).strftime("%d/%m/%Y")


def _add_reported_person(page: Any) -> None:
    page.get_by_text("Add a person").click()
    form = page.locator("#party-add")
    form.get_by_label("Role").select_option("reported")
    form.get_by_label("Name", exact=True).fill(REPORTED)
    form.get_by_label("Address").fill("Flat 4, 12 Mill Street")
    form.get_by_role("button", name="Add person").click()
    page.wait_for_url(re.compile(r".*/cases/ASB-\d{4}-\d{6}/.*"))


def _record_intervention(page: Any, tool: str, **agreement: str) -> None:
    page.get_by_text("Record an intervention").first.click()
    form = page.locator("#intervention-add")
    code = form.get_by_label("Intervention", exact=True)
    code.select_option(_option(code, tool))
    who = form.get_by_label("Against or for whom (optional)")
    who.select_option(_option(who, REPORTED))
    form.get_by_label("Used or started on").fill(_day())
    if agreement:
        form.get_by_label("Terms of the agreement").fill(agreement["terms"])
        form.get_by_label("Signed by").fill(agreement["signatories"])
        form.get_by_label("Review date").fill(agreement["review_on"])
    form.get_by_role("button", name="Record intervention").click()
    page.wait_for_url(re.compile(r".*/cases/ASB-\d{4}-\d{6}/.+"))
    assert "recorded" in _banner(page), _banner(page)


def _record_breach(page: Any) -> None:
    form = page.locator("#breach")
    term = form.get_by_label("Term broken")
    term.select_option(_option(term, "loud music"))
    form.get_by_label("Date of the breach").fill(_day())
    form.get_by_label("Evidence").fill("Neighbour's diary and the officer heard music at 1am.")
    form.get_by_label("Our response").fill("Final warning letter; legal action now being considered.")
    form.get_by_role("button", name="Record breach").click()
    page.wait_for_url(re.compile(r".*/interventions/\d+/.*"))
    breaches = page.get_by_test_id("breaches").inner_text()
    assert "loud music" in breaches.lower() and "Final warning letter" in breaches, breaches


def _start_injunction(page: Any) -> None:
    page.get_by_text("Start a legal action").click()
    form = page.locator("#legal-start")
    code = form.get_by_label("Legal action", exact=True)
    code.select_option(_option(code, "Part 1 injunction"))
    against = form.get_by_label("Against", exact=True)
    against.select_option(_option(against, REPORTED))
    form.get_by_label("Why legal action is being considered").fill("The contract was broken within a week.")
    form.get_by_label("Started on").fill(_day())
    form.get_by_role("button", name="Start legal action").click()
    page.wait_for_url(re.compile(r".*/legal/\d+/$"))  # the action's own page
    assert "record the proportionality assessment next" in _banner(page), _banner(page)


def _assess_proportionality(page: Any) -> None:
    form = page.locator("#assessment")
    form.get_by_label("The legitimate aim").fill("To protect the neighbours' peace and safety at home.")
    form.get_by_label("Less intrusive options tried").fill("A warning letter and an Acceptable Behaviour Contract.")
    form.get_by_label("The reported person's known support needs").fill("None known; support was offered.")
    form.get_by_label(re.compile("protected characteristics", re.I)).fill("None known.")
    form.get_by_label(re.compile("Equality Act", re.I)).fill("No protected characteristic known; kept under review.")
    form.get_by_label("The effect on others in the household").fill("Lives alone.")
    form.get_by_label("Conclusion").fill("An injunction is proportionate after the breach.")
    form.get_by_role("group", name="Is the action proportionate?").get_by_label("Yes", exact=True).check()
    form.get_by_label("Assessed on").fill(_day())
    form.get_by_role("button", name="Record assessment").click()
    page.wait_for_url(re.compile(r".*/legal/\d+/.*"))
    assert "Proportionality assessment recorded." in _banner(page)
    assert page.get_by_test_id("legal-stage").inner_text() == "Proportionality assessed"


def test_an_officer_takes_a_case_from_a_warning_letter_to_an_injunction_hearing(
    live_haven: str, live_haven_env: dict[str, str], page: Any
) -> None:
    url, env = live_haven, live_haven_env
    officer = _staff_name(env, "emh-officer")
    reference = triage_a_new_report(page, url, officer)

    _sign_in(page, url, "emh-officer")
    page.goto(f"{url}/cases/{reference}/")
    _add_reported_person(page)
    _record_intervention(page, "Warning letter")
    _record_intervention(
        page, "Acceptable Behaviour Contract",
        terms="I will not play loud music after 11pm.\nI will not shout at or threaten my neighbours.",
        signatories=f"{REPORTED}\n{officer} for emh homes", review_on=_day(28),
    )  # fmt: skip
    assert re.search(r"/interventions/\d+/$", page.url), page.url  # an agreement opens on its own page
    assert "I will not play loud music after 11pm." in page.get_by_test_id("terms").inner_text()
    _record_breach(page)
    assert axe_violations(page) == []

    page.goto(f"{url}/cases/{reference}/")
    current = page.get_by_test_id("interventions-current").inner_text()
    assert "Warning letter" in current and "Acceptable Behaviour Contract" in current, current
    assert axe_violations(page) == []
    _start_injunction(page)
    action_url = page.url
    assert page.get_by_test_id("legal-stage").inner_text() == "Considering"
    _assess_proportionality(page)
    assert page.locator("#approval").count() == 0  # emh: a team manager approves legal action
    assert "only a team manager can approve" in page.get_by_test_id("awaiting-approval").inner_text()
    assert axe_violations(page) == []
    _sign_out(page, url)

    _sign_in(page, url, "emh-manager")
    page.goto(action_url)
    form = page.locator("#approval")
    form.get_by_label("Approved on").fill(_day())
    form.get_by_label("The decision").fill("Approved at the legal panel.")
    form.get_by_role("button", name="Approve legal action").click()
    page.wait_for_url(re.compile(r".*/legal/\d+/.*"))
    assert "Approval recorded." in _banner(page)
    assert page.get_by_test_id("legal-stage").inner_text() == "Approved"
    _sign_out(page, url)

    _sign_in(page, url, "emh-officer")
    page.goto(action_url)
    form = page.locator("#move")
    form.get_by_label("Next step").select_option("issued")
    form.get_by_label("Date of the step").fill(_day())
    form.get_by_label("Court", exact=True).fill("Leicester County Court")
    form.get_by_label("Claim number").fill("K00LE123")
    form.get_by_role("button", name="Record step").click()
    page.wait_for_url(re.compile(r".*/legal/\d+/.*"))
    assert "Legal action now at: claim issued." in _banner(page)

    form = page.locator("#hearing")
    form.get_by_label("Date of the hearing").fill(_day(14))
    form.get_by_label("Time").fill("10:00")
    form.get_by_label("Kind of hearing").select_option("first")
    form.get_by_role("button", name="Record hearing").click()
    page.wait_for_url(re.compile(r".*/legal/\d+/.*"))
    assert "Hearing recorded." in _banner(page)
    assert page.get_by_test_id("legal-stage").inner_text() == "Hearing listed"
    hearings = page.get_by_test_id("hearings").inner_text()
    assert "Leicester County Court" in hearings and "First hearing" in hearings, hearings
    stages = page.get_by_test_id("legal-stages").inner_text()
    for stage in ("Considering", "Proportionality assessed", "Approved", "Claim issued", "Hearing listed"):
        assert stage in stages, (stage, stages)
    assert axe_violations(page) == []

    page.goto(f"{url}/cases/{reference}/")
    timeline = page.get_by_test_id("timeline").inner_text()
    for done in ("Recorded an intervention", "Recorded a breach of an agreement", "Started considering legal action",
                 "Recorded a proportionality assessment", "Approved legal action", "Recorded a hearing"):  # fmt: skip
        assert done in timeline, (done, timeline)
    assert axe_violations(page) == []
