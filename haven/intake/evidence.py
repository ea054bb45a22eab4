"""Evidence files: what is allowed, decided by the content's first bytes, never by the name.

The allow-list and the storing live in ``haven.common.files`` (cases use them too); these names
stay here for intake's callers."""

from __future__ import annotations

from haven.common.files import ALLOWED_TEXT, Sniffed, sniff

__all__ = ["ALLOWED_TEXT", "Sniffed", "sniff"]
