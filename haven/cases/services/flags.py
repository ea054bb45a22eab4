"""Setting a case's flags by hand: what the category did not say, or what was learnt since.

Hate incident, with its strand or strands (TSM NM01 (b); emh 3.6); domestic abuse (emh 3.5),
safeguarding and staff-targeted (emh 3.4; pnp 1.6), which make the case restricted; persistent
complainant (emh 7.8) and vulnerable reporter (emh 4.4-4.5; WWH 2.0). Flags that come from the
case's category stay until it is re-categorised (``services.core.case_recategorise``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.permissions import can_work_case
from haven.accounts.selectors import landlord_profile
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import Case, HateStrand, Note
from haven.cases.services.core import case_refresh, flag_rows_sync
from haven.common.errors import ApplicationError
from haven.common.stale import ensure_unchanged
from haven.policies.schema import FLAG_LABELS, RESTRICTING_FLAGS, Flag, flag_label

# The flags an officer sets on a case (the others come from its category).
SETTABLE_FLAGS: dict[str, str] = {
    f.value: FLAG_LABELS[f]
    for f in (Flag.HATE, Flag.DOMESTIC_ABUSE, Flag.SAFEGUARDING, Flag.STAFF_TARGETED,
              Flag.PERSISTENT_COMPLAINANT, Flag.VULNERABLE_REPORTER)
}  # fmt: skip


@transaction.atomic
def case_flags_set(
    *,
    actor: User,
    case: Case,
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
    hate_strands: Iterable[str] | None = None,
    reason: str,
    version: str | None,
    via: str = "web",
) -> Case:
    """Add and take off flags of an open case, with the reason. The hate flag needs at least one
    strand (``hate_strands``, HateStrand codes; None keeps the current ones); taking it off clears
    them. ``restricted`` follows the flags as at opening (domestic abuse, safeguarding, staff
    targeted). ``version`` is the case's ``updated_at`` the change was based on (common.stale)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not can_work_case(actor, case):
        raise ApplicationError("You cannot change this case.")
    ensure_unchanged(current=case.updated_at, seen=version, what="case")
    adding, removing = {str(f) for f in add}, {str(f) for f in remove}
    profile = landlord_profile(case.landlord)
    try:
        from_category = {f.value for f in profile.category(case.category).flags}
    except KeyError:  # a category of an earlier version of the profile
        from_category = set()
    problems: dict[str, str] = {}
    unknown = sorted((adding | removing) - set(SETTABLE_FLAGS))
    if unknown:
        problems["add"] = f"{', '.join(unknown)}: not a flag set here; these are: {', '.join(SETTABLE_FLAGS)}."
    elif adding & removing:
        problems["add"] = "A flag cannot be added and taken off at once."
    kept = sorted(removing & from_category)
    if kept:
        problems["remove"] = (
            f"{', '.join(flag_label(f) for f in kept)} comes from the case's category; re-categorise the case instead."
        )
    before = list(case.flags)
    after = sorted((set(before) | adding) - removing)
    strands_before = list(case.hate_strands or [])
    strands = sorted({str(s) for s in hate_strands}) if hate_strands is not None else strands_before
    bad = sorted(set(strands) - set(HateStrand.values))
    if bad:
        problems["hate_strands"] = f"{', '.join(bad)}: not a strand; choose from {', '.join(HateStrand.values)}."
    elif Flag.HATE.value in after and not strands:
        problems["hate_strands"] = "Choose at least one strand of the hate incident (race, religion, ...)."
    elif Flag.HATE.value not in after and hate_strands is not None and strands:
        problems["hate_strands"] = "Strands are recorded only with the hate incident flag."
    if not reason.strip():
        problems["reason"] = "Say why the flags are changing."
    elif len(reason) > 2000:
        problems["reason"] = "Write the reason in no more than 2,000 characters."
    if not case.is_open:
        problems.setdefault("add", "This case is closed.")
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    if Flag.HATE.value not in after:
        strands = []
    if after == sorted(before) and strands == sorted(strands_before):
        raise ApplicationError("The case already has those flags.", fields={"add": "Nothing would change."})
    restricted_before = case.restricted
    case.flags, case.hate_strands = after, strands
    case.restricted = bool(set(after) & {f.value for f in RESTRICTING_FLAGS})
    case.save(update_fields=["flags", "hate_strands", "restricted", "updated_at"])
    flag_rows_sync(case)
    # The case has no field for why its flags changed: the reason is kept as a note on the case.
    added, taken = sorted(set(after) - set(before)), sorted(set(before) - set(after))
    summary = "; ".join(
        part
        for part in (
            f"added {', '.join(flag_label(f) for f in added)}" if added else "",
            f"took off {', '.join(flag_label(f) for f in taken)}" if taken else "",
            f"hate strands now {', '.join(str(HateStrand(s).label) for s in strands)}"
            if strands and strands != strands_before
            else "",
        )
        if part
    )
    Note.objects.create(case=case, text=f"Flags changed ({summary}): {reason.strip()}", author=actor)
    case_refresh(case, activity_at=timezone.now())
    audit_record(
        actor=actor, verb=Verb.CASE_FLAGS_CHANGED, target=case, via=via,
        changes={"flags": [sorted(before), after], "hate_strands": [sorted(strands_before), strands],
                 "restricted": [restricted_before, case.restricted]},
    )  # fmt: skip
    return case
