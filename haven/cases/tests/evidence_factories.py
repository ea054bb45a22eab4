"""Set-up for the incidents, files and diary link tests: a case on any bundled profile."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from haven.accounts.models import Landlord, User
from haven.accounts.selectors import landlord_profile
from haven.cases.models import Case, Incident
from haven.cases.tests.factories import open_case

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def any_case(landlord: Landlord, adviser: User, officer: User) -> Case:
    """An unrestricted case on the landlord's profile: its first category without flags, at a tier
    that opens a case (the category's default when it does)."""
    profile = landlord_profile(landlord)
    category = next(c for c in profile.categories if not c.flags)
    tiers = [t.id for t in profile.tiers_by_rank if t.opens_case]
    tier = category.default_tier if category.default_tier in tiers else tiers[0]
    return open_case(landlord, adviser, officer, category=category.code, tier=tier)


def png(name: str = "door.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def unreviewed(case: Case, *, hours_ago: float = 0) -> Incident:
    """A diary-style entry waiting for review, received ``hours_ago``."""
    incident = Incident.objects.create(
        case=case, occurred_at=timezone.now() - timedelta(days=1), description="Banging on the wall",
        source="diary", recorded_via="diary_link",
    )  # fmt: skip
    Incident.objects.filter(pk=incident.pk).update(created_at=timezone.now() - timedelta(hours=hours_ago))
    return incident
