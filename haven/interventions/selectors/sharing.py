"""Every read of information sharing: the landlord's sharing agreements (emh 6.3), the case's
sharing log with the referrals made on it (emh 6.3-6.4), and who may approve a disclosure.

An agreement whose review date has passed is overdue for review (emh 6.3: agreements are kept
current). The log lists disclosures and information received, newest first; a referral to a
partner (``Referral``) is itself a disclosure, so it shows in the log too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from haven.accounts.models import User
from haven.accounts.permissions import is_landlord_staff
from haven.cases.models import Case
from haven.interventions.models.partnership import (
    Consent,
    InformationShare,
    LawfulBasis,
    Referral,
    ShareDirection,
    SharingAgreement,
)
from haven.policies.schema import PolicyProfile


def review_overdue(agreement: SharingAgreement, today: date) -> bool:
    """Its review date has passed (emh 6.3): the agreement shows a red "Review overdue" tag."""
    return agreement.review_on < today


def sharing_agreements(*, user: User) -> QuerySet[SharingAgreement]:
    """The agreements of the user's landlord, every member of staff may read them (emh 6.3): active
    first, then by the soonest review."""
    if not is_landlord_staff(user):
        return SharingAgreement.objects.none()
    return (
        SharingAgreement.objects.filter(landlord_id=user.landlord_id or 0)
        .select_related("recorded_by")
        .order_by("-active", "review_on", "title")
    )


def sharing_agreement_of(*, user: User, agreement_id: int) -> SharingAgreement | None:
    """One agreement of the user's landlord (None for another landlord's)."""
    return sharing_agreements(user=user).filter(pk=agreement_id).first()


def active_agreements(*, landlord_id: int) -> list[SharingAgreement]:
    """The agreements a new disclosure may name: this landlord's active ones, by title."""
    return list(SharingAgreement.objects.filter(landlord_id=landlord_id, active=True).order_by("title"))


def disclosure_approvers(*, landlord_id: int, profile: PolicyProfile) -> list[User]:
    """The active staff whose role may approve a disclosure (``partnership.disclosure_approvers``, emh 6.4)."""
    roles = sorted(profile.partnership.disclosure_approvers)
    return list(
        User.objects.filter(landlord_id=landlord_id, is_active=True, role__in=roles).order_by(
            "first_name", "last_name", "username"
        )
    )


def approver_by_username(*, landlord_id: int, username: str) -> User | None:
    """A member of staff of the landlord by user name (the API names the approver that way)."""
    return User.objects.filter(landlord_id=landlord_id, username=username).first()


def partner_label(profile: PolicyProfile, code: str) -> str:
    found = profile.partner(code) if code else None
    return found.label if found is not None else code


@dataclass(frozen=True)
class LogRow:
    """One entry of the sharing log, ready to show: a share, or a referral shown as a disclosure."""

    on: date
    direction: str
    organisation: str
    what: str
    method: str
    basis: str
    approved_by: str
    recorded_by: str
    handling: str
    share: InformationShare | None = None
    referral: Referral | None = None

    @property
    def disclosed(self) -> bool:
        return self.direction == ShareDirection.DISCLOSED

    @property
    def direction_label(self) -> str:
        return "To" if self.disclosed else "From"


def _share_row(share: InformationShare) -> LogRow:
    if share.agreement is not None:
        basis = f"Information sharing agreement: {share.agreement.title}"
        if share.lawful_basis and share.lawful_basis != LawfulBasis.AGREEMENT:
            basis += f"; {share.get_lawful_basis_display()}"
    else:
        basis = share.get_lawful_basis_display() if share.lawful_basis else ""
    if share.basis_detail:
        basis = f"{basis}: {share.basis_detail}" if basis else share.basis_detail
    return LogRow(
        on=share.shared_on, direction=share.direction, organisation=share.organisation, what=share.what,
        method=share.get_method_display(), basis=basis,
        approved_by=share.approved_by.display_name if share.approved_by is not None else "",
        recorded_by=share.recorded_by.display_name, handling=share.handling, share=share,
    )  # fmt: skip


def _referral_row(referral: Referral, profile: PolicyProfile) -> LogRow:
    if referral.consent == Consent.GIVEN:
        basis = "Consent given"
    else:
        basis = referral.get_lawful_basis_display() if referral.lawful_basis else referral.get_consent_display()
        if referral.basis_detail:
            basis = f"{basis}: {referral.basis_detail}"
    return LogRow(
        on=referral.made_on, direction=ShareDirection.DISCLOSED,
        organisation=partner_label(profile, referral.partner), what=referral.reason,
        method="Referral", basis=basis, approved_by="", recorded_by=referral.made_by.display_name, handling="",
        referral=referral,
    )  # fmt: skip


def case_sharing_log(*, case: Case, profile: PolicyProfile) -> list[LogRow]:
    """The case's information sharing log, newest first: its shares and its referrals (a referral
    discloses case information to a partner, emh 6.3-6.4). Two queries whatever the size."""
    shares = InformationShare.objects.filter(case=case).select_related("agreement", "approved_by", "recorded_by")
    referrals = Referral.objects.filter(case=case).select_related("made_by")
    rows = [_share_row(s) for s in shares] + [_referral_row(r, profile) for r in referrals]
    return sorted(rows, key=lambda r: (r.on, r.share.created_at if r.share else r.referral.created_at), reverse=True)  # type: ignore[union-attr]


def case_shares(*, case: Case) -> QuerySet[InformationShare]:
    """The case's shares for the API, newest first."""
    return (
        InformationShare.objects.filter(case=case)
        .select_related("agreement", "approved_by", "recorded_by")
        .order_by("-shared_on", "-pk")
    )
