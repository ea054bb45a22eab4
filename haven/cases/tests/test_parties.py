"""The people in a case. Rules proved here:

- whg 4.1: roles stay neutral (reporter, reported person, witness) until a finding on the balance
  of probabilities is recorded, with its date and its evidence; only the case's officer, a
  specialist or a manager records one, and never dated in the future.
- emh 4.6: a witness's willingness to give a statement and to attend court is kept.
- WWH 2.0: a register person's communication needs and adjustments show wherever they appear;
  their vulnerabilities only to the caseworkers allowed special category data, each view audited.
- the stale-edit guard (common.stale): a change based on an old copy is refused, nothing saved.
- the reporter cannot be taken off the case; anyone else is kept on the record when taken off.
- permissions: advisers, auditors, officers of other teams and other landlords cannot change them.
- the parties part of the case page costs the same queries however many people are in the case.
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
from haven.cases.models import Case, Finding, Party, PartyRole
from haven.cases.services.parties import (
    case_party_add,
    case_party_remove,
    case_party_update,
    party_finding_record,
)
from haven.cases.tests.any_profile import PROFILES
from haven.cases.tests.any_profile import noise_case as open_case
from haven.cases.tests.factories import signed_in, text
from haven.common.errors import ApplicationError
from haven.common.stale import version_of
from haven.register.models import Person, Vulnerability

pytestmark = pytest.mark.django_db
Staff = Callable[[str], tuple[Landlord, User, User]]


def _reporter(case: Case) -> Party:
    return Party.objects.get(case=case, role=PartyRole.REPORTER)


@pytest.mark.parametrize("policy_id", PROFILES)
def test_a_reported_person_is_added_with_a_neutral_role_and_audited(staff: Staff, policy_id: str) -> None:
    landlord, adviser, officer = staff(policy_id)
    case = open_case(landlord, adviser, officer)
    person = Person.objects.create(landlord=landlord, reference="R1", first_name="Jo", last_name="Bloggs")
    party = case_party_add(actor=officer, case=case, role=PartyRole.REPORTED, person=person, via="web")
    assert party.role_label == "Reported person"
    event = AuditEvent.objects.get(verb=Verb.PARTY_ADDED, object_id=str(case.pk))
    assert event.changes["party"] == [None, party.pk] and "Jo" not in str(event.changes)
    case.refresh_from_db()
    assert case.last_activity_at is not None


def test_a_register_person_is_not_added_twice_with_the_same_role(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = open_case(landlord, adviser, officer)
    person = Person.objects.create(landlord=landlord, reference="R1", first_name="Jo", last_name="Bloggs")
    case_party_add(actor=officer, case=case, role=PartyRole.WITNESS, person=person)
    with pytest.raises(ApplicationError) as refused:
        case_party_add(actor=officer, case=case, role=PartyRole.WITNESS, person=person)
    assert "person" in refused.value.fields
    case_party_add(actor=officer, case=case, role=PartyRole.HOUSEHOLD, person=person)  # another role is fine


def test_someone_not_in_the_register_needs_a_name_or_a_description(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = open_case(landlord, adviser, officer)
    with pytest.raises(ApplicationError) as refused:
        case_party_add(actor=officer, case=case, role=PartyRole.REPORTED, via="web")
    assert "name" in refused.value.fields
    described = case_party_add(actor=officer, case=case, role=PartyRole.REPORTED, notes="Man in flat 4, tall")
    assert described.display_name == "Unknown person"


def test_a_person_of_another_landlords_register_is_refused_and_nothing_is_written(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    other, _, _ = staff("whg")
    case = open_case(landlord, adviser, officer)
    stranger = Person.objects.create(landlord=other, reference="X1", first_name="Al", last_name="Other")
    before = Party.objects.count()
    with pytest.raises(ApplicationError) as refused:
        case_party_add(actor=officer, case=case, role=PartyRole.WITNESS, person=stranger)
    assert refused.value.fields == {"person": "That person is not in this landlord's register."}
    assert Party.objects.count() == before
    assert not AuditEvent.objects.filter(verb=Verb.PARTY_ADDED).exists()


def test_bad_contact_details_are_named_field_by_field(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = open_case(landlord, adviser, officer)
    with pytest.raises(ApplicationError) as refused:
        case_party_add(
            actor=officer, case=case, role="suspect", name="Pat", email="not-an-address", preferred_contact="pigeon"
        )
    assert set(refused.value.fields) == {"role", "email", "preferred_contact"}


@pytest.mark.parametrize("policy_id", PROFILES)
def test_a_finding_needs_its_date_and_evidence_and_then_names_the_party(staff: Staff, policy_id: str) -> None:
    landlord, adviser, officer = staff(policy_id)
    case = open_case(landlord, adviser, officer)
    party = case_party_add(actor=officer, case=case, role=PartyRole.REPORTED, name="Jo Bloggs")
    with pytest.raises(ApplicationError) as refused:
        party_finding_record(actor=officer, party=party, finding=Finding.PERPETRATOR, finding_on=None, evidence=" ")
    assert set(refused.value.fields) == {"finding_on", "evidence"}
    party.refresh_from_db()
    assert party.finding == "" and party.role_label == "Reported person"
    party_finding_record(
        actor=officer, party=party, finding=Finding.PERPETRATOR, finding_on=timezone.localdate(),
        evidence="Three diary sheets and a noise app recording",
    )  # fmt: skip
    party.refresh_from_db()
    assert party.role_label == "Reported person (found perpetrator)" and party.finding_by == officer
    event = AuditEvent.objects.get(verb=Verb.FINDING_RECORDED)
    assert event.changes["finding"] == ["", "perpetrator"] and "diary" not in str(event.changes)


def test_a_finding_cannot_be_dated_in_the_future(staff: Staff) -> None:
    landlord, adviser, officer = staff("whg")
    case = open_case(landlord, adviser, officer)
    with pytest.raises(ApplicationError) as refused:
        party_finding_record(
            actor=officer, party=_reporter(case), finding=Finding.VICTIM,
            finding_on=timezone.localdate() + timedelta(days=1), evidence="Statement",
        )  # fmt: skip
    assert "finding_on" in refused.value.fields


def test_only_the_cases_officer_a_specialist_or_a_manager_records_a_finding(
    staff: Staff, make_user: Callable[..., User]
) -> None:
    landlord, adviser, officer = staff("whg")
    case = open_case(landlord, adviser, officer)
    colleague = make_user(landlord, "officer", username="whg-colleague")
    colleague.team_id = case.team_id
    colleague.save()
    for who in (colleague, adviser, make_user(landlord, "auditor")):
        with pytest.raises(ApplicationError):
            party_finding_record(
                actor=who, party=_reporter(case), finding=Finding.VICTIM, finding_on=timezone.localdate(),
                evidence="Statement",
            )  # fmt: skip
    manager = make_user(landlord, "manager")
    party_finding_record(
        actor=manager, party=_reporter(case), finding=Finding.VICTIM, finding_on=timezone.localdate(), evidence="x"
    )
    assert _reporter(case).finding == Finding.VICTIM


def test_witness_willingness_is_kept_and_a_stale_edit_is_refused(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = open_case(landlord, adviser, officer)
    witness = case_party_add(actor=officer, case=case, role=PartyRole.WITNESS, name="Pat Lee")
    seen = version_of(witness.updated_at)
    case_party_update(actor=officer, party=witness, version=seen, witness_statement=True, witness_court=False)
    witness.refresh_from_db()
    assert (witness.witness_statement, witness.witness_court) == (True, False)
    with pytest.raises(ApplicationError) as stale:
        case_party_update(actor=officer, party=witness, version=seen, phone="07700 900999")
    assert stale.value.code == "stale"
    witness.refresh_from_db()
    assert witness.phone == ""


def test_the_reporter_cannot_be_taken_off_but_a_witness_can_and_stays_on_record(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = open_case(landlord, adviser, officer)
    with pytest.raises(ApplicationError) as refused:
        case_party_remove(actor=officer, party=_reporter(case), reason="Moved away")
    assert "reporter" in refused.value.message
    witness = case_party_add(actor=officer, case=case, role=PartyRole.WITNESS, name="Pat Lee")
    with pytest.raises(ApplicationError) as no_reason:
        case_party_remove(actor=officer, party=witness, reason="  ")
    assert "reason" in no_reason.value.fields
    case_party_remove(actor=officer, party=witness, reason="Added in error")
    witness.refresh_from_db()
    assert witness.removed_at is not None and "Added in error" in witness.notes
    assert AuditEvent.objects.filter(verb=Verb.PARTY_REMOVED).count() == 1


def test_advisers_auditors_and_other_teams_cannot_change_the_people(
    staff: Staff, make_user: Callable[..., User]
) -> None:
    landlord, adviser, officer = staff("emh")
    _, _, stranger = staff("whg")
    case = open_case(landlord, adviser, officer)
    outsider = make_user(landlord, "officer", username="emh-outsider")
    for who in (adviser, make_user(landlord, "auditor"), stranger, outsider):
        with pytest.raises(ApplicationError):
            case_party_add(actor=who, case=case, role=PartyRole.WITNESS, name="Pat Lee")
    assert Party.objects.filter(case=case).count() == 1
    response = signed_in(adviser).post(
        f"/cases/{case.reference}/parties/", {"party-add-role": "witness", "party-add-name": "Pat"}
    )
    assert response.status_code == 403


def test_the_page_adds_a_register_person_by_reference_and_shows_errors_as_typed(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = open_case(landlord, adviser, officer)
    Person.objects.create(landlord=landlord, reference="R7", first_name="Ola", last_name="Nowak")
    client = signed_in(officer)
    bad = client.post(f"/cases/{case.reference}/parties/", {"party-add-role": "witness", "party-add-person": "NOPE"})
    assert bad.status_code == 400 and "There is nobody with the reference NOPE in the register." in text(bad)
    assert 'href="#id_party-add-person"' in text(bad)
    ok = client.post(f"/cases/{case.reference}/parties/", {"party-add-role": "witness", "party-add-person": "R7"})
    assert ok.status_code == 303
    assert Party.objects.get(case=case, role=PartyRole.WITNESS).person is not None


def test_a_finding_from_the_page_and_a_stale_form_is_refused(staff: Staff) -> None:
    landlord, adviser, officer = staff("whg")
    case = open_case(landlord, adviser, officer)
    reporter = _reporter(case)
    client = signed_in(officer)
    prefix = f"finding-{reporter.pk}"
    body = {f"{prefix}-finding": "victim", f"{prefix}-finding_on": timezone.localdate().strftime("%d/%m/%Y"),
            f"{prefix}-evidence": "Police log", f"{prefix}-version": version_of(reporter.updated_at)}  # fmt: skip
    assert client.post(f"/cases/{case.reference}/parties/{reporter.pk}/finding/", body).status_code == 303
    page = text(client.get(f"/cases/{case.reference}/"))
    assert "Reporter (found victim)" in page
    stale = client.post(
        f"/cases/{case.reference}/parties/{reporter.pk}/finding/", {**body, f"{prefix}-finding": "none"}
    )
    assert stale.status_code == 400 and "Someone else changed this" in text(stale)
    assert client.post(f"/cases/{case.reference}/parties/999999/finding/", body).status_code == 404


def test_needs_show_to_all_staff_and_vulnerabilities_only_to_caseworkers(staff: Staff) -> None:
    landlord, adviser, officer = staff("wwh")
    case = open_case(landlord, adviser, officer)
    person = Person.objects.create(
        landlord=landlord, reference="V1", first_name="Ola", last_name="Nowak",
        communication_needs="Welsh speaker", reasonable_adjustments="Calls after 10am",
    )  # fmt: skip
    Vulnerability.objects.create(person=person, kind="mental_health", detail="Anxiety")
    case_party_add(actor=officer, case=case, role=PartyRole.WITNESS, person=person)
    as_adviser = text(signed_in(adviser).get(f"/cases/{case.reference}/"))
    assert "Welsh speaker" in as_adviser and "Calls after 10am" in as_adviser
    assert "Anxiety" not in as_adviser and "Recorded in the register" in as_adviser
    assert not AuditEvent.objects.filter(verb=Verb.VULNERABILITIES_VIEWED).exists()
    as_officer = text(signed_in(officer).get(f"/cases/{case.reference}/"))
    assert "Mental health: Anxiety" in as_officer
    assert AuditEvent.objects.filter(verb=Verb.VULNERABILITIES_VIEWED, actor=officer).count() == 1


def test_the_parties_part_costs_the_same_queries_however_many_people(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = open_case(landlord, adviser, officer)
    client = signed_in(officer)

    def add(n: int) -> None:
        person = Person.objects.create(
            landlord=landlord, reference=f"P{n}", first_name="Pat", last_name=f"Lee{n}", communication_needs="BSL"
        )
        Party.objects.create(case=case, role=PartyRole.WITNESS, person=person)

    add(0)
    client.get(f"/cases/{case.reference}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/cases/{case.reference}/")
    for n in range(1, 12):
        add(n)
    with CaptureQueriesContext(connection) as many:
        page = text(client.get(f"/cases/{case.reference}/"))
    assert "Pat Lee11" in page and page.count('data-testid="party"') == 13
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_forms_of_the_parties_flags_and_notes_have_unique_ids(staff: Staff) -> None:
    import re
    from collections import Counter

    landlord, adviser, officer = staff("emh")
    case = open_case(landlord, adviser, officer)
    for n in range(3):
        case_party_add(actor=officer, case=case, role=PartyRole.WITNESS, name=f"Witness {n}")
    page = text(signed_in(officer).get(f"/cases/{case.reference}/"))
    mine = re.compile(r"^(id_)?(party|finding|remove|person|flags|note)")
    ids = Counter(i for i in re.findall(r'\bid="([^"]+)"', page) if mine.match(i))
    assert ids and [i for i, n in ids.items() if n > 1] == []
    assert "id_finding-" in page and "id_remove-" in page and "id_party-add-role" in page
