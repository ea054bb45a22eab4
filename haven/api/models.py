"""What the API itself keeps: the first answer to each write sent with an ``Idempotency-Key``."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from haven.common.models import BaseModel


class IdempotencyRecord(BaseModel):
    """The first successful answer to a write sent with an ``Idempotency-Key`` (API.md).

    One row per user and key, saved in the same transaction as the write it answers, so a retry
    gets the same answer and creates nothing new. Only 2xx answers are kept: a refused request can
    be corrected and sent again with the same key. Rows older than 24 hours no longer count and are
    removed as new ones arrive (``haven.api.idempotency.KEEP_FOR``).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    path = models.TextField()
    request_sha256 = models.CharField(max_length=64, help_text="SHA-256 of the request body's JSON.")
    status_code = models.PositiveSmallIntegerField(null=True, help_text="Null until the write has finished.")
    response = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key_unique")]
        indexes = [models.Index(fields=["user", "created_at"], name="idempotency_user_created")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.status_code})"
