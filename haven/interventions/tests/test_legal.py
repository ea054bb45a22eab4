"""Legal action (whg 2.11; emh 5.5; pnp 5.6): starting one, the proportionality assessment
(emh 4.9; pnp 5.6.3), the guard, the approval, and the Ground 7A conditions (pnp 5.6.2; Housing
Act 1988 Sch 2 Ground 7A) with the notice's 12-month limit (Housing Act 1988 s8).

Rules proved here: the tool is a legal tool of the landlord's profile, against a current party
who is the reported person or a household member, with a reason and a start date not in the
future; a tool with conditions needs one of them with its date and details, a tool without takes
none; each missing part of the assessment is refused by name; the guard holds for every profile
and each of its legal tools (no move past considering without an assessment; approval only by a
team manager and not when the latest assessment says not proportionate); every write is audited
without free text. Moves and hearings are in test_legal_moves.py.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from haven.audit.models import AuditEvent, Verb
from haven.cases.models import PartyRole
from haven.cases.services.parties import case_party_add
from haven.cases.tests.any_profile import PROFILES
from haven.common.errors import ApplicationError
from haven.interventions.models import LegalAction, LegalStage, LegalStageChange
from haven.interventions.services.legal import (
    legal_action_approve,
    legal_action_move,
    legal_action_start,
    proportionality_assess,
)
from haven.interventions.tests.factories import Setting, setting
from haven.policies.registry import get_profile

pytestmark = pytest.mark.django_db

REASON = "Repeated loud music at night despite a warning letter and an ABC"
ASSESSMENT: dict[str, Any] = {
    "legitimate_aim": "To protect neighbours' peaceful enjoyment of their homes",
    "less_intrusive_tried": "Warning letter, ABC, mediation offered",
    "less_intrusive_why_not": "",
    "support_needs": "None known; tenancy support offered and declined",
    "protected_characteristics": "None known",
    "equality_consideration": "No disability known; no less favourable treatment",
    "household_effect": "Lives alone",
    "conclusion": "An injunction is a proportionate response",
    "proportionate": True,
}


def ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def legal_codes(policy_id: str) -> list[tuple[str, str]]:
    return [(policy_id, tool.code) for tool in get_profile(policy_id).interventions.legal]


EVERY_TOOL = [pair for policy_id in PROFILES for pair in legal_codes(policy_id)]


def start(s: Setting, code: str = "part1_injunction", started_on: date | None = None, **more: Any) -> LegalAction:
    tool = get_profile(s.landlord.policy_id).interventions.tool(code)
    if tool is not None and tool.conditions:
        more = {
            "condition": tool.conditions[0].code,
            "condition_on": ago(30),
            "condition_detail": "Leeds Magistrates, ref 123",
            **more,
        }
    return legal_action_start(
        actor=s.officer,
        case=s.case,
        code=code,
        party=s.reported,
        reason=REASON,
        started_on=started_on or ago(20),
        **more,
    )


def assess(s: Setting, action: LegalAction, on: date | None = None, **changes: Any) -> None:
    proportionality_assess(actor=s.officer, legal_action=action, assessed_on=on or ago(15), **{**ASSESSMENT, **changes})


def refused(call: Any, **kwargs: Any) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        call(**kwargs)
    return caught.value


@pytest.fixture
def emh(staff, make_user) -> Setting:  # type: ignore[no-untyped-def]
    return setting("emh", staff, make_user)


def test_start_records_considering_with_the_tools_label_and_route(emh: Setting) -> None:
    """Start: stage considering, label and route from the profile's tool, a first stage change
    from nothing to considering, and a LEGAL_ACTION_STARTED audit without the reason."""
    action = start(emh)
    assert (action.stage, action.route, action.label) == (LegalStage.CONSIDERING, "injunction", "Part 1 injunction")
    change = LegalStageChange.objects.get(legal_action=action)
    assert (change.stage_from, change.stage_to, change.on) == ("", LegalStage.CONSIDERING, ago(20))
    event = AuditEvent.objects.get(verb=Verb.LEGAL_ACTION_STARTED)
    assert event.changes["code"] == [None, "part1_injunction"] and REASON not in str(event.changes)


def test_start_refuses_an_informal_or_unknown_tool_naming_the_landlord(emh: Setting) -> None:
    """The code must be a legal tool of the landlord's profile (whg 2.11; emh 5.5)."""
    informal = get_profile("emh").interventions.informal[0].code
    for code, said in ((informal, "is not legal action"), ("no_such_tool", "is not a tool")):
        error = refused(start, s=emh, code=code)
        assert said in error.fields["code"] and emh.landlord.name in error.fields["code"]
    assert not LegalAction.objects.exists()


def test_start_needs_a_reported_person_or_household_member_reason_and_a_past_date(emh: Setting) -> None:
    """Against whom: a current party of the case who is the reported person or household member;
    the reason is required and the start date is not in the future."""
    error = refused(
        legal_action_start,
        actor=emh.officer,
        case=emh.case,
        code="part1_injunction",
        party=emh.reporter,
        reason=" ",
        started_on=timezone.localdate() + timedelta(days=1),
    )
    assert set(error.fields) == {"party", "reason", "started_on"}
    assert "reported person or a member of their household" in error.fields["party"]
    member = case_party_add(actor=emh.officer, case=emh.case, role=PartyRole.HOUSEHOLD, name="Kim Reid")
    action = legal_action_start(
        actor=emh.officer, case=emh.case, code="part1_injunction", party=member, reason=REASON, started_on=ago(1)
    )
    assert action.party == member


def test_ground_7a_needs_one_of_its_conditions_with_date_and_details(emh: Setting) -> None:
    """Ground 7A is only offered with one of its conditions recorded (pnp 5.6.2; Housing Act 1988
    Sch 2 Ground 7A conditions 1-5): refused without, listing the conditions; the date not future."""
    error = refused(start, s=emh, code="possession_ground_7a", condition="", condition_on=None, condition_detail="")
    assert set(error.fields) == {"condition", "condition_on", "condition_detail"}
    assert "criminal behaviour order" in error.fields["condition"] and "closure order" in error.fields["condition"]
    error = refused(
        start,
        s=emh,
        code="possession_ground_7a",
        condition="closure_order",
        condition_on=timezone.localdate() + timedelta(days=1),
        condition_detail="Closure order, Derby Magistrates",
    )
    assert set(error.fields) == {"condition_on"}
    action = start(
        emh,
        code="possession_ground_7a",
        condition="closure_order",
        condition_on=ago(40),
        condition_detail="Closure order, Derby Magistrates",
    )
    assert (action.condition, action.condition_on) == ("closure_order", ago(40))


def test_a_condition_for_a_tool_without_conditions_is_refused(emh: Setting) -> None:
    """Conditions belong to Ground 7A only (pnp 5.6.2): a condition given for another tool is refused."""
    error = refused(start, s=emh, code="possession_ground_14", condition="closure_order", condition_on=ago(3))
    assert "takes no condition" in error.fields["condition"]


def test_each_missing_part_of_the_assessment_is_refused_by_name(emh: Setting) -> None:
    """The assessment covers every part emh 4.9 and pnp 5.6.3 name; each missing one refused."""
    action = start(emh)
    blank = dict.fromkeys(ASSESSMENT, "") | {"proportionate": None}
    error = refused(proportionality_assess, actor=emh.officer, legal_action=action, assessed_on=None, **blank)
    assert set(error.fields) == {
        "legitimate_aim",
        "less_intrusive_tried",
        "support_needs",
        "protected_characteristics",
        "equality_consideration",
        "household_effect",
        "conclusion",
        "proportionate",
        "assessed_on",
    }
    assert "or why none were" in error.fields["less_intrusive_tried"]
    assert "None known" in error.fields["protected_characteristics"]
    action.refresh_from_db()
    assert action.stage == LegalStage.CONSIDERING and not action.assessments.exists()


def test_why_no_less_intrusive_option_was_tried_is_enough(emh: Setting) -> None:
    """Less intrusive options tried, or why none were: one of the two (emh 4.9)."""
    action = start(emh)
    assess(emh, action, less_intrusive_tried="", less_intrusive_why_not="Serious violence: no time for lesser steps")
    action.refresh_from_db()
    assert action.stage == LegalStage.PROPORTIONALITY


def test_assessment_moves_from_considering_and_a_reassessment_keeps_the_stage(emh: Setting) -> None:
    """The assessment moves considering to proportionality assessed (a stage change); a later
    one is a reassessment: a new row, the stage unchanged."""
    action = start(emh)
    assess(emh, action)
    assess(emh, action, on=ago(10), conclusion="Still proportionate after the new incidents")
    action.refresh_from_db()
    assert action.stage == LegalStage.PROPORTIONALITY and action.assessments.count() == 2
    moves = list(action.stage_changes.values_list("stage_from", "stage_to"))
    assert moves == [("", LegalStage.CONSIDERING), (LegalStage.CONSIDERING, LegalStage.PROPORTIONALITY)]
    assert AuditEvent.objects.filter(verb=Verb.PROPORTIONALITY_ASSESSED).count() == 2


@pytest.mark.parametrize(("policy_id", "code"), EVERY_TOOL)
def test_the_guard_holds_for_every_profile_and_legal_tool(policy_id: str, code: str, staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """The guard (emh 4.9; pnp 5.6.3; issue 6): no legal action of any profile moves past
    considering before its assessment; not approved while the latest says not proportionate; a tool
    that needs a manager's approval is approved by a team manager only."""
    s = setting(policy_id, staff, make_user)
    tool = get_profile(policy_id).interventions.tool(code)
    assert tool is not None and tool.needs_proportionality
    action = start(s, code=code)
    for to in (LegalStage.APPROVED, LegalStage.NOTICE_SERVED, LegalStage.ISSUED):
        error = refused(legal_action_move, actor=s.manager, legal_action=action, to=to, on=ago(10), version=None)
        assert "proportionality assessment" in error.message
    assess(s, action, proportionate=False, conclusion="Not proportionate: support first")
    error = refused(legal_action_approve, actor=s.manager, legal_action=action, on=ago(10), note="Go ahead")
    assert "not proportionate" in error.message
    assess(s, action, on=ago(12))
    if tool.needs_manager_approval:
        error = refused(legal_action_approve, actor=s.officer, legal_action=action, on=ago(10), note="Go ahead")
        assert error.message == "Only a team manager can approve this legal action."
    approved = legal_action_approve(actor=s.manager, legal_action=action, on=ago(10), note="Go ahead")
    assert (approved.stage, approved.approved_by, approved.approved_on) == (LegalStage.APPROVED, s.manager, ago(10))
    assert AuditEvent.objects.filter(verb=Verb.LEGAL_ACTION_APPROVED).count() == 1


def test_a_manager_of_another_landlord_cannot_approve(emh: Setting, make_landlord, make_user) -> None:  # type: ignore[no-untyped-def]
    """Only a team manager of this landlord approves (emh 5.5): another landlord's cannot even change the case."""
    action = start(emh)
    assess(emh, action)
    other = make_user(make_landlord("emh", slug="other-emh"), "manager", username="other-manager")
    error = refused(legal_action_approve, actor=other, legal_action=action, on=ago(10), note="Go ahead")
    assert error.message == "You cannot change this case."


def test_approval_needs_the_note_and_a_date_not_before_the_assessment(emh: Setting) -> None:
    """Approval records the decision's note; its date is not before the previous stage's."""
    action = start(emh)
    assess(emh, action, on=ago(10))
    error = refused(legal_action_approve, actor=emh.manager, legal_action=action, on=ago(11), note="Go ahead")
    assert "before the last step" in error.fields["on"]
    error = refused(legal_action_approve, actor=emh.manager, legal_action=action, on=ago(9), note=" ")
    assert set(error.fields) == {"approval_note"}
