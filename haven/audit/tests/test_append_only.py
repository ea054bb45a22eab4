"""The audit trail is append-only and written in the transaction of the change (issue 2, item 5)."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from haven.accounts.services import team_create
from haven.audit.models import AuditEvent, Verb
from haven.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_a_service_writes_its_event_with_who_what_and_which_landlord(officer) -> None:
    team = team_create(actor=officer, landlord=officer.landlord, name="Night team")
    event = AuditEvent.objects.get(verb=Verb.TEAM_CREATED)
    assert event.actor == officer
    assert event.landlord_id == officer.landlord_id
    assert event.object_type == "accounts.team" and event.object_id == str(team.pk)
    assert event.text == f"{officer.username} created the team Night team"


def test_the_event_rolls_back_with_the_change(officer) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        team_create(actor=officer, landlord=officer.landlord, name="Doomed team")
        raise RuntimeError("the change fails after the event was written")
    assert not AuditEvent.objects.filter(object_label="Doomed team").exists()


def test_recording_outside_a_transaction_is_refused(officer) -> None:
    # pytest-django wraps each test in a transaction; leave it to prove the guard.
    connection.in_atomic_block, saved = False, connection.in_atomic_block
    try:
        with pytest.raises(RuntimeError):
            audit_record(actor=officer, verb=Verb.POLICY_VIEWED)
    finally:
        connection.in_atomic_block = saved


def test_events_cannot_be_changed_or_deleted_through_the_model(officer) -> None:
    event = AuditEvent.objects.filter(actor__isnull=True).first()
    assert event is not None
    event.verb = Verb.SIGNED_OUT
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().update(verb=Verb.SIGNED_OUT)
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


@pytest.mark.parametrize("sql", ["UPDATE audit_auditevent SET verb = 'x'", "DELETE FROM audit_auditevent"])
def test_the_database_itself_refuses_edits_and_deletes(officer, sql: str) -> None:
    assert AuditEvent.objects.exists()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


def test_the_admin_is_read_only(officer) -> None:
    admin = site._registry[AuditEvent]
    request = RequestFactory().get("/admin/")
    request.user = officer
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request)
    assert not admin.has_delete_permission(request)
