"""Queue notifications after the surrounding transaction commits (ARCHITECTURE.md 2)."""

from __future__ import annotations

from functools import partial

from django.db import transaction

from haven.common.tasks import email_send_task


def email_enqueue(*, to: list[str], subject: str, body: str, reply_to: list[str] | None = None) -> None:
    """Send an e-mail once the current transaction commits; nothing is sent if it rolls back."""
    if not to:
        return
    transaction.on_commit(partial(email_send_task.enqueue, to=list(to), subject=subject, body=body, reply_to=reply_to))
