"""What a landlord enters for its measures (issue 9): the homes figure of a reporting year for TSM
NM01, and its TSM settings (rounding and exclusions), kept because the regulator's rules change."""

from __future__ import annotations

from django.db import models

from haven.accounts.models import Landlord, User
from haven.common.models import BaseModel


class HomesFigure(BaseModel):
    """The homes owned (low cost rental and low cost home ownership) at the end of a reporting year,
    as the landlord returns it to the regulator; used instead of the register's count when given.
    ``year`` is the year the reporting year starts (2025 for April 2025 to March 2026)."""

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    homes = models.PositiveIntegerField()
    note = models.TextField(blank=True, help_text="Where the figure comes from.")
    entered_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["landlord", "year"], name="homes_figure_year")]

    def __str__(self) -> str:
        return f"{self.landlord} {self.year}: {self.homes} homes"


class TsmSettings(BaseModel):
    """How a landlord computes its TSMs: ``decimals`` of the rates (the regulator publishes NM01 to
    two), and ``excluded_closure_reasons``: cases closed for one of these reasons (codes of the
    profile's ``closure.reasons``, for example ``not_asb``) are left out of NM01. Default: none."""

    landlord = models.OneToOneField(Landlord, on_delete=models.CASCADE, related_name="+")
    decimals = models.PositiveSmallIntegerField(default=2)
    excluded_closure_reasons = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"TSM settings of {self.landlord}"
