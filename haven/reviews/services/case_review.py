"""Every write of the ASB Case Review (Anti-social Behaviour, Crime and Policing Act 2014 s104 and
Sch 4): local authority areas and their thresholds, complaints made to other agencies, the reporter
told of their right (the Victims' Commissioner's recommendation; emh 7.7), applications with their
decision, meeting, outcome letter, and the panel's recommendations, which join the case's action
plan (``cases.services.plans.action_add``). Each refuses bad input with nothing written."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from haven.accounts.models import Role, User
from haven.accounts.permissions import is_landlord_staff
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import ActionOwner, Case, ContactChannel, Party, PartyRole
from haven.cases.services.plans import action_add
from haven.common.errors import ApplicationError
from haven.common.stale import ensure_unchanged
from haven.interventions.services.common import check_length, day, locked_case, plain
from haven.register.models import LocalAuthorityArea
from haven.reviews.models import (
    AgencyComplaint,
    ApplicationRoute,
    CaseReviewApplication,
    CaseReviewRecommendation,
    RightToReviewNotice,
    ThresholdDecision,
)
from haven.reviews.threshold import STATUTORY_MAX, AreaRule, assess

TEXT_MAX = 5000  # default: not in seed
AGENCY_MAX = 120  # AgencyComplaint.agency
REFERENCE_MAX = 60  # AgencyComplaint.agency_reference
OWNER_MAX = 120  # CaseReviewRecommendation.owner
RECOMMENDATION_SOURCE = "case_review"  # Action.source of a panel's recommendation
AREA_EDITORS = frozenset({Role.MANAGER, Role.ADMIN})

AREA_FIELDS = (
    "name", "gss_code", "threshold_complaints", "hate_incident_qualifies", "community_reports", "lead_agency",
    "contact_name", "contact_email", "contact_phone", "procedure_url", "decision_within_days", "review_within_days",
)  # fmt: skip


def can_edit_areas(user: Any) -> bool:
    """Team managers and administrators keep the areas; every member of staff reads them."""
    return is_landlord_staff(user) and user.role in AREA_EDITORS


def _area_problems(values: dict[str, Any]) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not str(values.get("name") or "").strip():
        problems["name"] = "Enter the name of the local authority area."
    elif len(str(values["name"]).strip()) > 120:
        problems["name"] = "Write the name in no more than 120 characters."
    threshold = values.get("threshold_complaints")
    if threshold is None:
        problems["threshold_complaints"] = "Enter the number of complaints that meets the threshold."
    elif threshold > STATUTORY_MAX:
        problems["threshold_complaints"] = "The law allows a threshold of at most three complaints."
    elif threshold < 1:
        problems["threshold_complaints"] = "The threshold is at least one complaint."
    community = values.get("community_reports")
    if community is not None and not 2 <= community <= 50:
        problems["community_reports"] = "Enter a number of people from 2 to 50, or leave it blank."
    for name in ("decision_within_days", "review_within_days"):
        if values.get(name) is not None and not 1 <= values[name] <= 365:
            problems[name] = "Enter a number of working days from 1 to 365, or leave it blank."
    code = str(values.get("gss_code") or "").strip().upper()
    if code and (len(code) != 9 or not code[0].isalpha() or not code[1:].isdigit()):
        problems["gss_code"] = "Enter the ONS code as a letter and eight digits, like E06000016."
    for name, limit in (("lead_agency", 120), ("contact_name", 120), ("contact_phone", 30)):
        if len(str(values.get(name) or "")) > limit:
            problems[name] = f"Write this in no more than {limit} characters."
    email = str(values.get("contact_email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems["contact_email"] = "Enter the contact's e-mail address, like asb@council.gov.uk."
    url = str(values.get("procedure_url") or "").strip()
    if url and not url.startswith(("https://", "http://")):
        problems["procedure_url"] = "Enter the address of the procedure starting https://."
    elif url:
        try:
            URLValidator()(url)
        except ValidationError:
            problems["procedure_url"] = "Enter the address of the procedure starting https://."
    return problems


@transaction.atomic
def area_save(
    *, actor: User, area: LocalAuthorityArea | None = None, values: dict[str, Any], via: str = "web"
) -> LocalAuthorityArea:
    """Add or change a local authority area of the actor's landlord with its ASB Case Review
    threshold (s104(10): not more than three qualifying complaints), local variations, lead agency
    and contact, procedure and timescales. ``values``: the fields of ``AREA_FIELDS`` to set."""
    if not can_edit_areas(actor):
        raise ApplicationError(
            "Only team managers and administrators can change local authority areas.", code="forbidden"
        )
    landlord_id = actor.landlord_id or 0
    if area is not None and area.landlord_id != landlord_id:
        raise ApplicationError("There is no such area.", code="forbidden")
    current = {name: getattr(area, name) for name in AREA_FIELDS} if area is not None else {
        "threshold_complaints": 3, "hate_incident_qualifies": False,
    }  # fmt: skip
    unknown = set(values) - set(AREA_FIELDS)
    if unknown:
        raise ApplicationError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    merged = {**current, **values}
    for name in ("name", "gss_code", "lead_agency", "contact_name", "contact_email", "contact_phone", "procedure_url"):
        merged[name] = str(merged.get(name) or "").strip()
    merged["gss_code"] = merged["gss_code"].upper()
    merged["hate_incident_qualifies"] = bool(merged.get("hate_incident_qualifies"))
    problems = _area_problems(merged)
    duplicate = LocalAuthorityArea.objects.filter(landlord_id=landlord_id, name__iexact=merged["name"])
    if area is not None:
        duplicate = duplicate.exclude(pk=area.pk)
    if "name" not in problems and duplicate.exists():
        problems["name"] = "There is already an area of this name."
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    target = area or LocalAuthorityArea(landlord_id=landlord_id)
    changes = {}
    for name in AREA_FIELDS:
        before = getattr(target, name, None) if area is not None else None
        value = merged.get(name)
        if name in ("community_reports", "decision_within_days", "review_within_days") and value in ("", None):
            value = None
        if before != value:
            changes[name] = [before, value]
        setattr(target, name, value)
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError:
        raise ApplicationError(
            "There is already an area of this name.", fields={"name": "There is already an area of this name."}
        ) from None
    audit_record(
        actor=actor, verb=Verb.AREA_SAVED, target=target, landlord_id=landlord_id, via=via,
        changes={k: v for k, v in changes.items() if k not in ("contact_name", "contact_email", "contact_phone")},
    )  # fmt: skip
    return target


def _reporter(case: Case, party: Party | None) -> dict[str, str]:
    if party is None or party.case_id != case.pk or party.removed_at is not None:
        return {"party": "Choose the reporter from this case."}
    if party.role != PartyRole.REPORTER:
        return {"party": "Choose a reporter: only a reporter has the right to an ASB Case Review."}
    if party.anonymous:
        return {"party": "An anonymous reporter cannot be told or apply: we do not know who they are."}
    return {}


def _not_future(problems: dict[str, str], name: str, value: date | None, what: str) -> None:
    if value is None:
        problems[name] = f"Enter the date {what}."
    elif value > timezone.localdate():
        problems[name] = f"The date {what} cannot be in the future."


@transaction.atomic
def agency_complaint_record(
    *, actor: User, case: Case, party: Party | None, agency: str, made_on: date | None, incident_on: date | None,
    agency_reference: str = "", summary: str = "", via: str = "web",
) -> AgencyComplaint:  # fmt: skip
    """A complaint the reporter made to another agency (the police, the council), so it counts
    toward their threshold; one about the same incident day as another complaint counts once."""
    case = locked_case(actor, case, code="forbidden")
    problems = _reporter(case, party)
    agency = agency.strip()
    if not agency:
        problems["agency"] = "Say which agency the complaint was made to."
    check_length(problems, "agency", agency, "the agency", AGENCY_MAX)
    _not_future(problems, "made_on", made_on, "the complaint was made")
    _not_future(problems, "incident_on", incident_on, "of the behaviour complained of")
    if made_on and incident_on and incident_on > made_on and "made_on" not in problems:
        problems["incident_on"] = "The behaviour cannot be after the complaint about it."
    check_length(problems, "agency_reference", agency_reference.strip(), "the reference", REFERENCE_MAX)
    check_length(problems, "summary", summary.strip(), "the summary", TEXT_MAX)
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    assert party is not None and made_on is not None and incident_on is not None
    complaint = AgencyComplaint.objects.create(
        case=case, party=party, agency=agency, made_on=made_on, incident_on=incident_on,
        agency_reference=agency_reference.strip(), summary=summary.strip(), recorded_by=actor,
    )  # fmt: skip
    audit_record(
        actor=actor, verb=Verb.AGENCY_COMPLAINT_RECORDED, target=case, via=via,
        changes={"agency_complaint": [None, complaint.pk], "made_on": [None, made_on.isoformat()],
                 "incident_on": [None, incident_on.isoformat()]},
    )  # fmt: skip
    return complaint


@transaction.atomic
def right_to_review_told(
    *, actor: User, case: Case, party: Party | None, told_on: date | None, channel: str, note: str = "",
    complaints: int = 0, via: str = "web",
) -> RightToReviewNotice:  # fmt: skip
    """The reporter was told of their right to an ASB Case Review (the Victims' Commissioner: at the
    second complaint within six months; the profile's ``asb_case_review.tell_reporter_at``).
    ``complaints``: the qualifying complaints counted when told (from the case's status)."""
    case = locked_case(actor, case, code="forbidden")
    problems = _reporter(case, party)
    _not_future(problems, "told_on", told_on, "they were told")
    if channel not in ContactChannel.values:
        problems["channel"] = "Say how they were told."
    check_length(problems, "note", note.strip(), "the note", TEXT_MAX)
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    assert party is not None and told_on is not None
    notice = RightToReviewNotice.objects.create(
        case=case, party=party, told_on=told_on, channel=channel, complaints=max(complaints, 0), note=note.strip(),
        by=actor,
    )  # fmt: skip
    audit_record(
        actor=actor, verb=Verb.RIGHT_TO_REVIEW_TOLD, target=case, via=via,
        changes={"told_on": [None, told_on.isoformat()], "channel": [None, channel], "complaints": [None, complaints]},
    )  # fmt: skip
    return notice


@transaction.atomic
def case_review_apply(
    *, actor: User, case: Case, applicant: Party | None, route: str, received_on: date | None,
    relied_on: list[dict[str, Any]], area: LocalAuthorityArea | None = None, via: str = "web",
) -> CaseReviewApplication:  # fmt: skip
    """Record an application for an ASB Case Review received or made on the case. ``relied_on``:
    the complaints it relies on (``{"kind", "id", "made_on", "incident_on"}``, from the applicant's
    gathered complaints). Refused: no complaint chosen, a received date in the future, or one before
    a complaint it relies on (s104: the application follows the complaints)."""
    case = locked_case(actor, case, code="forbidden")
    problems = _reporter(case, applicant)
    if "party" in problems:
        problems["applicant"] = problems.pop("party")
    if route not in ApplicationRoute.values:
        problems["route"] = "Say how the application came: from the reporter, made for them, or from the lead agency."
    _not_future(problems, "received_on", received_on, "of the application")
    if not relied_on:
        problems["complaints"] = "Choose the complaints the application relies on."
    elif received_on is not None and "received_on" not in problems:
        later = [c for c in relied_on if c["made_on"] > received_on]
        if later:
            first = min(c["made_on"] for c in later)
            problems["received_on"] = f"The application date is before the complaint of {_long(first)} it relies on."
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    assert applicant is not None and received_on is not None
    stored = [
        {"kind": c["kind"], "id": c["id"], "made_on": plain(c["made_on"]), "incident_on": plain(c.get("incident_on"))}
        for c in relied_on
    ]
    application = CaseReviewApplication.objects.create(
        landlord_id=case.landlord_id, case=case, area=area, applicant=applicant, route=route, received_on=received_on,
        complaints=stored, recorded_by=actor,
    )  # fmt: skip
    audit_record(
        actor=actor, verb=Verb.CASE_REVIEW_APPLIED, target=case, via=via,
        changes={"application": [None, application.pk], "route": [None, route],
                 "received_on": [None, received_on.isoformat()], "complaints": [None, len(stored)]},
    )  # fmt: skip
    return application


def _long(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


UPDATABLE = ("decision", "decided_on", "decision_reason", "meeting_on", "outcome", "outcome_letter_sent_on")


@transaction.atomic
def case_review_update(
    *, actor: User, application: CaseReviewApplication, values: dict[str, Any], version: str | None = None,
    via: str = "web",
) -> CaseReviewApplication:  # fmt: skip
    """Record the threshold decision (met or not, its date and reason: not before the application
    was received), the review meeting (not before the decision) and the outcome with the day its
    letter was sent (not before the meeting). ``values``: the fields of ``UPDATABLE`` to change."""
    locked_case(actor, application.case, code="forbidden")
    current = CaseReviewApplication.objects.select_for_update().get(pk=application.pk)
    ensure_unchanged(current=current.updated_at, seen=version, what="application")
    unknown = set(values) - set(UPDATABLE)
    if unknown:
        raise ApplicationError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    merged = {name: getattr(current, name) for name in UPDATABLE}
    merged.update({k: (v.strip() if isinstance(v, str) and k != "decision" else v) for k, v in values.items()})
    problems: dict[str, str] = {}
    today = timezone.localdate()
    decision = merged["decision"] or ThresholdDecision.PENDING
    if decision not in ThresholdDecision.values:
        problems["decision"] = "Say whether the threshold was met."
    decided_on = merged["decided_on"]
    if decision != ThresholdDecision.PENDING:
        if decided_on is None:
            problems["decided_on"] = "Enter the date of the threshold decision."
        elif decided_on < current.received_on:
            problems["decided_on"] = "The decision cannot be before the application was received."
        if decision == ThresholdDecision.NOT_MET and not merged["decision_reason"]:
            problems["decision_reason"] = "Say why the threshold was not met: the reporter is told why."
    for name, what in (("decided_on", "decision"), ("meeting_on", "meeting"), ("outcome_letter_sent_on", "letter")):
        if merged[name] is not None and merged[name] > today and name != "meeting_on":
            problems.setdefault(name, f"The date of the {what} cannot be in the future.")
    meeting = merged["meeting_on"]
    if meeting is not None:
        if decision != ThresholdDecision.MET:
            problems["meeting_on"] = "A review meeting follows a decision that the threshold was met."
        elif decided_on is not None and meeting < decided_on:
            problems["meeting_on"] = "The review meeting cannot be before the threshold decision."
    letter = merged["outcome_letter_sent_on"]
    if letter is not None:
        if decision == ThresholdDecision.PENDING:
            problems["outcome_letter_sent_on"] = "Record the threshold decision before the outcome letter."
        elif decision == ThresholdDecision.MET and (meeting is None or letter < meeting):
            problems["outcome_letter_sent_on"] = "The outcome letter follows the review meeting."
        elif decided_on is not None and letter < decided_on:
            problems["outcome_letter_sent_on"] = "The outcome letter cannot be before the decision."
    check_length(problems, "decision_reason", merged["decision_reason"] or "", "the reason", TEXT_MAX)
    check_length(problems, "outcome", merged["outcome"] or "", "the outcome", TEXT_MAX)
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    changes = {}
    for name in UPDATABLE:
        value = merged[name] if name != "decision" else decision
        if getattr(current, name) != value:
            changes[name] = [plain(getattr(current, name)), plain(value)]
            setattr(current, name, value)
    if changes:
        current.save()
        audit_record(
            actor=actor, verb=Verb.CASE_REVIEW_UPDATED, target=current.case, via=via,
            changes={"application": [current.pk, current.pk],
                     **{k: v for k, v in changes.items() if k not in ("decision_reason", "outcome")},
                     **({"outcome": [None, "recorded"]} if "outcome" in changes else {})},
        )  # fmt: skip
    return current


@transaction.atomic
def recommendation_add(
    *, actor: User, application: CaseReviewApplication, text: str, owner: str, due_on: date | None,
    owner_user: User | None = None, owner_partner: str = "", via: str = "web",
) -> CaseReviewRecommendation:  # fmt: skip
    """A recommendation of the review panel (s104(6)): it joins the case's action plan as an action
    for the landlord (a named member of staff) or a partner agency, due by ``due_on``; refused
    before the threshold was decided met, or on a closed case (reopen it first)."""
    case = locked_case(actor, application.case, code="forbidden")
    problems: dict[str, str] = {}
    if application.decision != ThresholdDecision.MET:
        problems["text"] = "Recommendations come from a review: record the decision that the threshold was met first."
    if not case.is_open:
        problems["text"] = "This case is closed: reopen it to add the panel's recommendations to its action plan."
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    if owner not in (ActionOwner.LANDLORD, ActionOwner.PARTNER):
        raise ApplicationError(
            "Say who will do it: the landlord or a partner agency.", fields={"owner": "Say who will do it."}
        )
    action = action_add(
        actor=actor, case=case, description=text, owner=owner, owner_user=owner_user, owner_partner=owner_partner,
        due_on=due_on, source=RECOMMENDATION_SOURCE, via=via,
    )  # fmt: skip
    name = owner_user.display_name if owner == ActionOwner.LANDLORD and owner_user else owner_partner.strip()
    recommendation = CaseReviewRecommendation.objects.create(
        application=application, text=text.strip(), owner=name[:OWNER_MAX], action=action, recorded_by=actor
    )
    audit_record(
        actor=actor, verb=Verb.CASE_REVIEW_UPDATED, target=case, via=via,
        changes={"application": [application.pk, application.pk], "recommendation": [None, recommendation.pk],
                 "action": [None, action.pk]},
    )  # fmt: skip
    return recommendation


@transaction.atomic
def case_review_pack_viewed(*, actor: User, case: Case, via: str = "web") -> None:
    """The information pack gathers the case's records in one place for the panel: who saw it is
    kept (ARCHITECTURE.md 6: views of gathered or sensitive records are audited)."""
    audit_record(actor=actor, verb=Verb.CASE_REVIEW_PACK_VIEWED, target=case, via=via)


def complaints_relied_on(chosen: list[str], available: list[Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """The chosen ``kind:id`` values as the stored complaints, and the values not among ``available``
    (the applicant's gathered ``threshold.Complaint`` list)."""
    by_value = {f"{c.kind}:{c.ref}": c for c in available}
    found = [
        {"kind": by_value[v].kind, "id": by_value[v].ref, "made_on": by_value[v].made_on,
         "incident_on": by_value[v].incident_on}
        for v in chosen if v in by_value
    ]  # fmt: skip
    return found, [v for v in chosen if v not in by_value]


def counted_now(rule: AreaRule, complaints: list[Any], as_at: date) -> int:
    return assess(rule, complaints, as_at).count


__all__ = [
    "AREA_FIELDS", "UPDATABLE", "agency_complaint_record", "area_save", "can_edit_areas", "case_review_apply",
    "case_review_pack_viewed", "case_review_update", "complaints_relied_on", "day", "recommendation_add",
    "right_to_review_told",
]  # fmt: skip
