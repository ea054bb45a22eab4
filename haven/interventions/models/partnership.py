"""Partnership (emh 6.2-6.4; WWH 4.0; livv 4): referrals to the profile's agencies and forums,
partnership meetings whose actions join the action plan, the information sharing log, and the
landlord's information sharing agreements."""

from __future__ import annotations

from django.db import models

from haven.accounts.models import Landlord, User
from haven.cases.models import Action, Case, Party
from haven.common.models import BaseModel


class Consent(models.TextChoices):
    GIVEN = "given", "Consent given"
    REFUSED = "refused", "Consent refused: made on another lawful basis"
    NOT_SOUGHT = "not_sought", "Not sought: made on another lawful basis"


class LawfulBasis(models.TextChoices):
    """Lawful bases for sharing personal data without consent (UK GDPR Art 6, DPA 2018) or under a
    power; ``agreement`` means the information sharing agreement named with it."""

    AGREEMENT = "agreement", "Under an information sharing agreement"
    CONSENT = "consent", "The person's consent (UK GDPR Art 6(1)(a))"
    CRIME_DISORDER = "crime_disorder", "Crime and Disorder Act 1998, s115 (preventing crime and disorder)"
    SAFEGUARDING = "safeguarding", "Safeguarding a child or an adult at risk (DPA 2018, Sch 8 para 4)"
    PUBLIC_TASK = "public_task", "Public task (UK GDPR Art 6(1)(e))"
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation (UK GDPR Art 6(1)(c))"
    VITAL_INTERESTS = "vital_interests", "Vital interests: someone's life is at risk (UK GDPR Art 6(1)(d))"
    LEGITIMATE_INTERESTS = "legitimate_interests", "Legitimate interests (UK GDPR Art 6(1)(f))"
    COURT_ORDER = "court_order", "A court order or legal proceedings (DPA 2018, Sch 2 para 5)"


class SharingAgreement(BaseModel):
    """An information sharing agreement the landlord is party to (emh 6.3): kept per landlord."""

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="sharing_agreements")
    title = models.CharField(max_length=200)
    parties = models.TextField(help_text="The organisations that signed it, one a line.")
    purpose = models.TextField()
    signed_on = models.DateField(null=True, blank=True)
    review_on = models.DateField()
    active = models.BooleanField(default=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["landlord", "active", "review_on"], name="sharing_agreement_review")]
        constraints = [models.UniqueConstraint(fields=["landlord", "title"], name="sharing_agreement_title")]

    def __str__(self) -> str:
        return self.title


class Referral(BaseModel):
    """A referral to a partner agency or forum of the profile (``partner``): about whom, why, on
    what basis, when an answer is expected, and the answer. Unanswered past ``response_due_on`` it
    is overdue (WWH 4.0 "Monitor Referrals")."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    partner = models.CharField(max_length=40, help_text="A partner code of the landlord's profile.")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals")
    made_on = models.DateField()
    reason = models.TextField()
    consent = models.CharField(max_length=20, choices=Consent.choices)
    lawful_basis = models.CharField(max_length=30, choices=LawfulBasis.choices, blank=True)
    basis_detail = models.TextField(blank=True, help_text="Why sharing without consent is lawful here.")
    response_due_on = models.DateField()
    responded_on = models.DateField(null=True, blank=True)
    response = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    made_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [
            models.Index(fields=["case", "made_on"], name="referral_case"),
            models.Index(fields=["responded_on", "response_due_on"], name="referral_awaiting"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: referral to {self.partner}"


class PartnershipMeeting(BaseModel):
    """A case listed for a partnership meeting (emh 6.2: MARAC, JAG, Vulnerable People and Places;
    a forum of the profile's partners), and what the meeting decided."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="partnership_meetings")
    forum = models.CharField(max_length=40, help_text="A forum code of the landlord's profile.")
    meets_on = models.DateField()
    reason = models.TextField(help_text="Why the case is listed.")
    held = models.BooleanField(default=False)
    summary = models.TextField(blank=True, help_text="What the meeting decided.")
    listed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["case", "meets_on"], name="meeting_case")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.forum} on {self.meets_on}"


class MeetingAction(models.Model):
    """An action of the case's plan that came from a partnership meeting."""

    meeting = models.ForeignKey(PartnershipMeeting, on_delete=models.CASCADE, related_name="meeting_actions")
    action = models.OneToOneField(Action, on_delete=models.CASCADE, related_name="meeting_link")

    def __str__(self) -> str:
        return f"{self.meeting_id}: action {self.action_id}"


class ShareDirection(models.TextChoices):
    DISCLOSED = "disclosed", "Disclosed to another organisation"
    RECEIVED = "received", "Received from another organisation"


class ShareMethod(models.TextChoices):
    SECURE_EMAIL = "secure_email", "Secure e-mail"
    EMAIL = "email", "E-mail"
    PHONE = "phone", "Phone"
    MEETING = "meeting", "At a meeting"
    PORTAL = "portal", "Partner system or portal"
    POST = "post", "Post"
    IN_PERSON = "in_person", "In person"


class InformationShare(BaseModel):
    """One entry of the information sharing log (emh 6.3-6.4): a disclosure of case information to
    another organisation (what, to whom, when, under which agreement or lawful basis, who approved
    it), or information received from one with its handling restrictions."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="information_shares")
    direction = models.CharField(max_length=20, choices=ShareDirection.choices)
    partner = models.CharField(max_length=40, blank=True, help_text="A partner code of the profile, if one.")
    organisation = models.CharField(max_length=200, help_text="The organisation, as named.")
    what = models.TextField(help_text="What was shared: the information, not a copy of it.")
    shared_on = models.DateField()
    method = models.CharField(max_length=20, choices=ShareMethod.choices)
    agreement = models.ForeignKey(
        SharingAgreement, on_delete=models.PROTECT, null=True, blank=True, related_name="shares"
    )
    lawful_basis = models.CharField(max_length=30, choices=LawfulBasis.choices, blank=True)
    basis_detail = models.TextField(blank=True)
    approved_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    handling = models.TextField(blank=True, help_text="Handling restrictions of information received.")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [
            models.Index(fields=["case", "shared_on"], name="share_case"),
            models.Index(fields=["agreement", "shared_on"], name="share_agreement"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.direction} {self.organisation}"
