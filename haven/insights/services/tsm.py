"""What a landlord enters for its TSMs (issue 9): the homes figure of a reporting year and its
settings (rounding, excluded closure reasons). Team managers and administrators only; audited."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from haven.accounts.models import Role, User
from haven.accounts.selectors import landlord_profile
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.common.errors import ApplicationError
from haven.insights.models import HomesFigure, TsmSettings
from haven.insights.selectors.tsm import reporting_year, tsm_applies

MAX_HOMES = 2_000_000
NOTE_MAX = 500
MAX_DECIMALS = 4
EDITORS = (Role.MANAGER, Role.ADMIN)


def may_edit_tsm(user: User) -> bool:
    return user.role in EDITORS and user.landlord_id is not None


def _landlord_of(actor: User) -> object:
    if not may_edit_tsm(actor) or actor.landlord is None:
        raise ApplicationError("Only team managers and administrators enter TSM figures.", code="forbidden")
    tsm_applies(actor.landlord)
    return actor.landlord


@transaction.atomic
def homes_figure_save(*, actor: User, year: int, homes: int | None, note: str = "", via: str = "web") -> HomesFigure:
    """The homes owned (low cost rental and LCHO) for a reporting year, replacing any earlier figure."""
    _landlord_of(actor)
    period = reporting_year(year)
    note = note.strip()
    problems = {}
    if homes is None:
        problems["homes"] = "Enter the number of homes owned."
    elif not 1 <= homes <= MAX_HOMES:
        problems["homes"] = f"Enter a number of homes from 1 to {MAX_HOMES:,}."
    if len(note) > NOTE_MAX:
        problems["note"] = f"Write the note in no more than {NOTE_MAX} characters."
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    assert homes is not None and actor.landlord is not None
    existing = HomesFigure.objects.select_for_update().filter(landlord=actor.landlord, year=period.year).first()
    before = existing.homes if existing else None
    figure, _ = HomesFigure.objects.update_or_create(
        landlord=actor.landlord, year=period.year, defaults={"homes": homes, "note": note, "entered_by": actor}
    )
    audit_record(
        actor=actor, verb=Verb.TSM_SETTINGS_SAVED, target=figure, label=f"homes {period.label}", via=via,
        changes={"homes": [before, homes]},
    )  # fmt: skip
    return figure


@transaction.atomic
def tsm_settings_save(*, actor: User, decimals: int | None, excluded: Sequence[str], via: str = "web") -> TsmSettings:
    """Rounding and the closure reasons whose cases NM01 leaves out (codes of the profile's reasons)."""
    _landlord_of(actor)
    assert actor.landlord is not None
    codes = [r.code for r in landlord_profile(actor.landlord).closure.reasons]
    problems = {}
    if decimals is None or not 0 <= decimals <= MAX_DECIMALS:
        problems["decimals"] = f"Choose from 0 to {MAX_DECIMALS} decimal places."
    if unknown := sorted(set(excluded) - set(codes)):
        problems["excluded"] = f"{', '.join(unknown)} is not a closure reason of this landlord."
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    assert decimals is not None
    settings, _ = TsmSettings.objects.get_or_create(landlord=actor.landlord)
    before = {"decimals": settings.decimals, "excluded": list(settings.excluded_closure_reasons)}
    settings.decimals, settings.excluded_closure_reasons = decimals, [c for c in codes if c in set(excluded)]
    settings.save(update_fields=["decimals", "excluded_closure_reasons", "updated_at"])
    audit_record(
        actor=actor, verb=Verb.TSM_SETTINGS_SAVED, target=settings, label="TSM settings", via=via,
        changes={"decimals": [before["decimals"], decimals],
                 "excluded": [before["excluded"], settings.excluded_closure_reasons]},
    )  # fmt: skip
    return settings
