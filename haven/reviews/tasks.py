"""Background tasks of the reviews app (django-tasks; the worker is ``haven worker``)."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django_tasks import task

from haven.reviews.models import SurveyInvitation
from haven.reviews.services.survey_mail import survey_email, survey_invitation_mark_sent


@task()
def survey_email_task(*, invitation_id: int, site_url: str) -> int:
    """E-mail the reporter their survey link (whg 3.3), then stamp the invitation sent.

    The link is signed here, in the worker, so that the key never sits in the task's arguments.
    Nothing is sent for an invitation withdrawn, used or expired since it was queued; a failing
    mail server fails the task (kept on its result for a retry) and the invitation stays unsent.
    """
    invitation = (
        SurveyInvitation.objects.select_related("case__landlord", "party__person").filter(pk=invitation_id).first()
    )
    if invitation is None:
        return 0
    mail = survey_email(invitation, site_url)
    if mail is None:
        return 0
    sent = EmailMessage(subject=mail.subject, body=mail.body, to=[mail.to]).send(fail_silently=False)
    survey_invitation_mark_sent(invitation_id=invitation.pk)
    return sent
