"""Recording and moving on interventions from the landlord's toolkit (whg 2.11; pnp 1.3; emh 5.4-5.6).

Rules proved here: the toolkit comes from each of the five profiles (an informal tool is recorded
with its label and track; a legal code is sent to legal action; another landlord's code is refused
naming the landlord); a partner power needs the partner and the landlord's support (emh 5.6); the
party must be a current party of the case, the deliverer a member of staff of this landlord and
the start not in the future; only those who may work an open case write; an update needs an
outcome when completed or ended, keeps dates in order and refuses a stale edit; every write is on
the case timeline without free text.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Case
from haven.cases.services.parties import case_party_remove
from haven.cases.tests.any_profile import PROFILES
from haven.common.errors import ApplicationError
from haven.common.stale import version_of
from haven.interventions.models import Intervention, InterventionKind, InterventionStatus
from haven.interventions.services.toolkit import intervention_record, intervention_update
from haven.interventions.tests.factories import Setting, setting
from haven.policies.registry import get_profile

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _other_code(policy_id: str) -> str:
    """A tool of another bundled profile that this profile's toolkit does not have."""
    toolkit = get_profile(policy_id).interventions
    for other in PROFILES:
        theirs = get_profile(other).interventions
        for tool in theirs.informal + theirs.partner_powers:
            if toolkit.tool(tool.code) is None:
                return tool.code
    raise AssertionError("every profile has the same toolkit")


def _refusal(**values) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with pytest.raises(ApplicationError) as refused:
        intervention_record(**values)
    return refused.value.fields


@pytest.fixture
def emh(staff, make_user) -> Setting:  # type: ignore[no-untyped-def]
    return setting("emh", staff, make_user)


@pytest.mark.parametrize("policy_id", PROFILES)
def test_the_toolkit_comes_from_each_profile(policy_id, staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """whg 2.11; pnp 1.3: an informal tool of the landlord's own profile is recorded with its label
    and track; a legal code is sent to legal action; another landlord's tool is refused, naming it."""
    s = setting(policy_id, staff, make_user)
    toolkit = get_profile(policy_id).interventions
    tool = next(t for t in toolkit.informal if not t.agreement)
    found = intervention_record(actor=s.officer, case=s.case, code=tool.code, party=s.reported, started_on=TODAY())
    assert (found.kind, found.label, found.track) == (InterventionKind.INFORMAL, tool.label, tool.track)
    assert found.delivered_by == s.officer and found.status == InterventionStatus.ACTIVE

    legal = toolkit.legal[0]
    refused = _refusal(actor=s.officer, case=s.case, code=legal.code, started_on=TODAY())
    assert refused["code"].startswith("Start legal action for that") and legal.label in refused["code"]

    other = _other_code(policy_id)
    refused = _refusal(actor=s.officer, case=s.case, code=other, started_on=TODAY())
    assert refused["code"] == f"'{other}' is not an intervention in the toolkit of {s.landlord.name}."
    assert Intervention.objects.filter(case=s.case).count() == 1


def test_a_partner_power_needs_the_partner_and_the_support_given(emh) -> None:  # type: ignore[no-untyped-def]
    """emh 5.6: a partner's power (a closure order) is "recorded as supported by the landlord"."""
    refused = _refusal(actor=emh.officer, case=emh.case, code="closure_order", started_on=TODAY())
    assert refused == {
        "partner": "Choose the partner agency that used this power.",
        "support_given": "Say what the landlord did to support the partner's action.",
    }
    refused = _refusal(actor=emh.officer, case=emh.case, code="closure_order", started_on=TODAY(),
                       partner="bogus", support_given="Statements")  # fmt: skip
    assert refused["partner"].startswith("'bogus' is not a partner agency of this landlord: councils, ")
    found = intervention_record(
        actor=emh.officer, case=emh.case, code="closure_order", started_on=TODAY(), party=emh.reported,
        partner="police", support_given="Two witness statements and the case file",
    )  # fmt: skip
    assert found.kind == InterventionKind.PARTNER_POWER and found.partner == "police"


def test_party_staff_and_dates_are_checked_and_nothing_is_written(emh, staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """The party must be a current party of this case, the deliverer this landlord's staff, the date
    not in the future (issue 6: who, when, against or for whom)."""
    removed = emh.reported
    case_party_remove(actor=emh.officer, party=removed, reason="Moved away")
    _, _, pnp_officer = staff("pnp")
    refused = _refusal(
        actor=emh.officer, case=emh.case, code="warning_letter", party=removed, delivered_by=pnp_officer,
        started_on=TODAY() + timedelta(days=1),
    )  # fmt: skip
    assert refused == {
        "party": "That person is not a party to this case.",
        "delivered_by": "Choose a member of staff of this landlord who is still working here.",
        "started_on": "The date it was used or started cannot be in the future.",
    }
    assert not Intervention.objects.exists()


def test_only_caseworkers_write_and_only_on_an_open_case(emh) -> None:  # type: ignore[no-untyped-def]
    """Deny by default (ARCHITECTURE.md 5): an adviser cannot record; a closed case takes none."""
    with pytest.raises(ApplicationError, match="You cannot change this case"):
        intervention_record(actor=emh.adviser, case=emh.case, code="warning_letter", started_on=TODAY())
    Case.objects.filter(pk=emh.case.pk).update(status="closed")
    refused = _refusal(actor=emh.officer, case=emh.case, code="warning_letter", started_on=TODAY())
    assert refused == {"code": "This case is closed."}


def test_agreement_fields_are_for_agreements_only(emh) -> None:  # type: ignore[no-untyped-def]
    """A warning letter has no terms or review date: an agreement's parts belong to agreements."""
    refused = _refusal(actor=emh.officer, case=emh.case, code="warning_letter", started_on=TODAY(),
                       terms=["No loud music"], review_on=TODAY())  # fmt: skip
    assert refused["terms"].startswith("Terms, signatories and review or end dates are for agreements only")


def test_an_update_needs_an_outcome_keeps_dates_in_order_and_refuses_a_stale_edit(emh) -> None:  # type: ignore[no-untyped-def]
    """Issue 6 "its outcome"; haven.common.stale: a save based on an older copy is refused."""
    started = TODAY() - timedelta(days=5)
    found = intervention_record(actor=emh.officer, case=emh.case, code="warning_letter", started_on=started)
    seen = version_of(found.updated_at)
    with pytest.raises(ApplicationError) as refused:
        intervention_update(actor=emh.officer, intervention=found, status="completed", version=seen,
                            ended_on=started - timedelta(days=1))  # fmt: skip
    assert refused.value.fields == {
        "outcome": "Say what came of it.",
        "ended_on": f"It cannot end before it started on {started.day} {started:%b %Y}.",
    }
    done = intervention_update(actor=emh.officer, intervention=found, status="completed", outcome="Noise stopped",
                               version=seen)  # fmt: skip
    assert done.ended_on == TODAY() and done.status == "completed"
    with pytest.raises(ApplicationError) as stale:
        intervention_update(actor=emh.officer, intervention=found, status="ended", outcome="x", version=seen)
    assert stale.value.code == "stale"
    event = AuditEvent.objects.filter(verb=Verb.INTERVENTION_UPDATED).get()
    assert event.changes["outcome"] == [False, True] and "Noise stopped" not in str(event.changes)


def test_recording_is_audited_on_the_case_without_free_text(emh) -> None:  # type: ignore[no-untyped-def]
    """Audit written on purpose (ARCHITECTURE.md 6): codes, ids and dates only, never the details."""
    intervention_record(actor=emh.officer, case=emh.case, code="warning_letter", started_on=TODAY(),
                        party=emh.reported, details="Dan Reid was warned about the parties")  # fmt: skip
    event = AuditEvent.objects.filter(verb=Verb.INTERVENTION_RECORDED).get()
    assert event.object_id == str(emh.case.pk)
    assert event.changes["code"] == [None, "warning_letter"] and "Dan Reid" not in str(event.changes)
