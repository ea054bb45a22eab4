"""The people, notes, flags and warning markers of a case through the API. Rules proved here:

- whg 4.1: parties carry neutral roles; a finding needs its date and evidence, and only the case's
  officer, a specialist or a manager records one (403 for a team colleague).
- the stale-edit guard: a PATCH with an old ``version`` is a 409 and saves nothing.
- WWH 3.0: sensitive notes are left out for those who may not read them, and counted.
- flags: the hate flag needs a strand; restricting flags restrict the case.
- pnp Red Flag procedure: the markers of the case's property and people.
- permissions: another landlord gets 404, an adviser 403 on writes; bad bodies name their fields.
- the endpoints are in a valid OpenAPI schema; the parties list costs the same however many.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.accounts.models import Landlord, User
from haven.accounts.services import token_create
from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Case, Party, PartyRole
from haven.cases.services.notes import note_add
from haven.cases.tests.any_profile import PROFILES, noise_case
from haven.register.models import Person, Property, WarningMarker

pytestmark = pytest.mark.django_db
Staff = Callable[[str], tuple[Landlord, User, User]]


def call(user: User, method: str, path: str, body: Any = None) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_create(actor=user, user=user)}"}
    client = Client()
    if method == "get":
        return client.get(path, **headers)
    return getattr(client, method)(path, data=body, content_type="application/json", **headers)


def fields(response: Any) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


def base(case: Case) -> str:
    return f"/api/v1/cases/{case.reference}"


@pytest.mark.parametrize("policy_id", PROFILES)
def test_add_a_register_person_and_list_the_parties(staff: Staff, policy_id: str) -> None:
    landlord, adviser, officer = staff(policy_id)
    case = noise_case(landlord, adviser, officer)
    Person.objects.create(
        landlord=landlord, reference="R1", first_name="Jo", last_name="Bloggs", communication_needs="Large print"
    )
    added = call(officer, "post", f"{base(case)}/parties", {"role": "reported", "person": "R1"})
    assert added.status_code == 201, added.json()
    assert added.json()["role_label"] == "Reported person" and added.json()["person"] == "R1"
    assert added.json()["communication_needs"] == ["Large print"]
    listed = call(adviser, "get", f"{base(case)}/parties")
    assert listed.status_code == 200 and listed.json()["count"] == 2
    assert [p["role"] for p in listed.json()["results"]] == ["reporter", "reported"]
    assert listed.json()["results"][1]["vulnerabilities"] is None  # an adviser never sees them


def test_bad_party_bodies_name_their_fields_and_write_nothing(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = noise_case(landlord, adviser, officer)
    unknown = call(officer, "post", f"{base(case)}/parties", {"role": "reported", "person": "NOPE"})
    assert unknown.status_code == 400 and fields(unknown) == {"person"}
    bad = call(officer, "post", f"{base(case)}/parties", {"role": "suspect", "colour": "red"})
    assert bad.status_code == 400 and fields(bad) == {"role", "colour"}
    nameless = call(officer, "post", f"{base(case)}/parties", {"role": "witness", "email": "nope"})
    assert nameless.status_code == 400 and fields(nameless) == {"name", "email"}
    assert Party.objects.filter(case=case).count() == 1


def test_a_stale_patch_is_a_409_and_saves_nothing(staff: Staff) -> None:
    landlord, adviser, officer = staff("whg")
    case = noise_case(landlord, adviser, officer)
    witness = call(officer, "post", f"{base(case)}/parties", {"role": "witness", "name": "Pat Lee"}).json()
    path = f"{base(case)}/parties/{witness['id']}"
    first = call(officer, "patch", path, {"version": witness["version"], "witness_statement": True})
    assert first.status_code == 200 and first.json()["witness_statement"] is True
    assert first.json()["witness_court"] is None
    stale = call(officer, "patch", path, {"version": witness["version"], "phone": "07700 900999"})
    assert stale.status_code == 409 and fields(stale) == {"version"}
    assert Party.objects.get(pk=witness["id"]).phone == ""
    assert call(officer, "patch", f"{base(case)}/parties/999999", {"phone": "1"}).status_code == 404


def test_take_a_person_off_but_never_the_reporter(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = noise_case(landlord, adviser, officer)
    witness = call(officer, "post", f"{base(case)}/parties", {"role": "witness", "name": "Pat Lee"}).json()
    reporter = Party.objects.get(case=case, role=PartyRole.REPORTER)
    refused = call(officer, "post", f"{base(case)}/parties/{reporter.pk}/remove", {"reason": "Moved"})
    assert refused.status_code == 400 and fields(refused) == {"reason"}
    assert call(adviser, "post", f"{base(case)}/parties/{witness['id']}/remove", {"reason": "x"}).status_code == 403
    done = call(officer, "post", f"{base(case)}/parties/{witness['id']}/remove", {"reason": "Added in error"})
    assert done.status_code == 200 and done.json()["removed_at"] is not None


def test_a_finding_through_the_api_and_who_may_record_one(staff: Staff, make_user: Callable[..., User]) -> None:
    landlord, adviser, officer = staff("whg")
    case = noise_case(landlord, adviser, officer)
    reporter = Party.objects.get(case=case, role=PartyRole.REPORTER)
    path = f"{base(case)}/parties/{reporter.pk}/finding"
    body = {"finding": "victim", "finding_on": timezone.localdate().isoformat(), "evidence": "Police log"}
    colleague = make_user(landlord, "officer", username="whg-colleague")
    colleague.team_id = case.team_id
    colleague.save()
    assert call(colleague, "post", path, body).status_code == 403
    assert call(adviser, "post", path, body).status_code == 403
    missing = call(officer, "post", path, {"finding": "perpetrator"})
    assert missing.status_code == 400 and fields(missing) == {"finding_on", "evidence"}
    done = call(officer, "post", path, body)
    assert done.status_code == 200 and done.json()["role_label"] == "Reporter (found victim)"
    assert done.json()["finding_on"] == body["finding_on"]


def test_sensitive_notes_are_left_out_for_those_who_may_not_read_them(staff: Staff) -> None:
    landlord, adviser, officer = staff("wwh")
    case = noise_case(landlord, adviser, officer)
    made = call(officer, "post", f"{base(case)}/notes", {"text": "Health details", "sensitive": True})
    assert made.status_code == 201 and made.json()["sensitive"] is True
    note_add(actor=officer, case=case, text="Called back")
    as_adviser = call(adviser, "get", f"{base(case)}/notes").json()
    assert [n["text"] for n in as_adviser["results"]] == ["Called back"] and as_adviser["sensitive_withheld"] == 1
    as_officer = call(officer, "get", f"{base(case)}/notes").json()
    assert as_officer["count"] == 2 and as_officer["sensitive_withheld"] == 0
    assert AuditEvent.objects.filter(verb=Verb.SENSITIVE_NOTES_VIEWED, via="api").count() == 1
    assert call(adviser, "post", f"{base(case)}/notes", {"text": "Hi"}).status_code == 403
    empty = call(officer, "post", f"{base(case)}/notes", {"text": ""})
    assert empty.status_code == 400 and fields(empty) == {"text"}


@pytest.mark.parametrize("policy_id", PROFILES)
def test_flags_through_the_api(staff: Staff, policy_id: str) -> None:
    landlord, adviser, officer = staff(policy_id)
    case = noise_case(landlord, adviser, officer)
    version = call(officer, "get", f"{base(case)}/flags").json()["version"]
    no_strand = call(officer, "post", f"{base(case)}/flags", {"add": ["hate"], "reason": "Abuse", "version": version})
    assert no_strand.status_code == 400 and fields(no_strand) == {"hate_strands"}
    unknown = call(officer, "post", f"{base(case)}/flags", {"add": ["noise"], "reason": "x", "version": version})
    assert unknown.status_code == 400 and fields(unknown) == {"add"}
    body = {"add": ["hate", "safeguarding"], "hate_strands": ["disability"], "reason": "Abuse", "version": version}
    done = call(officer, "post", f"{base(case)}/flags", body)
    assert done.status_code == 200 and done.json()["restricted"] is True
    assert "hate" in done.json()["flags"] and done.json()["hate_strands"] == ["disability"]
    stale = call(officer, "post", f"{base(case)}/flags", {"add": ["vulnerable_reporter"], "reason": "x",
                                                          "version": version})  # fmt: skip
    assert stale.status_code == 409
    assert call(adviser, "get", f"{base(case)}/flags").status_code == 404  # now restricted


def test_markers_and_another_landlord_gets_404(staff: Staff) -> None:
    landlord, adviser, officer = staff("pnp")
    _, _, stranger = staff("emh")
    home = Property.objects.create(
        landlord=landlord, reference="P1", uprn="000000000001", address_line_1="1 High Street", town="Macclesfield",
        postcode="SK10 1AA", tenure="social_rent",
    )  # fmt: skip
    WarningMarker.objects.create(landlord=landlord, property=home, kind="no_lone_visits", detail="Since May")
    case = noise_case(landlord, adviser, officer, property=home)
    markers = call(adviser, "get", f"{base(case)}/markers")
    assert markers.status_code == 200
    assert markers.json()["results"] == [
        {"kind": "no_lone_visits", "label": "No lone visits", "detail": "Since May", "person": None,
         "person_name": None, "property": "P1"}
    ]  # fmt: skip
    for path in ("markers", "parties", "notes", "flags"):
        assert call(stranger, "get", f"{base(case)}/{path}").status_code == 404


def test_the_parties_list_costs_the_same_however_many(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = noise_case(landlord, adviser, officer)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_create(actor=officer, user=officer)}"}
    client = Client()

    def add(n: int) -> None:
        person = Person.objects.create(landlord=landlord, reference=f"R{n}", first_name="Pat", last_name=f"Lee{n}")
        Party.objects.create(case=case, role=PartyRole.WITNESS, person=person)

    add(0)
    client.get(f"{base(case)}/parties", **headers)
    with CaptureQueriesContext(connection) as few:
        client.get(f"{base(case)}/parties", **headers)
    for n in range(1, 12):
        add(n)
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"{base(case)}/parties", **headers)
    assert response.json()["count"] == 13
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_endpoints_are_in_a_valid_openapi_schema(client: Client) -> None:
    from drf_spectacular.validation import validate_schema

    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    validate_schema(schema)
    paths = schema["paths"]
    assert set(paths["/api/v1/cases/{reference}/parties"]) == {"get", "post"}
    assert set(paths["/api/v1/cases/{reference}/parties/{party_id}"]) == {"patch"}
    assert set(paths["/api/v1/cases/{reference}/parties/{party_id}/finding"]) == {"post"}
    assert set(paths["/api/v1/cases/{reference}/notes"]) == {"get", "post"}
    assert set(paths["/api/v1/cases/{reference}/flags"]) == {"get", "post"}
    assert set(paths["/api/v1/cases/{reference}/markers"]) == {"get"}
    assert set(paths["/api/v1/cases/{reference}/parties/{party_id}/remove"]) == {"post"}
