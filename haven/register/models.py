"""The register: where people live. This issue holds only what the demo and routing need
(local authority areas, patches, properties); the register issue adds people and tenancies
and the importers.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from haven.common.models import BaseModel
from haven.policies.schema import Tenure

UPRN_VALIDATOR = RegexValidator(r"^\d{1,12}$", "A UPRN is up to 12 digits.")

TENURE_CHOICES = [(t.value, t.value.replace("_", " ").capitalize()) for t in Tenure]


class LocalAuthorityArea(BaseModel):
    """A council area the landlord works in; each carries its own ASB Case Review threshold later."""

    landlord = models.ForeignKey("accounts.Landlord", on_delete=models.PROTECT, related_name="local_authority_areas")
    name = models.CharField(max_length=120)
    gss_code = models.CharField(max_length=9, blank=True, help_text="ONS code, e.g. E06000016")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["landlord", "name"], name="la_area_name_unique")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Patch(BaseModel):
    """A housing management patch; its team and officer receive the patch's new cases."""

    landlord = models.ForeignKey("accounts.Landlord", on_delete=models.PROTECT, related_name="patches")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=120)
    team = models.ForeignKey("accounts.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="patches")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="patches"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["landlord", "code"], name="patch_code_unique")]
        ordering = ["code"]
        verbose_name_plural = "patches"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Property(BaseModel):
    landlord = models.ForeignKey("accounts.Landlord", on_delete=models.PROTECT, related_name="properties")
    uprn = models.CharField("UPRN", max_length=12, validators=[UPRN_VALIDATOR])
    reference = models.CharField(max_length=40, help_text="The landlord's own property reference.")
    address_line_1 = models.CharField(max_length=200)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=8, db_index=True)
    patch = models.ForeignKey(Patch, on_delete=models.PROTECT, null=True, blank=True, related_name="properties")
    local_authority_area = models.ForeignKey(
        LocalAuthorityArea, on_delete=models.PROTECT, null=True, blank=True, related_name="properties"
    )
    tenure = models.CharField(max_length=30, choices=TENURE_CHOICES)
    counts_for_tsm = models.BooleanField(
        default=True, help_text="A low-cost rental or low-cost home ownership home, counted for TSM NM01."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["landlord", "uprn"], name="property_uprn_unique"),
            models.UniqueConstraint(fields=["landlord", "reference"], name="property_reference_unique"),
        ]
        indexes = [models.Index(fields=["landlord", "patch"], name="property_landlord_patch")]
        ordering = ["reference"]
        verbose_name_plural = "properties"

    def __str__(self) -> str:
        return f"{self.address_line_1}, {self.postcode}"
