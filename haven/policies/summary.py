"""Readable text about a profile, for ``haven policy show`` and ``haven policy check``."""

from __future__ import annotations

from pathlib import Path

from haven.policies.loader import PolicyError, load_profile
from haven.policies.schema import PolicyProfile


def check_file(path: str | Path) -> tuple[bool, str]:
    """Validate a landlord's own profile file; the text lists every problem with its place."""
    try:
        profile = load_profile(path)
    except PolicyError as exc:
        return False, exc.summary()
    defaults = profile.defaults()
    lines = [f"{path}: the profile {profile.id!r} version {profile.version} is valid."]
    if defaults:
        lines.append(f"{len(defaults)} settings use Haven's default because the policy is silent; confirm them:")
        lines.extend(f"  - {place}" for place in defaults)
    return True, "\n".join(lines)


def summarise(profile: PolicyProfile) -> str:
    out: list[str] = []
    add = out.append
    add(f"{profile.landlord.name} ({profile.id}, version {profile.version}, {profile.landlord.country.value.title()})")
    add(
        f"Policy: {profile.policy.document}; review every {profile.policy.review_every_years} years, "
        f"next due {profile.policy.next_review_due:%d %B %Y} [{profile.policy.source}]"
    )
    add("")
    add(f"Definition [{profile.definition.source}] from {profile.definition.legal_source}:")
    add(f"  {profile.definition.text}")
    add(f"Tenures in scope: {', '.join(t.value for t in profile.tenures.in_scope)} [{profile.tenures.source}]")
    if profile.tenures.signposted:
        add(f"Signposted: {', '.join(t.value for t in profile.tenures.signposted)}")
    add("")
    add(f"Triage: {profile.triage.scheme} [{profile.triage.source}]")
    for tier in profile.tiers_by_rank:
        case_note = "" if tier.opens_case else " (no case opened)"
        add(
            f"  - {tier.id}: {tier.label}: respond within {tier.response_target}, review every "
            f"{tier.review_every}{case_note} [{tier.source}]"
        )
    add(
        f"Office hours: {profile.office_hours.opens:%H:%M}-{profile.office_hours.closes:%H:%M}, "
        f"England and Wales bank holidays [{profile.office_hours.source}]"
    )
    matrix = profile.risk_matrix
    ordered = sorted(matrix.bands, key=lambda b: -b.min_score)
    bands = ", ".join(f"{b.label} from {b.min_score} -> {b.tier}" for b in ordered)
    add(f"Full risk matrix (version {matrix.version}): {len(matrix.questions)} questions; {bands} [{matrix.source}]")
    add("")
    add(f"Categories ({len(profile.categories)}):")
    for category in profile.categories:
        flags = f" [{', '.join(sorted(f.value for f in category.flags))}]" if category.flags else ""
        default = f" -> {category.default_tier}" if category.default_tier else ""
        add(f"  - {category.code}: {category.label}{flags}{default}")
    add(
        f"Not ASB: {len(profile.not_asb.examples)} examples, advice routes: "
        f"{', '.join(r.label for r in profile.not_asb.advice_routes)}"
    )
    add(
        f"Anonymous reports: {profile.anonymous_reports.handling.replace('_', ' ')} "
        f"[{profile.anonymous_reports.source}]"
    )
    add(
        f"Interventions: {len(profile.interventions.informal)} informal, {len(profile.interventions.legal)} legal, "
        f"{len(profile.interventions.partner_powers)} partner powers"
    )
    add(f"Partners: {', '.join(p.label for p in profile.partners)}")
    add(f"KPIs: {', '.join(k.label for k in profile.kpis.measures)}")
    add(f"Tenant Satisfaction Measures: {'reported' if profile.kpis.tsm_applies else 'do not apply'}")
    defaults = profile.defaults()
    if defaults:
        add("")
        add(f"{len(defaults)} settings are Haven defaults, not in the policy: {', '.join(defaults)}")
    return "\n".join(out)
