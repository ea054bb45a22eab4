"""Every write of information sharing: the landlord's sharing agreements, the case's sharing log,
and cases opened from a partner's intelligence.

emh 6.3: the landlord is "party to a number of information sharing agreements"; each disclosure of
case information to another organisation is recorded with what, to whom, when, how, the agreement
or lawful basis that allows it, and who approved it (emh 6.3-6.4). Information received from a
partner is recorded with its handling restrictions. WWH 4.0 ("police-led activity", partner
intelligence): a specialist or manager may open a restricted case that a partner leads.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from haven.accounts.models import Role, User
from haven.accounts.permissions import is_landlord_staff
from haven.accounts.selectors import landlord_profile
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import Case
from haven.cases.services import case_flags, case_open
from haven.cases.services.core import case_refresh
from haven.common.errors import ApplicationError
from haven.common.stale import ensure_unchanged
from haven.interventions.models.partnership import (
    InformationShare,
    LawfulBasis,
    ShareDirection,
    ShareMethod,
    SharingAgreement,
)
from haven.interventions.services.common import check_length, locked_case, plain
from haven.policies.schema import Flag, PolicyProfile
from haven.register import fields as register_fields
from haven.register.models import Property

TITLE_MAX = 200  # SharingAgreement.title
TEXT_MAX = 5000  # default: not in seed; a log entry describes the information, it is not a copy of it
ORGANISATION_MAX = 200  # InformationShare.organisation
NO_BASIS = "Say which information sharing agreement or lawful basis allows this disclosure."
NO_HANDLING = "Say how it must be handled, or 'No restrictions'."


def _role_names(roles: tuple[str, ...] | list[str]) -> str:
    """The roles in words with their articles: "an ASB specialist or a team manager"."""
    names = []
    for role in roles:
        label = str(Role(role).label)
        first = label.split()[0]
        label = label if first.isupper() else label[0].lower() + label[1:]
        names.append(("an " if label[0].lower() in "aeiou" else "a ") + label)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


# ---- sharing agreements (emh 6.3) -----------------------------------------------------------------


def _agreement_problems(
    *, landlord_id: int, title: str, parties: str, purpose: str, signed_on: date | None, review_on: date | None,
    exclude: int | None = None,
) -> dict[str, str]:  # fmt: skip
    problems: dict[str, str] = {}
    if not title:
        problems["title"] = "Give the agreement's title."
    elif len(title) > TITLE_MAX:
        problems["title"] = f"Write the title in no more than {TITLE_MAX} characters."
    else:
        same = SharingAgreement.objects.filter(landlord_id=landlord_id, title__iexact=title)
        if same.exclude(pk=exclude or 0).exists():
            problems["title"] = "There is already an agreement with this title: give this one another title."
    if not [line for line in parties.splitlines() if line.strip()]:
        problems["parties"] = "List the organisations that are party to it, one a line."
    check_length(problems, "parties", parties, "the parties", TEXT_MAX)
    if not purpose:
        problems["purpose"] = "Say what the agreement is for."
    check_length(problems, "purpose", purpose, "the purpose", TEXT_MAX)
    if signed_on is not None and signed_on > timezone.localdate():
        problems["signed_on"] = "The date it was signed cannot be in the future."
    if review_on is None:
        problems["review_on"] = "Enter the date the agreement is due for review."
    elif signed_on is not None and review_on < signed_on:
        problems["review_on"] = "The review date cannot be before the agreement was signed."
    return problems


def _may_manage_agreements(actor: User) -> None:
    """Team managers keep the landlord's sharing agreements (emh 6.3); every member of staff reads them."""
    if not is_landlord_staff(actor) or actor.role != Role.MANAGER:
        raise ApplicationError(
            "Only a team manager can add or change information sharing agreements.", code="forbidden"
        )


def _clean_parties(parties: str) -> str:
    return "\n".join(line.strip() for line in parties.splitlines() if line.strip())


@transaction.atomic
def sharing_agreement_create(
    *, actor: User, title: str, parties: str, purpose: str, signed_on: date | None, review_on: date | None,
    active: bool = True, via: str = "web",
) -> SharingAgreement:  # fmt: skip
    """Add an information sharing agreement of the actor's landlord (emh 6.3): a title unique to the
    landlord, its parties (one a line), its purpose, when signed (not in the future) and when it is
    due for review (not before it was signed). Team managers only."""
    _may_manage_agreements(actor)
    assert actor.landlord_id is not None
    title, purpose = title.strip(), purpose.strip()
    problems = _agreement_problems(
        landlord_id=actor.landlord_id, title=title, parties=parties, purpose=purpose, signed_on=signed_on,
        review_on=review_on,
    )  # fmt: skip
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    assert review_on is not None
    agreement = SharingAgreement.objects.create(
        landlord_id=actor.landlord_id, title=title, parties=_clean_parties(parties), purpose=purpose,
        signed_on=signed_on, review_on=review_on, active=active, recorded_by=actor,
    )  # fmt: skip
    audit_record(
        actor=actor, verb=Verb.SHARING_AGREEMENT_SAVED, target=agreement, via=via,
        changes={"agreement": [None, agreement.pk], "review_on": [None, review_on.isoformat()],
                 "active": [None, active]},
    )  # fmt: skip
    return agreement


@transaction.atomic
def sharing_agreement_update(
    *, actor: User, agreement: SharingAgreement, title: str, parties: str, purpose: str, signed_on: date | None,
    review_on: date | None, active: bool, version: str | None, via: str = "web",
) -> SharingAgreement:  # fmt: skip
    """Change an agreement of the actor's landlord (emh 6.3: agreements are kept and reviewed), with
    the same rules as adding one. Refused if someone else saved it since ``version`` (common.stale).
    An agreement no longer active cannot be named by new disclosures; those made under it keep it."""
    _may_manage_agreements(actor)
    agreement = SharingAgreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.landlord_id != actor.landlord_id:
        raise ApplicationError("That agreement is not one of your landlord's.", code="forbidden")
    ensure_unchanged(current=agreement.updated_at, seen=version, what="agreement")
    title, purpose = title.strip(), purpose.strip()
    problems = _agreement_problems(
        landlord_id=agreement.landlord_id, title=title, parties=parties, purpose=purpose, signed_on=signed_on,
        review_on=review_on, exclude=agreement.pk,
    )  # fmt: skip
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    assert review_on is not None
    after: dict[str, Any] = {"title": title, "parties": _clean_parties(parties), "purpose": purpose,
                             "signed_on": signed_on, "review_on": review_on, "active": active}  # fmt: skip
    changed = {name: value for name, value in after.items() if getattr(agreement, name) != value}
    if not changed:
        raise ApplicationError("Nothing would change.", fields={"title": "Nothing would change."})
    changes: dict[str, Any] = {"agreement": [agreement.pk, agreement.pk]}
    for name, value in changed.items():
        before = getattr(agreement, name)
        shown = name in ("signed_on", "review_on", "active")
        changes[name] = [plain(before), plain(value)] if shown else [bool(before), bool(value)]
        setattr(agreement, name, value)
    agreement.save(update_fields=[*changed, "updated_at"])
    audit_record(actor=actor, verb=Verb.SHARING_AGREEMENT_SAVED, target=agreement, via=via, changes=changes)
    return agreement


# ---- the information sharing log (emh 6.3-6.4) ----------------------------------------------------


def _organisation(
    profile: PolicyProfile, partner: str, organisation: str, problems: dict[str, str], *, agency_only: bool = False
) -> tuple[str, str]:
    """The partner code (blank for a named organisation) and the organisation's name."""
    partner, organisation = partner.strip(), organisation.strip()
    if partner:
        found = profile.partner(partner)
        if found is None or (agency_only and found.kind != "agency"):
            codes = ", ".join(p.code for p in profile.partners if not agency_only or p.kind == "agency")
            problems["partner"] = (
                f"{partner} is not a partner agency of this landlord's policy; choose one of: {codes}."
            )
            return partner, organisation
        return partner, organisation or found.label
    if not organisation:
        problems["organisation"] = "Choose the partner, or type the organisation's name."
    elif len(organisation) > ORGANISATION_MAX:
        problems["organisation"] = f"Write the organisation's name in no more than {ORGANISATION_MAX} characters."
    return "", organisation


def _approver_problem(case: Case, profile: PolicyProfile, approver: User | None) -> str:
    """emh 6.4: a disclosure is approved by a member of staff whose role the profile names in
    ``partnership.disclosure_approvers``."""
    roles = profile.partnership.disclosure_approvers
    if approver is None:
        return f"Say who approved this disclosure: {_role_names(roles)}."
    if approver.landlord_id != case.landlord_id or not approver.is_active or approver.role not in roles:
        return f"{approver.display_name} cannot approve a disclosure: it needs {_role_names(roles)}."
    return ""


@transaction.atomic
def information_share_record(
    *, actor: User, case: Case, direction: str, partner: str = "", organisation: str = "", what: str,
    shared_on: date | None, method: str, agreement: SharingAgreement | None = None, lawful_basis: str = "",
    basis_detail: str = "", approved_by: User | None = None, handling: str = "", via: str = "web",
) -> InformationShare:  # fmt: skip
    """Record one entry of the case's information sharing log (emh 6.3-6.4).

    Both directions: what (the information, not a copy), the organisation (a partner code of the
    profile or a name), when (not in the future), how (ShareMethod). A disclosure also needs the
    agreement (an active one of this landlord) or a lawful basis with why it applies, and who
    approved it (a role in the profile's ``partnership.disclosure_approvers``); a disclosure of
    case information cannot be dated before the case opened. Information received needs its
    handling restrictions ("No restrictions" if none)."""
    case = locked_case(actor, case, code="forbidden")
    profile = landlord_profile(case.landlord)
    what, basis_detail, handling = what.strip(), basis_detail.strip(), handling.strip()
    problems: dict[str, str] = {}
    if direction not in ShareDirection.values:
        problems["direction"] = "Say whether the information was disclosed to a partner or received from one."
    partner, organisation = _organisation(profile, partner, organisation, problems)
    if not what:
        problems["what"] = "Say what information was shared."
    check_length(problems, "what", what, "what was shared", TEXT_MAX)
    if shared_on is None:
        problems["shared_on"] = "Enter the date it was shared."
    elif shared_on > timezone.localdate():
        problems["shared_on"] = "The date it was shared cannot be in the future."
    elif direction == ShareDirection.DISCLOSED and shared_on < timezone.localtime(case.opened_at).date():
        problems["shared_on"] = "A disclosure of this case's information cannot be before the case opened."
    if method not in ShareMethod.values:
        problems["method"] = "Choose how it was shared."
    if agreement is not None and (agreement.landlord_id != case.landlord_id or not agreement.active):
        problems["agreement"] = "Choose an active information sharing agreement of this landlord."
    if lawful_basis and lawful_basis not in LawfulBasis.values:
        problems["lawful_basis"] = "Choose a lawful basis from the list."
    if direction == ShareDirection.DISCLOSED:
        if lawful_basis == LawfulBasis.AGREEMENT and agreement is None:
            problems.setdefault("agreement", "Choose the information sharing agreement this disclosure was made under.")
        elif agreement is None and not lawful_basis:
            problems.setdefault("lawful_basis", NO_BASIS)
        elif lawful_basis and lawful_basis != LawfulBasis.AGREEMENT and not basis_detail:
            problems["basis_detail"] = "Say why this lawful basis allows the disclosure."
        approver = _approver_problem(case, profile, approved_by)
        if approver:
            problems["approved_by"] = approver
    elif direction == ShareDirection.RECEIVED and not handling:
        problems["handling"] = NO_HANDLING
    check_length(problems, "basis_detail", basis_detail, "why the lawful basis applies", TEXT_MAX)
    check_length(problems, "handling", handling, "the handling restrictions", TEXT_MAX)
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    assert shared_on is not None
    disclosed = direction == ShareDirection.DISCLOSED
    if disclosed and agreement is not None and not lawful_basis:
        lawful_basis = LawfulBasis.AGREEMENT
    share = InformationShare.objects.create(
        case=case, direction=direction, partner=partner, organisation=organisation, what=what, shared_on=shared_on,
        method=method, agreement=agreement, lawful_basis=lawful_basis, basis_detail=basis_detail,
        approved_by=approved_by if disclosed else None, handling=handling, recorded_by=actor,
    )  # fmt: skip
    case_refresh(case, activity_at=timezone.now())
    audit_record(
        actor=actor, verb=Verb.INFORMATION_SHARED, target=case, via=via,
        changes={"share": [None, share.pk], "direction": [None, direction], "partner": [None, partner or None],
                 "shared_on": [None, shared_on.isoformat()], "agreement": [None, share.agreement_id],
                 "lawful_basis": [None, lawful_basis or None], "approved_by": [None, share.approved_by_id]},
    )  # fmt: skip
    return share


# ---- cases opened from partner intelligence (WWH 4.0) ---------------------------------------------


@transaction.atomic
def case_open_from_intelligence(
    *, actor: User, partner: str, received_at: datetime | None, summary: str, category: str, tier: str,
    property_reference: str = "", location: str = "", postcode: str = "", method: str = ShareMethod.SECURE_EMAIL,
    handling: str, via: str = "web",
) -> Case:  # fmt: skip
    """Open a police-led (or other partner-led) case from intelligence a partner gave (WWH 4.0:
    police-led activity; partner intelligence). Only the roles of the profile's
    ``casework.restricted_roles`` may; the case is opened by ``case_open`` with the ``restricted``
    flag (only its officer and those roles see it), ``lead_agency`` is the partner (an agency of the
    profile), and the intelligence is the first entry of its sharing log, received with its
    handling restrictions (emh 6.3-6.4), all in one transaction."""
    landlord = actor.landlord
    if not is_landlord_staff(actor) or landlord is None:
        raise ApplicationError("Only staff can open cases.", code="forbidden")
    profile = landlord_profile(landlord)
    roles = profile.casework.restricted_roles
    if actor.role not in roles:
        raise ApplicationError(
            f"Only {_role_names(roles)} can open a case from partner intelligence.", code="forbidden"
        )
    summary, handling = summary.strip(), handling.strip()
    problems: dict[str, str] = {}
    if not partner.strip():
        problems["partner"] = "Choose the partner agency that gave the intelligence."
    code, organisation = _organisation(profile, partner, "", problems, agency_only=True)
    now = timezone.now()
    if received_at is None:
        problems["received_at"] = "Enter when the intelligence was received."
    elif received_at > now + timedelta(minutes=5):
        problems["received_at"] = "When it was received cannot be in the future."
    if not summary:
        problems["summary"] = "Summarise the intelligence."
    check_length(problems, "summary", summary, "the summary", TEXT_MAX)
    if category not in {c.code for c in profile.categories}:
        problems["category"] = "Choose the category of ASB."
    if tier not in {t.id for t in profile.triage.tiers}:
        problems["tier"] = "Choose the tier."
    prop: Property | None = None
    clean_postcode = ""
    if property_reference.strip():
        prop = Property.objects.filter(landlord=landlord, reference=property_reference.strip()).first()
        if prop is None:
            problems["property_reference"] = f"There is no property {property_reference.strip()} in the register."
    elif not location.strip():
        problems["location"] = "Give a property reference from the register, or the location and its postcode."
    elif not postcode.strip():
        problems["postcode"] = "Enter the postcode of the location."
    if postcode.strip():
        try:
            clean_postcode = register_fields.postcode_clean(postcode)
        except ValueError:
            problems["postcode"] = "Enter a real postcode, like LE67 4JP."
    check_length(problems, "location", location.strip(), "the location", 300)
    if method not in ShareMethod.values:
        problems["method"] = "Choose how the intelligence was received."
    if not handling:
        problems["handling"] = NO_HANDLING
    check_length(problems, "handling", handling, "the handling restrictions", TEXT_MAX)
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    assert received_at is not None
    case = case_open(
        actor=actor, landlord=landlord, category=category, tier=tier,
        flags=case_flags(profile=profile, category_code=category, extra={Flag.RESTRICTED.value}),
        received_at=received_at, property=prop, location=location.strip(), postcode=clean_postcode,
        reporter=None, via=via,
    )  # fmt: skip
    Case.objects.filter(pk=case.pk).update(lead_agency=code)
    case.lead_agency = code
    share = InformationShare.objects.create(
        case=case, direction=ShareDirection.RECEIVED, partner=code, organisation=organisation, what=summary,
        shared_on=timezone.localtime(received_at).date(), method=method, handling=handling, recorded_by=actor,
    )  # fmt: skip
    case_refresh(case, activity_at=now)
    audit_record(
        actor=actor, verb=Verb.INFORMATION_SHARED, target=case, via=via,
        changes={"share": [None, share.pk], "direction": [None, ShareDirection.RECEIVED.value],
                 "partner": [None, code], "shared_on": [None, share.shared_on.isoformat()],
                 "lead_agency": [None, code]},
    )  # fmt: skip
    return case
