"""Forms of legal action: start one (on the case page), and on the action's own page the
proportionality assessment, the approval, the next move and hearings.

They parse input only; the rules are in ``interventions.services.legal`` and ``legal_hearings``.
Each form has its own prefix so that field ids do not clash on a page.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from haven.cases.forms.plans import DATE_FORMATS, live_parties
from haven.cases.models import Case, Party, PartyRole
from haven.common.stale import version_of
from haven.interventions.models import Hearing, HearingKind, LegalAction
from haven.interventions.workflow import Move, stage_label
from haven.policies.schema import PolicyProfile

YES_NO = [("yes", "Yes"), ("no", "No")]
DATE_HINT = "For example 27/03/2026"


def _date(label: str, missing: str = "", *, required: bool = False, hint: str = DATE_HINT) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        help_text=hint,
        required=required,
        error_messages={"required": missing, "invalid": "Enter the date as DD/MM/YYYY, for example 27/03/2026."},
    )


def _text(label: str, *, hint: str = "", limit: int = 5000, area: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        max_length=limit,
        widget=forms.Textarea if area else forms.TextInput,
        error_messages={"max_length": f"Write no more than {limit:,} characters."},
    )


def _set(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def _today() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


class _Prefixed(forms.Form):
    name = "legal"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.name)
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)


class LegalStartForm(_Prefixed):
    """Which legal tool, against whom, why and since when; the Ground 7A condition (pnp 5.6.2)."""

    name = "legal-start"
    code = forms.ChoiceField(label="Legal action", error_messages={"required": "Choose the legal action."})
    party = forms.ChoiceField(label="Against", error_messages={"required": "Choose the person the action is against."})
    reason = _text("Why legal action is being considered")
    started_on = _date("Started on", "Enter the date the action was started.", required=True)
    condition = forms.ChoiceField(
        label="Ground 7A condition",
        required=False,
        help_text="For Ground 7A only: the conviction, finding or order the mandatory ground rests on",
    )
    condition_on = _date("Date of the conviction, finding or order", hint="For Ground 7A only. " + DATE_HINT)
    condition_detail = _text("Details of the condition", hint="For Ground 7A only: the court and its reference")

    def __init__(self, *args: Any, case: Case, profile: PolicyProfile, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parties = [p for p in live_parties(case) if p.role in (PartyRole.REPORTED, PartyRole.HOUSEHOLD)]
        tools = profile.interventions.legal
        _set(self, "code", [("", "Choose a legal action"), *((t.code, t.label) for t in tools)])
        _set(self, "party", [("", "Choose a person"), *((str(p.pk), _party(p)) for p in self.parties)])
        conditions = [(c.code, c.label) for t in tools for c in t.conditions]
        _set(self, "condition", [("", "None (not Ground 7A)"), *dict(conditions).items()])
        if not self.is_bound:
            self.initial["started_on"] = _today()

    def chosen_party(self) -> Party | None:
        wanted = self.cleaned_data.get("party") or ""
        return next((p for p in self.parties if str(p.pk) == wanted), None)


def _party(party: Party) -> str:
    return f"{party.display_name} ({party.get_role_display().lower()})"


class AssessmentForm(_Prefixed):
    """The proportionality assessment, part by part (emh 4.9; pnp 5.6.3)."""

    name = "assessment"
    legitimate_aim = _text("The legitimate aim", hint="What the action is for: protecting neighbours, staff, the home")
    less_intrusive_tried = _text("Less intrusive options tried", hint="Warnings, agreements, mediation, support")
    less_intrusive_why_not = _text("Or why none were tried", hint="Only if no less intrusive option was tried")
    support_needs = _text("The reported person's known support needs", hint="And what was done about them")
    protected_characteristics = _text(
        "Their protected characteristics, known or believed", hint="Write 'None known' if there are none"
    )
    equality_consideration = _text(
        "The Equality Act 2010 consideration", hint="Section 15 and the public sector equality duty (s149)"
    )
    household_effect = _text("The effect on others in the household", hint="Children first")
    conclusion = _text("Conclusion")
    proportionate = forms.ChoiceField(label="Is the action proportionate?", choices=YES_NO, required=False)
    assessed_on = _date("Assessed on", "Enter the date of the assessment.", required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["assessed_on"] = _today()

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["proportionate"] = _yes_no(data.get("proportionate"))
        return data


class ApprovalForm(_Prefixed):
    """The decision to go ahead: by a team manager where the profile asks (emh 5.5)."""

    name = "approval"
    on = _date("Approved on", "Enter the date of the approval.", required=True)
    note = _text("The decision", hint="For example: approved at the legal panel, with the conditions set")
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, action: LegalAction, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update({"on": _today(), "version": version_of(action.updated_at)})


class MoveForm(_Prefixed):
    """The next step of the action, with the facts it records (``interventions.workflow``); the
    date of the step is ``on``, and each fact says which step it is for."""

    name = "move"
    to = forms.ChoiceField(label="Next step", error_messages={"required": "Choose the next step."})
    on = _date(
        "Date of the step",
        "Enter the date of this step.",
        required=True,
        hint="Served, issued, made or concluded on. " + DATE_HINT,
    )
    notice_expires_on = _date("Notice expires on", hint="Notice served: when it expires. " + DATE_HINT)
    court = _text("Court", hint="Claim issued: the court", limit=200, area=False)
    claim_number = _text("Claim number", hint="Claim issued: the court's number", limit=50, area=False)
    order_terms = _text("Terms of the order", hint="Order made: what it requires or forbids")
    order_expires_on = _date("Order expires on", hint="Order made: when it ends, if it does. " + DATE_HINT)
    power_of_arrest = forms.ChoiceField(
        label="Power of arrest attached",
        required=False,
        choices=[("", "Not recorded"), *YES_NO],
        help_text="Order made, Part 1 injunction only (2014 Act, s4)",
    )
    note = _text("What happened", hint="Order breached: the breach and the response")
    outcome = _text("Outcome", hint="Concluded: how the action ended")
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, action: LegalAction, moves: list[Move], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.moves = moves
        _set(self, "to", [("", "Choose the next step"), *((m.stage_to, stage_label(m.stage_to)) for m in moves)])
        if not self.is_bound:
            self.initial.update({"on": _today(), "version": version_of(action.updated_at)})

    def facts(self) -> dict[str, Any]:
        """The facts typed, for the service: blanks left out (the service says what is missing)."""
        data = self.cleaned_data
        found: dict[str, Any] = {}
        for name in (
            "notice_expires_on",
            "court",
            "claim_number",
            "order_terms",
            "order_expires_on",
            "note",
            "outcome",
        ):
            if data.get(name) not in (None, ""):
                found[name] = data[name]
        if (arrest := _yes_no(data.get("power_of_arrest"))) is not None:
            found["power_of_arrest"] = arrest
        return found


class HearingForm(_Prefixed):
    """A hearing: date and time, court (the action's unless given), kind, outcome."""

    name = "hearing"
    on = _date("Date of the hearing", "Enter the date of the hearing.", required=True)
    at_time = forms.TimeField(
        label="Time",
        input_formats=["%H:%M", "%H.%M"],
        required=False,
        help_text="For example 10:30; 10:00 if left blank",
        error_messages={"invalid": "Enter the time as HH:MM, for example 10:30."},
    )
    court = _text("Court", hint="The action's court if left blank", limit=200, area=False)
    kind = forms.ChoiceField(label="Kind of hearing", choices=HearingKind.choices)
    outcome = _text("Outcome", hint="What the court decided, once known")
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, hearing: Hearing | None = None, **kwargs: Any) -> None:
        if hearing is not None:
            kwargs.setdefault("prefix", f"hearing-{hearing.pk}")
        super().__init__(*args, **kwargs)
        self.hearing = hearing
        self.fields["kind"].error_messages["required"] = "Choose the kind of hearing."
        if not self.is_bound and hearing is not None:
            at = timezone.localtime(hearing.at)
            self.initial.update(
                {
                    "on": at.strftime("%d/%m/%Y"),
                    "at_time": at.strftime("%H:%M"),
                    "court": hearing.court,
                    "kind": hearing.kind,
                    "outcome": hearing.outcome,
                    "version": version_of(hearing.updated_at),
                }
            )

    def at(self) -> datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.combine(data["on"], data.get("at_time") or time(10)))
