"""The case page's people (neutral roles and findings, whg 4.1), its flags, and the staff-safety
warning markers at the top of the page (pnp "Red Flag procedure"), with the forms that change them.

Each POST goes through ``views.core.case_form_post``: 404 for a case the user may not see, 403 for
one they may not work on, the page again with the form's errors (400), or a redirect (303).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from haven.accounts.models import User
from haven.accounts.permissions import can_record_finding, can_view_case, can_work_case
from haven.accounts.selectors import landlord_profile
from haven.cases.forms.flags import FlagsForm
from haven.cases.forms.parties import FindingForm, PartyAddForm, PartyRemoveForm, PartyUpdateForm, from_yes_no
from haven.cases.models import Case, HateStrand, Party, PartyRole
from haven.cases.selectors.parties import case_markers, case_parties, case_party, register_person, register_tenancy
from haven.cases.services.flags import case_flags_set
from haven.cases.services.parties import case_party_add, case_party_remove, case_party_update, party_finding_record
from haven.cases.views.core import case_form_post, case_part
from haven.common.errors import ApplicationError
from haven.policies.schema import flag_label


def _from_category(case: Case) -> set[str]:
    try:
        return {f.value for f in landlord_profile(case.landlord).category(case.category).flags}
    except KeyError:  # a category of an earlier version of the profile
        return set()


def _errors(form: Any) -> bool:
    return form is not None and bool(form.errors)


@case_part
def _part(user: User, case: Case, forms: dict[str, Any]) -> dict[str, Any]:
    may_work = can_work_case(user, case) and case.is_open
    may_find = can_record_finding(user, case) and case.is_open
    people = []
    for row in case_parties(user=user, case=case):
        party, current = row.party, row.party.removed_at is None
        update = forms.get(f"party_update_{party.pk}") or (
            PartyUpdateForm(party=party) if may_work and current else None
        )
        finding = forms.get(f"party_finding_{party.pk}") or (FindingForm(party=party) if may_find and current else None)
        remove = forms.get(f"party_remove_{party.pk}") or (
            PartyRemoveForm(party=party) if may_work and current and party.role != PartyRole.REPORTER else None
        )
        people.append(
            {
                "row": row,
                "party": party,
                "update_form": update,
                "finding_form": finding,
                "remove_form": remove,
                "open": any(_errors(f) for f in (update, finding, remove)),
            }
        )
    from_category = _from_category(case)
    flags_form = forms.get("flags_form") or (FlagsForm(case=case, from_category=from_category) if may_work else None)
    return {
        "markers": case_markers(user=user, case=case),
        "people": people,
        "party_add_form": forms.get("party_add_form") or (PartyAddForm() if may_work else None),
        "case_flags": [{"code": f, "label": flag_label(f), "from_category": f in from_category} for f in case.flags],
        "case_hate_strands": [HateStrand(s).label for s in case.hate_strands or [] if s in HateStrand.values],
        "flags_form": flags_form,
        "flags_open": _errors(flags_form),
    }


def _whole(error: ApplicationError) -> ApplicationError:
    """A stale edit's whole explanation above the form (its field is the hidden version)."""
    return ApplicationError(error.message, code=error.code) if error.code == "stale" else error


def _back(case: Case, anchor: str = "parties") -> str:
    return reverse("cases:case", args=[case.reference]) + f"#{anchor}"


@require_POST
def party_add(request: HttpRequest, reference: str) -> HttpResponse:
    """Add a person to the case, from the register (by reference) or not."""

    def act(request: HttpRequest, user: User, case: Case, form: PartyAddForm) -> str:
        data = form.cleaned_data
        person = register_person(user=user, reference=data["person"])
        if data["person"].strip() and person is None:
            raise ApplicationError(
                "There is nobody with that reference in the register.",
                fields={"person": f"There is nobody with the reference {data['person'].strip()} in the register."},
            )
        tenancy = register_tenancy(user=user, reference=data["tenancy"])
        if data["tenancy"].strip() and tenancy is None:
            raise ApplicationError(
                "There is no tenancy with that reference.",
                fields={"tenancy": f"There is no tenancy with the reference {data['tenancy'].strip()}."},
            )
        party = case_party_add(
            actor=user, case=case, role=data["role"], person=person, tenancy=tenancy, name=data["name"],
            phone=data["phone"], email=data["email"], address=data["address"],
            preferred_contact=data["preferred_contact"], communication_needs=data["communication_needs"],
            notes=data["notes"],
        )  # fmt: skip
        messages.success(request, f"{party.display_name} added to the case as {party.role_label.lower()}.")
        return _back(case)

    return case_form_post(
        request, reference, may=can_work_case, make_form=lambda data, case: PartyAddForm(data), act=act,
        form_key="party_add_form",
    )  # fmt: skip


def _party_post(
    request: HttpRequest, reference: str, party_id: int, *, key: str, may: Any, form_class: Any, act: Any
) -> HttpResponse:
    """A form about one party of the case: a 404 when the party is not in the case."""

    def party(case: Case) -> Party:
        found = case_party(case=case, party_id=party_id)
        if found is None:
            raise Http404("That person is not in this case.")
        return found

    def run(request: HttpRequest, user: User, case: Case, form: Any) -> str:
        try:
            return str(act(request, user, case, party(case), form))
        except ApplicationError as error:
            raise _whole(error) from None

    return case_form_post(
        request, reference, may=lambda user, case: bool(party(case)) and may(user, case),
        make_form=lambda data, case: form_class(data, party=party(case)), act=run, form_key=f"{key}_{party_id}",
    )  # fmt: skip


@require_POST
def party_update(request: HttpRequest, reference: str, party_id: int) -> HttpResponse:
    """Change a person's role, details or witness willingness (emh 4.6), with the stale-edit guard."""

    def act(request: HttpRequest, user: User, case: Case, party: Party, form: PartyUpdateForm) -> str:
        d = form.cleaned_data
        case_party_update(
            actor=user, party=party, version=d["version"], role=d["role"], name=d["name"], phone=d["phone"],
            email=d["email"], address=d["address"], preferred_contact=d["preferred_contact"],
            communication_needs=d["communication_needs"], notes=d["notes"],
            witness_statement=from_yes_no(d["witness_statement"]), witness_court=from_yes_no(d["witness_court"]),
            witness_support_needs=d["witness_support_needs"], witness_support_given=d["witness_support_given"],
            may_be_named=d["may_be_named"] if party.role == PartyRole.REPORTER else None,
        )  # fmt: skip
        messages.success(request, f"{party.display_name}: details saved.")
        return _back(case)

    return _party_post(
        request, reference, party_id, key="party_update", may=can_work_case, form_class=PartyUpdateForm, act=act
    )


@require_POST
def party_finding(request: HttpRequest, reference: str, party_id: int) -> HttpResponse:
    """Record a finding on the balance of probabilities (whg 4.1)."""

    def act(request: HttpRequest, user: User, case: Case, party: Party, form: FindingForm) -> str:
        finding, finding_on = form.chosen()
        party = party_finding_record(
            actor=user, party=party, finding=finding, finding_on=finding_on, evidence=form.cleaned_data["evidence"],
            version=form.cleaned_data["version"],
        )  # fmt: skip
        messages.success(request, f"Finding recorded: {party.display_name} is now shown as {party.role_label.lower()}.")
        return _back(case)

    return _party_post(
        request, reference, party_id, key="party_finding", may=can_record_finding, form_class=FindingForm, act=act
    )


@require_POST
def party_remove(request: HttpRequest, reference: str, party_id: int) -> HttpResponse:
    """Take a person off the case, with the reason (the record is kept)."""

    def act(request: HttpRequest, user: User, case: Case, party: Party, form: PartyRemoveForm) -> str:
        case_party_remove(
            actor=user, party=party, reason=form.cleaned_data["reason"], version=form.cleaned_data["version"]
        )
        messages.success(request, f"{party.display_name} taken off the case.")
        return _back(case)

    return _party_post(
        request, reference, party_id, key="party_remove", may=can_work_case, form_class=PartyRemoveForm, act=act
    )


@require_POST
def flags_set(request: HttpRequest, reference: str) -> HttpResponse:
    """Set the case's flags (hate with its strands, domestic abuse, safeguarding, staff targeted,
    persistent complainant, vulnerable reporter)."""

    def act(request: HttpRequest, user: User, case: Case, form: FlagsForm) -> str:
        add, remove, strands = form.changes()
        try:
            case = case_flags_set(
                actor=user, case=case, add=add, remove=remove, hate_strands=strands,
                reason=form.cleaned_data["reason"], version=form.cleaned_data["version"],
            )  # fmt: skip
        except ApplicationError as error:
            raise _whole(error) from None
        messages.success(request, "Flags saved." + (" The case is now restricted." if case.restricted else ""))
        if not can_view_case(user, case):  # now restricted and not this user's case
            return reverse("cases:list")
        return _back(case, "flags")

    return case_form_post(
        request, reference, may=can_work_case, act=act, form_key="flags_form",
        make_form=lambda data, case: FlagsForm(data, case=case, from_category=_from_category(case)),
    )  # fmt: skip
