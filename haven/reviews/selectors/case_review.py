"""Reads for the ASB Case Review (2014 Act s104): a reporter's complaints gathered across the
landlord's cases, their area's threshold, where each reporter of a case stands, the list of
reporters at or near the threshold, applications and the areas.

Who a reporter is: their register person, else their e-mail address (lower case), else the digits
of their phone number; an anonymous reporter is never counted (nobody could apply). Their
complaints: their reports to the landlord that were ASB or joined a case (``intake.Report``), with
the complaints to other agencies recorded on their cases (``AgencyComplaint``); a report's incident
day is its ``happened_on``. Hate: the case has the hate flag or the report does. The area: the
case's property's, else its patch's, else the landlord's only area, else the statutory default
(three complaints, no variations). Every read here is a fixed number of queries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Lower, Replace
from django.utils import timezone

from haven.accounts.models import User
from haven.cases.models import OPEN_STATUSES, Case, Party, PartyRole
from haven.cases.selectors import cases_for_user
from haven.cases.selectors.plans import case_plan
from haven.cases.selectors.risk import risk_assessments_for_case
from haven.cases.selectors.timeline import case_timeline
from haven.intake.models import Report
from haven.interventions.selectors.partnership import case_referrals, referral_row
from haven.interventions.selectors.toolkit import case_interventions
from haven.policies.schema import PolicyProfile
from haven.register.models import LocalAuthorityArea
from haven.reviews.models import AgencyComplaint, CaseReviewApplication, RightToReviewNotice, ThresholdDecision
from haven.reviews.threshold import TELL_AT_DEFAULT, WINDOW_MONTHS, AreaRule, Assessment, Complaint, add_months, assess


def _digits(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    return "0" + digits[2:] if digits.startswith("44") and len(digits) > 10 else digits


def identity(*, person_id: int | None, email: str, phone: str, anonymous: bool = False) -> str | None:
    """Who a reporter is, as a key: ``person:<id>``, ``email:<lower>`` or ``phone:<digits>``."""
    if anonymous:
        return None
    if person_id:
        return f"person:{person_id}"
    if (email or "").strip():
        return f"email:{email.strip().lower()}"
    if digits := _digits(phone):
        return f"phone:{digits}"
    return None


def party_key(party: Party) -> str | None:
    return identity(person_id=party.person_id, email=party.email, phone=party.phone, anonymous=party.anonymous)


def place_key(property_id: int | None, postcode: str) -> str:
    """One place: the same property, or the same postcode when there is no property."""
    if property_id:
        return f"property:{property_id}"
    code = re.sub(r"\s+", "", postcode or "").upper()
    return f"postcode:{code}" if code else ""


def tell_at(profile: PolicyProfile) -> int:
    section = getattr(profile, "asb_case_review", None)
    return int(getattr(section, "tell_reporter_at", None) or TELL_AT_DEFAULT)


def window_start(as_at: date) -> date:
    """The earliest day a complaint can have been made and still count as at ``as_at``."""
    return add_months(as_at, -WINDOW_MONTHS) - timedelta(days=1)


# ---- the area ------------------------------------------------------------------------------------


def landlord_areas(*, landlord_id: int) -> list[LocalAuthorityArea]:
    return list(LocalAuthorityArea.objects.filter(landlord_id=landlord_id).order_by("name"))


def area_of(
    areas: list[LocalAuthorityArea], property_area_id: int | None, patch_area_id: int | None
) -> LocalAuthorityArea | None:
    """The property's area, else the patch's, else the landlord's only area, else none (statutory)."""
    by_id = {a.pk: a for a in areas}
    for wanted in (property_area_id, patch_area_id):
        if wanted and wanted in by_id:
            return by_id[wanted]
    return areas[0] if len(areas) == 1 else None


def case_area(*, case: Case, areas: list[LocalAuthorityArea] | None = None) -> LocalAuthorityArea | None:
    """The case's area (two queries, one when ``areas`` is given)."""
    found = areas if areas is not None else landlord_areas(landlord_id=case.landlord_id)
    row = Case.objects.filter(pk=case.pk).values_list(
        "property__local_authority_area_id", "patch__local_authority_area_id"
    )
    property_area, patch_area = next(iter(row), (None, None))
    return area_of(found, property_area, patch_area)


# ---- gathering complaints ------------------------------------------------------------------------

_REPORT_FIELDS = (
    "id", "reference", "received_at", "happened_on", "flags", "reporter_person_id", "reporter_email",
    "reporter_phone", "anonymous", "property_id", "postcode", "case_id", "case__flags", "case__property_id",
    "case__postcode",
)  # fmt: skip


def _phone_digits(expression: Any) -> Any:
    for char in (" ", "-", "(", ")", "+44"):
        expression = Replace(expression, Value(char), Value("" if char != "+44" else "0"))
    return expression


def _report_complaint(row: dict[str, Any]) -> Complaint | None:
    key = identity(
        person_id=row["reporter_person_id"], email=row["reporter_email"], phone=row["reporter_phone"],
        anonymous=row["anonymous"],
    )  # fmt: skip
    if key is None:
        return None
    flags = list(row["flags"] or []) + list(row["case__flags"] or [])
    place = place_key(row["property_id"], row["postcode"]) or place_key(row["case__property_id"], row["case__postcode"])
    return Complaint(
        made_on=timezone.localdate(row["received_at"]), incident_on=row["happened_on"], hate="hate" in flags,
        reporter=key, place=place, kind="report", ref=row["id"], label=f"Report {row['reference']}",
    )  # fmt: skip


@dataclass
class Gathered:
    """Everyone's complaints by reporter key, the reports about each place (for the community
    variation), and which cases they came from."""

    by_reporter: dict[str, list[Complaint]] = field(default_factory=dict)
    by_place: dict[str, list[Complaint]] = field(default_factory=dict)
    case_of: dict[tuple[str, int | str], int] = field(default_factory=dict)


def gather(*, landlord_id: int, reporters: Iterable[Party], as_at: date, community: bool) -> Gathered:
    """The complaints of these reporters to the landlord that can count as at ``as_at`` (made in
    the six months before): their reports (one query) and the agency complaints recorded on their
    cases (one), plus, with ``community``, everyone's reports about the places complained of (one)."""
    found = Gathered()
    parties = [p for p in reporters if party_key(p)]
    if not parties:
        return found
    keys = {party_key(p) for p in parties}
    persons = {p.person_id for p in parties if p.person_id}
    emails = {p.email.strip().lower() for p in parties if p.email.strip()}
    phones = {_digits(p.phone) for p in parties if _digits(p.phone)}
    since = window_start(as_at)
    reports = (
        Report.objects.filter(landlord_id=landlord_id, anonymous=False, received_at__date__gte=since)
        .filter(Q(is_asb=True) | Q(case__isnull=False))
        .annotate(email_l=Lower("reporter_email"), phone_d=_phone_digits(F("reporter_phone")))
        .filter(Q(reporter_person_id__in=persons) | Q(email_l__in=emails) | Q(phone_d__in=phones))
        .values(*_REPORT_FIELDS)
    )
    case_ids = {p.case_id for p in parties}
    for row in reports:
        complaint = _report_complaint(row)
        if complaint is not None and complaint.reporter in keys:
            found.by_reporter.setdefault(complaint.reporter, []).append(complaint)
            if row["case_id"]:
                case_ids.add(row["case_id"])
                found.case_of[("report", complaint.ref)] = row["case_id"]
    agency = AgencyComplaint.objects.filter(case_id__in=case_ids, made_on__gte=since).values(
        "id", "agency", "made_on", "incident_on", "case_id", "case__flags", "case__property_id", "case__postcode",
        "party__person_id", "party__email", "party__phone", "party__anonymous",
    )  # fmt: skip
    for item in agency:
        key = identity(
            person_id=item["party__person_id"], email=item["party__email"], phone=item["party__phone"],
            anonymous=item["party__anonymous"],
        )  # fmt: skip
        if key in keys:
            assert key is not None
            found.by_reporter.setdefault(key, []).append(
                Complaint(
                    made_on=item["made_on"],
                    incident_on=item["incident_on"],
                    hate="hate" in (item["case__flags"] or []),
                    reporter=key,
                    place=place_key(item["case__property_id"], item["case__postcode"]),
                    kind="agency",
                    ref=item["id"],
                    label=f"Complaint to {item['agency']}",
                )
            )
            found.case_of[("agency", item["id"])] = item["case_id"]
    if community:
        places = {c.place for complaints in found.by_reporter.values() for c in complaints if c.place}
        props = {int(p.split(":")[1]) for p in places if p.startswith("property:")}
        codes = {p.split(":")[1] for p in places if p.startswith("postcode:")}
        if props or codes:
            about = (
                Report.objects.filter(landlord_id=landlord_id, anonymous=False, received_at__date__gte=since)
                .filter(Q(is_asb=True) | Q(case__isnull=False))
                .filter(
                    Q(property_id__in=props)
                    | Q(case__property_id__in=props)
                    | Q(property__isnull=True, postcode__in=_postcode_forms(codes))
                )
                .values(*_REPORT_FIELDS)
            )
            for row in about:
                complaint = _report_complaint(row)
                if complaint is not None and complaint.place:
                    found.by_place.setdefault(complaint.place, []).append(complaint)
    return found


def _postcode_forms(codes: set[str]) -> list[str]:
    """A postcode as stored (upper case, one space before the last three characters) and without it."""
    return [form for code in codes for form in (code, f"{code[:-3]} {code[-3:]}")]


def _community(gathered: Gathered, key: str) -> list[Complaint]:
    places = {c.place for c in gathered.by_reporter.get(key, []) if c.place}
    return [c for place in places for c in gathered.by_place.get(place, [])]


# ---- where a case's reporters stand --------------------------------------------------------------


@dataclass(frozen=True)
class ReporterStanding:
    """A reporter of a case: their complaints, the assessment, the latest notice of their right,
    and whether the officer should tell them now (prompt due and not told since the complaints
    now counted were made)."""

    party: Party
    key: str
    complaints: list[Complaint]
    assessment: Assessment
    told: RightToReviewNotice | None
    tell_now: bool


def _told_since(notice: RightToReviewNotice | None, assessment: Assessment) -> bool:
    if notice is None or not assessment.counted:
        return notice is not None
    return notice.told_on >= min(c.made_on for c in assessment.counted)


def standing(
    *, party: Party, gathered: Gathered, rule: AreaRule, as_at: date, tell_reporter_at: int,
    notice: RightToReviewNotice | None,
) -> ReporterStanding | None:  # fmt: skip
    key = party_key(party)
    if key is None:
        return None
    complaints = sorted(gathered.by_reporter.get(key, []), key=lambda c: c.made_on, reverse=True)
    result = assess(
        rule, complaints, as_at, reporter=key, community=_community(gathered, key), tell_at=tell_reporter_at
    )
    return ReporterStanding(
        party=party, key=key, complaints=complaints, assessment=result, told=notice,
        tell_now=result.prompt_due and not _told_since(notice, result),
    )  # fmt: skip


@dataclass(frozen=True)
class CaseReviewStatus:
    """The ASB Case Review on one case: its area (None: the statutory default), the rule, each
    reporter's standing, the notices and the applications (with their recommendations)."""

    area: LocalAuthorityArea | None
    rule: AreaRule
    reporters: list[ReporterStanding]
    notices: list[RightToReviewNotice]
    applications: list[CaseReviewApplication]
    visible_cases: dict[int, str]
    as_at: date
    case_of: dict[tuple[str, int | str], int] = field(default_factory=dict)

    def case_reference(self, complaint: Complaint) -> str:
        """The reference of the case a complaint came from, "" when the user may not see that case
        (it still counts: the right is the reporter's, whoever can see the case)."""
        return self.visible_cases.get(self.case_of.get((complaint.kind, complaint.ref), 0), "")

    def standing_of(self, party_id: int) -> ReporterStanding | None:
        return next((r for r in self.reporters if r.party.pk == party_id), None)


def case_reporters(case: Case) -> list[Party]:
    """The case's reporters still on it (from ``case_detail``'s prefetch when there is one)."""
    return [p for p in case.parties.all() if p.role == PartyRole.REPORTER and p.removed_at is None]


def case_review_status(
    *, user: User, case: Case, profile: PolicyProfile, as_at: date | None = None
) -> CaseReviewStatus:
    """Where each reporter of the case stands: at most nine queries whatever the numbers (areas,
    the case's area, reports, agency complaints, reports about the place, cases the user may see,
    notices, applications and their recommendations)."""
    today = as_at or timezone.localdate()
    areas = landlord_areas(landlord_id=case.landlord_id)
    area = case_area(case=case, areas=areas)
    rule = AreaRule.of(area)
    reporters = case_reporters(case)
    gathered = gather(
        landlord_id=case.landlord_id, reporters=reporters, as_at=today, community=bool(rule.community_reports)
    )
    notices = list(case.right_to_review_notices.order_by("-told_on", "-pk"))
    latest: dict[int, RightToReviewNotice] = {}
    for n in notices:
        latest.setdefault(n.party_id, n)
    rows = [
        s
        for p in reporters
        if (
            s := standing(
                party=p,
                gathered=gathered,
                rule=rule,
                as_at=today,
                tell_reporter_at=tell_at(profile),
                notice=latest.get(p.pk),
            )
        )
        is not None
    ]
    other_cases = set(gathered.case_of.values()) - {case.pk}
    visible = {case.pk: case.reference}
    if other_cases:
        visible.update(cases_for_user(user=user).filter(pk__in=other_cases).values_list("pk", "reference"))
    applications = list(
        case.case_review_applications.select_related("applicant__person", "area")
        .prefetch_related("recommendations__action")
        .order_by("-received_on", "-pk")
    )
    return CaseReviewStatus(
        area=area, rule=rule, reporters=rows, notices=notices, applications=applications, visible_cases=visible,
        as_at=today, case_of=gathered.case_of,
    )  # fmt: skip


def complaint_value(c: Complaint) -> str:
    return f"{c.kind}:{c.ref}"


# ---- the list across cases -----------------------------------------------------------------------


@dataclass(frozen=True)
class EligibleRow:
    case: Case
    standing: ReporterStanding
    area: LocalAuthorityArea | None


def eligible_reporters(*, user: User, profile: PolicyProfile, as_at: date | None = None) -> list[EligibleRow]:
    """The reporters on the open cases the user may see whose threshold is met or whose prompt to
    be told is due, the soonest lapse first: six queries whatever the numbers (areas, reporters,
    reports, agency complaints, reports about places, notices)."""
    today = as_at or timezone.localdate()
    landlord_id = user.landlord_id or 0
    areas = landlord_areas(landlord_id=landlord_id)
    parties = list(
        Party.objects.filter(
            case__in=cases_for_user(user=user).filter(status__in=OPEN_STATUSES),
            role=PartyRole.REPORTER,
            removed_at__isnull=True,
            anonymous=False,
        )
        .select_related("case", "case__property", "case__patch", "person")
        .order_by("case__reference", "pk")
    )
    community = any(a.community_reports for a in areas)
    gathered = gather(landlord_id=landlord_id, reporters=parties, as_at=today, community=community)
    latest: dict[int, RightToReviewNotice] = {}
    for n in RightToReviewNotice.objects.filter(party_id__in=[p.pk for p in parties]).order_by("-told_on", "-pk"):
        latest.setdefault(n.party_id, n)
    rows = []
    for p in parties:
        case = p.case
        area = area_of(
            areas,
            case.property.local_authority_area_id if case.property else None,
            case.patch.local_authority_area_id if case.patch else None,
        )
        s = standing(
            party=p, gathered=gathered, rule=AreaRule.of(area), as_at=today, tell_reporter_at=tell_at(profile),
            notice=latest.get(p.pk),
        )  # fmt: skip
        if s is not None and (s.assessment.met or s.tell_now):
            rows.append(EligibleRow(case=case, standing=s, area=area))
    return sorted(rows, key=lambda r: (r.standing.assessment.lapses_on or date.max, r.case.reference))


def applications_for_user(*, user: User, decision: str | None = None) -> QuerySet[CaseReviewApplication]:
    """Applications on the cases the user may see, newest first (one query)."""
    found = CaseReviewApplication.objects.filter(case__in=cases_for_user(user=user)).select_related(
        "case", "applicant__person", "area"
    )
    if decision in ThresholdDecision.values:
        found = found.filter(decision=decision)
    return found.order_by("-received_on", "-pk")


def case_application(*, case: Case, application_id: int) -> CaseReviewApplication | None:
    return (
        CaseReviewApplication.objects.filter(case=case, pk=application_id)
        .select_related("applicant__person", "area")
        .prefetch_related("recommendations__action")
        .first()
    )


def area_for_user(*, user: User, area_id: int) -> LocalAuthorityArea | None:
    return LocalAuthorityArea.objects.filter(landlord_id=user.landlord_id or 0, pk=area_id).first()


# ---- the information pack ------------------------------------------------------------------------

PACK_CHRONOLOGY_PAGES = 10  # default: not in seed; the latest 500 events of the case's timeline


@dataclass(frozen=True)
class Pack:
    """The information pack for the review panel (2014 Act Sch 4 para 5: the relevant bodies share
    information for the review): where each reporter stands with the complaints counted, the
    chronology (the case's timeline, oldest first), the actions, interventions, referrals, risk
    assessments and the applications."""

    case: Case
    status: CaseReviewStatus
    chronology: list[Any]
    actions: list[Any]
    interventions: list[Any]
    referrals: list[Any]
    risk: list[Any]


def case_review_pack(*, user: User, case: Case, profile: PolicyProfile, as_at: date | None = None) -> Pack:
    """Everything the panel reads, each from its own app's selector (a fixed number of queries)."""
    today = as_at or timezone.localdate()
    status = case_review_status(user=user, case=case, profile=profile, as_at=today)
    rows: list[Any] = []
    for page in range(1, PACK_CHRONOLOGY_PAGES + 1):
        timeline = case_timeline(user=user, case=case, page=page)
        rows.extend(timeline.rows)
        if not timeline.has_next:
            break
    plan = case_plan(case=case, profile=profile, now=timezone.now(), today=today)
    return Pack(
        case=case,
        status=status,
        chronology=list(reversed(rows)),
        actions=plan.actions,
        interventions=case_interventions(case=case, profile=profile, today=today),
        referrals=[referral_row(r, profile, today) for r in case_referrals(case=case)],
        risk=list(risk_assessments_for_case(case=case)),
    )
