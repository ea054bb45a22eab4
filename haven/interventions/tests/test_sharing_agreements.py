"""The landlord's information sharing agreements (emh 6.3: "party to a number of information
sharing agreements"), kept per landlord.

Rules proved here: a team manager adds and changes them and an officer may not (403 on the page);
the title is unique within the landlord; a review date past shows a red "Review overdue" tag;
a change based on an older copy is refused and keeps what was typed; saving is audited with the
agreement as its target; the page keeps typed input on errors.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from haven.audit.models import AuditEvent, Verb
from haven.cases.tests.factories import signed_in, text
from haven.common.errors import ApplicationError
from haven.common.stale import version_of
from haven.interventions.models.partnership import SharingAgreement
from haven.interventions.services.sharing import sharing_agreement_create, sharing_agreement_update

pytestmark = pytest.mark.django_db
URL = "/partnership/agreements/"


def _body(**changes: str) -> dict[str, str]:
    body = {"agreement-title": "Community Safety Partnership protocol", "agreement-parties": "Police\nCouncil",
            "agreement-purpose": "Sharing information to tackle ASB", "agreement-signed_on": "01/04/2025",
            "agreement-review_on": (timezone.localdate() + timedelta(days=200)).strftime("%d/%m/%Y"),
            "agreement-active": "on"}  # fmt: skip
    body.update(changes)
    return body


def _create(manager, **changes):  # type: ignore[no-untyped-def]
    values = {"title": "Protocol", "parties": "Police\nLandlord", "purpose": "ASB",
              "signed_on": timezone.localdate() - timedelta(days=400),
              "review_on": timezone.localdate() + timedelta(days=30)}  # fmt: skip
    values.update(changes)
    return sharing_agreement_create(actor=manager, **values)


def test_a_manager_adds_an_agreement_on_the_page_and_it_is_audited(emh, make_user) -> None:
    """emh 6.3: team managers keep the agreements; SHARING_AGREEMENT_SAVED targets the agreement."""
    manager = make_user(emh, "manager")
    response = signed_in(manager).post(URL, _body())
    assert response.status_code == 303
    agreement = SharingAgreement.objects.get()
    assert (agreement.landlord, agreement.parties, agreement.recorded_by) == (emh, "Police\nCouncil", manager)
    event = AuditEvent.objects.get(verb=Verb.SHARING_AGREEMENT_SAVED)
    assert (event.object_type, event.object_id) == ("interventions.sharingagreement", str(agreement.pk))
    page = text(signed_in(make_user(emh, "officer")).get(URL))
    assert "Community Safety Partnership protocol" in page and "Add an agreement" not in page


def test_an_officer_may_not_add_or_change_an_agreement(emh, make_user) -> None:
    """Only team managers write agreements: an officer's POST is 403, and the service refuses too."""
    officer = make_user(emh, "officer")
    assert signed_in(officer).post(URL, _body()).status_code == 403
    agreement = _create(make_user(emh, "manager"))
    assert signed_in(officer).post(f"{URL}{agreement.pk}/", _body()).status_code == 403
    with pytest.raises(ApplicationError, match="Only a team manager"):
        _create(officer, title="Another")
    assert SharingAgreement.objects.count() == 1


def test_the_title_is_unique_within_the_landlord_and_the_page_keeps_what_was_typed(
    emh, make_user, make_landlord
) -> None:
    """emh 6.3: agreements are told apart by title within a landlord; another landlord may use it."""
    manager = make_user(emh, "manager")
    _create(manager, title="Community Safety Partnership protocol")
    response = signed_in(manager).post(URL, _body(**{"agreement-purpose": "Typed purpose"}))
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page and "There is already an agreement with this title" in page
    assert "Typed purpose</textarea>" in page
    other = make_landlord("emh", slug="other")
    _create(make_user(other, "manager"), title="Community Safety Partnership protocol")
    assert SharingAgreement.objects.count() == 2


def test_a_review_date_past_shows_review_overdue(emh, make_user) -> None:
    """emh 6.3: an agreement past its review date shows a red "Review overdue" tag."""
    manager = make_user(emh, "manager")
    _create(manager, title="Lapsed protocol", review_on=timezone.localdate() - timedelta(days=1))
    _create(manager, title="Current protocol")
    page = text(signed_in(make_user(emh, "officer")).get(URL))
    row = page[page.index("Lapsed protocol") :]
    assert row.index("Review overdue") < row.index("</tr>")
    current = page[page.index("Current protocol") :]
    assert "Review overdue" not in current[: current.index("</tr>")]


def test_a_stale_change_is_refused_and_keeps_what_was_typed(emh, make_user) -> None:
    """common.stale: a change based on an older copy is refused; the form keeps the typed values and
    the current version, so saving again goes through."""
    manager = make_user(emh, "manager")
    agreement = _create(manager)
    seen = version_of(agreement.updated_at)
    sharing_agreement_update(
        actor=manager, agreement=agreement, title="Protocol", parties="Police", purpose="ASB", signed_on=None,
        review_on=agreement.review_on, active=True, version=seen,
    )  # fmt: skip
    prefix = f"agreement-{agreement.pk}"
    body = {f"{prefix}-{k.split('-', 1)[1]}": v for k, v in _body(**{"agreement-title": "Renamed"}).items()}
    body[f"{prefix}-version"] = seen
    client = signed_in(manager)
    refused = client.post(f"{URL}{agreement.pk}/", body)
    assert refused.status_code == 400
    page = text(refused)
    assert "Someone else changed this agreement" in page and 'value="Renamed"' in page
    agreement.refresh_from_db()
    assert agreement.title == "Protocol"
    body[f"{prefix}-version"] = version_of(agreement.updated_at)
    assert client.post(f"{URL}{agreement.pk}/", body).status_code == 303
    agreement.refresh_from_db()
    assert agreement.title == "Renamed"


def test_review_before_signing_and_missing_fields_are_refused(emh, make_user) -> None:
    """An agreement has parties, a purpose and a review date not before it was signed."""
    manager = make_user(emh, "manager")
    with pytest.raises(ApplicationError) as caught:
        _create(manager, parties=" \n ", purpose="", review_on=timezone.localdate() - timedelta(days=500))
    assert set(caught.value.fields) == {"parties", "purpose", "review_on"}
