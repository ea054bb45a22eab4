"""Persistent reports of matters already explained as not ASB (emh 7.8): the window's edges, the
count, who is counted, and a decision that holds until a new report arrives."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.accounts.models import Landlord, User
from haven.audit.models import AuditEvent, Verb
from haven.cases.tests.factories import signed_in, text
from haven.common.errors import ApplicationError
from haven.intake.models import Report
from haven.intake.services import report_create, report_triage
from haven.reviews.models import PersistentDecision, PersistentReportDecision
from haven.reviews.selectors.quality import persistent_reporters
from haven.reviews.services.quality import persistent_decide

pytestmark = pytest.mark.django_db


def days_ago(days: int) -> datetime:
    """Noon UK time ``days`` calendar days before today (clear of midnight and the clock change).

    Today's noon is still to come in the morning, and a report cannot be received in the future, so
    for today it is whichever is earlier: noon or a minute ago.
    """
    day = timezone.localdate() - timedelta(days=days)
    noon = timezone.make_aware(datetime.combine(day, time(12)))
    return min(noon, timezone.now() - timedelta(minutes=1))


def not_asb(
    landlord: Landlord, adviser: User, received_at: datetime, *, email: str = "pat@example.org", name: str = "Pat Lee",
    phone: str = "", anonymous: bool = False,
) -> Report:  # fmt: skip
    """A report triaged as not ASB, with the advice given (the matter explained)."""
    report = report_create(
        actor=adviser, landlord=landlord, channel="phone", what="Children playing football in the street",
        where="Mill Street",
        received_at=received_at, reporter_name="" if anonymous else name, reporter_email="" if anonymous else email,
        reporter_phone="" if anonymous else phone, anonymous=anonymous,
    )  # fmt: skip
    report_triage(
        actor=adviser, report=report, is_asb=False, not_asb_reason="Children playing is not ASB (emh 3.8).",
        advice_given="Explained that children playing is everyday life.",
    )  # fmt: skip
    report.refresh_from_db()
    return report


@pytest.fixture
def staff(emh: Landlord, make_user: Callable[..., User]) -> dict[str, User]:
    return {role: make_user(emh, role) for role in ("adviser", "officer", "specialist", "manager", "auditor")}


def test_three_reports_within_182_days_are_surfaced_the_oldest_on_day_182(
    emh: Landlord, staff: dict[str, User]
) -> None:
    """emh 7.8 (count 3 within 182 calendar days): a report received 182 days ago still counts."""
    for days in (182, 40, 1):
        not_asb(emh, staff["adviser"], days_ago(days))
    [row] = persistent_reporters(user=staff["manager"])
    assert row.count == 3 and row.label == "Pat Lee" and row.key == "email:pat@example.org"
    assert row.earlier is None and row.new == row.references


def test_a_report_183_days_ago_is_outside_the_window(emh: Landlord, staff: dict[str, User]) -> None:
    """emh 7.8: a report received 183 days ago no longer counts, so two in the window are not enough."""
    for days in (183, 40, 1):
        not_asb(emh, staff["adviser"], days_ago(days))
    assert persistent_reporters(user=staff["manager"]) == []


def test_two_reports_are_below_the_count(emh: Landlord, staff: dict[str, User]) -> None:
    """emh 7.8: ``persistent_reports.count`` is 3 on the emh profile; two reports are not surfaced."""
    for days in (10, 1):
        not_asb(emh, staff["adviser"], days_ago(days))
    assert persistent_reporters(user=staff["manager"]) == []


def test_asb_reports_and_anonymous_reports_are_not_counted(emh: Landlord, staff: dict[str, User]) -> None:
    """emh 7.8 counts only reports already explained as not ASB, from a reporter who can be told apart."""
    for days in (10, 5, 1):
        not_asb(emh, staff["adviser"], days_ago(days), anonymous=True)
    report_create(
        actor=staff["adviser"],
        landlord=emh,
        channel="phone",
        what="Loud music",
        where="Flat 2",
        received_at=days_ago(2),
        reporter_name="Pat Lee",
        reporter_email="pat@example.org",
    )  # fmt: skip (waiting for triage: not counted)
    not_asb(emh, staff["adviser"], days_ago(3))
    not_asb(emh, staff["adviser"], days_ago(4))
    assert persistent_reporters(user=staff["manager"]) == []


def test_one_reporter_by_email_and_phone_in_different_spellings(emh: Landlord, staff: dict[str, User]) -> None:
    """emh 7.8: the same e-mail address in another case, and the same phone number written with +44,
    are one reporter each."""
    for days, email in ((9, "Pat@Example.org"), (5, "pat@example.org "), (1, "PAT@example.org")):
        not_asb(emh, staff["adviser"], days_ago(days), email=email.strip())
    for days, phone in ((8, "07700 900456"), (4, "+44 7700 900456"), (2, "07700900456")):
        not_asb(emh, staff["adviser"], days_ago(days), email="", name="Jo Shah", phone=phone)
    rows = persistent_reporters(user=staff["manager"])
    assert sorted(r.key for r in rows) == ["email:pat@example.org", "phone:07700900456"]


def test_only_managers_and_specialists_see_the_list(emh: Landlord, staff: dict[str, User]) -> None:
    """emh 7.8: the decision is a team manager's or an ASB specialist's; others see nothing."""
    for days in (10, 5, 1):
        not_asb(emh, staff["adviser"], days_ago(days))
    assert len(persistent_reporters(user=staff["specialist"])) == 1
    for role in ("adviser", "officer", "auditor"):
        assert persistent_reporters(user=staff[role]) == []


def test_another_landlords_reports_are_not_counted(
    emh: Landlord, staff: dict[str, User], make_landlord: Callable[..., Landlord], make_user: Callable[..., User]
) -> None:
    """emh 7.8 is per landlord: the same e-mail address reporting to another landlord is not counted here."""
    other = make_landlord("whg")
    other_adviser = make_user(other, "adviser")
    not_asb(emh, staff["adviser"], days_ago(3))
    for days in (10, 5):
        not_asb(other, other_adviser, days_ago(days))
    assert persistent_reporters(user=staff["manager"]) == []


def test_a_decision_holds_until_a_new_report_arrives(emh: Landlord, staff: dict[str, User]) -> None:
    """emh 7.8: once decided the reporter leaves the list; a new not-ASB report brings them back, with
    the earlier decision shown and the new report marked."""
    for days in (30, 20, 10):
        not_asb(emh, staff["adviser"], days_ago(days))
    [row] = persistent_reporters(user=staff["manager"])
    made = persistent_decide(
        actor=staff["manager"], reporter=row.id, decision=PersistentDecision.SUPPORT,
        note="Lives alone; the reports may show loneliness. Referred to the tenancy support team.",
    )  # fmt: skip
    assert made.reports == row.references and made.reporter_key == "email:pat@example.org"
    assert persistent_reporters(user=staff["manager"]) == []
    event = AuditEvent.objects.get(verb=Verb.PERSISTENT_REPORTS_DECIDED)
    assert event.landlord_id == emh.pk and "Pat" not in event.object_label and "pat@" not in event.object_label

    new = not_asb(emh, staff["adviser"], days_ago(0))
    [again] = persistent_reporters(user=staff["manager"])
    assert again.new == [new.reference] and again.earlier == made and again.count == 4


def test_the_decision_can_be_made_by_a_specialist_with_the_procedure(emh: Landlord, staff: dict[str, User]) -> None:
    """emh 7.8: an ASB specialist may follow the persistent complainant procedure."""
    for days in (3, 2, 1):
        not_asb(emh, staff["adviser"], days_ago(days))
    [row] = persistent_reporters(user=staff["specialist"])
    made = persistent_decide(
        actor=staff["specialist"], reporter=row.id, decision="procedure", note="Third report this month."
    )
    assert made.decision == PersistentDecision.PROCEDURE


@pytest.mark.parametrize("role", ["adviser", "officer", "auditor"])
def test_others_cannot_decide(emh: Landlord, staff: dict[str, User], role: str) -> None:
    """emh 7.8: only team managers and ASB specialists decide; nothing is saved."""
    for days in (3, 2, 1):
        not_asb(emh, staff["adviser"], days_ago(days))
    [row] = persistent_reporters(user=staff["manager"])
    with pytest.raises(ApplicationError, match="Only a team manager or an ASB specialist"):
        persistent_decide(actor=staff[role], reporter=row.id, decision="support", note="x")
    assert not PersistentReportDecision.objects.exists()


def test_a_decision_needs_a_choice_a_note_and_a_surfaced_reporter(emh: Landlord, staff: dict[str, User]) -> None:
    """emh 7.8: a clear message for each missing part, and nothing saved."""
    with pytest.raises(ApplicationError) as refused:
        persistent_decide(actor=staff["manager"], reporter="nobody", decision="ignore", note=" ")
    assert set(refused.value.fields) == {"decision", "note", "reporter"}
    assert "no reports waiting" in refused.value.fields["reporter"]
    assert not PersistentReportDecision.objects.exists()


def test_the_persistent_page_lists_and_decides(emh: Landlord, staff: dict[str, User]) -> None:
    """emh 7.8: the page shows the reporter with the count; the form records the decision; an empty
    note is shown again with the GOV.UK error summary."""
    for days in (3, 2, 1):
        not_asb(emh, staff["adviser"], days_ago(days))
    [row] = persistent_reporters(user=staff["manager"])
    client = signed_in(staff["manager"])
    url = reverse("reviews:persistent")
    page = client.get(url)
    assert page.status_code == 200 and "Pat Lee" in text(page) and "3 reports" in text(page)
    assert "pat@example.org" not in text(page)  # the id in the form is opaque

    bad = client.post(url, {"reporter": row.id, "decision": "support", "note": ""})
    assert bad.status_code == 400 and "There is a problem" in text(bad) and "Say why" in text(bad)
    assert not PersistentReportDecision.objects.exists()

    done = client.post(url, {"reporter": row.id, "decision": "support", "note": "Support need: referred."})
    assert done.status_code == 303
    after = client.get(url)
    assert "No reporters are waiting for a decision" in text(after) and "Support need: referred." in text(after)


@pytest.mark.parametrize("role", ["adviser", "officer", "auditor"])
def test_the_persistent_page_is_refused_to_others(emh: Landlord, staff: dict[str, User], role: str) -> None:
    """emh 7.8: only the deciders open the page."""
    assert signed_in(staff[role]).get(reverse("reviews:persistent")).status_code == 403


def _page_queries(client: object, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200  # type: ignore[attr-defined]
    return len(queries)


def test_the_list_and_the_page_cost_the_same_queries_for_one_or_three_reporters(
    emh: Landlord, staff: dict[str, User], django_assert_num_queries: object
) -> None:
    """Queries are bounded (ARCHITECTURE 12): the reports and the decisions, whatever the number of
    reporters; the page costs the same for one reporter (decided once) as for three."""
    manager = staff["manager"]
    for days in (3, 2, 1):
        not_asb(emh, staff["adviser"], days_ago(days))
    [row] = persistent_reporters(user=manager)
    persistent_decide(actor=manager, reporter=row.id, decision="no_action", note="Watch.")
    not_asb(emh, staff["adviser"], days_ago(0))
    manager = User.objects.select_related("landlord").get(pk=manager.pk)
    with django_assert_num_queries(2):  # type: ignore[operator]
        assert len(persistent_reporters(user=manager)) == 1
    client = signed_in(manager)
    url = reverse("reviews:persistent")
    one = _page_queries(client, url)
    for email in ("a@example.org", "b@example.org"):
        for days in (3, 2, 1):
            not_asb(emh, staff["adviser"], days_ago(days), email=email)
    with django_assert_num_queries(2):  # type: ignore[operator]
        assert len(persistent_reporters(user=manager)) == 3
    assert _page_queries(client, url) == one
