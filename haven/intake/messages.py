"""What a reporter is told happens next: on the confirmation page, in the e-mail, in letters."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from haven.common.working_time import TimeUnit
from haven.policies.schema import Duration, PolicyProfile


def duration_text(duration: Duration) -> str:
    """ "5 working days", in the language of the moment (Welsh for a wwh resident who asked)."""
    n = duration.amount
    if duration.unit == TimeUnit.WORKING_HOURS:
        return ngettext("%(n)s working hour", "%(n)s working hours", n) % {"n": n}
    if duration.unit == TimeUnit.WORKING_DAYS:
        return ngettext("%(n)s working day", "%(n)s working days", n) % {"n": n}
    return ngettext("%(n)s day", "%(n)s days", n) % {"n": n}


def fastest_and_usual_targets(profile: PolicyProfile) -> tuple[str, str]:
    tiers = [t for t in profile.triage.tiers if t.opens_case]
    fastest = min(tiers, key=lambda t: (t.response_target.unit.value != "working_hours", t.response_target.amount))
    usual = profile.tier(profile.triage.default_tier)
    return duration_text(fastest.response_target), duration_text(usual.response_target)


def what_happens_next(*, profile: PolicyProfile, anonymous: bool) -> list[str]:
    """Plain steps, from the profile's own targets (emh 4.2; whg 2.5; WWH 3.0)."""
    fastest, usual = fastest_and_usual_targets(profile)
    steps = [
        _("We will read your report and decide how to deal with it under our anti-social behaviour policy."),
    ]
    if fastest == usual:
        steps.append(_("We aim to contact you within %(usual)s.") % {"usual": usual})
    else:
        steps.append(
            _("We aim to contact you within %(usual)s, or within %(fastest)s if someone is at risk of harm.")
            % {"usual": usual, "fastest": fastest}
        )
    steps.append(_("We will agree with you how and how often we keep you updated."))
    if anonymous:
        steps = [steps[0], profile.anonymous_reports.explanation]
    steps.append(_("If anyone is in immediate danger, call 999. To report a crime, call the police on 101."))
    return steps
