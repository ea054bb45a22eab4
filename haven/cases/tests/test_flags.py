"""Setting a case's flags by hand. Rules proved here:

- the hate flag needs at least one strand (TSM NM01 (b); emh 3.6), and taking it off clears them.
- domestic abuse (emh 3.5), safeguarding and staff targeted (emh 3.4; pnp 1.6) make the case
  restricted; taking the last of them off lifts it. Persistent complainant (emh 7.8) does not.
- flags that come from the case's category stay until it is re-categorised.
- the indexed flag rows follow (CaseFlag), the change is audited (CASE_FLAGS_CHANGED) and its
  reason kept; a change based on an old copy of the case is refused (common.stale).
- advisers, auditors, other teams and other landlords cannot set flags; nothing is half-written.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from haven.accounts.models import Landlord, User
from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Case, CaseFlag, Note
from haven.cases.services.flags import case_flags_set
from haven.cases.tests.any_profile import PROFILES, noise_case
from haven.cases.tests.factories import open_case, signed_in, text
from haven.common.errors import ApplicationError
from haven.common.stale import version_of

pytestmark = pytest.mark.django_db
Staff = Callable[[str], tuple[Landlord, User, User]]


def _version(case: Case) -> str:
    case.refresh_from_db()
    return version_of(case.updated_at)


@pytest.mark.parametrize("policy_id", PROFILES)
def test_the_hate_flag_needs_a_strand_and_is_kept_with_it(staff: Staff, policy_id: str) -> None:
    landlord, adviser, officer = staff(policy_id)
    case = noise_case(landlord, adviser, officer)
    with pytest.raises(ApplicationError) as refused:
        case_flags_set(actor=officer, case=case, add=["hate"], reason="Racist abuse shouted", version=_version(case))
    assert "hate_strands" in refused.value.fields
    case_flags_set(
        actor=officer, case=case, add=["hate"], hate_strands=["race"], reason="Racist abuse shouted",
        version=_version(case), via="web",
    )  # fmt: skip
    case.refresh_from_db()
    assert "hate" in case.flags and case.hate_strands == ["race"] and not case.restricted
    assert set(CaseFlag.objects.filter(case=case).values_list("flag", flat=True)) == set(case.flags)
    event = AuditEvent.objects.get(verb=Verb.CASE_FLAGS_CHANGED)
    assert event.changes["hate_strands"] == [[], ["race"]] and "Racist" not in str(event.changes)
    assert Note.objects.filter(case=case, text__contains="Racist abuse shouted").exists()
    case_flags_set(actor=officer, case=case, remove=["hate"], reason="Not hate after all", version=_version(case))
    case.refresh_from_db()
    assert "hate" not in case.flags and case.hate_strands == []


@pytest.mark.parametrize("policy_id", PROFILES)
@pytest.mark.parametrize("flag", ["domestic_abuse", "safeguarding", "staff_targeted"])
def test_restricting_flags_restrict_the_case_and_lifting_them_unrestricts(
    staff: Staff, make_user: Callable[..., User], policy_id: str, flag: str
) -> None:
    landlord, adviser, officer = staff(policy_id)
    case = noise_case(landlord, adviser, officer)
    case_flags_set(actor=officer, case=case, add=[flag], reason="Disclosed at a visit", version=_version(case))
    case.refresh_from_db()
    assert case.restricted
    assert signed_in(adviser).get(f"/cases/{case.reference}/").status_code == 404
    case_flags_set(actor=officer, case=case, remove=[flag], reason="Recorded in error", version=_version(case))
    case.refresh_from_db()
    assert not case.restricted


def test_persistent_complainant_does_not_restrict(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = noise_case(landlord, adviser, officer)
    case_flags_set(
        actor=officer, case=case, add=["persistent_complainant", "vulnerable_reporter"],
        reason="Reports of matters already explained (emh 7.8)", version=_version(case),
    )  # fmt: skip
    case.refresh_from_db()
    assert {"persistent_complainant", "vulnerable_reporter"} <= set(case.flags) and not case.restricted


def test_a_flag_from_the_category_stays_until_re_categorised(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = open_case(landlord, adviser, officer, category="hate_crime", tier="high")
    assert "hate" in case.flags
    with pytest.raises(ApplicationError) as refused:
        case_flags_set(actor=officer, case=case, remove=["hate"], reason="Not hate", version=_version(case))
    assert "remove" in refused.value.fields
    with pytest.raises(ApplicationError) as unknown:
        case_flags_set(actor=officer, case=case, add=["noise"], reason="x", version=_version(case))
    assert "add" in unknown.value.fields


def test_a_stale_flags_change_is_refused(staff: Staff) -> None:
    landlord, adviser, officer = staff("whg")
    case = noise_case(landlord, adviser, officer)
    seen = _version(case)
    case_flags_set(actor=officer, case=case, add=["vulnerable_reporter"], reason="Older reporter", version=seen)
    with pytest.raises(ApplicationError) as stale:
        case_flags_set(actor=officer, case=case, add=["persistent_complainant"], reason="x", version=seen)
    assert stale.value.code == "stale"
    case.refresh_from_db()
    assert "persistent_complainant" not in case.flags


def test_others_cannot_set_flags_and_nothing_is_written(staff: Staff, make_user: Callable[..., User]) -> None:
    landlord, adviser, officer = staff("emh")
    _, _, stranger = staff("whg")
    case = noise_case(landlord, adviser, officer)
    for who in (adviser, make_user(landlord, "auditor"), make_user(landlord, "officer", username="emh-x"), stranger):
        with pytest.raises(ApplicationError):
            case_flags_set(actor=who, case=case, add=["safeguarding"], reason="x", version=None)
    case.refresh_from_db()
    assert not case.restricted and not AuditEvent.objects.filter(verb=Verb.CASE_FLAGS_CHANGED).exists()
    body = {"flags-flags": ["safeguarding"], "flags-reason": "x"}
    assert signed_in(adviser).post(f"/cases/{case.reference}/flags/", body).status_code == 403


def test_the_page_sets_flags_and_shows_a_missing_strand_as_an_error(staff: Staff) -> None:
    landlord, adviser, officer = staff("pnp")
    case = noise_case(landlord, adviser, officer)
    client = signed_in(officer)
    page = text(client.get(f"/cases/{case.reference}/"))
    assert 'id="flags"' in page and "Change the flags" in page
    bad = client.post(f"/cases/{case.reference}/flags/", {"flags-flags": ["hate"], "flags-reason": "Homophobic"})
    assert bad.status_code == 400 and "Choose at least one strand" in text(bad)
    ok = client.post(
        f"/cases/{case.reference}/flags/",
        {"flags-flags": ["hate"], "flags-hate_strands": ["sexual_orientation"], "flags-reason": "Homophobic",
         "flags-version": _version(case)},
    )  # fmt: skip
    assert ok.status_code == 303
    shown = text(client.get(f"/cases/{case.reference}/"))
    assert "Hate incident: Sexual orientation" in shown
