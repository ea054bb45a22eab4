"""The initial risk screen (emh 4.4) and the tier it gives, from a profile's matrix.

A pure function of the profile: the contact centre's answers in, a tier and the reasons out, so the
same rule serves the staff intake page, the API and the tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from haven.policies.schema import PolicyProfile, Tier


@dataclass(frozen=True)
class ScreenResult:
    score: int
    band_tier: str
    tier: Tier
    screen_version: str
    reasons: list[str] = field(default_factory=list)
    answers: dict[str, bool] = field(default_factory=dict)


def screen_unknown_answers(profile: PolicyProfile, answers: dict[str, bool]) -> list[str]:
    known = {q.code for q in profile.risk_screen.questions}
    return sorted(code for code in answers if code not in known)


def tier_from_screen(*, profile: PolicyProfile, category_code: str | None, answers: dict[str, bool]) -> ScreenResult:
    """The most serious of: the score's band, the category's default tier, and the profile's
    vulnerability tier when any vulnerability question is a yes (emh 4.2, harm-centred: a highly
    vulnerable person raises the tier whatever the behaviour). Unanswered questions count as no.
    """
    screen = profile.risk_screen
    yes = {q.code for q in screen.questions if answers.get(q.code)}
    score = sum(q.weight for q in screen.questions if q.code in yes)
    band = max((b for b in screen.bands if b.min_score <= score), key=lambda b: b.min_score)
    candidates = [
        (profile.tier(band.tier), f"the risk screen scored {score}, which is {profile.tier(band.tier).label}")
    ]
    if category_code:
        category = profile.category(category_code)
        if category.default_tier:
            candidates.append(
                (
                    profile.tier(category.default_tier),
                    f"{category.label} is {profile.tier(category.default_tier).label} ({category.source})",
                )
            )
    vulnerable = [q for q in screen.questions if q.vulnerability and q.code in yes]
    if vulnerable and screen.vulnerability_tier:
        tier = profile.tier(screen.vulnerability_tier)
        candidates.append((tier, f"a high vulnerability raises the case to {tier.label} ({vulnerable[0].source})"))
    chosen = max(candidates, key=lambda c: c[0].rank)[0]
    reasons = [reason for tier, reason in candidates if tier.id == chosen.id]
    return ScreenResult(
        score=score,
        band_tier=band.tier,
        tier=chosen,
        screen_version=screen.version,
        reasons=reasons,
        answers={q.code: q.code in yes for q in screen.questions},
    )
