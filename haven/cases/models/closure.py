"""A case's closures (issue 7): each time a case is closed, with its reason, outcome, the closure
conditions as they stood, and a manager's sign-off where the profile asks (``closure``)."""

from __future__ import annotations

from django.db import models

from haven.accounts.models import User
from haven.cases.models.core import Case


class SignOff(models.TextChoices):
    """A manager's sign-off of a closure or a review (issue 7), where the profile asks for one."""

    NOT_NEEDED = "not_needed", "Not needed"
    AWAITING = "awaiting", "Awaiting sign-off"
    SIGNED_OFF = "signed_off", "Signed off"
    RETURNED = "returned", "Returned to the officer"


class Closure(models.Model):
    """One closure of a case. ``conditions``: the profile's closure conditions when it closed, each
    ``{"code", "label", "kind", "met"}`` (``met`` is true when checked or confirmed). The case's own
    closure fields (``Case.closure_reason``...) describe its latest closure."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="closures")
    closed_at = models.DateTimeField()
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    closure_reason = models.CharField(max_length=40)
    outcome = models.TextField()
    resolved = models.BooleanField(help_text="Resolved or unresolved at closure (pnp 8.2).")
    reason = models.TextField(help_text="Why it closed now, as the officer said it.")
    conditions = models.JSONField(default=list, blank=True)
    signoff = models.CharField(max_length=20, choices=SignOff.choices, default=SignOff.NOT_NEEDED)
    signed_off_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signoff_note = models.TextField(blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True, help_text="When the case was reopened after it.")
    policy_version = models.CharField(max_length=30)

    class Meta:
        indexes = [
            models.Index(fields=["case", "closed_at"], name="closure_case_at"),
            models.Index(fields=["signoff", "closed_at"], name="closure_signoff"),
        ]

    def __str__(self) -> str:
        return f"{self.case} closed {self.closed_at:%Y-%m-%d}"
