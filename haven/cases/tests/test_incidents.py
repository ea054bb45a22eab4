"""Incidents on a case, the incidents section of the case page, and the evidence inbox.

Rules proved: every incident is dated, not in the future, and does not end before it starts (the
evidence a whg 4.1 finding rests on); a description is required; a caseworker's own entry counts
as reviewed, a diary entry waits for review; only caseworkers who can work the case record or
review (can_work_case: not an adviser, an auditor, an officer of another team or another landlord);
the "What is due" item turns red once evidence has waited longer than
``casework.evidence_review_within`` (every profile); sensitive files are seen only by the case's
officer, specialists and managers (WWH 3.0); the inbox lists only cases the user can work, oldest
first, at a constant number of queries; and the incidents part of the case page costs the same
number of queries whatever the number of incidents.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.accounts.models import Landlord, User
from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Case, CaseFile, Incident
from haven.cases.selectors.incidents import evidence_inbox, inbox_rows
from haven.cases.services.files import case_file_add
from haven.cases.services.incidents import incident_record, incident_review
from haven.cases.tests.evidence_factories import any_case, png, unreviewed
from haven.cases.tests.factories import signed_in, text
from haven.common.errors import ApplicationError

Staff = Callable[[str], tuple[Landlord, User, User]]
MakeUser = Callable[..., User]


def record(officer: User, case: Case, **kwargs: object) -> Incident:
    values: dict[str, object] = {
        "occurred_at": timezone.now() - timedelta(hours=2), "location": "Stairwell", "people": "",
        "description": "Loud music until 2am", "source": "officer",
    }  # fmt: skip
    values.update(kwargs)
    return incident_record(actor=officer, case=case, **values)  # type: ignore[arg-type]


@pytest.fixture
def setting(staff: Staff) -> tuple[Landlord, User, User, Case]:
    landlord, adviser, officer = staff("emh")
    return landlord, adviser, officer, any_case(landlord, adviser, officer)


def test_an_officers_own_incident_is_recorded_as_reviewed_with_its_files_hashed_and_audited(setting: tuple) -> None:
    _, _, officer, case = setting
    incident = record(officer, case, files=[png()])

    assert incident.reviewed_at is not None and incident.reviewed_by == officer
    (stored,) = CaseFile.objects.filter(incident=incident)
    assert stored.reviewed_at is not None and stored.uploaded_by == officer and stored.kind == "evidence"
    verbs = set(AuditEvent.objects.filter(object_id=str(case.pk)).values_list("verb", flat=True))
    assert {Verb.INCIDENT_RECORDED, Verb.FILE_ADDED} <= verbs
    case.refresh_from_db()
    assert case.last_activity_at is not None and case.last_activity_at >= incident.created_at - timedelta(seconds=1)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"occurred_at": timezone.now() + timedelta(days=1)}, "occurred_at"),
        ({"occurred_until": timezone.now() - timedelta(hours=3)}, "occurred_until"),
        ({"description": "   "}, "description"),
        ({"source": "gossip"}, "source"),
        ({"occurred_at": None}, "occurred_at"),
    ],
)
def test_an_incident_out_of_order_in_the_future_or_without_a_description_is_refused(
    setting: tuple, change: dict[str, object], field: str
) -> None:
    _, _, officer, case = setting
    with pytest.raises(ApplicationError) as refused:
        record(officer, case, files=[png()], **change)
    assert field in refused.value.fields
    assert not Incident.objects.exists() and not CaseFile.objects.exists()


@pytest.mark.parametrize("who", ["adviser", "auditor", "other_team", "other_landlord"])
def test_only_caseworkers_who_can_work_the_case_record_incidents(
    staff: Staff, make_user: MakeUser, make_landlord: Callable[..., Landlord], who: str
) -> None:
    from haven.accounts.services import team_create

    landlord, adviser, officer = staff("emh")
    case = any_case(landlord, adviser, officer)
    actor = {
        "adviser": lambda: adviser,
        "auditor": lambda: make_user(landlord, "auditor"),
        "other_team": lambda: _officer_in(
            make_user(landlord, "officer", username="elsewhere"),
            team_create(actor="tests", landlord=landlord, name="Far away", via="command"),
        ),
        "other_landlord": lambda: make_user(make_landlord("whg"), "manager"),
    }[who]()  # fmt: skip
    with pytest.raises(ApplicationError):
        record(actor, case)
    assert not Incident.objects.exists()
    if who != "other_landlord":
        response = signed_in(actor).post(f"/cases/{case.reference}/incidents/", {"incident-description": "x"})
        assert response.status_code in (403, 404)


def _officer_in(user: User, team: object) -> User:
    user.team = team  # type: ignore[assignment]
    user.save(update_fields=["team"])
    return user


def test_reviewing_an_entry_takes_it_and_its_files_out_of_the_inbox(setting: tuple) -> None:
    _, _, officer, case = setting
    entry = unreviewed(case)
    CaseFile.objects.create(
        case=case, incident=entry, kind="evidence", original_name="a.png", stored_name="a.png",
        content_type="image/png", size=1, sha256="0" * 64, uploaded_via="diary_link",
    )  # fmt: skip
    assert len(evidence_inbox(user=officer)) == 2

    incident_review(actor=officer, incident=entry)

    assert len(evidence_inbox(user=officer)) == 0
    with pytest.raises(ApplicationError):
        incident_review(actor=officer, incident=entry)  # twice is refused, not silently repeated


@pytest.mark.parametrize("policy_id", ["whg", "wwh", "emh", "livv", "pnp"])
def test_evidence_waiting_longer_than_the_profile_allows_is_red_in_what_is_due(staff: Staff, policy_id: str) -> None:
    from haven.accounts.selectors import landlord_profile

    landlord, adviser, officer = staff(policy_id)
    case = any_case(landlord, adviser, officer)
    within = landlord_profile(landlord).casework.evidence_review_within
    unreviewed(case, hours_ago=1)
    page = text(signed_in(officer).get(f"/cases/{case.reference}/"))
    assert "Evidence to review" in page and "Review overdue" not in page

    unreviewed(case, hours_ago=24 * (3 * within.amount + 14))  # later than any working-time budget of it
    page = text(signed_in(officer).get(f"/cases/{case.reference}/"))
    assert "Review overdue" in page and "2 new items of evidence" in page


def test_a_sensitive_file_is_seen_only_by_the_officer_specialists_and_managers(
    staff: Staff, make_user: MakeUser
) -> None:
    landlord, adviser, officer = staff("wwh")
    case = any_case(landlord, adviser, officer)
    case_file_add(actor=officer, case=case, upload=png("secret.png"), kind="statement", sensitive=True)
    manager = make_user(landlord, "manager")
    assert "secret.png" in text(signed_in(officer).get(f"/cases/{case.reference}/"))
    assert "secret.png" in text(signed_in(manager).get(f"/cases/{case.reference}/"))
    teammate = make_user(landlord, "officer", username="teammate")
    _officer_in(teammate, case.team)
    assert "secret.png" not in text(signed_in(teammate).get(f"/cases/{case.reference}/"))
    stored = CaseFile.objects.get()
    assert signed_in(teammate).get(f"/cases/{case.reference}/files/{stored.pk}/").status_code == 404


def test_the_case_page_records_an_incident_with_files_and_shows_it_newest_first(setting: tuple) -> None:
    _, _, officer, case = setting
    record(officer, case, description="An older incident", occurred_at=timezone.now() - timedelta(days=3))
    client = signed_in(officer)
    day = timezone.localtime() - timedelta(hours=1)
    response = client.post(
        f"/cases/{case.reference}/incidents/",
        {"incident-on": day.strftime("%d/%m/%Y"), "incident-at": day.strftime("%H:%M"), "incident-source": "cctv",
         "incident-description": "A newer incident", "incident-evidence": [png("cctv.png")]},
    )  # fmt: skip
    assert response.status_code == 303
    page = text(client.get(f"/cases/{case.reference}/"))
    assert page.index("A newer incident") < page.index("An older incident")
    assert "cctv.png" in page and CaseFile.objects.get().sha256[:12] in page


def test_a_bad_incident_on_the_page_keeps_the_answers_and_names_the_problem(setting: tuple) -> None:
    _, _, officer, case = setting
    tomorrow = timezone.localtime() + timedelta(days=2)
    response = signed_in(officer).post(
        f"/cases/{case.reference}/incidents/",
        {"incident-on": tomorrow.strftime("%d/%m/%Y"), "incident-at": "10:00", "incident-source": "officer",
         "incident-description": "Kept as typed"},
    )  # fmt: skip
    assert response.status_code == 400
    page = text(response)
    assert "cannot be in the future" in page and "Kept as typed" in page and 'href="#incident-on"' in page
    assert not Incident.objects.exists()


def test_the_incidents_part_costs_the_same_queries_whatever_the_number_of_incidents(setting: tuple) -> None:
    _, _, officer, case = setting
    client = signed_in(officer)
    record(officer, case, files=[png()])
    unreviewed(case)
    client.get(f"/cases/{case.reference}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/cases/{case.reference}/")
    for n in range(6):
        record(officer, case, files=[png(f"{n}.png")], party=case.parties.first())
        unreviewed(case)
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"/cases/{case.reference}/").status_code == 200
    assert len(many) == len(few)


def test_the_inbox_lists_unreviewed_evidence_of_workable_cases_oldest_first_in_constant_queries(
    staff: Staff, make_user: MakeUser
) -> None:
    from haven.accounts.services import team_create

    landlord, adviser, officer = staff("emh")
    mine = any_case(landlord, adviser, officer)
    far = team_create(actor="tests", landlord=landlord, name="Far away", via="command")
    theirs = any_case(landlord, adviser, _officer_in(make_user(landlord, "officer", username="other"), far))
    assert theirs.team_id == far.pk != officer.team_id
    newer, older = unreviewed(mine, hours_ago=1), unreviewed(mine, hours_ago=5)
    unreviewed(theirs, hours_ago=9)
    rows = inbox_rows(list(evidence_inbox(user=officer)))
    assert [r["record"].pk for r in rows] == [older.pk, newer.pk]  # not the other team's case

    client = signed_in(officer)
    with CaptureQueriesContext(connection) as few:
        page = client.get("/cases/inbox/")
    assert page.status_code == 200 and mine.reference in text(page)
    for _ in range(5):
        unreviewed(mine)
    with CaptureQueriesContext(connection) as many:
        client.get("/cases/inbox/")
    assert len(many) == len(few)
    assert signed_in(adviser).get("/cases/inbox/").status_code == 403
    assert "Evidence inbox" in text(client.get("/cases/")) and "Evidence inbox" not in text(
        signed_in(adviser).get("/cases/")
    )
