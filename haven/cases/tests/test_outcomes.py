"""What came of a support need or a safeguarding concern (wwh 4.0 "Monitor Referrals"; emh 4.8;
emh 4.11-4.14), recorded after the need or concern.

Rules proved here: an outcome is required and kept with the record; a referral made since needs
both to whom and when, not in the future; a stale edit is refused and nothing is changed
(common.stale); only caseworkers who can work the case and see special category data may record
one (advisers cannot, on the page, in the service or the API); it can be recorded on a closed case;
the audit event names the record, never the outcome's text; the page keeps what was typed on an
error; the API takes the record's ``version`` and answers 409 for a stale one.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from haven.accounts.models import Landlord, User
from haven.accounts.services import token_create
from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Case, SafeguardingConcern, SupportNeed
from haven.cases.services.outcomes import safeguarding_outcome_record, support_need_outcome_record
from haven.cases.services.risk import safeguarding_concern_record, support_need_record
from haven.cases.services.workflow import case_transition
from haven.cases.tests.factories import signed_in, text
from haven.cases.tests.test_risk import case_for, reporter_of
from haven.cases.tests.test_workflow import CLOSING
from haven.common.errors import ApplicationError
from haven.common.stale import version_of

pytestmark = pytest.mark.django_db
Staff = Callable[[str], tuple[Landlord, User, User]]


def a_need(staff: Staff, policy_id: str = "emh") -> tuple[Case, User, User, SupportNeed]:
    landlord, adviser, officer = staff(policy_id)
    case = case_for(landlord, adviser, officer)
    need = support_need_record(actor=officer, case=case, party=reporter_of(case), kind="mental_health",
                               description="Struggling to sleep")  # fmt: skip
    return case, adviser, officer, need


@pytest.mark.parametrize("policy_id", ["whg", "wwh", "emh", "livv", "pnp"])
def test_the_outcome_and_a_later_referral_are_kept_with_the_need(staff: Staff, policy_id: str) -> None:
    case, _, officer, need = a_need(staff, policy_id)
    today = timezone.localdate()
    support_need_outcome_record(
        actor=officer, need=need, outcome="Seen by the GP; sleeping better", referred_to="GP surgery",
        referred_on=today, version=version_of(need.updated_at),
    )  # fmt: skip
    need.refresh_from_db()
    assert (need.outcome, need.referred_to, need.referred_on) == (
        "Seen by the GP; sleeping better",
        "GP surgery",
        today,
    )
    event = AuditEvent.objects.get(verb=Verb.OUTCOME_RECORDED, object_id=str(case.pk))
    assert event.changes == {"support_need": [None, need.pk], "outcome": [None, "recorded"]}
    assert "GP" not in str(event.changes)


def test_bad_outcomes_are_refused_naming_the_field_and_nothing_changes(staff: Staff) -> None:
    _, _, officer, need = a_need(staff)
    version = version_of(need.updated_at)
    with pytest.raises(ApplicationError) as empty:
        support_need_outcome_record(actor=officer, need=need, outcome="  ", version=version)
    assert set(empty.value.fields) == {"outcome"}
    with pytest.raises(ApplicationError) as half:
        support_need_outcome_record(actor=officer, need=need, outcome="Referred", referred_to="Mind", version=version)
    assert set(half.value.fields) == {"referred_on"}
    with pytest.raises(ApplicationError) as future:
        support_need_outcome_record(actor=officer, need=need, outcome="Referred", referred_to="Mind",
                                    referred_on=timezone.localdate().replace(year=timezone.localdate().year + 1),
                                    version=version)  # fmt: skip
    assert set(future.value.fields) == {"referred_on"}
    need.refresh_from_db()
    assert need.outcome == "" and need.referred_to == ""
    assert not AuditEvent.objects.filter(verb=Verb.OUTCOME_RECORDED).exists()


def test_a_stale_edit_is_refused_and_the_first_outcome_stands(staff: Staff) -> None:
    _, _, officer, need = a_need(staff)
    seen = version_of(need.updated_at)
    support_need_outcome_record(actor=officer, need=need, outcome="First officer's outcome", version=seen)
    with pytest.raises(ApplicationError) as stale:
        support_need_outcome_record(actor=officer, need=need, outcome="Second officer's outcome", version=seen)
    assert stale.value.code == "stale"
    need.refresh_from_db()
    assert need.outcome == "First officer's outcome"


def test_an_adviser_cannot_record_an_outcome_and_a_closed_case_still_can(staff: Staff) -> None:
    case, adviser, officer, need = a_need(staff)
    with pytest.raises(ApplicationError, match="cannot record outcomes"):
        support_need_outcome_record(actor=adviser, need=need, outcome="Done", version=None)
    concern = safeguarding_concern_record(actor=officer, case=case, about="adult", concern="Neglect",
                                          referred=True, referred_to="Adult social care",
                                          referred_on=timezone.localdate())  # fmt: skip
    case_transition(actor=officer, case=Case.objects.get(pk=case.pk), to="closed", **CLOSING)  # type: ignore[arg-type]
    safeguarding_outcome_record(actor=officer, concern=concern, outcome="Care package put in place", version=None)
    assert SafeguardingConcern.objects.get(pk=concern.pk).outcome == "Care package put in place"


def test_the_case_page_records_an_outcome_and_keeps_a_bad_one_as_typed(staff: Staff) -> None:
    case, adviser, officer, need = a_need(staff)
    client = signed_in(officer)
    page = text(client.get(f"/cases/{case.reference}/"))
    assert f'id="need-outcome-{need.pk}"' in page and "Record the outcome" in page
    path = f"/cases/{case.reference}/support-needs/{need.pk}/outcome/"
    prefix = f"need-outcome-{need.pk}"
    bad = client.post(path, {f"{prefix}-outcome": "", f"{prefix}-version": version_of(need.updated_at)})
    assert bad.status_code == 400 and "Say what came of it" in text(bad)
    good = client.post(path, {f"{prefix}-outcome": "Referred to Mind; attending", f"{prefix}-version": ""})
    assert good.status_code == 303
    assert "Referred to Mind; attending" in text(client.get(f"/cases/{case.reference}/"))
    stale = client.post(path, {f"{prefix}-outcome": "An older view", f"{prefix}-version": version_of(need.updated_at)})
    assert stale.status_code == 400 and "Someone else changed this support need" in text(stale)
    assert "An older view" in text(stale)  # kept as typed
    assert signed_in(adviser).post(path, {f"{prefix}-outcome": "x"}).status_code == 403
    assert f'id="need-outcome-{need.pk}"' not in text(signed_in(adviser).get(f"/cases/{case.reference}/"))


def test_the_api_records_an_outcome_with_its_version_and_answers_409_for_a_stale_one(staff: Staff) -> None:
    case, adviser, officer, need = a_need(staff)

    def post(user: User, path: str, body: dict[str, object]) -> object:
        token = token_create(actor=user, user=user)
        return Client().post(path, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")

    listed = Client().get(f"/api/v1/cases/{case.reference}/support-needs",
                          HTTP_AUTHORIZATION=f"Bearer {token_create(actor=officer, user=officer)}").json()  # fmt: skip
    version = listed["results"][0]["version"]
    path = f"/api/v1/cases/{case.reference}/support-needs/{need.pk}/outcome"
    done = post(officer, path, {"outcome": "Attending Mind weekly", "version": version})
    assert done.status_code == 200 and done.json()["outcome"] == "Attending Mind weekly"  # type: ignore[attr-defined]
    stale = post(officer, path, {"outcome": "Overwrite", "version": version})
    assert stale.status_code == 409  # type: ignore[attr-defined]
    assert stale.json()["errors"][0]["field"] == "version"  # type: ignore[attr-defined]
    assert post(adviser, path, {"outcome": "x"}).status_code == 403  # type: ignore[attr-defined]
    assert post(officer, path, {"outcome": ""}).status_code == 400  # type: ignore[attr-defined]
    assert SupportNeed.objects.get(pk=need.pk).outcome == "Attending Mind weekly"
