"""Interventions from the profile's toolkit (whg 2.11; pnp 1.3; emh 5.4): who used which tool,
when, against or for whom, and its outcome. An agreement (ABC, GNA, Parenting Contract) holds its
terms, dates and signatories, its breaches and its reviews. Legal action is ``models.legal``."""

from __future__ import annotations

from django.db import models

from haven.accounts.models import User
from haven.cases.models import Case, Party
from haven.common.models import BaseModel


class InterventionKind(models.TextChoices):
    INFORMAL = "informal", "Informal action"
    PARTNER_POWER = "partner_power", "Partner agency power"


class InterventionStatus(models.TextChoices):
    ACTIVE = "active", "In place"
    COMPLETED = "completed", "Completed"
    ENDED = "ended", "Ended early"


class Intervention(BaseModel):
    """One use of an informal tool or a partner power. ``code`` is a tool of the profile's
    ``interventions`` (its label is kept as it was then). A partner power (a closure order, a
    Community Protection Notice) is recorded as supported by the landlord (emh 5.6): ``partner``
    is the agency that used it and ``support_given`` what the landlord did."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interventions")
    kind = models.CharField(max_length=20, choices=InterventionKind.choices)
    code = models.CharField(max_length=40, help_text="A tool code of the landlord's profile.")
    label = models.CharField(max_length=300, help_text="The tool's label when it was used.")
    track = models.CharField(max_length=20, default="other", help_text="support, enforcement or other (emh 4.10).")
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, related_name="interventions",
        help_text="The person it was used against or for.",
    )  # fmt: skip
    delivered_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    partner = models.CharField(max_length=40, blank=True, help_text="A partner code of the profile.")
    started_on = models.DateField()
    details = models.TextField(blank=True)
    support_given = models.TextField(blank=True, help_text="How the landlord supported a partner's power.")
    status = models.CharField(max_length=20, choices=InterventionStatus.choices, default=InterventionStatus.ACTIVE)
    ended_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    # An agreement's own parts (the tool has agreement: true in the profile).
    agreement = models.BooleanField(default=False)
    review_on = models.DateField(null=True, blank=True, help_text="When the agreement is next reviewed.")
    ends_on = models.DateField(null=True, blank=True, help_text="When the agreement ends.")
    signatories = models.TextField(blank=True, help_text="Who signed it, one a line.")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [
            models.Index(fields=["case", "started_on"], name="intervention_case"),
            models.Index(fields=["status", "review_on"], name="intervention_review_due"),
            models.Index(fields=["code", "started_on"], name="intervention_code"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("started_on")),
                name="intervention_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.code}"

    @property
    def is_active(self) -> bool:
        return self.status == InterventionStatus.ACTIVE


class AgreementTerm(models.Model):
    """One numbered term of an agreement ("I will not play loud music after 11pm")."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="terms")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["intervention", "number"], name="agreement_term_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class AgreementBreach(BaseModel):
    """A breach of an agreement: when, which term, the evidence, and the landlord's response."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="breaches")
    term = models.ForeignKey(AgreementTerm, on_delete=models.PROTECT, related_name="breaches")
    occurred_on = models.DateField()
    evidence = models.TextField()
    response = models.TextField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["intervention", "occurred_on"], name="agreement_breach_at")]

    def __str__(self) -> str:
        return f"{self.intervention_id}: breach of {self.term_id} on {self.occurred_on}"


class AgreementReview(BaseModel):
    """A review of an agreement: what was found, and the next review date (or none when it ends)."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    notes = models.TextField()
    next_review_on = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.intervention_id}: reviewed {self.reviewed_on}"
