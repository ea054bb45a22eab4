"""The people in a case: adding, updating and taking them off, and findings (whg 4.1).

Roles are neutral (reporter, reported person, witness, household member, agency contact) until a
finding on the balance of probabilities is recorded, with its date and the evidence it rests on
(whg 4.1: "will not label anyone ... as a 'victim' or 'perpetrator' of ASB unless evidence proves
(on the balance of probabilities) this to be the case"). Witness willingness is kept per party
(emh 4.6: witness support, giving evidence). ``changes`` in the audit trail hold field names, ids,
codes and dates only, never what a person said or their details.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.permissions import can_record_finding, can_work_case
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import Case, Finding, Party, PartyRole
from haven.cases.services.core import case_refresh, party_add
from haven.common.errors import ApplicationError
from haven.common.stale import ensure_unchanged
from haven.register.models import ContactMethod, Person, Tenancy

TEXT_LIMIT = 2000  # default: not in seed; notes and needs longer than this belong in a note or file


class _Keep(Enum):
    KEEP = "keep"


KEEP = _Keep.KEEP  # "leave as it is" for the witness answers, where None means "not asked yet"


def _locked(case_id: int, actor: User) -> Case:
    case = Case.objects.select_for_update().get(pk=case_id)
    if not can_work_case(actor, case):
        raise ApplicationError("You cannot change the people in this case.")
    return case


def _contact_problems(
    *, name: str, phone: str, email: str, address: str, preferred_contact: str, communication_needs: str, notes: str
) -> dict[str, str]:
    problems: dict[str, str] = {}
    if len(name) > 200:
        problems["name"] = "Write the name in no more than 200 characters."
    if len(phone) > 30:
        problems["phone"] = "Write the phone number in no more than 30 characters."
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems["email"] = "Enter an e-mail address like name@example.org."
    if len(address) > 300:
        problems["address"] = "Write the address in no more than 300 characters."
    if preferred_contact and preferred_contact not in ContactMethod.values:
        problems["preferred_contact"] = f"Choose how they prefer to be contacted: {', '.join(ContactMethod.values)}."
    if len(communication_needs) > TEXT_LIMIT:
        problems["communication_needs"] = "Write the communication needs in no more than 2,000 characters."
    if len(notes) > TEXT_LIMIT:
        problems["notes"] = "Write the description in no more than 2,000 characters."
    return problems


@transaction.atomic
def case_party_add(
    *,
    actor: User,
    case: Case,
    role: str,
    person: Person | None = None,
    tenancy: Tenancy | None = None,
    name: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
    preferred_contact: str = "",
    communication_needs: str = "",
    notes: str = "",
    via: str = "web",
) -> Party:
    """Add a person to an open case with a neutral role (whg 4.1). A register person or tenancy
    must be the case's landlord's; someone not in the register needs a name or a description
    (``notes``: "the man from the upstairs flat")."""
    case = _locked(case.pk, actor)
    name, phone, email, address = name.strip(), phone.strip(), email.strip(), address.strip()
    communication_needs, notes = communication_needs.strip(), notes.strip()
    problems = _contact_problems(
        name=name, phone=phone, email=email, address=address, preferred_contact=preferred_contact,
        communication_needs=communication_needs, notes=notes,
    )  # fmt: skip
    if role not in PartyRole.values:
        problems["role"] = f"Choose the person's role: {', '.join(PartyRole.values)}."
    if person is None and not name and not notes:
        problems["name"] = "Give the person's name, find them in the register, or describe them."
    if (
        person is not None
        and Party.objects.filter(case=case, person=person, role=role, removed_at__isnull=True).exists()
    ):
        problems["person"] = "That person is already in this case with that role."
    if tenancy is not None and tenancy.landlord_id != case.landlord_id:
        problems["tenancy"] = "That tenancy is not in this landlord's register."
    if not case.is_open:
        problems.setdefault("role", "This case is closed: people cannot be added to it.")
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    try:  # the register check of case opening (services.core.party_add), kept in one place
        party = party_add(
            case=case, role=role, person=person, name=name, phone=phone, email=email,
            preferred_contact=preferred_contact, communication_needs=communication_needs,
        )  # fmt: skip
    except ApplicationError as refused:
        raise ApplicationError(refused.message, fields={"person": refused.message}) from None
    if tenancy is not None or address or notes:
        party.tenancy, party.address, party.notes = tenancy, address, notes
        party.save(update_fields=["tenancy", "address", "notes", "updated_at"])
    case_refresh(case, activity_at=timezone.now())
    audit_record(
        actor=actor, verb=Verb.PARTY_ADDED, target=case, via=via,
        changes={"party": [None, party.pk], "role": [None, role], "person": [None, person.pk if person else None]},
    )  # fmt: skip
    return party


@transaction.atomic
def case_party_update(
    *,
    actor: User,
    party: Party,
    version: str | None,
    role: str | None = None,
    name: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    address: str | None = None,
    preferred_contact: str | None = None,
    communication_needs: str | None = None,
    notes: str | None = None,
    witness_statement: bool | _Keep | None = KEEP,
    witness_court: bool | _Keep | None = KEEP,
    witness_support_needs: str | None = None,
    witness_support_given: str | None = None,
    may_be_named: bool | None = None,
    via: str = "web",
) -> Party:
    """Change a person's role, details or witness willingness (emh 4.6: whether they will give a
    statement, and attend court), and a witness's support needs and the support given (emh 4.6:
    witnesses are supported through giving evidence). A field left None is kept. ``version`` is the party's
    ``updated_at`` the change was based on: a save over someone else's is refused (common.stale).
    The reporter stays the reporter; an anonymous reporter's contact details stay blank."""
    case = _locked(party.case_id, actor)
    party = Party.objects.select_for_update().get(pk=party.pk)
    ensure_unchanged(current=party.updated_at, seen=version, what="person's details")
    wanted: dict[str, Any] = {
        k: v.strip()
        for k, v in {
            "name": name, "phone": phone, "email": email, "address": address, "preferred_contact": preferred_contact,
            "communication_needs": communication_needs, "notes": notes,
        }.items()
        if v is not None
    }  # fmt: skip
    merged = {k: wanted.get(k, getattr(party, k)) for k in _TEXT_FIELDS}
    problems = _contact_problems(**merged)
    if role is not None and role not in PartyRole.values:
        problems["role"] = f"Choose the person's role: {', '.join(PartyRole.values)}."
    elif role is not None and role != party.role and PartyRole.REPORTER in (role, party.role):
        problems["role"] = "The reporter's role cannot be changed; add the person again with the other role."
    if party.anonymous and any(wanted.get(k) for k in ("name", "phone", "email", "address", "preferred_contact")):
        problems["name"] = "This reporter asked to stay anonymous: their name and contact details are not kept."
    if party.person_id is None and not merged["name"] and not merged["notes"] and not party.anonymous:
        problems["name"] = "Give the person's name or describe them."
    support = {k: v.strip() for k, v in (("witness_support_needs", witness_support_needs),
               ("witness_support_given", witness_support_given)) if v is not None}  # fmt: skip
    for k, v in support.items():
        if len(v) > WITNESS_SUPPORT_MAX:
            what = "support needs" if k == "witness_support_needs" else "support given"
            problems[k] = f"Write the {what} in no more than {WITNESS_SUPPORT_MAX:,} characters."
    if party.removed_at is not None:
        problems.setdefault("role", "This person was taken off the case.")
    if not case.is_open:
        problems.setdefault("role", "This case is closed.")
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    wanted.update(support)
    if role is not None:
        wanted["role"] = role
    if witness_statement is not KEEP:
        wanted["witness_statement"] = witness_statement
    if witness_court is not KEEP:
        wanted["witness_court"] = witness_court
    if may_be_named is not None and party.role == PartyRole.REPORTER:  # emh 6.6-6.7: the reporter's consent
        wanted["may_be_named"] = may_be_named
    changed = {k: v for k, v in wanted.items() if getattr(party, k) != v}
    if not changed:
        return party
    audit_changes = {
        k: (
            [getattr(party, k), v]
            if k in ("role", "witness_statement", "witness_court", "may_be_named")
            else ["changed"]
        )
        for k, v in changed.items()
    }  # personal details are named, never copied into the audit trail
    for k, v in changed.items():
        setattr(party, k, v)
    party.save(update_fields=[*changed, "updated_at"])
    case_refresh(case, activity_at=timezone.now())
    audit_record(
        actor=actor, verb=Verb.PARTY_UPDATED, target=case, via=via,
        changes={"party": [party.pk, party.pk], **audit_changes},
    )  # fmt: skip
    return party


WITNESS_SUPPORT_MAX = 2000  # default: not in seed; as a party's notes
_TEXT_FIELDS = ("name", "phone", "email", "address", "preferred_contact", "communication_needs", "notes")


@transaction.atomic
def case_party_remove(*, actor: User, party: Party, reason: str, version: str | None = None, via: str = "web") -> Party:
    """Take a person off a case, with the reason; the party is kept for the record (``removed_at``)
    and so are their contacts. The reporter cannot be taken off: the case is theirs (whg 2.5)."""
    case = _locked(party.case_id, actor)
    party = Party.objects.select_for_update().get(pk=party.pk)
    ensure_unchanged(current=party.updated_at, seen=version, what="person's details")
    problems: dict[str, str] = {}
    if party.role == PartyRole.REPORTER:
        problems["reason"] = "The reporter cannot be taken off the case."
    elif party.removed_at is not None:
        problems["reason"] = "This person was already taken off the case."
    elif not reason.strip():
        problems["reason"] = "Say why the person is being taken off the case."
    elif len(reason) > TEXT_LIMIT:
        problems["reason"] = "Write the reason in no more than 2,000 characters."
    if not case.is_open:
        problems.setdefault("reason", "This case is closed.")
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    now = timezone.now()
    # The model has no field for the reason: it is kept with the party's notes, dated.
    line = f"Taken off the case on {timezone.localdate(now):%d/%m/%Y}: {reason.strip()}"
    party.notes = f"{party.notes}\n{line}".strip() if party.notes else line
    party.removed_at = now
    party.save(update_fields=["removed_at", "notes", "updated_at"])
    case_refresh(case, activity_at=now)
    audit_record(
        actor=actor, verb=Verb.PARTY_REMOVED, target=case, via=via,
        changes={"party": [party.pk, party.pk], "removed_at": [None, now.isoformat()]},
    )  # fmt: skip
    return party


@transaction.atomic
def party_finding_record(
    *,
    actor: User,
    party: Party,
    finding: str,
    finding_on: date | None,
    evidence: str,
    version: str | None = None,
    via: str = "web",
) -> Party:
    """Record a finding on the balance of probabilities that a party is a victim or a perpetrator
    (whg 4.1), with the date it was made and the evidence it rests on; until then Haven uses the
    neutral role. Only the case's officer, an ASB specialist or a team manager may. A finding of
    "no finding" withdraws an earlier one: the date is when, the evidence says why."""
    case = Case.objects.select_for_update().get(pk=party.case_id)
    if not can_record_finding(actor, case):
        raise ApplicationError("Only the case's officer, an ASB specialist or a team manager can record a finding.")
    party = Party.objects.select_for_update().get(pk=party.pk)
    ensure_unchanged(current=party.updated_at, seen=version, what="person's details")
    problems: dict[str, str] = {}
    if finding not in Finding.values:
        problems["finding"] = "Choose the finding: victim, perpetrator, or no finding."
    elif finding == party.finding == Finding.NONE:
        problems["finding"] = "There is no finding to withdraw."
    elif party.role == PartyRole.AGENCY and finding != Finding.NONE:
        problems["finding"] = "An agency contact cannot be found a victim or a perpetrator."
    if finding_on is None:
        problems["finding_on"] = "Enter the date the finding was made."
    elif finding_on > timezone.localdate():
        problems["finding_on"] = "The finding cannot be dated in the future."
    elif finding_on < timezone.localdate(case.opened_at):
        problems["finding_on"] = "The finding cannot be dated before the case's first report was received."
    if not evidence.strip():
        problems["evidence"] = (
            "Say what the finding rests on: the evidence that proves it on the balance of probabilities."
            if finding != Finding.NONE
            else "Say why the finding is withdrawn."
        )
    elif len(evidence) > 5000:
        problems["evidence"] = "Write the evidence in no more than 5,000 characters."
    if party.removed_at is not None:
        problems.setdefault("finding", "This person was taken off the case.")
    if not case.is_open:
        problems.setdefault("finding", "This case is closed.")
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    assert finding_on is not None
    before, before_on = party.finding, party.finding_on
    party.finding, party.finding_on, party.finding_evidence = finding, finding_on, evidence.strip()
    party.finding_by = actor
    party.save(update_fields=["finding", "finding_on", "finding_evidence", "finding_by", "updated_at"])
    case_refresh(case, activity_at=timezone.now())
    audit_record(
        actor=actor, verb=Verb.FINDING_RECORDED, target=case, via=via,
        changes={"party": [party.pk, party.pk], "finding": [before, finding],
                 "finding_on": [before_on.isoformat() if before_on else None, finding_on.isoformat()]},
    )  # fmt: skip
    return party
