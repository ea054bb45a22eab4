"""Permission predicates, shared by pages and the API (ARCHITECTURE.md 5: deny by default).

Each predicate takes the user (and the object's landlord where it matters) and answers one
question. Pages and API permission classes call these; nothing else decides access.
"""

from __future__ import annotations

from typing import Any

from haven.accounts.models import Role, User
from haven.accounts.selectors import landlord_profile

WRITE_ROLES = frozenset({Role.ADVISER, Role.OFFICER, Role.SPECIALIST, Role.MANAGER, Role.ADMIN})
CASEWORK_ROLES = frozenset({Role.OFFICER, Role.SPECIALIST, Role.MANAGER})
LANDLORD_WIDE_ROLES = frozenset({Role.MANAGER, Role.SPECIALIST, Role.AUDITOR, Role.ADMIN})


def is_landlord_staff(user: Any) -> bool:
    """A signed-in, active member of staff of one landlord, with a role."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and getattr(user, "landlord_id", None)
        and getattr(user, "role", "")
    )


def can_write(user: User) -> bool:
    """Auditors read; every other role may record things within its landlord."""
    return is_landlord_staff(user) and user.role in WRITE_ROLES


def sees_whole_landlord(user: User) -> bool:
    """Managers, specialists, auditors and administrators see all of their landlord's records."""
    return is_landlord_staff(user) and user.role in LANDLORD_WIDE_ROLES


def can_view_register(user: User) -> bool:
    """Every member of staff may find a person or property: advisers need it to take a report."""
    return is_landlord_staff(user)


def can_view_special_category(user: User) -> bool:
    """Vulnerabilities and equality data (UK GDPR Art. 9): the caseworkers who act on them only.

    Advisers see that a person has vulnerabilities recorded, not what they are; auditors and
    administrators see neither. Every view is audited (haven.register.selectors).
    """
    return is_landlord_staff(user) and user.role in CASEWORK_ROLES


def can_import_register(user: User) -> bool:
    return is_landlord_staff(user) and user.role == Role.ADMIN


def can_administer(user: User) -> bool:
    return is_landlord_staff(user) and user.role == Role.ADMIN


def can_issue_api_token(user: User) -> bool:
    """Tokens act with their user's role; an auditor's token is read-only like its user."""
    return is_landlord_staff(user)


def same_landlord(user: User, landlord_id: int | None) -> bool:
    return is_landlord_staff(user) and landlord_id is not None and user.landlord_id == landlord_id


# ---- reports and cases ----------------------------------------------------------------------------

INTAKE_ROLES = frozenset({Role.ADVISER, Role.OFFICER, Role.SPECIALIST, Role.MANAGER})
CASE_WIDE_ROLES = frozenset({Role.SPECIALIST, Role.MANAGER, Role.AUDITOR})


def can_take_report(user: User) -> bool:
    """Advisers and caseworkers record reports from every channel and triage them."""
    return is_landlord_staff(user) and user.role in INTAKE_ROLES


def can_triage(user: User) -> bool:
    return can_take_report(user)


def can_view_case(user: User, case: Any) -> bool:
    """Specialists, managers and auditors see every case of their landlord; officers their own and
    their team's; advisers (who answer reporters' calls) the unrestricted ones. A restricted case
    (domestic abuse, safeguarding, staff targeted) only its officer and the roles the profile names in
    ``casework.restricted_roles`` (specialists and managers in every bundled profile)."""
    if not same_landlord(user, case.landlord_id):
        return False
    if case.restricted:
        return case.officer_id == user.pk or sees_restricted(user)
    if user.role in CASE_WIDE_ROLES:
        return True
    if user.role == Role.OFFICER:
        return case.officer_id == user.pk or (user.team_id is not None and case.team_id == user.team_id)
    return user.role == Role.ADVISER


def sees_restricted(user: User) -> bool:
    """Whether the user's role sees every restricted case of the landlord (domestic abuse,
    safeguarding, staff targeted): the profile's ``casework.restricted_roles`` (specialists and
    managers in every bundled profile). Other staff see only the restricted cases they own."""
    if user.role not in (Role.SPECIALIST, Role.MANAGER) or user.landlord is None:
        return False
    return user.role in landlord_profile(user.landlord).casework.restricted_roles


def can_work_case(user: User, case: Any) -> bool:
    """Record on a case: its officer, its team's caseworkers, specialists and managers."""
    if not can_view_case(user, case) or user.role not in CASEWORK_ROLES:
        return False
    return user.role != Role.OFFICER or case.officer_id == user.pk or case.team_id == user.team_id


def can_view_sensitive(user: User, case: Any) -> bool:
    """Sensitive notes and files are in the secure area (WWH 3.0: a 'Secure' area for sensitive
    documentation): only the case's own officer, ASB specialists and team managers read them."""
    if not can_view_case(user, case):
        return False
    return case.officer_id == user.pk or user.role in {Role.SPECIALIST, Role.MANAGER}


def can_record_finding(user: User, case: Any) -> bool:
    """A finding that a party is a victim or a perpetrator (whg 4.1: only when the evidence proves
    it on the balance of probabilities) is made by the case's officer, a specialist or a manager."""
    if not can_work_case(user, case):
        return False
    return case.officer_id == user.pk or user.role in {Role.SPECIALIST, Role.MANAGER}
