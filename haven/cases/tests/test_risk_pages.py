"""The risk part of the case page (emh 4.4-4.14): what each role sees, the forms and their errors,
the "What is due" item and the re-categorisation proposal, and a fixed number of queries.

Rules proved here: the assessment form asks every matrix question of the profile as radios in
its own fieldset (emh 4.4; every profile); the latest band per party with its history; "The
latest assessment suggests <tier>" links to the re-categorise form (emh 4.3); the due item when
the full assessment is overdue (casework.full_risk_within); special category details only for
``can_view_special_category`` (advisers and auditors see the band, not the answers); only those
who can work the case see or use the forms (403 otherwise); a bad form comes back with its
errors and nothing is written (400); a safeguarding concern restricts the case (emh 4.13).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.accounts.models import Landlord, User
from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Case, Party, PartyRole, RiskAssessment, SafeguardingConcern, SupportNeed
from haven.cases.selectors import case_detail
from haven.cases.services.risk import risk_assess, safeguarding_concern_record, support_need_record
from haven.cases.tests.factories import signed_in, text
from haven.cases.tests.test_risk import PROFILES, case_for, lowest, reporter_of
from haven.cases.views.risk import _part
from haven.policies.registry import get_profile

pytestmark = pytest.mark.django_db
Staff = Callable[[str], tuple[Landlord, User, User]]


def form_data(case: Case, answers: dict[str, str], **extra: str) -> dict[str, str]:
    data = {"risk-party": str(reporter_of(case).pk), **{f"risk-q_{k}": v for k, v in answers.items()}}
    data.update(extra)
    return data


@pytest.mark.parametrize("policy_id", PROFILES)
def test_the_form_asks_every_matrix_question_as_radios_and_records_the_assessment(staff: Staff, policy_id: str) -> None:
    landlord, adviser, officer = staff(policy_id)
    profile = get_profile(policy_id)
    case = case_for(landlord, adviser, officer)
    client = signed_in(officer)
    page = text(client.get(f"/cases/{case.reference}/"))
    form = page[page.index('id="risk-form"') : page.index("</form>", page.index('id="risk-form"'))]
    for question in profile.risk_matrix.questions:
        assert f'<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{question.text}</legend>' in form
        for option in question.options:
            assert f'name="risk-q_{question.code}" type="radio" value="{option.code}"' in form
    response = client.post(f"/cases/{case.reference}/risk-assessments/", form_data(case, lowest(profile, hate="yes")))
    assert response.status_code == 303 and response["Location"].endswith("#risk")
    a = RiskAssessment.objects.get(case=case)
    top = max(profile.risk_matrix.bands, key=lambda b: b.min_score)
    assert a.band == top.code
    page = text(client.get(f"/cases/{case.reference}/"))
    latest = page[page.index('data-testid="risk-latest"') :]
    assert f'govuk-tag--red">{top.label}</strong>' in latest
    assert "History of assessments of Amira Khan (1)" in page


def test_a_form_with_a_missing_answer_comes_back_with_its_errors_and_nothing_is_saved(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    profile = get_profile("emh")
    case = case_for(landlord, adviser, officer)
    answers = lowest(profile)
    del answers["children"]
    response = signed_in(officer).post(
        f"/cases/{case.reference}/risk-assessments/", form_data(case, answers, **{"risk-notes": "Typed notes"})
    )
    page = text(response)
    assert response.status_code == 400
    summary = page[page.index("govuk-error-summary") : page.index("</ul>", page.index("govuk-error-summary"))]
    assert 'href="#id_risk-q_children"' in summary and "Are children in the household affected?" in summary
    assert "Typed notes" in page and '<details class="govuk-details" open>' in page
    assert not RiskAssessment.objects.exists()


def test_the_overdue_assessment_is_in_what_is_due_and_a_new_band_proposes_recategorising(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    profile = get_profile("emh")
    case = case_for(landlord, adviser, officer, received_at=timezone.now() - timedelta(days=30))
    client = signed_in(officer)
    page = text(client.get(f"/cases/{case.reference}/"))
    due = page[page.index('data-testid="due"') :]
    assert "Risk assessment overdue" in due and 'href="#risk"' in due
    risk_assess(actor=officer, case=case, party=reporter_of(case), answers=lowest(profile, harm="hurt"))
    page = text(client.get(f"/cases/{case.reference}/"))
    assert "Risk assessment overdue" not in page
    banner = page[page.index('data-testid="risk-proposal"') :]
    assert "The latest assessment suggests High risk:" in banner
    assert '<a class="govuk-notification-banner__link" href="#recategorise-form">re-categorise the case</a>' in banner


def test_advisers_see_the_band_but_not_the_answers_and_cannot_post(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    profile = get_profile("emh")
    case = case_for(landlord, adviser, officer)
    reporter = reporter_of(case)
    risk_assess(actor=officer, case=case, party=reporter, answers=lowest(profile), notes="Lives alone, anxious")
    support_need_record(actor=officer, case=case, party=reporter, kind="mental_health", description="Panic attacks")
    client = signed_in(adviser)
    page = text(client.get(f"/cases/{case.reference}/"))
    assert "Low risk" in page and 'data-testid="risk-special-hidden"' in page
    assert "Lives alone" not in page and "Panic attacks" not in page and "Hardly at all" not in page
    assert 'id="risk-form"' not in page and 'id="support"' not in page and 'id="safeguarding"' not in page
    for path in ("risk-assessments", "support-needs", "safeguarding-concerns"):
        assert client.post(f"/cases/{case.reference}/{path}/", {}).status_code == 403
    officer_page = text(signed_in(officer).get(f"/cases/{case.reference}/"))
    assert "Lives alone, anxious" in officer_page and "Panic attacks" in officer_page
    assert "Hardly at all" in officer_page


def test_a_support_need_is_added_from_the_page_and_a_half_referral_is_refused(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = case_for(landlord, adviser, officer)
    reported = Party.objects.create(case=case, role=PartyRole.REPORTED, name="Lee Smith")
    client = signed_in(officer)
    url = f"/cases/{case.reference}/support-needs/"
    bad = client.post(url, {"support-party": reported.pk, "support-kind": "substance",
                            "support-description": "Drinks heavily", "support-referred_to": "CGL"})  # fmt: skip
    assert bad.status_code == 400 and "Enter the date of the referral." in text(bad)
    assert not SupportNeed.objects.exists()
    good = client.post(url, {"support-party": reported.pk, "support-kind": "substance",
                             "support-description": "Drinks heavily", "support-referred_to": "CGL",
                             "support-referred_on": timezone.localdate().strftime("%d/%m/%Y")})  # fmt: skip
    assert good.status_code == 303
    assert SupportNeed.objects.get().party == reported


def test_a_safeguarding_concern_from_the_page_restricts_the_case(staff: Staff, make_user: Callable[..., User]) -> None:
    landlord, adviser, officer = staff("livv")
    case = case_for(landlord, adviser, officer)
    teammate = make_user(landlord, "officer", username="teammate")
    teammate.team = case.team
    teammate.save()
    client = signed_in(teammate)
    url = f"/cases/{case.reference}/safeguarding-concerns/"
    today = timezone.localdate().strftime("%d/%m/%Y")
    base = {"safeguarding-about": "child", "safeguarding-concern": "Child at risk", "safeguarding-raised_on": today}
    bad = client.post(url, {**base, "safeguarding-referred": "yes"})
    assert bad.status_code == 400 and "Say who the concern was referred to" in text(bad)
    # what was typed under the hidden "No" answer is not part of a referred concern
    referral = {"safeguarding-referred": "yes", "safeguarding-referred_to": "MASH", "safeguarding-referred_on": today}
    good = client.post(url, {**base, **referral, "safeguarding-no_referral_reason": "typed then changed"})
    assert good.status_code == 303 and good["Location"] == "/cases/"  # now restricted: not the teammate's case
    concern = SafeguardingConcern.objects.get()
    assert concern.referred and concern.no_referral_reason == ""
    case.refresh_from_db()
    assert case.restricted and "safeguarding" in case.flags
    assert client.get(f"/cases/{case.reference}/").status_code == 404
    assert signed_in(adviser).get(f"/cases/{case.reference}/").status_code == 404
    page = text(signed_in(officer).get(f"/cases/{case.reference}/"))
    assert "Child at risk" in page and "Referred</strong> to MASH" in page


def test_the_risk_part_costs_the_same_queries_however_many_assessments_needs_and_concerns(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    profile = get_profile("emh")
    case = case_for(landlord, adviser, officer)

    def add(n: int) -> None:
        witness = Party.objects.create(case=case, role=PartyRole.WITNESS, name=f"Witness {n}")
        risk_assess(actor=officer, case=case, party=witness, answers=lowest(profile, frequency="often"))
        support_need_record(actor=officer, case=case, party=witness, kind="other", description=f"Need {n}")
        safeguarding_concern_record(
            actor=officer, case=case, about="adult", concern=f"Concern {n}", referred=False, no_referral_reason="Known"
        )

    def count() -> int:
        loaded = case_detail(user=officer, reference=case.reference)
        list(loaded.parties.all())
        with CaptureQueriesContext(connection) as queries:
            context = _part(officer, loaded, {})
        assert context["risk"]["form"] is not None
        return len(queries.captured_queries)

    add(0)
    few = count()
    for n in range(1, 12):
        add(n)
    assert count() == few <= 6


def test_a_view_of_the_risk_details_is_audited_for_caseworkers_and_not_written_for_advisers(staff: Staff) -> None:
    """Answers, needs and concerns are special category data: each page view that shows them is
    audited (RISK_DETAILS_VIEWED), as the register audits vulnerabilities; an adviser, who sees
    only the band, leaves no such event."""
    landlord, adviser, officer = staff("emh")
    case = case_for(landlord, adviser, officer)
    views = AuditEvent.objects.filter(verb=Verb.RISK_DETAILS_VIEWED, object_id=str(case.pk))
    signed_in(officer).get(f"/cases/{case.reference}/")
    assert views.count() == 0  # nothing recorded yet, nothing shown
    risk_assess(actor=officer, case=case, party=reporter_of(case), answers=lowest(get_profile("emh")))
    signed_in(adviser).get(f"/cases/{case.reference}/")
    assert views.count() == 0
    signed_in(officer).get(f"/cases/{case.reference}/")
    assert list(views.values_list("actor_id", flat=True)) == [officer.pk]
