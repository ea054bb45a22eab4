from __future__ import annotations

from django.db import models


class BaseModel(models.Model):
    """Creation and update times on every domain table."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
