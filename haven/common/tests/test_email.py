"""E-mail goes through a real SMTP server after the transaction commits (issue 2, item 9)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.db import transaction

from haven.common.notify import email_enqueue


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = False
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.mark.django_db
def test_an_email_is_delivered_over_smtp_once_the_transaction_commits(
    smtp: Inbox, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        email_enqueue(to=["resident@example.org"], subject="Your report ASB-2026-000001", body="We have your report.")
        assert smtp.messages == []  # nothing leaves before the commit
    assert len(smtp.messages) == 1
    assert smtp.messages[0]["To"] == "resident@example.org"
    assert smtp.messages[0]["Subject"] == "Your report ASB-2026-000001"


@pytest.mark.django_db
def test_nothing_is_sent_when_the_transaction_rolls_back(smtp: Inbox, django_capture_on_commit_callbacks) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        email_enqueue(to=["resident@example.org"], subject="Never", body="Never sent")
        raise RuntimeError("rolled back")
    assert callbacks == [] and smtp.messages == []
