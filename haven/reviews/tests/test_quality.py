"""The casework quality review (whg 3.5): a seeded random sample of the profile's size, scoring
against the profile's checklist, the refusals, and the page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from haven.accounts.models import Landlord, User
from haven.accounts.selectors import landlord_profile
from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Case
from haven.cases.tests.any_profile import PROFILES, noise_case
from haven.cases.tests.factories import signed_in, text
from haven.common.errors import ApplicationError
from haven.reviews.models import QualityReview
from haven.reviews.selectors.quality import quality_reviews_for, quality_sample
from haven.reviews.services.quality import quality_review_record, quality_score

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(emh: Landlord, make_user: Callable[..., User]) -> dict[str, User]:
    return {role: make_user(emh, role) for role in ("adviser", "officer", "specialist", "manager", "auditor")}


def all_answers(landlord: Landlord, answer: str = "yes", **given: str) -> dict[str, str]:
    return {item.code: given.get(item.code, answer) for item in landlord_profile(landlord).quality_review.checklist}


def cases(landlord: Landlord, staff: dict[str, User], n: int) -> list[Case]:
    return [noise_case(landlord, staff["adviser"], staff["officer"]) for _ in range(n)]


def period() -> dict[str, object]:
    today = timezone.localdate()
    return {"period_from": today - timedelta(days=30), "period_to": today}


@pytest.mark.parametrize("policy_id", PROFILES)
def test_scoring_on_every_profile(
    policy_id: str, make_landlord: Callable[..., Landlord], make_user: Callable[..., User]
) -> None:
    """whg 3.5 (``quality_review``): 2 for yes, 1 for partly, 0 for no, over 2 for each question that
    applies; "does not apply" counts neither way. Kept with the profile's version for the compliance report."""
    landlord = make_landlord(policy_id)
    adviser, officer, manager = (make_user(landlord, r) for r in ("adviser", "officer", "manager"))
    case = noise_case(landlord, adviser, officer)
    codes = [i.code for i in landlord_profile(landlord).quality_review.checklist]
    answers = all_answers(landlord, **{codes[0]: "partly", codes[1]: "no", codes[2]: "na"})
    review = quality_review_record(actor=manager, case=case, answers=answers, sample="2026-12", learning="Risk late")
    assert (review.score, review.out_of) == (2 * (len(codes) - 3) + 1, 2 * (len(codes) - 1))
    assert review.policy_version == landlord_profile(landlord).version and review.sample == "2026-12"
    assert quality_score(landlord_profile(landlord), answers) == (review.score, review.out_of)
    assert AuditEvent.objects.filter(verb=Verb.QUALITY_REVIEWED, object_id=str(case.pk)).count() == 1


@pytest.mark.parametrize("role", ["adviser", "officer", "specialist", "auditor"])
def test_only_a_team_manager_reviews(emh: Landlord, staff: dict[str, User], role: str) -> None:
    """whg 3.5: the casework quality review is a team manager's; nothing is saved for anyone else."""
    [case] = cases(emh, staff, 1)
    with pytest.raises(ApplicationError, match="Only a team manager"):
        quality_review_record(actor=staff[role], case=case, answers=all_answers(emh))
    assert not QualityReview.objects.exists()


def test_a_question_not_in_the_checklist_is_refused(emh: Landlord, staff: dict[str, User]) -> None:
    """whg 3.5: the answers are to the profile's checklist only; an unknown question is named."""
    [case] = cases(emh, staff, 1)
    with pytest.raises(ApplicationError) as refused:
        quality_review_record(actor=staff["manager"], case=case, answers={**all_answers(emh), "tea_offered": "yes"})
    assert "tea_offered" in refused.value.fields["answers"]
    assert not QualityReview.objects.exists()


def test_every_question_is_answered_and_one_applies(emh: Landlord, staff: dict[str, User]) -> None:
    """whg 3.5: a missing or unknown answer is named on its question; all "does not apply" is refused."""
    [case] = cases(emh, staff, 1)
    answers = all_answers(emh)
    first, second = list(answers)[:2]
    answers.pop(first)
    answers[second] = "maybe"
    with pytest.raises(ApplicationError) as refused:
        quality_review_record(actor=staff["manager"], case=case, answers=answers)
    assert set(refused.value.fields) == {first, second}
    with pytest.raises(ApplicationError, match="At least one question must apply"):
        quality_review_record(actor=staff["manager"], case=case, answers=all_answers(emh, "na"))
    assert not QualityReview.objects.exists()


def test_a_case_of_another_landlord_is_refused(
    emh: Landlord, staff: dict[str, User], make_landlord: Callable[..., Landlord], make_user: Callable[..., User]
) -> None:
    """whg 3.5: a manager reviews their own landlord's cases only."""
    other = make_landlord("whg")
    case = noise_case(other, make_user(other, "adviser"), make_user(other, "officer"))
    with pytest.raises(ApplicationError, match="not one of your landlord's cases"):
        quality_review_record(actor=staff["manager"], case=case, answers=all_answers(other))
    assert not QualityReview.objects.exists()


def test_the_sample_is_the_profiles_size_and_the_same_for_the_same_label(emh: Landlord, staff: dict[str, User]) -> None:
    """whg 3.5, seeded random: ``quality_review.sample_size`` (10 on emh) of the cases with work in the
    period; the same label draws the same cases, scoring one keeps it in its sample."""
    made = cases(emh, staff, 12)
    first = quality_sample(user=staff["manager"], label="2026-12", **period())  # type: ignore[arg-type]
    assert first.size == 10 and len(first.rows) == 10
    assert {r.case.pk for r in first.rows} <= {c.pk for c in made}
    chosen = first.rows[0].case
    quality_review_record(actor=staff["manager"], case=chosen, answers=all_answers(emh), sample="2026-12")
    again = quality_sample(user=staff["manager"], label="2026-12", **period())  # type: ignore[arg-type]
    assert [r.case.pk for r in again.rows] == [r.case.pk for r in first.rows]
    assert again.scored == 1 and again.rows[0].review is not None
    other = quality_sample(user=staff["manager"], label="2027-01", **period())  # type: ignore[arg-type]
    assert chosen.pk not in {r.case.pk for r in other.rows}  # reviewed in the last 12 months: not sampled again


def test_the_sample_leaves_out_cases_without_work_in_the_period(emh: Landlord, staff: dict[str, User]) -> None:
    """whg 3.5: a case with no work recorded and not closed in the period is not in its sample."""
    [case] = cases(emh, staff, 1)
    today = timezone.localdate()
    old = quality_sample(
        user=staff["manager"],
        label="old",
        period_from=today - timedelta(days=400),
        period_to=today - timedelta(days=300),
    )
    assert old.rows == []
    assert [r.case for r in quality_sample(user=staff["manager"], label="now", **period()).rows] == [case]  # type: ignore[arg-type]


def test_the_sample_costs_the_same_queries_for_one_or_three_cases(
    emh: Landlord, staff: dict[str, User], django_assert_num_queries: Callable[..., object]
) -> None:
    """Queries are bounded (ARCHITECTURE 12): the pool, the cases and the sample's reviews."""
    manager = staff["manager"]
    cases(emh, staff, 1)
    manager.refresh_from_db()
    landlord_profile(emh)
    _ = manager.landlord
    with django_assert_num_queries(3):  # type: ignore[operator]
        assert len(quality_sample(user=manager, label="a", **period()).rows) == 1  # type: ignore[arg-type]
    cases(emh, staff, 2)
    with django_assert_num_queries(3):  # type: ignore[operator]
        assert len(quality_sample(user=manager, label="a", **period()).rows) == 3  # type: ignore[arg-type]


def test_the_results_are_kept_for_the_compliance_report(emh: Landlord, staff: dict[str, User]) -> None:
    """whg 3.5: managers, specialists and auditors read the results; officers do not."""
    [case] = cases(emh, staff, 1)
    quality_review_record(actor=staff["manager"], case=case, answers=all_answers(emh))
    for role in ("manager", "specialist", "auditor"):
        assert quality_reviews_for(user=staff[role]).count() == 1
    assert quality_reviews_for(user=staff["officer"]).count() == 0


# ---- the pages ------------------------------------------------------------------------------------


def test_the_quality_page_draws_a_sample_and_scores_a_case(emh: Landlord, staff: dict[str, User]) -> None:
    """whg 3.5: the manager draws the sample, opens a case from it, answers the checklist and is taken
    back to the sample, where the case shows its score."""
    [case] = cases(emh, staff, 1)
    client = signed_in(staff["manager"])
    page = client.get(reverse("reviews:quality"))
    assert page.status_code == 200 and "Draw a sample" in text(page) and "No quality reviews recorded yet" in text(page)
    today = timezone.localdate()
    query = {"sample-sample": "2026-12", "sample-period_from": f"{today - timedelta(days=7):%d/%m/%Y}",
             "sample-period_to": f"{today:%d/%m/%Y}"}  # fmt: skip
    drawn = client.get(reverse("reviews:quality"), query)
    assert drawn.status_code == 200 and case.reference in text(drawn) and "Score this case" in text(drawn)

    back = urlencode({"sample": "2026-12", "back": urlencode(query)})
    url = reverse("reviews:quality-case", args=[case.reference]) + "?" + back
    form = client.get(url)
    assert form.status_code == 200 and "The report was responded to within its target" in text(form)
    answers = {f"quality-q_{code}": "yes" for code in all_answers(emh)}
    answers["quality-q_risk_assessed"] = "no"
    missing = dict(answers)
    missing.pop("quality-q_action_plan")
    shown = client.post(url, {**missing, "quality-sample": "2026-12", "quality-notes": "Kept as typed"})
    assert shown.status_code == 400 and "There is a problem" in text(shown) and "Kept as typed" in text(shown)
    assert not QualityReview.objects.exists()

    done = client.post(url, {**answers, "quality-sample": "2026-12", "quality-learning": "Assess risk on day one"})
    assert done.status_code == 303 and done["Location"] == reverse("reviews:quality") + "?" + urlencode(query)
    review = QualityReview.objects.get()
    assert (review.score, review.out_of, review.sample) == (12, 14, "2026-12")
    again = client.get(reverse("reviews:quality"), query)
    assert "Scored 12 out of 14" in text(again) and "Assess risk on day one" in text(again)


def test_a_bad_period_is_shown_with_the_error_summary(emh: Landlord, staff: dict[str, User]) -> None:
    """whg 3.5: a period ending before it starts is a clear message, not a sample."""
    client = signed_in(staff["manager"])
    page = client.get(reverse("reviews:quality"), {"sample-sample": "x", "sample-period_from": "10/12/2026",
                                                   "sample-period_to": "01/12/2026"})  # fmt: skip
    assert page.status_code == 400 and "cannot be before its start" in text(page)


@pytest.mark.parametrize("role", ["adviser", "officer", "specialist", "auditor"])
def test_the_quality_pages_are_for_team_managers(emh: Landlord, staff: dict[str, User], role: str) -> None:
    """whg 3.5: others are refused both pages."""
    [case] = cases(emh, staff, 1)
    client = signed_in(staff[role])
    assert client.get(reverse("reviews:quality")).status_code == 403
    assert client.get(reverse("reviews:quality-case", args=[case.reference])).status_code == 403


def test_another_landlords_case_is_not_found(
    emh: Landlord, staff: dict[str, User], make_landlord: Callable[..., Landlord], make_user: Callable[..., User]
) -> None:
    """whg 3.5: a case of another landlord is a 404 on the scoring page."""
    other = make_landlord("whg")
    theirs = noise_case(other, make_user(other, "adviser"), make_user(other, "officer"))
    page = signed_in(staff["manager"]).get(reverse("reviews:quality-case", args=[theirs.reference]))
    assert page.status_code == 404


def test_the_quality_page_costs_the_same_queries_for_one_or_three_reviews(
    emh: Landlord, staff: dict[str, User]
) -> None:
    """Queries are bounded (ARCHITECTURE 12): the list of reviews and the sample with its scores."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    manager, today = staff["manager"], timezone.localdate()
    query = {"sample-sample": "s", "sample-period_from": f"{today - timedelta(days=7):%d/%m/%Y}",
             "sample-period_to": f"{today:%d/%m/%Y}"}  # fmt: skip
    client = signed_in(manager)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("reviews:quality"), query).status_code == 200
        return len(captured)

    for case in cases(emh, staff, 1):
        quality_review_record(actor=manager, case=case, answers=all_answers(emh), sample="s")
    one = queries()
    for case in cases(emh, staff, 2):
        quality_review_record(actor=manager, case=case, answers=all_answers(emh), sample="s")
    assert queries() == one
