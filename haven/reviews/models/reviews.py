"""Case reviews (WWH 5.0), casework quality reviews (whg 3.5) and decisions on persistent reports
of matters already explained as not ASB (emh 7.8)."""

from __future__ import annotations

from django.db import models

from haven.accounts.models import Landlord, User
from haven.cases.models import Case, SignOff
from haven.register.models import Person


class Conclusion(models.TextChoices):
    """The officer's conclusion of a review (WWH 5.0)."""

    CONTINUE = "continue", "Continue as planned"
    ESCALATE = "escalate", "Escalate"
    DE_ESCALATE = "de_escalate", "De-escalate"
    CLOSE = "close", "Close the case"


class Review(models.Model):
    """One review of an open case against the profile's checklist (``reviews.checklist``).
    ``answers``: ``{code: text}`` for each checklist question answered. ``due_at``: the review date
    it met (the case's ``review_due_at`` when it was held); ``next_review_at``: the date set after it."""

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    held_at = models.DateTimeField()
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField(null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    threshold_met = models.BooleanField(
        null=True, blank=True, help_text="The officer's view: does it reach the ASB Case Review threshold?"
    )
    conclusion = models.CharField(max_length=20, choices=Conclusion.choices)
    conclusion_note = models.TextField()
    next_review_at = models.DateTimeField(null=True, blank=True)
    signoff = models.CharField(max_length=20, choices=SignOff.choices, default=SignOff.NOT_NEEDED)
    signed_off_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signoff_note = models.TextField(blank=True)
    policy_id = models.CharField(max_length=40)
    policy_version = models.CharField(max_length=30)

    class Meta:
        indexes = [
            models.Index(fields=["case", "held_at"], name="review_case_at"),
            models.Index(fields=["landlord", "signoff", "held_at"], name="review_signoff"),
        ]

    def __str__(self) -> str:
        return f"{self.case} reviewed {self.held_at:%Y-%m-%d}"


class QualityAnswer(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"
    NOT_APPLICABLE = "na", "Does not apply"


class QualityReview(models.Model):
    """A manager's casework quality review of one case (whg 3.5). ``answers``: ``{code: QualityAnswer}``
    for each question of ``quality_review.checklist``; ``score`` over ``out_of`` (2 for yes, 1 for
    partly, over 2 for each question that applies). ``sample``: the label of the sample it was drawn in."""

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="quality_reviews")
    at = models.DateTimeField()
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    sample = models.CharField(max_length=60, blank=True)
    answers = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField()
    out_of = models.PositiveSmallIntegerField()
    notes = models.TextField(blank=True)
    learning = models.TextField(blank=True, help_text="What the officer or team should learn or change.")
    policy_version = models.CharField(max_length=30)

    class Meta:
        indexes = [
            models.Index(fields=["landlord", "at"], name="quality_review_at"),
            models.Index(fields=["case", "at"], name="quality_review_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case} quality {self.score}/{self.out_of}"


class PersistentDecision(models.TextChoices):
    """What is done about repeated reports of matters already explained as not ASB (emh 7.8)."""

    SUPPORT = "support", "Offer support: the reports may show a support need or vulnerability"
    PROCEDURE = "procedure", "Follow the persistent complainant procedure"
    NO_ACTION = "no_action", "No action for now"


class PersistentReportDecision(models.Model):
    """A decision on a reporter whose reports triaged as not ASB reached ``persistent_reports.count``
    within ``persistent_reports.within`` (emh 7.8). ``reporter_key``: who the reporter is across
    reports (``person:ID``, or a normalised e-mail address or phone number); ``reports``: the report
    references counted."""

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="+")
    reporter_key = models.CharField(max_length=200)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reporter_label = models.CharField(max_length=200, help_text="How the list names the reporter.")
    decision = models.CharField(max_length=20, choices=PersistentDecision.choices)
    note = models.TextField()
    reports = models.JSONField(default=list)
    at = models.DateTimeField()
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["landlord", "reporter_key", "at"], name="persistent_reporter")]

    def __str__(self) -> str:
        return f"{self.reporter_label}: {self.decision}"
