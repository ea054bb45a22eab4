"""The ASB Case Review in the demo (haven/demo/case_reviews.py; 2014 Act s104): every demo landlord's
areas carry their threshold with local variations, lead agency and timescales; the reporter of the
first case meets the statutory threshold (a report and two complaints to other agencies), was told of
their right, and has an application decided met with a recommendation on the action plan."""

from __future__ import annotations

import pytest

from haven.accounts.models import Landlord
from haven.accounts.selectors import landlord_profile
from haven.cases.models import Action
from haven.demo.builder import DEMO_PROFILES, demo_load
from haven.register.models import LocalAuthorityArea
from haven.reviews.models import CaseReviewApplication, CaseReviewRecommendation, RightToReviewNotice
from haven.reviews.selectors.case_review import case_review_status

pytestmark = pytest.mark.django_db


def test_every_demo_landlord_shows_an_asb_case_review() -> None:
    """2014 Act s104(10) (areas and local variations), s104(8)-(9) (the statutory threshold met),
    s104(6) (a recommendation joins the action plan); Victims' Commissioner (the reporter told)."""
    demo_load(seed=7, properties_per_landlord=6)
    assert CaseReviewApplication.objects.count() == len(DEMO_PROFILES)
    for landlord in Landlord.objects.all():
        areas = LocalAuthorityArea.objects.filter(landlord=landlord)
        assert areas.filter(hate_incident_qualifies=True).exists(), landlord.slug
        assert areas.exclude(lead_agency="").count() == areas.count()
        application = CaseReviewApplication.objects.get(landlord=landlord)
        case = application.case
        assert application.decision == "met" and len(application.complaints) == 3
        recommendation = CaseReviewRecommendation.objects.get(application=application)
        assert recommendation.action is not None and Action.objects.filter(case=case).exists()
        assert RightToReviewNotice.objects.filter(case=case).exists()
        officer = case.officer
        assert officer is not None
        status = case_review_status(user=officer, case=case, profile=landlord_profile(landlord))
        assert any(r.assessment.met for r in status.reporters), landlord.slug
