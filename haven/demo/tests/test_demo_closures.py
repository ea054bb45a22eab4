"""Closure, complaints and the survey in the demo (haven/demo/closures.py, surveys.py; issue 7):
every demo landlord has a closed case signed off by its team manager and one awaiting sign-off
where the profile asks for one, a complaint about an outcome (answered, signposting the ASB Case
Review, whg 3.7) and one about handling (open, whg 3.6), survey answers taken by phone with the
TP12 answer (whg 3.3) and a survey invitation still open; both closed case pages show them."""

from __future__ import annotations

import pytest

from haven.accounts.models import Landlord, User
from haven.cases.models import Case, CaseStatus, Closure, SignOff
from haven.cases.tests.factories import signed_in, text
from haven.demo.builder import demo_load
from haven.policies.registry import get_profile
from haven.reviews.models import Complaint, SurveyInvitation, SurveyResponse

pytestmark = pytest.mark.django_db


def test_every_demo_landlord_has_closures_complaints_and_survey_answers() -> None:
    demo_load(seed=7, properties_per_landlord=6)
    for landlord in Landlord.objects.all():
        profile = get_profile(landlord.policy_id)
        closed = list(Case.objects.filter(landlord=landlord, status=CaseStatus.CLOSED).order_by("opened_at"))
        assert len(closed) >= 2, landlord.slug
        signoffs = set(Closure.objects.filter(case__landlord=landlord).values_list("signoff", flat=True))
        expected = {SignOff.SIGNED_OFF, SignOff.AWAITING} if profile.closure.manager_signoff else {SignOff.NOT_NEEDED}
        assert signoffs == expected, landlord.slug
        complaints = Complaint.objects.filter(landlord=landlord)
        assert complaints.filter(about="outcome", status="answered", case_review_signposted=True).exists()
        assert complaints.filter(about="handling", status="open").exists()
        response = SurveyResponse.objects.get(landlord=landlord)
        assert response.tp12 == "fairly_satisfied" and response.via == "phone" and response.case == closed[0]
        assert SurveyInvitation.objects.filter(case__landlord=landlord, used_at__isnull=True).exists()
        officer = User.objects.get(username=f"{landlord.slug}-officer")
        page = text(signed_in(officer).get(f"/cases/{closed[0].reference}/"))
        assert "Satisfaction survey" in page and "Fairly satisfied" in page and "Complaints" in page
        assert signed_in(officer).get(f"/cases/{closed[1].reference}/").status_code == 200


def test_every_demo_landlord_has_a_quality_review_and_a_persistent_reporter() -> None:
    """whg 3.5: a quality review by the team manager; emh 7.8: a reporter surfaced for a decision."""
    from haven.reviews.models import QualityReview
    from haven.reviews.selectors.quality import persistent_reporters

    demo_load(seed=7, properties_per_landlord=6)
    for landlord in Landlord.objects.all():
        manager = User.objects.get(username=f"{landlord.slug}-manager")
        assert QualityReview.objects.filter(landlord=landlord, by=manager).count() == 1, landlord.slug
        found = persistent_reporters(user=manager)
        assert [r.label for r in found] == ["Pat Morley"], landlord.slug
        assert "Pat Morley" in text(signed_in(manager).get("/reviews/persistent/"))
