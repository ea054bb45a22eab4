"""Background tasks of the letters app (django-tasks; the worker is ``haven worker``)."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.db import transaction
from django_tasks import task

from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.letters.models import Letter


@task()
def letter_email_task(*, letter_id: int) -> int:
    """E-mail a letter's PDF to the address asked for, then stamp it sent (once).

    The subject names the landlord and the case reference only; the letter itself is the attachment.
    A failing mail server fails the task (kept on its result for a retry) and the letter stays unsent.
    """
    letter = Letter.objects.select_related("case__landlord").filter(pk=letter_id).first()
    if letter is None or not letter.email_to or letter.emailed_at is not None:
        return 0
    landlord = letter.case.landlord.name
    mail = EmailMessage(
        subject=f"A letter from {landlord} about case {letter.case.reference}",
        body=f"Please find attached a letter from {landlord} about case {letter.case.reference}.\n\n"
        "If you would like it in another format, such as large print, reply to this e-mail.",
        to=[letter.email_to],
    )
    mail.attach(f"letter-{letter.case.reference}-{letter.pk}.pdf", bytes(letter.pdf), "application/pdf")
    sent = mail.send(fail_silently=False)
    with transaction.atomic():
        from django.utils import timezone

        if Letter.objects.filter(pk=letter.pk, emailed_at__isnull=True).update(emailed_at=timezone.now()):
            audit_record(actor="letter e-mail", verb=Verb.LETTER_EMAILED, target=letter.case, via="task",
                         label=letter.title, landlord_id=letter.case.landlord_id)  # fmt: skip
    return sent


@task()
def bundle_build_task(*, bundle_id: int) -> int:
    """Build a court bundle's PDF (hundreds of pages take a while, so never in a request). Returns
    its number of pages, 0 when it failed or was already built."""
    from haven.letters.services.bundle_build import bundle_build

    bundle = bundle_build(bundle_id=bundle_id)
    return bundle.pages if bundle is not None else 0
