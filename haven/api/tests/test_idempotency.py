"""``Idempotency-Key`` on the API's writes (API.md): a retried request with the same key returns
the first result and creates nothing new; a key names one request; refused requests are not kept.
"""

from __future__ import annotations

import os
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.services import token_create
from haven.api.models import IdempotencyRecord
from haven.api.tests import test_reports_api as reports
from haven.cases.models import Contact, Recategorisation
from haven.intake.models import Report

pytestmark = pytest.mark.django_db

api, emh_staff, new_report = reports.api, reports.emh_staff, reports.new_report
LOW_NOISE, REPORT, fields_of = reports.LOW_NOISE, reports.REPORT, reports.fields_of

KEY = "9b2f6f5e-1c1e-4b8e-9a57-4c0f4f3f2a10"


def test_a_retried_report_returns_the_first_answer_and_creates_nothing_new(api) -> None:
    first = api("adviser", "post", "/api/v1/reports", REPORT, key=KEY)
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first.headers
    retry = api("adviser", "post", "/api/v1/reports", REPORT, key=KEY)
    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert Report.objects.count() == 1
    assert Report.objects.get().reference == first.json()["reference"]


def test_spacing_and_key_order_of_the_body_do_not_matter(api) -> None:
    import json

    first = api("adviser", "post", "/api/v1/reports", json.dumps(REPORT), key=KEY)
    reordered = json.dumps(dict(reversed(list(REPORT.items()))), indent=4)
    retry = api("adviser", "post", "/api/v1/reports", reordered, key=KEY)
    assert retry.status_code == 201 and retry.json() == first.json()
    assert Report.objects.count() == 1


def test_the_same_key_with_another_body_or_address_is_refused(api) -> None:
    reference = api("adviser", "post", "/api/v1/reports", REPORT, key=KEY).json()["reference"]
    other = api("adviser", "post", "/api/v1/reports", {**REPORT, "what": "Something else"}, key=KEY)
    assert other.status_code == 422
    assert fields_of(other) == ["Idempotency-Key"]
    assert "different request" in other.json()["errors"][0]["message"]
    elsewhere = api("adviser", "post", f"/api/v1/reports/{reference}/triage", LOW_NOISE, key=KEY)
    assert elsewhere.status_code == 422
    assert Report.objects.count() == 1
    assert Report.objects.get().status == "new"


def test_a_refused_request_is_not_kept_so_a_corrected_retry_with_the_same_key_works(api) -> None:
    bad = {**REPORT, "location": {"address": "Behind the shops", "postcode": "NOT A CODE"}}
    refused = api("adviser", "post", "/api/v1/reports", bad, key=KEY)
    assert refused.status_code == 400 and fields_of(refused) == ["location.postcode"]
    assert not IdempotencyRecord.objects.exists()
    corrected = api("adviser", "post", "/api/v1/reports", {**bad, "location": {"postcode": "LE67 4JP"}}, key=KEY)
    assert corrected.status_code == 201
    again = api("adviser", "post", "/api/v1/reports", {**bad, "location": {"postcode": "LE67 4JP"}}, key=KEY)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Report.objects.count() == 1


@pytest.mark.parametrize("key", ["k" * 201, " ", "caf\u00e9"])
def test_keys_too_long_empty_or_not_plain_text_are_refused(api, key: str) -> None:
    response = api("adviser", "post", "/api/v1/reports", REPORT, key=key)
    assert response.status_code == 400
    assert fields_of(response) == ["Idempotency-Key"]
    assert not Report.objects.exists()


def test_a_key_of_200_characters_is_accepted(api) -> None:
    assert api("adviser", "post", "/api/v1/reports", REPORT, key="k" * 200).status_code == 201


def test_keys_belong_to_their_user(api) -> None:
    mine = api("adviser", "post", "/api/v1/reports", REPORT, key=KEY)
    theirs = api("officer", "post", "/api/v1/reports", REPORT, key=KEY)
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["reference"] != theirs.json()["reference"]
    assert "Idempotent-Replayed" not in theirs.headers


def test_without_a_key_each_request_is_new_and_nothing_is_kept(api) -> None:
    api("adviser", "post", "/api/v1/reports", REPORT)
    api("adviser", "post", "/api/v1/reports", REPORT)
    assert Report.objects.count() == 2
    assert not IdempotencyRecord.objects.exists()


def test_a_key_is_forgotten_after_24_hours_and_old_records_are_removed(api) -> None:
    first = api("adviser", "post", "/api/v1/reports", REPORT, key=KEY).json()
    api("adviser", "post", "/api/v1/reports", REPORT, key="another-key")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    later = api("adviser", "post", "/api/v1/reports", REPORT, key=KEY)
    assert later.status_code == 201 and "Idempotent-Replayed" not in later.headers
    assert later.json()["reference"] != first["reference"]
    assert Report.objects.count() == 3
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == [KEY]  # the old ones are gone


def test_a_request_still_being_processed_answers_409(api) -> None:
    """What a second copy sees when it can read the first's record before the first has finished."""
    api("adviser", "get", "/api/v1/cases")  # makes the adviser
    user = User.objects.get(username="emh-adviser")
    first = api("adviser", "post", "/api/v1/reports", REPORT, key=KEY)
    IdempotencyRecord.objects.filter(user=user, key=KEY).update(status_code=None, response=None)
    response = api("adviser", "post", "/api/v1/reports", REPORT, key=KEY)
    assert response.status_code == 409
    assert "still being processed" in response.json()["errors"][0]["message"]
    assert first.status_code == 201 and Report.objects.count() == 1


def test_triage_recategorise_and_contacts_replay_their_first_answer(api, new_report) -> None:
    reference = new_report()
    path = f"/api/v1/reports/{reference}/triage"
    triaged = api("adviser", "post", path, LOW_NOISE, key="triage-1")
    retried = api("adviser", "post", path, LOW_NOISE, key="triage-1")
    assert triaged.status_code == retried.status_code == 200  # not 409 "already triaged"
    assert retried.json() == triaged.json() and retried.headers["Idempotent-Replayed"] == "true"
    case = triaged.json()["case"]["reference"]

    body = {"tier": "high", "reason": "Threats made"}
    for _ in range(2):
        moved = api("officer", "post", f"/api/v1/cases/{case}/recategorise", body, key="move-1")
        assert moved.status_code == 200 and moved.json()["tier"] == "high"
    assert Recategorisation.objects.count() == 1

    contact = {"party": "reporter", "channel": "phone", "summary": "Called back"}
    answers = [api("officer", "post", f"/api/v1/cases/{case}/contacts", contact, key="contact-1") for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json() == answers[1].json()
    assert Contact.objects.count() == 1


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL (scripts/with-postgres): SQLite's in-memory test database is not shared between "
    "threads, and flushing it after a transactional test meets the audit table's append-only trigger",
)
@pytest.mark.django_db(transaction=True)
def test_two_copies_sent_together_create_one_report(make_user, emh: Any) -> None:
    """Two copies of one request racing: the unique (user, key) record makes the second wait for the
    first and answer with its result."""
    assert connection.vendor == "postgresql"
    reports.make_staff(emh, make_user)
    adviser = make_user(emh, "adviser")
    token = token_create(actor=adviser, user=adviser)
    barrier = threading.Barrier(2)
    answers: list[Any] = []

    def send() -> None:
        from django.db import connection as own

        try:
            barrier.wait(timeout=10)
            answers.append(
                Client().post(
                    "/api/v1/reports",
                    data=REPORT,
                    content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {token}",
                    HTTP_IDEMPOTENCY_KEY=KEY,
                )
            )
        finally:
            own.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(answers) == 2
    assert sorted(a.status_code for a in answers) == [201, 201], [a.json() for a in answers]
    assert answers[0].json()["reference"] == answers[1].json()["reference"]
    assert Report.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1
