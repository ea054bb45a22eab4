"""The satisfaction survey at closure (whg 3.3) and complaints about a case (whg 3.6-3.7)."""

from __future__ import annotations

import uuid

from django.db import models

from haven.accounts.models import Landlord, User
from haven.cases.models import Case, Closure, Party


class SurveyChannel(models.TextChoices):
    EMAIL = "email", "E-mail"
    TEXT = "text", "Text message"
    LETTER = "letter", "Letter"
    PHONE = "phone", "Phone call"


class SurveyInvitation(models.Model):
    """A reporter's invitation to the closure survey. The link carries ``key`` signed
    (django.core.signing); it works once (``used_at``) and until ``expires_at`` (``survey.link_valid``)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="survey_invitations")
    closure = models.ForeignKey(Closure, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(max_length=20, choices=SurveyChannel.choices)
    language = models.CharField(max_length=5, default="en")
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["case", "created_at"], name="survey_invitation_case")]

    def __str__(self) -> str:
        return f"Survey invitation for {self.case}"


class SurveyVia(models.TextChoices):
    LINK = "link", "Online, through the link"
    PHONE = "phone", "By phone, recorded by staff"
    PAPER = "paper", "On paper, keyed in by staff"


class SurveyResponse(models.Model):
    """The reporter's answers: ``answers`` ``{code: choice or text}`` for the profile's survey
    questions; ``tp12`` the TP12 answer's code (blank when not answered), kept apart for the KPIs."""

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="survey_responses")
    invitation = models.OneToOneField(
        SurveyInvitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="response"
    )
    closure = models.ForeignKey(Closure, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    via = models.CharField(max_length=20, choices=SurveyVia.choices)
    answers = models.JSONField(default=dict)
    tp12 = models.CharField(max_length=30, blank=True)
    answered_at = models.DateTimeField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    policy_id = models.CharField(max_length=40)
    policy_version = models.CharField(max_length=30)

    class Meta:
        indexes = [
            models.Index(fields=["landlord", "answered_at"], name="survey_response_at"),
            models.Index(fields=["case"], name="survey_response_case"),
        ]

    def __str__(self) -> str:
        return f"Survey answered for {self.case}"


class ComplaintAbout(models.TextChoices):
    HANDLING = "handling", "How the case was handled"  # whg 3.6: the Complaints Procedure
    OUTCOME = "outcome", "The outcome of the case"  # whg 3.7: explain the decision; the ASB Case Review


class ComplaintStatus(models.TextChoices):
    OPEN = "open", "Open"
    ANSWERED = "answered", "Answered"


class Complaint(models.Model):
    """A complaint about how a case was handled or about its outcome (whg 3.6-3.7), with a pointer
    to the landlord's complaints process (``complaints``) and, for the outcome, the ASB Case Review."""

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="complaints")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    about = models.CharField(max_length=20, choices=ComplaintAbout.choices)
    received_on = models.DateField()
    summary = models.TextField()
    complaints_reference = models.CharField(
        max_length=60, blank=True, help_text="The landlord's complaints system reference."
    )
    case_review_signposted = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN)
    answered_on = models.DateField(null=True, blank=True)
    answer = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["landlord", "status", "received_on"], name="complaint_status"),
            models.Index(fields=["case", "received_on"], name="complaint_case"),
        ]

    def __str__(self) -> str:
        return f"Complaint about {self.case}"
