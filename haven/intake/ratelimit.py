"""A per-address hourly limit for the public form, kept in Django's cache.

The client's address is never stored: the cache key is a keyed SHA-256 hash of it (HMAC with the
SECRET_KEY, so the hash cannot be reversed by trying every IPv4 address). Only accepted reports
count, so a resident who corrects mistakes and sends again is never blocked.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

WINDOW_SECONDS = 60 * 60


def client_hash(request: HttpRequest) -> str:
    """A SHA-256 hash of the client's address (REMOTE_ADDR: the address a proxy cannot forge)."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def _key(scope: str, client: str) -> str:
    return f"haven:ratelimit:{scope}:{client}"


def _recent(scope: str, client: str, now: float) -> list[float]:
    times = cache.get(_key(scope, client)) or []
    return [t for t in times if isinstance(t, int | float) and t > now - WINDOW_SECONDS]


def limit_reached(*, scope: str, client: str, limit: int) -> bool:
    """True when ``limit`` accepted requests from this client fall within the last hour."""
    return len(_recent(scope, client, time.time())) >= limit


def limit_count(*, scope: str, client: str) -> None:
    """Count one accepted request from this client (a sliding window of one hour)."""
    now = time.time()
    cache.set(_key(scope, client), [*_recent(scope, client, now), now], timeout=WINDOW_SECONDS)
