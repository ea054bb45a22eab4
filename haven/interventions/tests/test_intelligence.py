"""Cases opened from partner intelligence (WWH 4.0: police-led activity; partner intelligence).

Rules proved here: a specialist or manager (the profile's ``casework.restricted_roles``) opens a
case from a partner agency's intelligence; it is restricted (an officer who is not its officer
cannot see it, a specialist can), led by the partner (``lead_agency``, "Led by" on the case page),
and its log holds the intelligence received with its handling restrictions; an adviser is
refused, and so is a partner that is not an agency of the profile, with nothing written; the page
keeps typed input on errors.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from haven.accounts.permissions import can_view_case
from haven.cases.models import Case
from haven.cases.tests.factories import signed_in, text
from haven.common.errors import ApplicationError
from haven.interventions.models.partnership import InformationShare
from haven.interventions.services.sharing import case_open_from_intelligence

pytestmark = pytest.mark.django_db
URL = "/cases/new/intelligence/"


def _open(actor, **changes):  # type: ignore[no-untyped-def]
    values = {"partner": "police", "received_at": timezone.now() - timedelta(hours=2),
              "summary": "Drug dealing from the stairwell, reported by patrols", "category": "noise", "tier": "low",
              "location": "Stairwell, Mill Court", "postcode": "le67 4jp",
              "handling": "Police only: do not disclose"}  # fmt: skip
    values.update(changes)
    return case_open_from_intelligence(actor=actor, **values)


def test_a_specialist_opens_a_restricted_police_led_case(staff, make_user) -> None:
    """WWH 4.0: the case is restricted, led by the partner, and the intelligence is in its log as
    received with its handling restrictions."""
    landlord, adviser, officer = staff("emh")
    specialist = make_user(landlord, "specialist")
    case = _open(specialist)
    case.refresh_from_db()
    assert case.restricted and "restricted" in case.flags and case.lead_agency == "police"
    assert case.postcode == "LE67 4JP" and case.parties.count() == 0
    share = InformationShare.objects.get(case=case)
    assert (share.direction, share.partner, share.organisation, share.handling) == (
        "received", "police", "Police Services", "Police only: do not disclose",
    )  # fmt: skip
    other_officer = make_user(landlord, "officer", username="emh-officer-2")
    outsider = other_officer if case.officer_id != other_officer.pk else officer
    assert not can_view_case(outsider, case) and not can_view_case(adviser, case)
    assert can_view_case(make_user(landlord, "specialist", username="emh-specialist-2"), case)
    assert signed_in(outsider).get(f"/cases/{case.reference}/").status_code == 404


def test_an_adviser_or_an_officer_is_refused(staff, make_user) -> None:
    """WWH 4.0; casework.restricted_roles: only specialists and managers open these cases."""
    _, adviser, officer = staff("emh")
    for user in (adviser, officer):
        with pytest.raises(ApplicationError, match="Only an ASB specialist or a team manager"):
            _open(user)
        assert signed_in(user).get(URL).status_code == 403
    assert not Case.objects.exists()


def test_an_unknown_partner_or_a_forum_is_refused(staff, make_user) -> None:
    """The partner is an agency of the profile (a forum such as MARAC gives no intelligence itself)."""
    landlord, _, _ = staff("emh")
    manager = make_user(landlord, "manager")
    for code in ("interpol", "marac"):
        with pytest.raises(ApplicationError) as caught:
            _open(manager, partner=code)
        assert caught.value.fields["partner"].startswith(f"{code} is not a partner agency")
    with pytest.raises(ApplicationError) as caught:
        _open(manager, handling="", property_reference="NOPE-1", received_at=timezone.now() + timedelta(days=1))
    assert set(caught.value.fields) == {"handling", "property_reference", "received_at"}
    assert not Case.objects.exists() and not InformationShare.objects.exists()


def test_the_page_opens_the_case_and_says_led_by(staff, make_user) -> None:
    """The page (a GOV.UK form) opens the case and redirects to it; the case page says "Led by"."""
    landlord, _, _ = staff("emh")
    manager = make_user(landlord, "manager")
    client = signed_in(manager)
    body = {"intelligence-partner": "police", "intelligence-received_on": timezone.localdate().strftime("%d/%m/%Y"),
            "intelligence-method": "secure_email", "intelligence-summary": "Typed summary of the intelligence",
            "intelligence-category": "noise", "intelligence-tier": "low",
            "intelligence-location": "Car park, Mill Court", "intelligence-postcode": "LE67 4JP"}  # fmt: skip
    refused = client.post(URL, body)
    assert refused.status_code == 400
    page = text(refused)
    assert "There is a problem" in page and "Say how it must be handled, or 'No restrictions'." in page
    assert "Typed summary of the intelligence</textarea>" in page and 'value="Car park, Mill Court"' in page
    body["intelligence-handling"] = "No restrictions"
    done = client.post(URL, body)
    assert done.status_code == 303
    case = Case.objects.get()
    assert done["Location"] == f"/cases/{case.reference}/"
    page = text(client.get(done["Location"]))
    assert "Led by Police Services" in page
