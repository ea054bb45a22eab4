"""Assignment and reassignment: a case changes hands with a reason and the history is kept; only a
team manager, an ASB specialist or the case's own officer may do it; a restricted case goes only to
someone allowed to see it."""

from __future__ import annotations

import html
from collections.abc import Callable

import pytest
from django.test import Client

from haven.accounts.models import Landlord, User
from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Case, Reassignment
from haven.cases.services import case_reassign
from haven.common.errors import ApplicationError
from haven.intake.services import report_create, report_triage

pytestmark = pytest.mark.django_db
Staff = Callable[[str], tuple[Landlord, User, User]]


def open_case(landlord: Landlord, adviser: User, officer: User, **triage: object) -> Case:
    report = report_create(
        actor=adviser, landlord=landlord, channel="phone", what="Noise", where="Flat 2", anonymous=True
    )
    values: dict[str, object] = {"category": "noise", "tier": "low"}
    values.update(triage)
    report_triage(actor=adviser, report=report, is_asb=True, officer=officer, **values)  # type: ignore[arg-type]
    report.refresh_from_db()
    assert report.case is not None
    return report.case


def test_a_manager_reassigns_with_a_reason_and_the_history_is_kept(staff: Staff, make_user) -> None:
    landlord, adviser, officer = staff("emh")
    manager = make_user(landlord, "manager")
    other = make_user(landlord, "officer", username="emh-officer-2")
    case = open_case(landlord, adviser, officer)
    with pytest.raises(ApplicationError) as error:
        case_reassign(actor=manager, case=case, officer=officer, reason="")
    assert set(error.value.fields) == {"officer", "reason"}
    case_reassign(actor=manager, case=case, officer=other, reason="Officer on leave")
    case.refresh_from_db()
    assert case.officer == other
    history = Reassignment.objects.get(case=case)
    assert (history.officer_from, history.officer_to, history.reason) == (officer, other, "Officer on leave")
    assert AuditEvent.objects.filter(verb=Verb.CASE_REASSIGNED, object_label=case.reference).exists()


def test_who_may_reassign_and_to_whom(staff: Staff, make_user, make_landlord) -> None:
    landlord, adviser, officer = staff("emh")
    other = make_user(landlord, "officer", username="emh-officer-2")
    stranger = make_user(make_landlord("whg"), "officer")
    case = open_case(landlord, adviser, officer)
    with pytest.raises(ApplicationError, match="Only a team manager"):
        case_reassign(actor=adviser, case=case, officer=other, reason="x")
    with pytest.raises(ApplicationError, match="of this landlord"):
        case_reassign(actor=officer, case=case, officer=stranger, reason="x")
    with pytest.raises(ApplicationError, match="of this landlord"):
        case_reassign(actor=officer, case=case, officer=adviser, reason="x")
    case_reassign(actor=officer, case=case, officer=other, reason="Handing over")  # an officer hands over their own
    specialist = make_user(landlord, "specialist")
    restricted = open_case(landlord, adviser, specialist, category="domestic_abuse", tier="high")
    with pytest.raises(ApplicationError, match="restricted"):
        case_reassign(actor=specialist, case=restricted, officer=officer, reason="x")


def test_the_case_page_reassigns_and_shows_the_history(staff: Staff, make_user) -> None:
    landlord, adviser, officer = staff("emh")
    manager = make_user(landlord, "manager")
    other = make_user(landlord, "officer", username="emh-officer-2")
    case = open_case(landlord, adviser, officer)
    client = Client()
    client.force_login(manager)
    bad = client.post(f"/cases/{case.reference}/reassign/", {"officer": other.pk, "reason": ""})
    assert bad.status_code == 400 and "Say why the case is being reassigned." in html.unescape(bad.content.decode())
    done = client.post(f"/cases/{case.reference}/reassign/", {"officer": other.pk, "reason": "Officer on leave"})
    assert done.status_code == 303
    page = html.unescape(client.get(f"/cases/{case.reference}/").content.decode())
    assert "Officer on leave" in page and "Case reassigned to" in page
    adviser_client = Client()
    adviser_client.force_login(adviser)
    assert (
        adviser_client.post(f"/cases/{case.reference}/reassign/", {"officer": officer.pk, "reason": "x"}).status_code
        == 403
    )
