"""The case timeline (issue 5: "a timeline that reads the audit trail and the case records in order:
every contact, note, incident, action, letter, change of tier or officer, with who and when").

It reads the audit events whose target is the case (index audit_object: object type, object id,
time), newest first, 50 a page, and says each in plain words with its detail from ``changes``
(tier from -> to, officer from -> to by name). Views of the case and of its sensitive records are
left out unless asked for ("show views": who saw the case). A page costs at most four queries
(the count, the events with their actors, then the names of the officers and the teams the page mentions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from haven.accounts.models import Team, User
from haven.accounts.permissions import can_view_case
from haven.accounts.selectors import landlord_profile
from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Case, CaseStatus, ContactChannel
from haven.common.errors import ApplicationError
from haven.policies.schema import PolicyProfile

PAGE_SIZE = 50
VIEW_VERBS = frozenset(
    {Verb.CASE_VIEWED, Verb.SENSITIVE_NOTES_VIEWED, Verb.FILE_VIEWED, Verb.LETTER_DOWNLOADED, Verb.LETTER_PREVIEWED,
     Verb.BUNDLE_DOWNLOADED}
)

# How the timeline says each verb done to a case; a verb without a phrase uses its label.
PHRASES: dict[str, str] = {
    Verb.CASE_OPENED: "Opened the case",
    Verb.REPORT_LINKED: "Added a report to the case",
    Verb.CASE_RECATEGORISED: "Re-categorised the case",
    Verb.CONTACT_RECORDED: "Recorded a contact",
    Verb.CONTACT_PLAN_AGREED: "Agreed the contact plan",
    Verb.CASE_REASSIGNED: "Reassigned the case",
    Verb.CASE_VIEWED: "Viewed the case",
    Verb.CASE_FLAGS_CHANGED: "Changed the case's flags",
    Verb.PARTY_ADDED: "Added a person to the case",
    Verb.PARTY_UPDATED: "Updated a person in the case",
    Verb.PARTY_REMOVED: "Took a person off the case",
    Verb.FINDING_RECORDED: "Recorded a finding",
    Verb.RISK_ASSESSED: "Recorded a risk assessment",
    Verb.SUPPORT_NEED_RECORDED: "Recorded a support need",
    Verb.SAFEGUARDING_RECORDED: "Recorded a safeguarding concern",
    Verb.OUTCOME_RECORDED: "Recorded the outcome of a referral",
    Verb.ACTION_PLAN_AGREED: "Recorded the agreed action plan",
    Verb.ACTION_ADDED: "Added an action",
    Verb.ACTION_UPDATED: "Updated an action",
    Verb.INCIDENT_RECORDED: "Recorded an incident",
    Verb.INCIDENT_REVIEWED: "Reviewed an incident",
    Verb.DIARY_LINK_SENT: "Sent a diary link",
    Verb.DIARY_LINK_REVOKED: "Withdrew a diary link",
    Verb.DIARY_ENTRY_RECEIVED: "Added a diary entry",
    Verb.FILE_ADDED: "Added a file",
    Verb.FILE_REVIEWED: "Reviewed a file",
    Verb.FILE_VIEWED: "Opened a file",
    Verb.NOTE_ADDED: "Added a note",
    Verb.LETTER_MADE: "Made a letter",
    Verb.BUNDLE_REQUESTED: "Asked for a court evidence bundle",
    Verb.BUNDLE_DOWNLOADED: "Downloaded a court evidence bundle",
    Verb.LETTER_EMAILED: "E-mailed a letter",
    Verb.LETTER_DOWNLOADED: "Downloaded a letter",
    Verb.LETTER_PREVIEWED: "Previewed a letter with the case",
    Verb.SENSITIVE_NOTES_VIEWED: "Viewed the sensitive notes",
    Verb.INTERVENTION_RECORDED: "Recorded an intervention",
    Verb.INTERVENTION_UPDATED: "Updated an intervention",
    Verb.AGREEMENT_BREACHED: "Recorded a breach of an agreement",
    Verb.AGREEMENT_REVIEWED: "Reviewed an agreement",
    Verb.LEGAL_ACTION_STARTED: "Started considering legal action",
    Verb.PROPORTIONALITY_ASSESSED: "Recorded a proportionality assessment",
    Verb.LEGAL_ACTION_APPROVED: "Approved legal action",
    Verb.LEGAL_STAGE_CHANGED: "Moved a legal action on",
    Verb.HEARING_RECORDED: "Recorded a hearing",
    Verb.REFERRAL_MADE: "Made a referral",
    Verb.REFERRAL_ANSWERED: "Recorded a partner's response to a referral",
    Verb.MEETING_LISTED: "Listed the case for a partnership meeting",
    Verb.MEETING_RECORDED: "Recorded what a partnership meeting decided",
    Verb.INFORMATION_SHARED: "Recorded information shared",
}
STATUS_PHRASES = {CaseStatus.CLOSED: "Closed the case", CaseStatus.REOPENED: "Reopened the case"}
PEOPLE_KEYS = frozenset({"officer", "owner_user", "finding_by"})
TEAM_KEYS = frozenset({"team"})
NAMED_KEYS = {
    "tier": "Tier",
    "category": "Category",
    "officer": "Officer",
    "team": "Team",
    "status": "Status",
    "closure_reason": "Why closed",
    "resolved": "Resolved",
    "channel": "How",
    "every_days": "Every (days)",
    "first_response_at": "First response",
}


@dataclass(frozen=True)
class TimelineRow:
    at: datetime
    who: str
    what: str
    verb: str
    via: str
    details: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Timeline:
    rows: list[TimelineRow]
    page: int
    count: int
    show_views: bool

    @property
    def has_next(self) -> bool:
        return self.page * PAGE_SIZE < self.count

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def case_timeline(*, user: User, case: Case, show_views: bool = False, page: int = 1) -> Timeline:
    """The case's audit trail as a timeline, newest first, ``PAGE_SIZE`` a page; views of the case
    (and of its files and sensitive notes) only when ``show_views``. Anyone who may see the case
    may read its timeline and who saw it (ARCHITECTURE.md 6: views of sensitive records are audited)."""
    if not can_view_case(user, case):
        raise ApplicationError(f"There is no case with the reference {case.reference}.", code="not_found")
    page = max(1, page)
    events = AuditEvent.objects.filter(
        landlord_id=case.landlord_id, object_type=Case._meta.label_lower, object_id=str(case.pk)
    )
    if not show_views:
        events = events.exclude(verb__in=list(VIEW_VERBS))
    count = events.count()
    start = (page - 1) * PAGE_SIZE
    shown = list(events.select_related("actor").order_by("-at", "-id")[start : start + PAGE_SIZE])
    profile = landlord_profile(case.landlord)
    people, teams = _names(shown)
    rows = [_row(e, profile, people, teams) for e in shown]
    return Timeline(rows=rows, page=page, count=count, show_views=show_views)


def _ids(events: list[AuditEvent], keys: frozenset[str]) -> set[int]:
    found: set[int] = set()
    for event in events:
        for key in keys & set(event.changes or {}):
            found |= {v for v in _pair(event.changes[key]) if isinstance(v, int) and not isinstance(v, bool)}
    return found


def _names(events: list[AuditEvent]) -> tuple[dict[int, str], dict[int, str]]:
    user_ids, team_ids = _ids(events, PEOPLE_KEYS), _ids(events, TEAM_KEYS)
    people = {u.pk: u.display_name for u in User.objects.filter(pk__in=user_ids)} if user_ids else {}
    teams = dict(Team.objects.filter(pk__in=team_ids).values_list("pk", "name")) if team_ids else {}
    return people, teams


def _pair(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) and len(value) == 2 else [None, value]


def _who(event: AuditEvent) -> str:
    if event.actor is not None:
        return str(event.actor.display_name)
    return event.actor_label or "Haven"


def _label(profile: PolicyProfile, key: str, value: Any, people: dict[int, str], teams: dict[int, str]) -> str:
    if value is None or value == "":
        return "none"
    if key == "tier":
        return _lookup(profile.tier, value)
    if key == "category":
        return _lookup(profile.category, value)
    if key in PEOPLE_KEYS:
        return people.get(value, "a former member of staff") if isinstance(value, int) else str(value)
    if key in TEAM_KEYS:
        return teams.get(value, "a former team") if isinstance(value, int) else str(value)
    if key == "status":
        return dict(CaseStatus.choices).get(value, str(value))
    if key == "closure_reason":
        return profile.closure.reason_label(str(value))
    if key == "channel":
        return dict(ContactChannel.choices).get(value, str(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and (key.endswith("_at") or key.endswith("_on")):
        return _moment(value)
    return str(value)


def _moment(value: str) -> str:
    """An ISO date or date and time from ``changes`` as people read it (UK time)."""
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None or timezone.is_naive(moment):
        return value
    local = timezone.localtime(moment)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"


def _lookup(find: Any, code: str) -> str:
    try:
        return str(find(code).label)
    except (KeyError, TypeError):  # a code of an earlier version of the profile
        return str(code)


def _row(event: AuditEvent, profile: PolicyProfile, people: dict[int, str], teams: dict[int, str]) -> TimelineRow:
    changes = event.changes if isinstance(event.changes, dict) else {}
    details = []
    for key, value in changes.items():
        before, after = _pair(value)
        name = NAMED_KEYS.get(key, key.replace("_", " ").capitalize())
        shown_after = _label(profile, key, after, people, teams)
        if before is None or event.verb == Verb.CASE_OPENED:
            details.append(f"{name}: {shown_after}")
        elif before != after:
            details.append(f"{name}: {_label(profile, key, before, people, teams)} → {shown_after}")
    what = PHRASES.get(event.verb) or event.get_verb_display()
    if event.verb == Verb.CASE_STATUS_CHANGED:
        what = STATUS_PHRASES.get(_pair(changes.get("status"))[1], "Changed the case's status")
    return TimelineRow(at=event.at, who=_who(event), what=what, verb=event.verb, via=event.via, details=details)
