"""Legal action (whg 2.11; emh 5.5; pnp 5.6): one action against one person, through its stages
(``interventions.workflow``), with the proportionality assessment it needs before it progresses
(emh 4.9; pnp 5.6.3), a manager's approval where the profile asks, and its hearings."""

from __future__ import annotations

from django.db import models

from haven.accounts.models import User
from haven.cases.models import Case, Party
from haven.common.models import BaseModel


class LegalStage(models.TextChoices):
    CONSIDERING = "considering", "Considering"
    PROPORTIONALITY = "proportionality_assessed", "Proportionality assessed"
    APPROVED = "approved", "Approved"
    NOTICE_SERVED = "notice_served", "Notice served"
    ISSUED = "issued", "Claim issued"
    HEARING = "hearing", "Hearing listed"
    ORDER_MADE = "order_made", "Order made"
    BREACH = "breach", "Order breached"
    WARRANT = "warrant", "Eviction warrant"
    CONCLUDED = "concluded", "Concluded"


class LegalAction(BaseModel):
    """A legal action of the profile's ``interventions.legal`` (``code``; ``route`` as the tool
    said then). Each stage's facts are kept on the row; each move is a ``LegalStageChange``."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="legal_actions")
    code = models.CharField(max_length=40, help_text="A legal tool code of the landlord's profile.")
    label = models.CharField(max_length=300)
    route = models.CharField(max_length=20, help_text="injunction, possession or other (the profile's route).")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="legal_actions")
    stage = models.CharField(max_length=30, choices=LegalStage.choices, default=LegalStage.CONSIDERING)
    started_on = models.DateField()
    reason = models.TextField(help_text="Why legal action is being considered.")
    # A condition the tool needs (Ground 7A: a conviction, an injunction breach, a closure order...).
    condition = models.CharField(max_length=40, blank=True)
    condition_on = models.DateField(null=True, blank=True)
    condition_detail = models.TextField(blank=True)
    # approved
    approved_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_on = models.DateField(null=True, blank=True)
    approval_note = models.TextField(blank=True)
    # notice_served
    notice_served_on = models.DateField(null=True, blank=True)
    notice_expires_on = models.DateField(null=True, blank=True)
    # issued
    claim_issued_on = models.DateField(null=True, blank=True)
    court = models.CharField(max_length=200, blank=True)
    claim_number = models.CharField(max_length=50, blank=True)
    # order_made
    order_made_on = models.DateField(null=True, blank=True)
    order_terms = models.TextField(blank=True)
    order_expires_on = models.DateField(null=True, blank=True)
    power_of_arrest = models.BooleanField(null=True, blank=True, help_text="Part 1 injunction: s4 of the 2014 Act.")
    # warrant
    warrant_on = models.DateField(null=True, blank=True)
    # concluded
    concluded_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [
            models.Index(fields=["case", "stage"], name="legal_case_stage"),
            models.Index(fields=["stage", "started_on"], name="legal_stage_started"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(notice_expires_on__isnull=True)
                | models.Q(notice_expires_on__gte=models.F("notice_served_on")),
                name="legal_notice_expires_after_served",
            ),
            models.CheckConstraint(
                condition=models.Q(order_expires_on__isnull=True)
                | models.Q(order_expires_on__gte=models.F("order_made_on")),
                name="legal_order_expires_after_made",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.code} ({self.stage})"

    @property
    def is_open(self) -> bool:
        return self.stage != LegalStage.CONCLUDED


class LegalStageChange(models.Model):
    """One move of a legal action from stage to stage: when it happened, who recorded it, a note."""

    legal_action = models.ForeignKey(LegalAction, on_delete=models.CASCADE, related_name="stage_changes")
    stage_from = models.CharField(max_length=30, blank=True)
    stage_to = models.CharField(max_length=30)
    on = models.DateField(help_text="When the step happened.")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["legal_action", "at"], name="legal_stage_change_at")]

    def __str__(self) -> str:
        return f"{self.legal_action_id}: {self.stage_from} -> {self.stage_to}"


class ProportionalityAssessment(BaseModel):
    """The proportionality assessment before legal action progresses (emh 4.9; pnp 5.6.3): the
    legitimate aim, the less intrusive options tried (or why not), the reported person's known
    support needs, their protected characteristics and the Equality Act 2010 consideration, and
    the effect on others in the household. A reassessment is a new row; the latest counts."""

    legal_action = models.ForeignKey(LegalAction, on_delete=models.CASCADE, related_name="assessments")
    legitimate_aim = models.TextField()
    less_intrusive_tried = models.TextField(blank=True)
    less_intrusive_why_not = models.TextField(blank=True)
    support_needs = models.TextField(help_text="The reported person's known support needs and what was done.")
    protected_characteristics = models.TextField(help_text="Known or believed; 'None known' if none.")
    equality_consideration = models.TextField(help_text="The Equality Act 2010 consideration (s15, s149).")
    household_effect = models.TextField(help_text="The effect on others in the household, children first.")
    conclusion = models.TextField()
    proportionate = models.BooleanField()
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["legal_action", "created_at"], name="proportionality_action")]

    def __str__(self) -> str:
        return f"{self.legal_action_id}: assessed {self.assessed_on}"


class HearingKind(models.TextChoices):
    FIRST = "first", "First hearing"
    WITHOUT_NOTICE = "without_notice", "Without notice hearing"
    RETURN = "return", "Return date"
    DIRECTIONS = "directions", "Directions"
    TRIAL = "trial", "Trial or final hearing"
    COMMITTAL = "committal", "Committal hearing"
    OTHER = "other", "Other"


class Hearing(BaseModel):
    """A hearing of a legal action: when, where, what kind and what came of it."""

    legal_action = models.ForeignKey(LegalAction, on_delete=models.CASCADE, related_name="hearings")
    at = models.DateTimeField()
    court = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=HearingKind.choices)
    outcome = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["legal_action", "at"], name="hearing_action_at")]

    def __str__(self) -> str:
        return f"{self.legal_action_id}: {self.kind} {self.at:%Y-%m-%d}"
