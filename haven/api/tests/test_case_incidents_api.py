"""Incidents and files of a case through the API (issue 5).

Rules proved: an incident recorded by staff through the API counts as reviewed (and a diary entry
is reviewed with ``.../review``); dates out of order or in the future, and a missing description,
are 400s with one error per field and nothing written; a file is multipart, checked by content
(a disallowed one is a 400 naming what is allowed, nothing kept) and hashed with SHA-256; the
download is an audited attachment with ``nosniff``; an adviser or auditor cannot write (403), another
landlord's staff see nothing (404); lists are paginated at a constant number of queries; the schema
documents every path.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.accounts.models import Landlord, User
from haven.accounts.services import token_create
from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Case, CaseFile, Incident
from haven.cases.tests.evidence_factories import PNG, any_case, unreviewed

Staff = Callable[[str], tuple[Landlord, User, User]]


class Api:
    """Requests with a Bearer token for one user."""

    def __init__(self, user: User) -> None:
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token_create(actor=user, user=user)}"}

    def get(self, path: str) -> Any:
        return self.client.get(path, **self.headers)

    def post(self, path: str, body: Any = None, **extra: Any) -> Any:
        return self.client.post(path, data=body or {}, content_type="application/json", **self.headers, **extra)

    def upload(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.post(path, data=body, **self.headers)  # multipart


@pytest.fixture
def setting(staff: Staff) -> tuple[Landlord, User, User, Case]:
    landlord, adviser, officer = staff("livv")
    return landlord, adviser, officer, any_case(landlord, adviser, officer)


def incident_body(**changes: Any) -> dict[str, Any]:
    body = {
        "occurred_at": (timezone.now() - timedelta(hours=3)).isoformat(),
        "occurred_until": (timezone.now() - timedelta(hours=2)).isoformat(),
        "location": "Car park", "description": "Revving engines", "source": "partner", "party": "reporter",
    }  # fmt: skip
    body.update(changes)
    return body


def test_an_incident_recorded_by_staff_through_the_api_is_reviewed_and_listed(setting: tuple) -> None:
    _, _, officer, case = setting
    api = Api(officer)
    body = incident_body()
    response = api.post(f"/api/v1/cases/{case.reference}/incidents", body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 201, response.json()
    document = response.json()
    assert document["reviewed_at"] is not None and document["recorded_via"] == "api"
    assert document["recorded_by"] == officer.username and document["source"] == "partner"
    again = api.post(f"/api/v1/cases/{case.reference}/incidents", body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201 and Incident.objects.count() == 1  # the retry creates nothing new
    listed = api.get(f"/api/v1/cases/{case.reference}/incidents").json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == document["id"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"occurred_at": (timezone.now() + timedelta(days=2)).isoformat(), "occurred_until": None}, "occurred_at"),
        ({"occurred_until": (timezone.now() - timedelta(days=2)).isoformat()}, "occurred_until"),
        ({"description": ""}, "description"),
        ({"source": "rumour"}, "source"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_incident_is_a_400_naming_the_field_and_nothing_is_written(
    setting: tuple, changes: dict[str, Any], field: str
) -> None:
    _, _, officer, case = setting
    response = Api(officer).post(f"/api/v1/cases/{case.reference}/incidents", incident_body(**changes))
    assert response.status_code == 400
    assert field in {e["field"] for e in response.json()["errors"]}
    assert not Incident.objects.exists()


def test_a_diary_entry_is_reviewed_through_the_api(setting: tuple) -> None:
    _, _, officer, case = setting
    entry = unreviewed(case)
    api = Api(officer)
    response = api.post(f"/api/v1/cases/{case.reference}/incidents/{entry.pk}/review")
    assert response.status_code == 200 and response.json()["reviewed_by"] == officer.username
    assert api.post(f"/api/v1/cases/{case.reference}/incidents/{entry.pk}/review").status_code == 400


def test_a_file_is_uploaded_hashed_and_downloaded_as_an_audited_attachment(setting: tuple) -> None:
    _, _, officer, case = setting
    api = Api(officer)
    incident = api.post(f"/api/v1/cases/{case.reference}/incidents", incident_body()).json()
    response = api.upload(
        f"/api/v1/cases/{case.reference}/files",
        {"file": SimpleUploadedFile("car.png", PNG), "kind": "evidence", "incident": incident["id"]},
    )
    assert response.status_code == 201, response.json()
    document = response.json()
    assert document["sha256"] == hashlib.sha256(PNG).hexdigest() and document["content_type"] == "image/png"
    assert document["incident"] == incident["id"] and document["size"] == len(PNG)

    download = api.get(document["download"])
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PNG
    viewed = AuditEvent.objects.filter(verb=Verb.FILE_VIEWED, object_id=str(case.pk), via="api")
    assert viewed.count() == 1
    files = api.get(f"/api/v1/cases/{case.reference}/files").json()
    assert [f["id"] for f in files["results"]] == [document["id"]]


def test_a_file_from_the_reporter_is_reviewed_through_the_api_once_and_not_by_an_adviser(setting: tuple) -> None:
    """A file that came through the diary link waits in the evidence inbox until a caseworker
    reviews it (FILE_REVIEWED); a second review is refused, an adviser may not, another id is 404."""
    _, adviser, officer, case = setting
    api = Api(officer)
    uploaded = api.upload(f"/api/v1/cases/{case.reference}/files", {"file": SimpleUploadedFile("a.png", PNG),
                                                                      "kind": "evidence"}).json()  # fmt: skip
    CaseFile.objects.filter(pk=uploaded["id"]).update(reviewed_at=None, reviewed_by=None, uploaded_via="diary_link")
    path = f"/api/v1/cases/{case.reference}/files/{uploaded['id']}/review"
    assert Api(adviser).post(path).status_code == 403
    response = api.post(path)
    assert response.status_code == 200 and response.json()["reviewed_at"] is not None
    assert CaseFile.objects.get(pk=uploaded["id"]).reviewed_by == officer
    assert AuditEvent.objects.filter(verb=Verb.FILE_REVIEWED, object_id=str(case.pk), via="api").count() == 1
    assert api.post(path).status_code == 400
    assert api.post(f"/api/v1/cases/{case.reference}/files/{uploaded['id'] + 999}/review").status_code == 404


def test_a_disallowed_file_is_refused_naming_what_is_allowed_and_nothing_is_kept(setting: tuple, settings: Any) -> None:
    _, _, officer, case = setting
    response = Api(officer).upload(
        f"/api/v1/cases/{case.reference}/files",
        {"file": SimpleUploadedFile("run.exe", b"MZ\x90\x00\x03\x00"), "kind": "document"},
    )
    assert response.status_code == 400
    (problem,) = [e for e in response.json()["errors"] if e["field"] == "file"]
    assert "run.exe" in problem["message"] and "PDF or Word" in problem["message"]
    assert not CaseFile.objects.exists()
    assert not [p for p in Path(settings.HAVEN_EVIDENCE_DIR).rglob("*") if p.is_file()]


@pytest.mark.parametrize("role", ["adviser", "auditor"])
def test_advisers_and_auditors_cannot_write_incidents_or_files(
    setting: tuple, make_user: Callable[..., User], role: str
) -> None:
    landlord, adviser, _, case = setting
    api = Api(adviser if role == "adviser" else make_user(landlord, role))
    assert api.post(f"/api/v1/cases/{case.reference}/incidents", incident_body()).status_code == 403
    body = {"file": SimpleUploadedFile("car.png", PNG), "kind": "evidence"}
    assert api.upload(f"/api/v1/cases/{case.reference}/files", body).status_code == 403
    assert not Incident.objects.exists() and not CaseFile.objects.exists()


def test_another_landlords_staff_see_nothing(
    setting: tuple, make_user: Callable[..., User], make_landlord: Callable[..., Landlord]
) -> None:
    _, _, officer, case = setting
    Api(officer).post(f"/api/v1/cases/{case.reference}/incidents", incident_body())
    stranger = Api(make_user(make_landlord("emh"), "manager"))
    assert stranger.get(f"/api/v1/cases/{case.reference}/incidents").status_code == 404
    assert stranger.get(f"/api/v1/cases/{case.reference}/files").status_code == 404
    assert stranger.post(f"/api/v1/cases/{case.reference}/incidents", incident_body()).status_code == 404


def test_the_incident_list_costs_the_same_queries_whatever_its_length(setting: tuple) -> None:
    _, _, officer, case = setting
    api = Api(officer)
    path = f"/api/v1/cases/{case.reference}/incidents"
    api.post(path, incident_body())
    api.get(path)
    with CaptureQueriesContext(connection) as few:
        api.get(path)
    for _ in range(5):
        api.post(path, incident_body())
        body = {
            "file": SimpleUploadedFile("a.png", PNG),
            "kind": "evidence",
            "incident": Incident.objects.latest("pk").pk,
        }
        assert api.upload(f"/api/v1/cases/{case.reference}/files", body).status_code == 201
    with CaptureQueriesContext(connection) as many:
        assert api.get(path).json()["count"] == 6
    assert len(many) == len(few)


def test_the_schema_documents_the_incident_and_file_paths(client: Client) -> None:
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for path in (
        "/api/v1/cases/{reference}/incidents",
        "/api/v1/cases/{reference}/incidents/{incident_id}/review",
        "/api/v1/cases/{reference}/files",
        "/api/v1/cases/{reference}/files/{file_id}",
    ):
        assert path in paths
