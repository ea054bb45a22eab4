"""Witness support (emh 4.6: witnesses are supported through giving evidence): a witness's support
needs and the support given, in ``case_party_update``, on the parties part and in the parties API.

Rules proved here: both are saved (trimmed) and kept when not given; too long is refused and
nothing is saved; the audit says they changed without copying the text; the parties part shows
them for a witness and the update form takes them; the API reads and writes them.
"""

from __future__ import annotations

import pytest

from haven.accounts.services import token_create
from haven.audit.models import AuditEvent, Verb
from haven.cases.models import PartyRole
from haven.cases.services.parties import case_party_add, case_party_update
from haven.cases.tests.factories import signed_in, text
from haven.common.errors import ApplicationError
from haven.common.stale import version_of
from haven.interventions.tests.factories import Setting, setting

pytestmark = pytest.mark.django_db
NEEDS = "Anxious about meeting the reported person at court"
GIVEN = "Referred to Victim Support; special measures asked for"


@pytest.fixture
def emh(staff, make_user) -> Setting:  # type: ignore[no-untyped-def]
    return setting("emh", staff, make_user)


def test_support_needs_and_support_given_are_saved_and_audited_without_the_text(emh: Setting) -> None:
    """case_party_update takes both (emh 4.6); a field left None is kept; the audit names the change only."""
    witness = case_party_add(actor=emh.officer, case=emh.case, role=PartyRole.WITNESS, name="Pat Lee")
    witness = case_party_update(
        actor=emh.officer,
        party=witness,
        version=version_of(witness.updated_at),
        witness_support_needs=f"  {NEEDS} ",
        witness_support_given=GIVEN,
    )
    assert (witness.witness_support_needs, witness.witness_support_given) == (NEEDS, GIVEN)
    event = AuditEvent.objects.filter(verb=Verb.PARTY_UPDATED).latest("pk")
    assert event.changes["witness_support_needs"] == ["changed"] and NEEDS not in str(event.changes)
    witness = case_party_update(actor=emh.officer, party=witness, version=None, witness_court=True)
    assert witness.witness_support_needs == NEEDS


def test_too_long_support_is_refused_and_nothing_saved(emh: Setting) -> None:
    """Bad input is a clear message and nothing half-written."""
    witness = case_party_add(actor=emh.officer, case=emh.case, role=PartyRole.WITNESS, name="Pat Lee")
    with pytest.raises(ApplicationError) as caught:
        case_party_update(
            actor=emh.officer, party=witness, version=None, name="Pat Leigh", witness_support_given="x" * 2001
        )
    assert "no more than 2,000 characters" in caught.value.fields["witness_support_given"]
    witness.refresh_from_db()
    assert (witness.name, witness.witness_support_given) == ("Pat Lee", "")


def test_the_parties_part_shows_and_takes_a_witnesss_support(emh: Setting) -> None:
    """The parties part shows witness support for witnesses, and its update form saves it."""
    witness = case_party_add(actor=emh.officer, case=emh.case, role=PartyRole.WITNESS, name="Pat Lee")
    client = signed_in(emh.officer)
    prefix = f"party-{witness.pk}"
    data = {
        f"{prefix}-role": "witness",
        f"{prefix}-name": "Pat Lee",
        f"{prefix}-version": version_of(witness.updated_at),
        f"{prefix}-witness_support_needs": NEEDS,
        f"{prefix}-witness_support_given": GIVEN,
    }
    response = client.post(f"/cases/{emh.case.reference}/parties/{witness.pk}/", data)
    assert response.status_code == 303
    page = text(client.get(f"/cases/{emh.case.reference}/"))
    assert "Witness support (emh 4.6)" in page and NEEDS in page and GIVEN in page


def test_the_parties_api_reads_and_writes_witness_support(emh: Setting, client) -> None:  # type: ignore[no-untyped-def]
    """PATCH .../parties/{id} takes both; the party document shows them."""
    witness = case_party_add(actor=emh.officer, case=emh.case, role=PartyRole.WITNESS, name="Pat Lee")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_create(actor=emh.officer, user=emh.officer)}"}
    url = f"/api/v1/cases/{emh.case.reference}/parties/{witness.pk}"
    response = client.patch(url, data={"witness_support_needs": NEEDS}, content_type="application/json", **auth)
    assert response.status_code == 200, response.json()
    assert response.json()["witness_support_needs"] == NEEDS and response.json()["witness_support_given"] == ""
