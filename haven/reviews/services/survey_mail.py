"""Sending the survey link (whg 3.3): signing the invitation's key, the e-mail the task worker sends
(``reviews.tasks.survey_email_task``) and the stamp that it was sent. Kept apart from
``services.survey`` so that the task can use it while ``services.survey`` enqueues the task."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from haven.accounts.selectors import landlord_profile
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import Case
from haven.common.site import request_site_url
from haven.reviews.models import SurveyInvitation

SALT = "haven.survey"
AUDIT_ACTOR = "survey link"


def survey_path(signed: str) -> str:
    return f"/survey/{signed}/"


def site_url() -> str:
    """Where Haven is served, for a link made where the code has no request at hand (the survey
    invitation made when a case closes): ``HAVEN_SITE_URL`` when the settings have it, else the
    site of the request being served (``common.site``), else the first trusted origin, else the
    first allowed host (``http://localhost:8000`` for the demo)."""
    configured = str(getattr(settings, "HAVEN_SITE_URL", "") or "")
    if configured:
        return configured.rstrip("/")
    if current := request_site_url():
        return current
    origins = list(getattr(settings, "CSRF_TRUSTED_ORIGINS", []) or [])
    if origins:
        return str(origins[0]).rstrip("/")
    hosts = [h for h in settings.ALLOWED_HOSTS if h and h not in ("*", "testserver") and not h.startswith(".")]
    if getattr(settings, "PRODUCTION", False) and hosts:
        return f"https://{hosts[0]}"
    return "http://localhost:8000"


def survey_sign(invitation: SurveyInvitation, policy_id: str) -> str:
    value = f"{invitation.key.hex}.{int(invitation.expires_at.timestamp())}.{policy_id}"
    return signing.TimestampSigner(salt=SALT).sign(value)


@transaction.atomic
def survey_invitation_mark_sent(*, invitation_id: int, via: str = "task") -> SurveyInvitation | None:
    """The worker sent the e-mail: stamp ``sent_at`` and audit SURVEY_SENT (once)."""
    invitation = SurveyInvitation.objects.select_for_update().filter(pk=invitation_id).first()
    if invitation is None or invitation.sent_at is not None:
        return invitation
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])
    case = Case.objects.get(pk=invitation.case_id)
    audit_record(
        actor=invitation.created_by or AUDIT_ACTOR, verb=Verb.SURVEY_SENT, target=case, via=via,
        changes={"survey_invitation": [None, invitation.pk], "channel": [None, invitation.channel]},
    )  # fmt: skip
    return invitation


@dataclass(frozen=True)
class SurveyEmail:
    to: str
    subject: str
    body: str


def survey_email(invitation: SurveyInvitation, site: str) -> SurveyEmail | None:
    """The e-mail with the reporter's link; None when the invitation no longer waits for one (used,
    withdrawn, expired) or the reporter has no address now. The subject carries only the reference."""
    party = invitation.party
    if invitation.used_at or invitation.withdrawn_at or invitation.expires_at <= timezone.now() or not party.email:
        return None
    case = invitation.case
    profile = landlord_profile(case.landlord)
    url = site.rstrip("/") + survey_path(survey_sign(invitation, profile.id))
    until = timezone.localtime(invitation.expires_at)
    first = (
        party.person.first_name if party.person is not None and party.person.first_name else party.name.split(" ")[0]
    )
    body = "\n\n".join(
        [
            f"Dear {first}," if first else "Hello,",
            f"Your anti-social behaviour case with {profile.landlord.name} (case {case.reference}) has been closed. "
            "Please tell us how we handled it: there are a few short questions, and it takes about two minutes.",
            url,
            f"The link works once, until {until:%A} {until.day} {until:%B %Y}. You do not need an account or a "
            "password. Please do not share it.",
            "If the problem is still happening, contact us: we can look at it again or open a new case.",
            profile.landlord.name,
        ]
    )
    return SurveyEmail(to=party.email.strip(), subject=f"How did we do? Case {case.reference}", body=body)
