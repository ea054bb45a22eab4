"""Every write to a case's interventions: recording a tool of the toolkit and moving it on (an
agreement's breaches and reviews are ``services.toolkit_agreements``).

The toolkit is the landlord's profile (whg 2.11 and pnp 1.3: "the full range of tools and
powers"; emh 5.4): an informal tool or a partner agency's power (emh 5.6: "recorded as supported
by the landlord"); legal action has its own stages (``services.legal``). An agreement (ABC, GNA,
Parenting Contract; the tool has ``agreement: true``) holds its numbered terms, its signatories and
a review or end date; its breaches and reviews are recorded against it, and a review falling due
counts in the case's next due moment (``selectors.toolkit.agreement_review_due``).

Twin track (emh 4.10): nothing here looks at the other track. A support intervention is recorded
whatever enforcement is in place, and the reverse; neither waits for the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.selectors import landlord_profile
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import Case, Party
from haven.cases.selectors.plans import ACTION_OWNER_ROLES
from haven.cases.services.core import case_refresh
from haven.common.errors import ApplicationError
from haven.common.stale import ensure_unchanged
from haven.interventions.models import (
    AgreementTerm,
    Intervention,
    InterventionKind,
    InterventionStatus,
)
from haven.interventions.services.common import day, iso_day, locked_case, plain, text_problem

DETAILS_MAX = 5000  # default: not in seed
SUPPORT_MAX = 5000  # default: not in seed
OUTCOME_MAX = 5000  # default: not in seed
TERM_MAX = 1000  # default: not in seed; a term is a sentence or two
TERMS_MAX = 30  # default: not in seed
SIGNATORIES_MAX = 2000  # default: not in seed
EVIDENCE_MAX = 5000  # default: not in seed
NOTES_MAX = 5000  # default: not in seed
FINISHED = frozenset({InterventionStatus.COMPLETED, InterventionStatus.ENDED})


def _tool_problems(case: Case, code: str) -> tuple[Any, str, dict[str, str]]:
    """The tool of the profile's toolkit for ``code`` (whg 2.11; pnp 1.3): an informal tool or a
    partner power; a legal code belongs to legal action, and any other code is not this landlord's."""
    toolkit = landlord_profile(case.landlord).interventions
    kind = toolkit.kind_of(code) if code else None
    tool = toolkit.tool(code) if code else None
    if not code:
        return None, "", {"code": "Choose the intervention that was used."}
    if kind == "legal" and tool is not None:
        return (
            None,
            "",
            {"code": f"Start legal action for that: {tool.label} goes through its stages as a legal action."},
        )
    if kind is None or tool is None:
        return None, "", {"code": f"'{code}' is not an intervention in the toolkit of {case.landlord.name}."}
    return tool, kind, {}


def _agreement_problems(
    *, tool: Any, party: Party | None, terms: list[str], signatories: str, started_on: date | None,
    review_on: date | None, ends_on: date | None,
) -> dict[str, str]:  # fmt: skip
    """An agreement (ABC, GNA, Parenting Contract) needs the person it is with, at least one term,
    its signatories and a review or end date, neither before it starts (issue 6: "start and review or
    end dates, signatories"). Other tools have none of these."""
    problems: dict[str, str] = {}
    if not tool.agreement:
        if terms or signatories or review_on or ends_on:
            problems["terms"] = (
                f"Terms, signatories and review or end dates are for agreements only: {tool.label} is not an agreement."
            )
        return problems
    if party is None:
        problems["party"] = "Choose the person the agreement is with."
    elif party.anonymous:
        problems["party"] = "An anonymous person cannot sign an agreement."
    if not terms:
        problems["terms"] = "Write at least one term of the agreement, one a line."
    elif len(terms) > TERMS_MAX:
        problems["terms"] = f"An agreement can have at most {TERMS_MAX} terms."
    elif any(len(t) > TERM_MAX for t in terms):
        problems["terms"] = f"Write each term in no more than {TERM_MAX:,} characters."
    if not signatories:
        problems["signatories"] = "Say who signed the agreement, one a line."
    elif message := text_problem(signatories, SIGNATORIES_MAX, "the signatories"):
        problems["signatories"] = message
    if review_on is None and ends_on is None:
        problems["review_on"] = "Give the date the agreement will be reviewed, or the date it ends, or both."
    if started_on is not None and ends_on is not None and ends_on < started_on:
        problems["ends_on"] = "The agreement cannot end before it starts."
    if started_on is not None and review_on is not None and review_on < started_on:
        problems["review_on"] = "The agreement cannot be reviewed before it starts."
    if review_on is not None and ends_on is not None and review_on > ends_on:
        problems.setdefault("review_on", f"The review cannot be after the agreement ends on {day(ends_on)}.")
    return problems


@transaction.atomic
def intervention_record(
    *,
    actor: User,
    case: Case,
    code: str,
    started_on: date | None,
    party: Party | None = None,
    delivered_by: User | None = None,
    details: str = "",
    partner: str = "",
    support_given: str = "",
    terms: Sequence[str] = (),
    signatories: str = "",
    review_on: date | None = None,
    ends_on: date | None = None,
    via: str = "web",
) -> Intervention:
    """Record the use of a tool of the landlord's toolkit (whg 2.11; pnp 1.3): who delivered it
    (a member of staff of this landlord, the actor unless told), when (not in the future), against
    or for whom (optional; a current party of this case), with its label and twin track kept as the
    profile had them (emh 4.10). A partner power needs the partner agency (a partner of the profile)
    and what the landlord did to support it (emh 5.6). An agreement needs its terms (numbered 1..n),
    signatories and a review or end date. The case must be open."""
    case = locked_case(actor, case)
    today = timezone.localdate()
    code = code.strip()
    tool, kind, problems = _tool_problems(case, code)
    details, support_given, partner = details.strip(), support_given.strip(), partner.strip()
    signatories = "\n".join(line.strip() for line in signatories.splitlines() if line.strip())
    clean_terms = [t.strip() for t in terms if t.strip()]
    if party is not None:
        # Read again under the case's lock: the party may have been taken off since the page was shown.
        current = Party.objects.filter(pk=party.pk, case=case, removed_at__isnull=True).first()
        if current is None:
            problems["party"] = "That person is not a party to this case."
        party = current
    who = delivered_by or actor
    if who.landlord_id != case.landlord_id or who.role not in ACTION_OWNER_ROLES or not who.is_active:
        problems["delivered_by"] = "Choose a member of staff of this landlord who is still working here."
    if started_on is None:
        problems["started_on"] = "Enter the date it was used or started."
    elif started_on > today:
        problems["started_on"] = "The date it was used or started cannot be in the future."
    if message := text_problem(details, DETAILS_MAX, "the details"):
        problems["details"] = message
    if message := text_problem(support_given, SUPPORT_MAX, "what the landlord did"):
        problems["support_given"] = message
    profile = landlord_profile(case.landlord)
    if partner and profile.partner(partner) is None:
        codes = ", ".join(p.code for p in profile.partners)
        problems["partner"] = f"'{partner}' is not a partner agency of this landlord: {codes}."
    if tool is not None and kind == "partner_power":
        # emh 5.6: a partner's power is "recorded as supported by the landlord".
        if not partner:
            problems.setdefault("partner", "Choose the partner agency that used this power.")
        if not support_given:
            problems.setdefault("support_given", "Say what the landlord did to support the partner's action.")
    if tool is not None:
        agreement = _agreement_problems(
            tool=tool, party=party if "party" not in problems else None, terms=clean_terms, signatories=signatories,
            started_on=started_on, review_on=review_on, ends_on=ends_on,
        )  # fmt: skip
        for name, message in agreement.items():
            problems.setdefault(name, message)
    if not case.is_open:
        problems.setdefault("code", "This case is closed.")
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    assert tool is not None and started_on is not None
    intervention = Intervention.objects.create(
        case=case, kind=InterventionKind.PARTNER_POWER if kind == "partner_power" else InterventionKind.INFORMAL,
        code=code, label=tool.label, track=tool.track, party=party, delivered_by=who, partner=partner,
        started_on=started_on, details=details, support_given=support_given, agreement=tool.agreement,
        review_on=review_on if tool.agreement else None, ends_on=ends_on if tool.agreement else None,
        signatories=signatories if tool.agreement else "", recorded_by=actor,
    )  # fmt: skip
    if tool.agreement:
        AgreementTerm.objects.bulk_create(
            AgreementTerm(intervention=intervention, number=n, text=t) for n, t in enumerate(clean_terms, start=1)
        )
    case_refresh(case, activity_at=timezone.now())
    audit_record(
        actor=actor, verb=Verb.INTERVENTION_RECORDED, target=case, via=via,
        changes={"intervention": [None, intervention.pk], "code": [None, code], "kind": [None, intervention.kind],
                 "track": [None, intervention.track], "party": [None, party.pk if party else None],
                 "started_on": [None, started_on.isoformat()],
                 **({"terms": [None, len(clean_terms)], "review_on": [None, iso_day(review_on)],
                     "ends_on": [None, iso_day(ends_on)]} if tool.agreement else {})},
    )  # fmt: skip
    return intervention


def locked_intervention(actor: User, intervention: Intervention) -> tuple[Case, Intervention]:
    case = locked_case(actor, intervention.case)
    return case, Intervention.objects.select_for_update().get(pk=intervention.pk, case=case)


@transaction.atomic
def intervention_update(
    *,
    actor: User,
    intervention: Intervention,
    status: str | None = None,
    ended_on: date | None = None,
    outcome: str | None = None,
    version: str | None,
    via: str = "web",
) -> Intervention:
    """Move an intervention on: in place, completed or ended early. Completed or ended needs its
    outcome (issue 6: "who, when, against or for whom, and its outcome") and an end date (today
    unless given; not before it started, not in the future). Refused if someone else saved it
    since ``version`` (``haven.common.stale``)."""
    case, intervention = locked_intervention(actor, intervention)
    ensure_unchanged(current=intervention.updated_at, seen=version, what="intervention")
    today = timezone.localdate()
    new_status = status or intervention.status
    new_outcome = (outcome if outcome is not None else intervention.outcome).strip()
    problems: dict[str, str] = {}
    finished_on: date | None = None
    if new_status not in InterventionStatus.values:
        problems["status"] = f"Choose a status: {', '.join(str(x) for x in InterventionStatus.labels)}."
    elif new_status in FINISHED:
        if not new_outcome:
            problems["outcome"] = "Say what came of it." if new_status == InterventionStatus.COMPLETED else (
                "Say why it ended early and what came of it.")  # fmt: skip
        finished_on = ended_on or intervention.ended_on or today
        if finished_on < intervention.started_on:
            problems["ended_on"] = f"It cannot end before it started on {day(intervention.started_on)}."
        elif finished_on > today:
            problems["ended_on"] = "The end date cannot be in the future."
    elif ended_on is not None:
        problems["ended_on"] = "Only a completed or ended intervention has an end date: change its status as well."
    if message := text_problem(new_outcome, OUTCOME_MAX, "the outcome"):
        problems["outcome"] = message
    if not case.is_open:
        problems.setdefault("status", "This case is closed.")
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    after: dict[str, Any] = {"status": new_status, "ended_on": finished_on, "outcome": new_outcome}
    changed = {name: value for name, value in after.items() if getattr(intervention, name) != value}
    if not changed:
        raise ApplicationError("Nothing would change: give a new status, end date or outcome.",
                               fields={"status": "Nothing would change."})  # fmt: skip
    changes: dict[str, Any] = {"intervention": [intervention.pk, intervention.pk]}
    for name, value in changed.items():
        before = getattr(intervention, name)
        # The outcome is free text that may name people: the audit says only whether there is one.
        changes[name] = [bool(before), bool(value)] if name == "outcome" else [plain(before), plain(value)]
        setattr(intervention, name, value)
    intervention.save(update_fields=[*changed, "updated_at"])
    case_refresh(case, activity_at=timezone.now())
    audit_record(actor=actor, verb=Verb.INTERVENTION_UPDATED, target=case, via=via, changes=changes)
    return intervention
