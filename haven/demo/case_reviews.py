"""The demo's ASB Case Review (issue 7; 2014 Act s104): the landlord's local authority areas get their
thresholds (one with the hate incident variation, one with five people about one place), lead agency,
contact and timescales; the reporter of the first demo case (``cases[0]``) also complained to the
police and the council about two other nights, so three qualifying complaints meet the statutory
threshold; they were told of their right, applied, the threshold was decided met at a review meeting,
and the panel's recommendation joined the case's action plan. Everything goes through the real
services, so the demo shows what the rules make of it.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.permissions import can_work_case
from haven.cases.models import ActionOwner, Case, Party, PartyRole
from haven.policies.schema import PolicyProfile
from haven.register.models import LocalAuthorityArea
from haven.reviews.models import ApplicationRoute, ThresholdDecision
from haven.reviews.selectors.case_review import case_review_status
from haven.reviews.services.case_review import (
    agency_complaint_record,
    area_save,
    case_review_apply,
    case_review_update,
    complaints_relied_on,
    recommendation_add,
    right_to_review_told,
)

VARIATIONS = (
    {"hate_incident_qualifies": True, "decision_within_days": 10, "review_within_days": 20},
    {"community_reports": 5, "decision_within_days": 15, "review_within_days": 25},
)


def _areas(manager: User | None, landlord_id: int) -> None:
    """Each area's lead agency, contact and timescales, with a local variation on the first two."""
    if manager is None:
        return
    for index, area in enumerate(LocalAuthorityArea.objects.filter(landlord_id=landlord_id).order_by("name")):
        slug = area.name.lower().replace(" ", "-")
        values = {
            "threshold_complaints": 3, "lead_agency": f"{area.name} Council", "contact_name": "Community Safety Team",
            "contact_email": f"community.safety@{slug}.example.gov.uk",
            "procedure_url": f"https://www.{slug}.example.gov.uk/asb-case-review",
            **(VARIATIONS[index] if index < len(VARIATIONS) else {}),
        }  # fmt: skip
        area_save(actor=manager, area=area, values=values, via="command")


def case_reviews_generate(*, cases: list[Case], users: dict[str, User], profile: PolicyProfile) -> None:
    """Areas with thresholds, and a reporter at the threshold with an application (issue 7)."""
    if not cases:
        return
    case = Case.objects.select_related("landlord").get(pk=cases[0].pk)
    _areas(users.get("manager"), case.landlord_id)
    worker = case.officer or users.get("officer")
    if worker is None or not case.is_open or not can_work_case(worker, case):
        return
    reporter = Party.objects.filter(case=case, role=PartyRole.REPORTER, anonymous=False).first()
    if reporter is None:
        return
    today = timezone.localdate()
    for agency, days, reference in (("Police", 8, "LOG 0412"), (f"{profile.landlord.short_name} area council", 3, "")):
        agency_complaint_record(
            actor=worker, case=case, party=reporter, agency=agency, made_on=today - timedelta(days=days),
            incident_on=today - timedelta(days=days + 1), agency_reference=reference,
            summary="Music and shouting late at night from the same flat.", via="command",
        )  # fmt: skip
    status = case_review_status(user=worker, case=case, profile=profile)
    standing = status.standing_of(reporter.pk)
    if standing is None or not standing.assessment.met:
        return
    right_to_review_told(
        actor=worker, case=case, party=reporter, told_on=today - timedelta(days=2), channel="phone",
        complaints=standing.assessment.count, note="Explained the ASB Case Review and sent the area's leaflet.",
        via="command",
    )  # fmt: skip
    relied, _ = complaints_relied_on([f"{c.kind}:{c.ref}" for c in standing.assessment.counted], standing.complaints)
    application = case_review_apply(
        actor=worker, case=case, applicant=reporter, route=ApplicationRoute.FROM_REPORTER, received_on=today,
        relied_on=relied, area=status.area, via="command",
    )  # fmt: skip
    application = case_review_update(
        actor=worker, application=application,
        values={"decision": ThresholdDecision.MET, "decided_on": today, "meeting_on": today},
        via="command",
    )  # fmt: skip
    recommendation_add(
        actor=worker, application=application, text="Install noise monitoring equipment for two weeks.",
        owner=ActionOwner.LANDLORD, owner_user=worker, due_on=today + timedelta(days=14), via="command",
    )  # fmt: skip
