"""The status workflow: the table of moves (cases.workflow) and ``case_transition``.

Rules proved here: a case moves only as the table says (open -> closed, reopened -> closed,
closed -> reopened; every other pair of statuses is refused with a clear message and nothing
written); closing needs a reason, a closure reason, the outcome and whether the ASB was resolved
(pnp 8.2), reopening a reason; the case's officer, ASB specialists and team managers may close and
reopen, and nobody else (another officer of the team, an adviser, an auditor, another landlord);
each move writes a StatusChange and the audit event CASE_STATUS_CHANGED (without the outcome's
words) and refreshes the case's clocks; the case page's close and reopen forms work the same way in
every profile, and bad input is a field error with the form kept.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from django.utils import timezone

from haven.accounts.models import Landlord, Role, Team, User
from haven.accounts.services import user_create
from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Case, CaseStatus, StatusChange
from haven.cases.services.workflow import case_transition
from haven.cases.tests.factories import open_case, signed_in, text
from haven.cases.workflow import MOVES, STATUSES, may_make, move_for, moves_from
from haven.common.errors import ApplicationError
from haven.policies.registry import get_profile
from haven.policies.schema import RESTRICTING_FLAGS

pytestmark = pytest.mark.django_db
Staff = Callable[[str], tuple[Landlord, User, User]]
PROFILES = ["whg", "wwh", "emh", "livv", "pnp"]
ALLOWED = {("open", "closed"), ("reopened", "closed"), ("closed", "reopened")}
CLOSING = {"reason": "No incidents for eight weeks", "closure_reason": "resolved",
           "outcome": "Noise stopped after the warning letter", "resolved": True}  # fmt: skip


def triage_for(policy_id: str) -> dict[str, str]:
    """An unrestricted category and a tier that opens a case, in any bundled profile."""
    profile = get_profile(policy_id)
    tier = [t for t in profile.triage.tiers if t.opens_case][-1]
    category = next(c for c in profile.categories if not {f.value for f in c.flags} & set(RESTRICTING_FLAGS))
    return {"category": category.code, "tier": tier.id}


def open_any(landlord: Landlord, adviser: User, officer: User | None = None) -> Case:
    return open_case(landlord, adviser, officer, **triage_for(landlord.policy_id))


def _user(landlord: Landlord, role: str, name: str, team: Team | None = None) -> User:
    return user_create(
        actor="tests", landlord=landlord, username=f"{landlord.slug}-{name}", role=Role(role), password="x" * 16,
        first_name=name.title(), last_name="Tester", team=team, via="command",
    )  # fmt: skip


def _args(to: str) -> dict[str, object]:
    return CLOSING if to == CaseStatus.CLOSED else {"reason": "New incidents reported"}


# ---- the table ---------------------------------------------------------------------------------


def test_the_table_holds_exactly_the_three_moves() -> None:
    assert set(MOVES) == ALLOWED
    assert [m.status_to for m in moves_from("open")] == ["closed"]
    assert [m.status_to for m in moves_from("reopened")] == ["closed"]
    assert [m.status_to for m in moves_from("closed")] == ["reopened"]
    assert move_for("closed", "open") is None
    close = move_for("open", "closed")
    assert close is not None and {"reason", "closure_reason", "outcome", "resolved"} <= close.needs
    assert may_make(close, role="manager", is_case_officer=False)
    assert may_make(close, role="specialist", is_case_officer=False)
    assert may_make(close, role="officer", is_case_officer=True)
    assert not may_make(close, role="officer", is_case_officer=False)
    assert not may_make(close, role="adviser", is_case_officer=False)


@pytest.mark.parametrize(("status_from", "status_to"), list(itertools.product(STATUSES, STATUSES)))
def test_every_pair_of_statuses_is_allowed_or_refused_as_the_table_says(
    staff: Staff, make_user: Callable[..., User], status_from: str, status_to: str
) -> None:
    landlord, adviser, officer = staff("emh")
    manager = make_user(landlord, "manager")
    case = open_any(landlord, adviser, officer)
    Case.objects.filter(pk=case.pk).update(status=status_from)
    case.refresh_from_db()
    if (status_from, status_to) in ALLOWED:
        moved = case_transition(actor=manager, case=case, to=status_to, **_args(status_to))  # type: ignore[arg-type]
        assert moved.status == status_to
        assert StatusChange.objects.filter(case=case, status_from=status_from, status_to=status_to).count() == 1
    else:
        with pytest.raises(ApplicationError) as refused:
            case_transition(actor=manager, case=case, to=status_to, **_args(status_to))  # type: ignore[arg-type]
        assert refused.value.message and refused.value.code == "not_allowed"
        case.refresh_from_db()
        assert case.status == status_from and not StatusChange.objects.filter(case=case).exists()
        assert not AuditEvent.objects.filter(verb=Verb.CASE_STATUS_CHANGED).exists()


def test_a_status_that_does_not_exist_is_a_field_error(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = open_any(landlord, adviser, officer)
    with pytest.raises(ApplicationError) as refused:
        case_transition(actor=officer, case=case, to="archived", reason="x")
    assert "to" in refused.value.fields


# ---- closing and reopening ----------------------------------------------------------------------


@pytest.mark.parametrize("policy_id", PROFILES)
def test_closing_saves_the_closure_writes_the_history_and_stops_the_clocks(staff: Staff, policy_id: str) -> None:
    landlord, adviser, officer = staff(policy_id)
    case = open_any(landlord, adviser, officer)
    assert case.next_due_at is not None
    before = timezone.now()
    case = case_transition(actor=officer, case=case, to="closed", **CLOSING)  # type: ignore[arg-type]
    case.refresh_from_db()
    assert (case.status, case.closure_reason, case.resolved) == ("closed", "resolved", True)
    assert case.outcome == CLOSING["outcome"] and case.closed_at is not None and case.closed_at >= before
    assert case.next_due_at is None and case.last_activity_at is not None and case.last_activity_at >= before
    change = StatusChange.objects.get(case=case)
    assert (change.status_from, change.status_to, change.by, change.reason) == (
        "open", "closed", officer, CLOSING["reason"],
    )  # fmt: skip
    event = AuditEvent.objects.get(verb=Verb.CASE_STATUS_CHANGED, object_id=str(case.pk))
    assert event.changes["status"] == ["open", "closed"] and event.changes["resolved"] == [None, True]
    assert "Noise" not in str(event.changes) and "eight weeks" not in str(event.changes)  # no personal words


@pytest.mark.parametrize("policy_id", PROFILES)
def test_reopening_makes_the_case_open_again_with_its_clocks(staff: Staff, policy_id: str) -> None:
    landlord, adviser, officer = staff(policy_id)
    case = open_any(landlord, adviser, officer)
    case_transition(actor=officer, case=case, to="closed", **CLOSING)  # type: ignore[arg-type]
    case = case_transition(actor=officer, case=case, to="reopened", reason="The noise started again")
    case.refresh_from_db()
    assert case.status == "reopened" and case.is_open and case.reopened_at is not None
    assert case.next_due_at is not None  # the first response is still due
    assert case.closure_reason == "resolved"  # the last closure is kept
    case = case_transition(actor=officer, case=case, to="closed", **{**CLOSING, "resolved": False})  # type: ignore[arg-type]
    assert list(StatusChange.objects.filter(case=case).order_by("pk").values_list("status_to", flat=True)) == [
        "closed", "reopened", "closed",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("field", "value"),
    [("reason", "  "), ("closure_reason", "bored"), ("closure_reason", ""), ("outcome", ""), ("resolved", None),
     ("reason", "x" * 2001)],
)  # fmt: skip
def test_closing_without_what_it_needs_is_a_field_error_and_nothing_is_saved(
    staff: Staff, field: str, value: object
) -> None:
    landlord, adviser, officer = staff("emh")
    case = open_any(landlord, adviser, officer)
    with pytest.raises(ApplicationError) as refused:
        case_transition(actor=officer, case=case, to="closed", **{**CLOSING, field: value})  # type: ignore[arg-type]
    assert set(refused.value.fields) == {field}
    case.refresh_from_db()
    assert case.status == "open" and case.closed_at is None and not StatusChange.objects.exists()


def test_reopening_needs_a_reason(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = case_transition(actor=officer, case=open_any(landlord, adviser, officer), to="closed", **CLOSING)  # type: ignore[arg-type]
    with pytest.raises(ApplicationError) as refused:
        case_transition(actor=officer, case=case, to="reopened", reason="")
    assert set(refused.value.fields) == {"reason"}
    case.refresh_from_db()
    assert case.status == "closed"


# ---- who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["manager", "specialist"])
def test_managers_and_specialists_close_and_reopen_any_case(staff: Staff, role: str) -> None:
    landlord, adviser, officer = staff("whg")
    decider = _user(landlord, role, role)
    case = case_transition(actor=decider, case=open_any(landlord, adviser, officer), to="closed", **CLOSING)  # type: ignore[arg-type]
    assert case_transition(actor=decider, case=case, to="reopened", reason="Again").status == "reopened"


def test_nobody_else_may_close_or_reopen(staff: Staff) -> None:
    landlord, adviser, _officer = staff("emh")
    team = Team.objects.filter(landlord=landlord).first()
    owner = _user(landlord, "officer", "owner", team)
    colleague = _user(landlord, "officer", "colleague", team)
    auditor = _user(landlord, "auditor", "auditor")
    other_team = Team.objects.filter(landlord=landlord).exclude(pk=team.pk if team else None).first()
    elsewhere = _user(landlord, "officer", "elsewhere", other_team or Team.objects.create(landlord=landlord, name="B"))
    _, _, other_landlords = staff("whg")
    other_manager = _user(other_landlords.landlord, "manager", "boss")  # type: ignore[arg-type]
    case = open_any(landlord, adviser, owner)
    for someone in (colleague, elsewhere, adviser, auditor, other_landlords, other_manager):
        with pytest.raises(ApplicationError) as refused:
            case_transition(actor=someone, case=case, to="closed", **CLOSING)  # type: ignore[arg-type]
        assert "cannot" in refused.value.message or "Only" in refused.value.message
    case_transition(actor=owner, case=case, to="closed", **CLOSING)  # type: ignore[arg-type]
    for someone in (colleague, elsewhere, adviser, auditor, other_manager):
        with pytest.raises(ApplicationError):
            case_transition(actor=someone, case=case, to="reopened", reason="Again")
    assert StatusChange.objects.filter(case=case).count() == 1


# ---- the page -----------------------------------------------------------------------------------

CLOSE_FORM = {"close-closure_reason": "resolved", "close-resolved": "yes", "close-outcome": "Noise stopped",
              "close-reason": "Quiet for two months"}  # fmt: skip


@pytest.mark.parametrize("policy_id", PROFILES)
def test_the_officer_closes_and_reopens_the_case_on_the_case_page(staff: Staff, policy_id: str) -> None:
    landlord, adviser, officer = staff(policy_id)
    case = open_any(landlord, adviser, officer)
    client = signed_in(officer)
    page = text(client.get(f"/cases/{case.reference}/"))
    assert 'id="close"' in page and 'id="reopen"' not in page and 'data-testid="case-activity">Active' in page
    response = client.post(f"/cases/{case.reference}/close/", CLOSE_FORM)
    assert response.status_code == 303 and response["Location"].endswith("#status")
    page = text(client.get(f"/cases/{case.reference}/"))
    assert "Case closed." in page and 'id="reopen"' in page and 'id="close"' not in page
    assert get_profile(policy_id).closure.reason_label("resolved") in page and "Noise stopped" in page
    response = client.post(f"/cases/{case.reference}/reopen/", {"reopen-reason": "It started again"})
    assert response.status_code == 303
    case.refresh_from_db()
    assert case.status == "reopened" and case.resolved is True


def test_a_closing_form_with_problems_is_shown_again_with_its_errors(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = open_any(landlord, adviser, officer)
    response = signed_in(officer).post(
        f"/cases/{case.reference}/close/", {**CLOSE_FORM, "close-resolved": "", "close-outcome": ""}
    )
    page = text(response)
    assert response.status_code == 400 and "There is a problem" in page
    assert "Say whether the anti-social behaviour was resolved." in page and "Describe the outcome" in page
    assert "Quiet for two months" in page  # kept as typed
    case.refresh_from_db()
    assert case.status == "open"


def test_closing_a_closed_case_again_is_a_clear_error_not_a_crash(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = open_any(landlord, adviser, officer)
    client = signed_in(officer)
    assert client.post(f"/cases/{case.reference}/close/", CLOSE_FORM).status_code == 303
    response = client.post(f"/cases/{case.reference}/close/", CLOSE_FORM)
    assert response.status_code == 400 and "This case is already closed." in text(response)
    assert StatusChange.objects.filter(case=case).count() == 1


def test_the_page_refuses_people_who_may_not_close(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = open_any(landlord, adviser, officer)
    _, _, stranger = staff("whg")
    assert signed_in(adviser).post(f"/cases/{case.reference}/close/", CLOSE_FORM).status_code == 403
    assert 'id="close"' not in text(signed_in(adviser).get(f"/cases/{case.reference}/"))
    assert signed_in(stranger).post(f"/cases/{case.reference}/close/", CLOSE_FORM).status_code == 404
    case.refresh_from_db()
    assert case.status == "open"
