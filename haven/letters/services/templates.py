"""What an administrator changes in the letters (issue 8): the letterhead details, and a new
published version of a letter's wording. A version is checked before it is saved: every
placeholder must exist (named when it does not), and a letter for reported people may not use
the reporter's details (emh 6.6-6.7)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from haven.accounts.models import Role, User
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import Case, Party, PartyRole
from haven.common.errors import ApplicationError
from haven.letters.defaults import default_letters
from haven.letters.models import LetterSettings, LetterTemplate
from haven.letters.placeholders import CONFIDENTIAL, placeholders_check, placeholders_fill, placeholders_in
from haven.letters.render import paragraphs_of
from haven.letters.services.letters import letter_values

SUBJECT_MAX, BODY_MAX = 300, 20_000


def may_edit_letters(user: User) -> bool:
    return user.role == Role.ADMIN and user.landlord_id is not None


def _refuse_unless_admin(actor: User) -> None:
    if not may_edit_letters(actor):
        raise ApplicationError("Only administrators change letters.", code="forbidden")


def template_check(*, kind: str, subject: str, body: str) -> None:
    """The checks of a new version, for the preview and the save alike."""
    default = default_letters().get(kind)
    if default is None:
        raise ApplicationError("Choose one of the letters listed.")
    problems = {}
    if not subject.strip():
        problems["subject"] = "Enter the subject line."
    elif len(subject) > SUBJECT_MAX:
        problems["subject"] = f"Write the subject in no more than {SUBJECT_MAX} characters."
    if not body.strip():
        problems["body"] = "Enter the wording of the letter."
    elif len(body) > BODY_MAX:
        problems["body"] = f"Write the letter in no more than {BODY_MAX:,} characters."
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    placeholders_check(subject=subject, body=body)
    if default.recipient != "reporter" and placeholders_in(subject, body) & CONFIDENTIAL:
        message = ("This letter can go to people other than the reporter, so it cannot use the reporter's details "
                   "(emh 6.6-6.7). Take out the reporter_ placeholders.")  # fmt: skip
        raise ApplicationError(message, fields={"body": message})


@transaction.atomic
def template_publish(*, actor: User, kind: str, subject: str, body: str, via: str = "web") -> LetterTemplate:
    """Publish the next version of a letter; letters made before keep the version they used."""
    _refuse_unless_admin(actor)
    template_check(kind=kind, subject=subject, body=body)
    assert actor.landlord is not None
    latest = LetterTemplate.objects.select_for_update().filter(landlord=actor.landlord, kind=kind).order_by("-version")
    version = (latest.values_list("version", flat=True).first() or 0) + 1
    template = LetterTemplate.objects.create(
        landlord=actor.landlord,
        kind=kind,
        version=version,
        subject=subject.strip(),
        body=body.strip() + "\n",
        published_by=actor,
    )
    audit_record(actor=actor, verb=Verb.LETTER_TEMPLATE_PUBLISHED, target=template, label=f"{kind} version {version}",
                 via=via)  # fmt: skip
    return template


@dataclass(frozen=True)
class TemplatePreview:
    case: Case
    party: Party
    subject: str
    paragraphs: list[str]


def _problem(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, fields={field: message})


@transaction.atomic
def template_preview(
    *, actor: User, kind: str, reference: str, subject: str, body: str, via: str = "web"
) -> TemplatePreview:
    """A new wording checked as for publishing, then filled in from one of the landlord's cases for
    the person the letter is for (else the reporter). Nothing is saved but the audit of the view:
    the administrator saw the case's facts. Restricted cases are for their caseworkers only."""
    _refuse_unless_admin(actor)
    template_check(kind=kind, subject=subject, body=body)
    if not reference.strip():
        raise _problem("case", "Enter the reference of a case to preview the letter with.")
    case = Case.objects.filter(landlord=actor.landlord, reference=reference.strip().upper()).first()
    if case is None:
        raise _problem("case", "There is no case of yours with that reference.")
    if case.restricted:
        raise _problem("case", "That case is restricted to its caseworkers: preview the letter with another case.")
    wanted = default_letters()[kind].recipient
    people = [p for p in case.parties.all() if p.removed_at is None]
    party = next((p for p in people if p.role == wanted), None) or next(
        (p for p in people if p.role == PartyRole.REPORTER), None
    )
    if party is None:
        raise _problem("case", "That case has nobody to write to.")
    values = letter_values(case=case, party=party, actor=actor, details="[What you type when making the letter]")
    audit_record(actor=actor, verb=Verb.LETTER_PREVIEWED, target=case, label=f"{kind} letter preview", via=via)
    return TemplatePreview(
        case, party, placeholders_fill(subject, values), paragraphs_of(placeholders_fill(body, values))
    )


@transaction.atomic
def letter_settings_save(*, actor: User, address: str, phone: str, email: str, website: str,
                         via: str = "web") -> LetterSettings:  # fmt: skip
    _refuse_unless_admin(actor)
    assert actor.landlord is not None
    problems = {}
    if len(address) > 500:
        problems["address"] = "Write the address in no more than 500 characters."
    if website.strip() and not website.strip().startswith(("https://", "http://")):
        problems["website"] = "Enter the website as a full address starting https://"
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    found, _ = LetterSettings.objects.update_or_create(
        landlord=actor.landlord,
        defaults={
            "address": address.strip(),
            "phone": phone.strip(),
            "email": email.strip(),
            "website": website.strip(),
        },
    )
    audit_record(actor=actor, verb=Verb.LETTER_SETTINGS_SAVED, target=found, label="letterhead", via=via)
    return found
