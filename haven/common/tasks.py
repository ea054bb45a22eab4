"""Background tasks shared by every app (django-tasks; the worker is ``haven worker``)."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django_tasks import task


@task()
def email_send_task(*, to: list[str], subject: str, body: str, reply_to: list[str] | None = None) -> int:
    """Send one plain-text e-mail through the configured backend (SMTP in production).

    Runs in the worker so that a slow or failing mail server never holds up a page; a failure
    is kept on the task result for the worker's log and a retry.
    """
    message = EmailMessage(subject=subject, body=body, to=to, reply_to=reply_to)
    return message.send(fail_silently=False)
