"""The ASB Case Review (Community Trigger; Anti-social Behaviour, Crime and Policing Act 2014 s104):
complaints the reporter made to other agencies (so a problem reported to several agencies counts
once), the reporter being told of their right, and applications with their decision, meeting,
recommendations and outcome (WWH 5.0; emh 7.7; livv; pnp 5.4.6)."""

from __future__ import annotations

from django.db import models

from haven.accounts.models import Landlord, User
from haven.cases.models import Action, Case, ContactChannel, Party
from haven.register.models import LocalAuthorityArea


class AgencyComplaint(models.Model):
    """A complaint about the behaviour the reporter made to another agency (the police, the council),
    recorded so it counts toward the threshold. One incident reported to several agencies (or to the
    landlord too) counts once: complaints are matched on the incident's date."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agency_complaints")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="agency_complaints")
    agency = models.CharField(max_length=120, help_text="A partner code of the profile, or the agency's name.")
    made_on = models.DateField(help_text="When the complaint was made to the agency.")
    incident_on = models.DateField(help_text="When the behaviour complained of happened.")
    agency_reference = models.CharField(max_length=60, blank=True, help_text="For example a police log number.")
    summary = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["case", "made_on"], name="agency_complaint_case")]

    def __str__(self) -> str:
        return f"{self.agency} {self.made_on}"


class RightToReviewNotice(models.Model):
    """The reporter was told about their right to an ASB Case Review (prompted at the profile's
    ``asb_case_review.tell_reporter_at``)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="right_to_review_notices")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    told_on = models.DateField()
    channel = models.CharField(max_length=20, choices=ContactChannel.choices)
    complaints = models.PositiveSmallIntegerField(help_text="Qualifying complaints counted when told.")
    note = models.TextField(blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["case", "told_on"], name="right_notice_case")]

    def __str__(self) -> str:
        return f"Told of the ASB Case Review on {self.told_on}"


class ApplicationRoute(models.TextChoices):
    FROM_REPORTER = "from_reporter", "Received from the reporter"
    FOR_REPORTER = "for_reporter", "Made by us on the reporter's behalf"
    FROM_LEAD_AGENCY = "from_lead_agency", "Notified by the lead agency"


class ThresholdDecision(models.TextChoices):
    PENDING = "pending", "Not decided yet"
    MET = "met", "Threshold met"
    NOT_MET = "not_met", "Threshold not met"


class CaseReviewApplication(models.Model):
    """An application for an ASB Case Review. ``complaints``: the complaints it relies on, each
    ``{"kind": "report" | "agency", "id", "made_on", "incident_on"}``; ``received_on`` may not be
    before any of them. Its recommendations become actions on the case."""

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="case_review_applications")
    area = models.ForeignKey(LocalAuthorityArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    applicant = models.ForeignKey(Party, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    applicant_name = models.CharField(max_length=200, blank=True, help_text="When not a party of the case.")
    route = models.CharField(max_length=20, choices=ApplicationRoute.choices)
    received_on = models.DateField()
    complaints = models.JSONField(default=list, blank=True)
    decision = models.CharField(max_length=20, choices=ThresholdDecision.choices, default=ThresholdDecision.PENDING)
    decided_on = models.DateField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    meeting_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    outcome_letter_sent_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["landlord", "decision", "received_on"], name="case_review_app"),
            models.Index(fields=["case", "received_on"], name="case_review_app_case"),
        ]

    def __str__(self) -> str:
        return f"ASB Case Review application {self.pk} on {self.case}"


class CaseReviewRecommendation(models.Model):
    """A recommendation of the review panel; it joins the case's action plan as ``action``."""

    application = models.ForeignKey(CaseReviewApplication, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField()
    owner = models.CharField(max_length=120, blank=True, help_text="Who is to do it (an agency or the landlord).")
    action = models.ForeignKey(Action, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.text[:60]
