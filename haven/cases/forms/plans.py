"""Forms of the action plan part of the case page: add an action, update one, record the agreement.

They parse input only; the rules are in ``cases.services.plans``. Each form has its own prefix so
that field ids do not clash on the case page (many update forms, one per action).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from haven.accounts.models import User
from haven.cases.models import Action, ActionStatus, Case, ContactChannel, Party, PartyRole
from haven.common.stale import Renewable, version_of
from haven.policies.schema import PolicyProfile

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"]
OWNER_KINDS = [
    ("landlord", "Us: a member of staff"),
    ("person", "The reporter or another person in the case"),
    ("partner", "A partner agency"),
]
OTHER_PARTNER = "other"


def _date(label: str, missing: str, **options: Any) -> forms.DateField:
    return forms.DateField(
        label=label, input_formats=DATE_FORMATS, help_text=options.pop("help_text", "For example 27/03/2026"),
        error_messages={"required": missing, "invalid": "Enter the date as DD/MM/YYYY, for example 27/03/2026."},
        **options,
    )  # fmt: skip


def _choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def live_parties(case: Case) -> list[Party]:
    """The case's parties still on it (from case_detail's prefetch: no query), reporter first."""
    parties = [p for p in case.parties.all() if p.removed_at is None and not p.anonymous]
    return sorted(parties, key=lambda p: (p.role != PartyRole.REPORTER, p.pk))


def _party_label(party: Party) -> str:
    return f"{party.display_name} ({party.get_role_display().lower()})"


class ActionAddForm(forms.Form):
    """What will be done, who will do it (wwh 4.0: "what they should be doing, and what we are
    doing") and by when."""

    description = forms.CharField(
        label="What will be done", widget=forms.Textarea, max_length=2000,
        error_messages={"required": "Say what will be done.",
                        "max_length": "Write the action in no more than 2,000 characters."},
    )  # fmt: skip
    owner = forms.ChoiceField(
        label="Who will do it", choices=OWNER_KINDS, widget=forms.RadioSelect,
        error_messages={"required": "Say who will do this.", "invalid_choice": "Say who will do this."},
    )  # fmt: skip
    owner_user = forms.ChoiceField(label="Member of staff", required=False)
    owner_party = forms.ChoiceField(label="Person", required=False)
    owner_partner = forms.ChoiceField(label="Partner agency", required=False)
    owner_partner_name = forms.CharField(
        label="Or the agency's name, if it is not listed", required=False, max_length=200,
        error_messages={"max_length": "Write the agency's name in no more than 200 characters."},
    )  # fmt: skip
    due_on = _date("Due by", "Enter the date it is due.")
    source = forms.CharField(
        label="Where it came from (optional)", required=False, max_length=40,
        help_text="For example: first visit, case review, multi-agency meeting",
        error_messages={"max_length": "Say where it came from in no more than 40 characters."},
    )  # fmt: skip

    def __init__(self, *args: Any, case: Case, staff: list[User], profile: PolicyProfile, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "action-add")
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.parties = live_parties(case)
        self.staff = staff
        _choices(self, "owner_user", [("", "Choose a member of staff")] + [(str(u.pk), u.display_name) for u in staff])
        _choices(self, "owner_party", [("", "Choose a person")] + [(str(p.pk), _party_label(p)) for p in self.parties])
        _choices(
            self, "owner_partner",
            [("", "Choose a partner"), *((p.code, p.label) for p in profile.partners),
             (OTHER_PARTNER, "Another agency")],
        )  # fmt: skip
        if not self.is_bound and case.officer_id:
            self.initial.setdefault("owner_user", str(case.officer_id))

    def staff_member(self) -> User | None:
        wanted = self.cleaned_data.get("owner_user") or ""
        return next((u for u in self.staff if str(u.pk) == wanted), None)

    def party(self) -> Party | None:
        wanted = self.cleaned_data.get("owner_party") or ""
        return next((p for p in self.parties if str(p.pk) == wanted), None)

    def chosen_owner(self) -> tuple[str, Party | None, str]:
        """The service's owner kind (the reporter, or another party, by the person chosen), party and partner."""
        kind = self.cleaned_data["owner"]
        if kind == "person":
            party = self.party()
            if party is None:
                return "party", None, ""
            return ("reporter" if party.role == PartyRole.REPORTER else "party"), party, ""
        if kind == "partner":
            code = self.cleaned_data.get("owner_partner") or ""
            name = (self.cleaned_data.get("owner_partner_name") or "").strip()
            return "partner", None, name if (code in ("", OTHER_PARTNER) or name) else code
        return kind, None, ""


class ActionUpdateForm(Renewable, forms.Form):
    """Move one action on; ``version`` is the action as the officer saw it (the stale-edit guard)."""

    status = forms.ChoiceField(label="Status", choices=ActionStatus.choices)
    outcome = forms.CharField(
        label="Outcome", widget=forms.Textarea, required=False, max_length=5000,
        help_text="What came of it; needed once it is done or not done",
        error_messages={"max_length": "Write the outcome in no more than 5,000 characters."},
    )  # fmt: skip
    completed_on = _date("Completed on (optional)", "", required=False, help_text="Today if left blank and it is done")
    due_on = _date("Due by", "Enter the date it is due.")
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, action: Action, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"action-{action.pk}")
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.action = action
        self.fields["status"].error_messages["required"] = "Choose a status."
        if not self.is_bound:
            self.initial.update(
                {
                    "status": action.status,
                    "outcome": action.outcome,
                    "completed_on": action.completed_on.strftime("%d/%m/%Y") if action.completed_on else "",
                    "due_on": action.due_on.strftime("%d/%m/%Y"),
                    "version": version_of(action.updated_at),
                }
            )


class ActionPlanAgreeForm(forms.Form):
    """Who the plan was agreed with and when (livv 4 "Case Management"), and how it was shared."""

    agreed_with = forms.ChoiceField(
        label="Agreed with", error_messages={"required": "Choose who the plan was agreed with."}
    )
    agreed_on = _date("Agreed on", "Enter the date the plan was agreed.")
    shared_how = forms.ChoiceField(
        label="How the plan was shared with them", choices=[("", "Choose how"), *ContactChannel.choices],
        error_messages={"required": "Choose how the plan was shared with them."},
    )  # fmt: skip
    shared_on = _date("Shared on (optional)", "", required=False)
    notes = forms.CharField(
        label="Notes (optional)", widget=forms.Textarea, required=False, max_length=2000,
        help_text="For example: agreed at a home visit; a copy sent in large print",
        error_messages={"max_length": "Write the notes in no more than 2,000 characters."},
    )  # fmt: skip

    def __init__(self, *args: Any, case: Case, plan: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "agree-plan")
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.parties = [p for p in live_parties(case) if p.role != PartyRole.AGENCY]
        _choices(self, "agreed_with", [(str(p.pk), _party_label(p)) for p in self.parties])
        if not self.is_bound:
            self.initial["agreed_on"] = timezone.localdate().strftime("%d/%m/%Y")
            if plan is not None:
                self.initial.update(
                    {"agreed_with": str(plan.agreed_with_id), "shared_how": plan.shared_how, "notes": plan.notes}
                )

    def party(self) -> Party | None:
        wanted = self.cleaned_data.get("agreed_with") or ""
        return next((p for p in self.parties if str(p.pk) == wanted), None)
