"""The reporter's diary link: a signed, expiring link that lets the reporter add diary entries
(incidents) and files without an account, as diary sheets do on paper.

The link is ``/diary/<signed>/``: ``signed`` is a random token with the link's expiry and the
landlord's policy id, signed by ``TimestampSigner(salt="haven.diary")``, so an altered or expired
link is refused before any database look-up. Only a SHA-256 of the random token is kept
(``DiaryLink.token_hash``); the link lasts ``casework.diary_link_valid`` and can be withdrawn.
Entries arrive unreviewed (``source=diary``, ``recorded_via="diary_link"``) and wait in the
evidence inbox; the case's officer is told by e-mail that one is waiting.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.core import signing
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.accounts.models import User
from haven.accounts.permissions import can_work_case
from haven.accounts.selectors import landlord_calendar, landlord_profile
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import Case, DiaryLink, Incident, IncidentSource, Party, PartyRole
from haven.cases.services.core import case_refresh
from haven.cases.services.files import files_check, files_store
from haven.cases.services.incidents import EARLIEST_YEARS, incident_problems
from haven.common.errors import ApplicationError
from haven.common.files import Sniffed, discard
from haven.common.notify import email_enqueue
from haven.policies.registry import UnknownPolicy, get_profile

SALT = "haven.diary"
ENTRIES_PER_HOUR = 10  # default: not in seed; a diary of one household rarely needs more in an hour
WINDOW_SECONDS = 60 * 60
AUDIT_ACTOR = "diary link"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def diary_path(signed: str) -> str:
    return f"/diary/{signed}/"


# ---- reading a link -------------------------------------------------------------------------------


class LinkRefused(Exception):
    """Why a link cannot be used: ``invalid`` (altered or not a link), ``expired``, ``revoked`` or
    ``closed`` (the case is closed); with the landlord's name, phone and policy id where they are
    known (the page that says so is in the landlord's languages). The reasons are codes; the words
    residents see are in the diary's ``refused.html``, translated there."""

    def __init__(self, reason: str, *, landlord_name: str = "", phone: str = "", policy_id: str = "") -> None:
        super().__init__(reason)
        self.reason, self.landlord_name, self.phone = reason, landlord_name, phone
        self.policy_id = policy_id


def _unsigned(signed: str) -> tuple[str, datetime, str]:
    """The token, the expiry and the policy id, from a link whose signature is good; else invalid."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(signed)
        token, expiry, policy_id = value.split(".")
        expires_at = datetime.fromtimestamp(int(expiry), tz=UTC)
    except (signing.BadSignature, ValueError, OverflowError, OSError):
        raise LinkRefused("invalid") from None
    return token, expires_at, policy_id


def _refused(reason: str, policy_id: str) -> LinkRefused:
    try:
        landlord = get_profile(policy_id).landlord
    except UnknownPolicy:
        return LinkRefused(reason)
    return LinkRefused(reason, landlord_name=landlord.name, phone=landlord.complaints_phone or "", policy_id=policy_id)


def diary_link_open(*, signed: str, now: datetime | None = None) -> DiaryLink:
    """The link behind ``/diary/<signed>/``, with its case, landlord, officer and party; or
    ``LinkRefused``. An altered or expired link is refused from its signature alone."""
    now = now or timezone.now()
    token, expires_at, policy_id = _unsigned(signed)
    if expires_at <= now:
        raise _refused("expired", policy_id)
    link = (
        DiaryLink.objects.select_related("case__landlord", "case__officer", "party__person")
        .filter(token_hash=_hash(token))
        .first()
    )
    if link is None:
        raise LinkRefused("invalid")
    if link.revoked_at is not None:
        raise _refused("revoked", policy_id)
    if link.expires_at <= now:
        raise _refused("expired", policy_id)
    if not link.case.is_open:
        raise _refused("closed", policy_id)
    return link


def first_name(party: Party) -> str:
    """The reporter's first name only: the public page shows nobody else's details."""
    if party.person is not None and party.person.first_name:
        return str(party.person.first_name)
    return party.name.split()[0] if party.name.strip() else ""


# ---- sending and withdrawing ----------------------------------------------------------------------


@transaction.atomic
def diary_link_send(*, actor: User, case: Case, party: Party | None, site_url: str, via: str = "web") -> DiaryLink:
    """Send a reporter a diary link by e-mail. The party must be on the case, not anonymous, and
    have an e-mail address; the link works for ``casework.diary_link_valid`` from now. ``site_url``
    is where Haven is served (``https://haven.example.org``), for the link in the e-mail."""
    case = Case.objects.select_for_update(of=("self",)).select_related("landlord").get(pk=case.pk)
    if not can_work_case(actor, case):
        raise ApplicationError("You cannot send diary links for this case.")
    problems: dict[str, str] = {}
    if party is None or party.case_id != case.pk or party.removed_at is not None:
        problems["party"] = "Choose a person in this case."
    elif party.anonymous:
        problems["party"] = "An anonymous reporter cannot be sent a link: we have no way to reach them."
    elif not party.email.strip():
        problems["party"] = "We have no e-mail address for this person. Add one before sending a link."
    elif party.role not in (PartyRole.REPORTER, PartyRole.WITNESS):
        problems["party"] = "Diary links are for the reporter or a witness."
    if not case.is_open:
        problems.setdefault("party", "This case is closed: no diary link can be sent.")
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    assert party is not None
    profile = landlord_profile(case.landlord)
    valid = profile.casework.diary_link_valid
    now = timezone.now()
    expires_at = landlord_calendar(case.landlord).due_at(now, valid.amount, valid.unit)
    token = secrets.token_urlsafe(32)
    link = DiaryLink.objects.create(
        case=case, party=party, token_hash=_hash(token), expires_at=expires_at, created_by=actor,
        sent_to=party.email.strip(),
    )  # fmt: skip
    signed = signing.TimestampSigner(salt=SALT).sign(f"{token}.{int(expires_at.timestamp())}.{profile.id}")
    url = site_url.rstrip("/") + diary_path(signed)
    until = timezone.localtime(expires_at)
    name = first_name(party)
    body = "\n\n".join(
        [
            f"Dear {name}," if name else "Hello,",
            f"Thank you for reporting anti-social behaviour to {profile.landlord.name} (case {case.reference}). "
            "Please use this link to keep a diary: each time something happens, tell us when it happened, "
            "where, who was involved and what happened. You can send photos, recordings and documents too.",
            url,
            f"The link works until {until:%A} {until.day} {until:%B %Y}. Please do not share it: anyone with "
            "it can add to your diary. You do not need an account or a password.",
            "If anyone is in immediate danger, call 999. To report a crime, call the police on 101.",
            profile.landlord.name,
        ]
    )
    email_enqueue(to=[link.sent_to], subject=f"Your diary for case {case.reference}", body=body)
    case_refresh(case, activity_at=now)
    audit_record(
        actor=actor, verb=Verb.DIARY_LINK_SENT, target=case, via=via,
        changes={"diary_link": [None, link.pk], "party": [None, party.pk],
                 "expires_at": [None, expires_at.isoformat()]},
    )  # fmt: skip
    return link


@transaction.atomic
def diary_link_revoke(*, actor: User, link: DiaryLink, via: str = "web") -> DiaryLink:
    """Withdraw a diary link: it stops working at once (entries already sent are kept)."""
    case = Case.objects.select_for_update().get(pk=link.case_id)
    if not can_work_case(actor, case):
        raise ApplicationError("You cannot withdraw diary links for this case.")
    link = DiaryLink.objects.get(pk=link.pk)
    if link.revoked_at is not None:
        raise ApplicationError("This link has already been withdrawn.", fields={"link": "Already withdrawn."})
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at", "updated_at"])
    case_refresh(case, activity_at=link.revoked_at)
    audit_record(
        actor=actor, verb=Verb.DIARY_LINK_REVOKED, target=case, via=via, changes={"diary_link": [None, link.pk]}
    )
    return link


# ---- entries --------------------------------------------------------------------------------------


def _rate_key(token_hash: str) -> str:
    # By the token's hash, not the row id: ids come again in a database rebuilt from scratch.
    return f"haven:diary-entries:{token_hash}"


def _recent(token_hash: str, now: float) -> list[float]:
    times = cache.get(_rate_key(token_hash)) or []
    return [t for t in times if isinstance(t, int | float) and t > now - WINDOW_SECONDS]


def _count_entry(token_hash: str) -> None:
    now = time.time()
    cache.set(_rate_key(token_hash), [*_recent(token_hash, now), now], timeout=WINDOW_SECONDS)


def diary_entry_add(
    *,
    signed: str,
    occurred_at: datetime | None,
    occurred_until: datetime | None = None,
    location: str = "",
    people: str = "",
    description: str,
    files: Sequence[UploadedFile] = (),
    site_url: str = "",
) -> Incident:
    """Add an entry through a diary link: an incident from the link's party, unreviewed, with its
    files (checked and hashed like every case file). ``ENTRIES_PER_HOUR`` entries a link an hour.
    The messages are in the active language (the diary page's: Welsh or English for Welsh landlords)."""
    link = diary_link_open(signed=signed)
    if len(_recent(link.token_hash, time.time())) >= ENTRIES_PER_HOUR:
        raise ApplicationError(
            gettext("You have sent a lot of entries in the last hour. Please wait an hour, or phone us."),
            code="too_many",
        )
    now = timezone.now()
    problems = incident_problems(
        occurred_at=occurred_at, occurred_until=occurred_until, location=location, people=people,
        description=description, now=now, earliest=now - timedelta(days=366 * EARLIEST_YEARS),
    )  # fmt: skip
    try:
        good = files_check(files)
    except ApplicationError as failure:
        problems.update(failure.fields)
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    assert occurred_at is not None
    return _entry_write(
        link=link, good=good, occurred_at=occurred_at, occurred_until=occurred_until, location=location,
        people=people, description=description, site_url=site_url,
    )  # fmt: skip


@transaction.atomic
def _entry_write(
    *,
    link: DiaryLink,
    good: Sequence[tuple[UploadedFile, Sniffed]],
    occurred_at: datetime,
    occurred_until: datetime | None,
    location: str,
    people: str,
    description: str,
    site_url: str,
) -> Incident:
    case = Case.objects.select_for_update(of=("self",)).select_related("officer").get(pk=link.case_id)
    link = DiaryLink.objects.select_for_update().get(pk=link.pk)
    if link.revoked_at is not None or not case.is_open:  # withdrawn or closed while the form was open
        raise _refused("revoked" if link.revoked_at is not None else "closed", case.policy_id)
    now = timezone.now()
    stored: list[Path] = []
    try:
        incident = Incident.objects.create(
            case=case, occurred_at=occurred_at, occurred_until=occurred_until, location=location.strip(),
            people=people.strip(), description=description.strip(), source=IncidentSource.DIARY,
            party_id=link.party_id, recorded_via="diary_link", diary_link=link,
        )  # fmt: skip
        files_store(
            case=case, good=good, stored=stored, actor=None, incident=incident,
            via="diary_link", diary_link=link, audit_actor=AUDIT_ACTOR,
        )  # fmt: skip
        link.entries += 1
        link.last_used_at = now
        link.save(update_fields=["entries", "last_used_at", "updated_at"])
        # The reporter's entry is not the landlord's work: it does not make the case active
        # (WWH 5.0), but the case's clocks are kept true.
        case_refresh(case)
        audit_record(
            actor=AUDIT_ACTOR, verb=Verb.DIARY_ENTRY_RECEIVED, target=case, via="diary_link",
            changes={"incident": [None, incident.pk], "diary_link": [None, link.pk], "files": [None, len(good)]},
        )  # fmt: skip
        _tell_officer(case=case, site_url=site_url)
        transaction.on_commit(lambda: _count_entry(link.token_hash))
    except BaseException:
        discard(stored)
        raise
    return incident


def _tell_officer(*, case: Case, site_url: str) -> None:
    """The officer hears that an entry waits; the subject carries no personal data."""
    officer = case.officer
    if officer is None or not officer.email:
        return
    where = f"{site_url.rstrip('/')}/cases/{case.reference}/#incidents" if site_url else ""
    body = "\n\n".join(
        x
        for x in [
            f"A new diary entry has been added to case {case.reference} through the reporter's diary link.",
            "It is waiting in the evidence inbox until someone reviews it.",
            where,
        ]
        if x
    )
    email_enqueue(to=[officer.email], subject=f"New diary entry to review: case {case.reference}", body=body)
