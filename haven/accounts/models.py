"""Landlords (organisations), their teams and staff, and API tokens.

One deployment can host several landlords; every user belongs to exactly one, and every
selector scopes by it (ARCHITECTURE.md 5).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from haven.common.models import BaseModel
from haven.policies.registry import profile_ids


class Role(models.TextChoices):
    """Staff roles (PRODUCT.md "Who uses it")."""

    ADVISER = "adviser", "Contact centre adviser"
    OFFICER = "officer", "Case officer"
    SPECIALIST = "specialist", "ASB specialist"
    MANAGER = "manager", "Team manager"
    AUDITOR = "auditor", "Auditor (read only)"
    ADMIN = "admin", "Administrator"


class Landlord(BaseModel):
    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    policy_id = models.CharField(max_length=40, help_text="The policy profile this landlord works to.")
    homes_owned = models.PositiveIntegerField(
        null=True, blank=True, help_text="Homes owned for TSM, when not taken from the register."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.policy_id not in profile_ids():
            raise ValidationError({"policy_id": f"There is no policy profile called {self.policy_id!r}."})


class ClosureDay(models.Model):
    """A day the landlord's offices are closed beyond weekends and bank holidays."""

    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE, related_name="closure_days")
    day = models.DateField()
    reason = models.CharField(max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["landlord", "day"], name="closure_day_unique")]
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d %B %Y}: {self.reason}"


class Team(BaseModel):
    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=120)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["landlord", "name"], name="team_name_unique")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="users", null=True)
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members")

    class Meta:
        constraints = [
            # Staff always belong to a landlord and have a role; only a platform superuser
            # (created with createsuperuser for the admin site) may have neither.
            models.CheckConstraint(
                name="user_staff_has_landlord_and_role",
                condition=models.Q(is_superuser=True) | (models.Q(landlord__isnull=False) & ~models.Q(role="")),
            ),
        ]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class ApiToken(models.Model):
    """A staff API token. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="The first characters, to tell tokens apart.")
    name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
