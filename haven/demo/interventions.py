"""The demo's interventions and partnership (issue 6), on each landlord's worked case: a letter or
advice from the enforcement track, an agreement with its terms and review date, a referral for
support, a Part 1 injunction considered and assessed for proportionality (emh 4.9) and now waiting
for a manager's approval, the landlord's information sharing agreement with a disclosure made
under it, and a support tool on the other track. Everything goes through the real services, so the
demo shows what the rules make of it.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from haven.accounts.models import User
from haven.cases.models import Case, Party, PartyRole
from haven.interventions.services.legal import legal_action_start, proportionality_assess
from haven.interventions.services.partnership import referral_make
from haven.interventions.services.sharing import information_share_record, sharing_agreement_create
from haven.interventions.services.toolkit import intervention_record
from haven.policies.schema import PolicyProfile

TERMS = (
    "I will not play loud music or make loud noise between 11pm and 7am.",
    "I will not shout at, threaten or intimidate my neighbours or their visitors.",
    "I will make sure my visitors keep to these terms too.",
)


def interventions_generate(*, cases: list[Case], users: dict[str, User], profile: PolicyProfile) -> None:
    """Fill the interventions of the demo's worked case (``cases[1]``, after its workspace)."""
    if len(cases) < 2:
        return
    case = Case.objects.get(pk=cases[1].pk)
    worker, manager = case.officer or users["officer"], users["manager"]
    reported = Party.objects.filter(case=case, role=PartyRole.REPORTED).first()
    if reported is None:
        return
    today = timezone.localdate()
    tools = profile.interventions
    letter = next((t for t in tools.informal if t.track == "enforcement" and not t.agreement), None)
    if letter is not None:
        intervention_record(actor=worker, case=case, code=letter.code, started_on=today, party=reported,
                            details="Explained what was reported and what will happen if it goes on.",
                            via="command")  # fmt: skip
    agreement = next((t for t in tools.informal if t.agreement), None)
    if agreement is not None:
        intervention_record(
            actor=worker, case=case, code=agreement.code, started_on=today, party=reported, terms=TERMS,
            signatories=f"{reported.display_name}\n{worker.display_name} for {profile.landlord.short_name}",
            review_on=today + timedelta(days=28), ends_on=today + timedelta(days=183), via="command",
        )  # fmt: skip
    helping = next((t for t in tools.informal if t.track == "support"), None)
    if helping is not None:
        intervention_record(actor=worker, case=case, code=helping.code, started_on=today, party=reported,
                            details="Offered a referral for support with health and the tenancy.",
                            via="command")  # fmt: skip
    support = next((p for p in profile.partners if p.kind == "agency" and p.code != "police"), profile.partners[0])
    referral_make(actor=worker, case=case, partner=support.code, party=reported, made_on=today,
                  reason="Support with the tenancy and health, alongside the agreement.", consent="given",
                  via="command")  # fmt: skip
    injunction = tools.tool("part1_injunction")
    if injunction is not None:
        action = legal_action_start(actor=worker, case=case, code=injunction.code, party=reported, started_on=today,
                                    reason="Kept in view in case the agreement is broken.", via="command")  # fmt: skip
        proportionality_assess(
            actor=worker, legal_action=action,
            legitimate_aim="To protect the neighbours' peace and safety in their homes.",
            less_intrusive_tried=f"A warning and {agreement.label if agreement else 'advice'} first.",
            less_intrusive_why_not="", support_needs="A support need is recorded; a referral has been made.",
            protected_characteristics="None known.",
            equality_consideration="No protected characteristic is known; to be looked at again if one is found.",
            household_effect="Lives alone; no children in the household.",
            conclusion="Proportionate if the agreement is broken.", proportionate=True, assessed_on=today,
            via="command",
        )  # fmt: skip
    police = next((p for p in profile.partners if p.code == "police"), None)
    if police is not None:
        protocol = sharing_agreement_create(
            actor=manager, title=f"{profile.landlord.short_name} and {police.label} information sharing protocol",
            parties=f"{profile.landlord.name}\n{police.label}",
            purpose="Sharing information needed to prevent and detect crime and anti-social behaviour.",
            signed_on=today - timedelta(days=200), review_on=today + timedelta(days=165), via="command",
        )  # fmt: skip
        information_share_record(
            actor=worker, case=case, direction="disclosed", partner=police.code, what="Dates and times of the noise.",
            shared_on=today, method="secure_email", agreement=protocol, approved_by=manager, via="command",
        )  # fmt: skip
