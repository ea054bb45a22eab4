"""Interventions and agreements on the pages (whg 2.11; pnp 1.3; emh 5.4-5.6).

Rules proved here: an officer records an intervention from the case page (an agreement goes on to
its own page with its terms, signatories, breaches and reviews); bad input answers 400 with the
error summary, keeps what was typed and writes nothing; a breach and a review are recorded on the
agreement's page (a breach after the end is refused there the same way); a review falling due is
in "What is due" (yellow on the day, red after it); a stale update keeps what was typed; an auditor
or adviser who may see the case but not work it sees no forms and gets 403, another landlord's
staff 404; the part costs the same queries however many interventions the case has.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.cases.selectors import case_detail
from haven.cases.tests.factories import signed_in, text
from haven.common.stale import version_of
from haven.interventions.models import AgreementBreach, AgreementReview, Intervention
from haven.interventions.services.toolkit import intervention_record, intervention_update
from haven.interventions.tests.factories import Setting, setting
from haven.interventions.tests.test_agreements import abc
from haven.interventions.views.toolkit import _part

pytestmark = pytest.mark.django_db


def _on(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def _typed(days: int) -> str:
    return _on(days).strftime("%d/%m/%Y")


def _form(prefix: str, **values: str) -> dict[str, str]:
    return {f"{prefix}-{name}": value for name, value in values.items()}


@pytest.fixture
def emh(staff, make_user) -> Setting:  # type: ignore[no-untyped-def]
    return setting("emh", staff, make_user)


def test_an_officer_records_an_intervention_and_an_agreement_from_the_case_page(emh) -> None:  # type: ignore[no-untyped-def]
    """Issue 6: who, when, against or for whom; an agreement holds terms, dates and signatories."""
    client = signed_in(emh.officer)
    url = f"/cases/{emh.case.reference}/interventions/"
    page = text(client.get(f"/cases/{emh.case.reference}/"))
    assert "Informal: Warning letter" in page and "Partner power: Closure order" in page
    form = page.split('id="intervention-add"')[1].split("</form>")[0]
    assert "Part 1 injunction" not in form  # legal action is started as a legal action
    letter = _form("intervention-add", code="warning_letter", party=str(emh.reported.pk),
                   delivered_by=str(emh.officer.pk), started_on=_typed(0), details="First warning")  # fmt: skip
    response = client.post(url, letter)
    assert response.status_code == 303 and response["Location"].endswith("#interventions")
    contract = _form(
        "intervention-add", code="acceptable_behaviour_contract", party=str(emh.reported.pk),
        delivered_by=str(emh.officer.pk), started_on=_typed(-2), terms="No loud music after 11pm\nNo parties",
        signatories="Dan Reid\nSam Tester", review_on=_typed(28),
    )  # fmt: skip
    response = client.post(url, contract)
    found = Intervention.objects.get(code="acceptable_behaviour_contract")
    assert response.status_code == 303 and response["Location"] == f"{url}{found.pk}/"
    agreement = text(client.get(response["Location"]))
    assert "<li>No loud music after 11pm</li>" in agreement and "<li>No parties</li>" in agreement
    assert "Dan Reid<br>Sam Tester" in agreement and 'id="breach"' in agreement and 'id="review"' in agreement
    page = text(client.get(f"/cases/{emh.case.reference}/"))
    current = page.split('data-testid="interventions-current"')[1].split("</table>")[0]
    assert "Warning letter" in current and "Dan Reid (reported person)" in current and "Sam Tester" in current


def test_bad_input_shows_the_form_again_as_typed_and_writes_nothing(emh) -> None:  # type: ignore[no-untyped-def]
    """Issue 6 "Bad input": an agreement ending before it starts is refused with a clear message."""
    client = signed_in(emh.officer)
    data = _form("intervention-add", code="acceptable_behaviour_contract", party=str(emh.reported.pk),
                 delivered_by=str(emh.officer.pk), started_on=_typed(-1), terms="Keep the dog indoors at night",
                 signatories="Dan Reid", ends_on=_typed(-9))  # fmt: skip
    response = client.post(f"/cases/{emh.case.reference}/interventions/", data)
    assert response.status_code == 400
    page = text(response)
    assert (
        "There is a problem" in page
        and '<a href="#intervention-add-ends_on">The agreement cannot end before it starts.' in page
    )
    assert "Keep the dog indoors at night</textarea>" in page and f'value="{_typed(-9)}"' in page
    response = client.post(
        f"/cases/{emh.case.reference}/interventions/", {**data, "intervention-add-started_on": "31/02/2026"}
    )
    assert response.status_code == 400 and "Enter the date as DD/MM/YYYY" in text(response)
    assert not Intervention.objects.exists()


def test_a_breach_and_a_review_are_recorded_on_the_agreements_page(emh) -> None:  # type: ignore[no-untyped-def]
    """Issue 6: breaches (date, term broken, evidence, response) and reviews, on the agreement."""
    found = abc(emh, ends_on=_on(60))
    client = signed_in(emh.officer)
    url = f"/cases/{emh.case.reference}/interventions/{found.pk}/"
    second = found.terms.get(number=2)
    late = _form("breach", term=str(second.pk), occurred_on=_typed(1), evidence="Noise recording 2am",
                 response="Letter")  # fmt: skip
    response = client.post(f"{url}breaches/", late)
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page and "The breach cannot be in the future." in page
    assert "Noise recording 2am</textarea>" in page and not AgreementBreach.objects.exists()
    response = client.post(f"{url}breaches/", {**late, "breach-occurred_on": _typed(-1)})
    assert response.status_code == 303 and response["Location"] == url
    review = _form("review", reviewed_on=_typed(0), notes="One breach; support offered", next="review",
                   next_review_on=_typed(21))  # fmt: skip
    assert client.post(f"{url}reviews/", review).status_code == 303
    page = text(client.get(url))
    assert "Noise recording 2am" in page and "2. No shouting in the stairwell" in page
    assert "One breach; support offered" in page and _on(21).strftime("%-d %b %Y") in page
    found.refresh_from_db()
    assert found.review_on == _on(21) and AgreementReview.objects.count() == 1


def test_a_review_falling_due_is_in_what_is_due(emh) -> None:  # type: ignore[no-untyped-def]
    """Issue 6: "a review falling due shows on the case": yellow on the day, red after it."""
    abc(emh, review_on=_on(0))
    client = signed_in(emh.officer)
    page = text(client.get(f"/cases/{emh.case.reference}/"))
    assert "Agreement review due" in page and "Agreement review overdue" not in page
    abc(emh, started_on=_on(-40), review_on=_on(-3))
    page = text(client.get(f"/cases/{emh.case.reference}/"))
    assert "Agreement review overdue" in page and f"it was due on {_on(-3).strftime('%-d %b %Y')}" in page


def test_a_stale_update_keeps_what_was_typed_and_saves_on_the_second_try(emh) -> None:  # type: ignore[no-untyped-def]
    """haven.common.stale: someone else's change is not overwritten silently."""
    found = intervention_record(actor=emh.officer, case=emh.case, code="warning_letter", started_on=_on(-3))
    seen = version_of(found.updated_at)
    intervention_update(actor=emh.manager, intervention=found, outcome="Checked by the manager", version=None)
    client = signed_in(emh.officer)
    url = f"/cases/{emh.case.reference}/interventions/{found.pk}/update/"
    data = _form(f"intervention-{found.pk}", status="completed", outcome="No more noise", version=seen)
    response = client.post(url, data)
    assert response.status_code == 400
    page = text(response)
    assert "Someone else changed this intervention" in page and "No more noise</textarea>" in page
    fresh = version_of(Intervention.objects.get(pk=found.pk).updated_at)
    assert client.post(url, {**data, f"intervention-{found.pk}-version": fresh}).status_code == 303
    assert Intervention.objects.get(pk=found.pk).status == "completed"


def test_who_may_not_work_the_case_sees_no_forms_and_is_refused(emh, staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """Deny by default (ARCHITECTURE.md 5): an auditor or adviser may see the case but not work on
    it (403); another landlord's staff may not see it (404)."""
    found = abc(emh)
    auditor = make_user(emh.landlord, "auditor")
    data = _form("intervention-add", code="warning_letter", started_on=_typed(0))
    for user in (auditor, emh.adviser):
        client = signed_in(user)
        page = text(client.get(f"/cases/{emh.case.reference}/"))
        assert "Acceptable Behaviour Contract" in page and 'id="intervention-add"' not in page
        assert client.post(f"/cases/{emh.case.reference}/interventions/", data).status_code == 403
        assert 'id="breach"' not in text(client.get(f"/cases/{emh.case.reference}/interventions/{found.pk}/"))
        breach = _form("breach", term=str(found.terms.first().pk), occurred_on=_typed(0), evidence="x", response="y")
        url = f"/cases/{emh.case.reference}/interventions/{found.pk}/breaches/"
        assert client.post(url, breach).status_code == 403
    _, _, stranger = staff("whg")
    client = signed_in(stranger)
    assert client.get(f"/cases/{emh.case.reference}/interventions/{found.pk}/").status_code == 404
    assert client.post(f"/cases/{emh.case.reference}/interventions/", data).status_code == 404
    assert Intervention.objects.count() == 1 and not AgreementBreach.objects.exists()


def test_the_part_costs_the_same_queries_however_many_interventions(emh) -> None:  # type: ignore[no-untyped-def]
    """ARCHITECTURE.md 12: queries are bounded; the part adds five (interventions, support needs,
    referrals, legal actions, the staff list)."""
    client = signed_in(emh.officer)
    abc(emh)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/cases/{emh.case.reference}/")
    for n in range(6):
        abc(emh, review_on=_on(-1))
        intervention_record(actor=emh.officer, case=emh.case, code="warning_letter", started_on=_on(0),
                            party=emh.reported, details=f"Letter {n}")  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        page = text(client.get(f"/cases/{emh.case.reference}/"))
    assert page.count("Agreement review overdue") >= 6 and 'rows="[' not in page  # no context leaks into includes
    assert len(many.captured_queries) == len(few.captured_queries)
    loaded = case_detail(user=emh.officer, reference=emh.case.reference)
    with CaptureQueriesContext(connection) as part:
        _part(emh.officer, loaded, {})
    assert len(part.captured_queries) <= 5
