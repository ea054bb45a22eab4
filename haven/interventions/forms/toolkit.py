"""Forms of interventions and agreements: record an intervention from the case page, move one on,
and record an agreement's breach or review on its own page.

They parse input only; the rules are in ``interventions.services.toolkit``. Each form has its own
prefix so that field ids do not clash on a page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from haven.accounts.models import User
from haven.cases.models import Case, Party, PartyRole
from haven.common.stale import Renewable, version_of
from haven.interventions.models import AgreementTerm, Intervention, InterventionStatus
from haven.policies.schema import PolicyProfile

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"]
KIND_NAMES = {"informal": "Informal", "partner_power": "Partner power"}
NEXT_CHOICES = [("review", "Keep it in place and set the next review date"), ("end", "End the agreement")]


def _date(label: str, missing: str = "", **options: Any) -> forms.DateField:
    return forms.DateField(
        label=label, input_formats=DATE_FORMATS, help_text=options.pop("help_text", "For example 27/03/2026"),
        required=options.pop("required", bool(missing)),
        error_messages={"required": missing, "invalid": "Enter the date as DD/MM/YYYY, for example 27/03/2026."},
        **options,
    )  # fmt: skip


def _text(label: str, limit: int, missing: str = "", **options: Any) -> forms.CharField:
    return forms.CharField(
        label=label, widget=forms.Textarea, max_length=limit, required=bool(missing),
        error_messages={"required": missing, "max_length": f"Write no more than {limit:,} characters."}, **options,
    )  # fmt: skip


def _choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def live_parties(case: Case) -> list[Party]:
    """The case's parties still on it (from case_detail's prefetch: no query), the reported person first."""
    parties = [p for p in case.parties.all() if p.removed_at is None]
    return sorted(parties, key=lambda p: (p.role != PartyRole.REPORTED, p.pk))


def _party_label(party: Party) -> str:
    return f"{party.display_name} ({party.get_role_display().lower()})"


def tool_choices(profile: PolicyProfile) -> list[tuple[str, str]]:
    """The informal tools and partner powers of the profile, each labelled with its kind (legal
    action is started as a legal action, not here)."""
    toolkit = profile.interventions
    tools = [(t, "informal") for t in toolkit.informal] + [(t, "partner_power") for t in toolkit.partner_powers]
    return [(t.code, f"{KIND_NAMES[kind]}: {t.label}{' (agreement)' if t.agreement else ''}") for t, kind in tools]


class InterventionRecordForm(forms.Form):
    """Which tool, for or against whom, who delivered it and when; the partner and the landlord's
    support for a partner power (emh 5.6); an agreement's terms, signatories and dates."""

    code = forms.ChoiceField(
        label="Intervention", error_messages={"required": "Choose the intervention that was used.",
                                              "invalid_choice": "Choose an intervention from the list."},
    )  # fmt: skip
    party = forms.ChoiceField(label="Against or for whom (optional)", required=False)
    delivered_by = forms.ChoiceField(label="Delivered by", required=False)
    started_on = _date("Used or started on", "Enter the date it was used or started.")
    details = _text("Details (optional)", 5000, help_text="What was done, and why this tool")
    partner = forms.ChoiceField(label="Partner agency", required=False)
    support_given = _text(
        "What we did to support the partner", 5000,
        help_text="Partner powers only (emh 5.6): for example evidence given, a witness statement, attending court",
    )  # fmt: skip
    terms = _text(
        "Terms of the agreement", 20000, help_text="Agreements only: one term a line; they are numbered 1, 2, 3…"
    )
    signatories = _text("Signed by", 2000, help_text="Agreements only: who signed it, one a line")
    review_on = _date(
        "Review date", help_text="Agreements only: a review date, an end date or both. For example 27/03/2026"
    )
    ends_on = _date("End date", help_text="Agreements only. For example 27/03/2026")

    def __init__(
        self, *args: Any, case: Case, staff: list[User], profile: PolicyProfile, user: User | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", "intervention-add")
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.parties = live_parties(case)
        self.staff = staff
        _choices(self, "code", [("", "Choose an intervention"), *tool_choices(profile)])
        _choices(self, "party", [("", "Not about one person"), *((str(p.pk), _party_label(p)) for p in self.parties)])
        _choices(self, "delivered_by", [(str(u.pk), u.display_name) for u in staff])
        _choices(self, "partner", [("", "No partner agency"), *((p.code, p.label) for p in profile.partners)])
        if not self.is_bound:
            self.initial["started_on"] = timezone.localdate().strftime("%d/%m/%Y")
            if user is not None:
                self.initial["delivered_by"] = str(user.pk)

    def chosen_party(self) -> Party | None:
        wanted = self.cleaned_data.get("party") or ""
        return next((p for p in self.parties if str(p.pk) == wanted), None)

    def chosen_staff(self) -> User | None:
        wanted = self.cleaned_data.get("delivered_by") or ""
        return next((u for u in self.staff if str(u.pk) == wanted), None)

    def term_lines(self) -> list[str]:
        return [line.strip() for line in (self.cleaned_data.get("terms") or "").splitlines() if line.strip()]


class InterventionUpdateForm(Renewable, forms.Form):
    """Move one intervention on; ``version`` is the intervention as the officer saw it."""

    status = forms.ChoiceField(label="Status", choices=InterventionStatus.choices)
    ended_on = _date("Ended on (optional)", help_text="Today if left blank when it is completed or ended")
    outcome = _text("Outcome", 5000, help_text="What came of it; needed once it is completed or ended")
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, intervention: Intervention, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"intervention-{intervention.pk}")
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.intervention = intervention
        self.fields["status"].error_messages["required"] = "Choose a status."
        if not self.is_bound:
            self.initial.update(
                {
                    "status": intervention.status,
                    "outcome": intervention.outcome,
                    "ended_on": intervention.ended_on.strftime("%d/%m/%Y") if intervention.ended_on else "",
                    "version": version_of(intervention.updated_at),
                }
            )


class BreachForm(forms.Form):
    """A breach of an agreement: the term broken, when, the evidence, the landlord's response."""

    term = forms.ChoiceField(label="Term broken", error_messages={"required": "Choose the term that was broken."})
    occurred_on = _date("Date of the breach", "Enter the date of the breach.")
    evidence = _text("Evidence", 5000, "Say what the evidence of the breach is.",
                     help_text="For example: diary sheets, a noise recording, a neighbour's statement")  # fmt: skip
    response = _text("Our response", 5000, "Say how the landlord responded to the breach.",
                     help_text="For example: a warning letter, a meeting to review the agreement")  # fmt: skip

    def __init__(self, *args: Any, intervention: Intervention, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "breach")
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.terms: list[AgreementTerm] = list(intervention.terms.all())
        _choices(
            self, "term", [("", "Choose a term"), *((str(t.pk), f"{t.number}. {t.text[:80]}") for t in self.terms)]
        )

    def chosen_term(self) -> AgreementTerm | None:
        wanted = self.cleaned_data.get("term") or ""
        return next((t for t in self.terms if str(t.pk) == wanted), None)


class ReviewForm(forms.Form):
    """A review of an agreement: when, what was found, and the next review or the end."""

    reviewed_on = _date("Reviewed on", "Enter the date of the review.")
    notes = _text("What the review found", 5000, "Say what the review found.")
    next = forms.ChoiceField(
        label="What next", choices=NEXT_CHOICES, widget=forms.RadioSelect,
        error_messages={"required": "Say whether the agreement stays in place or ends."},
    )  # fmt: skip
    next_review_on = _date("Next review date", help_text="If it stays in place. For example 27/03/2026")
    outcome = _text("Outcome", 5000, help_text="If it ends: what came of the agreement")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "review")
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update({"reviewed_on": timezone.localdate().strftime("%d/%m/%Y"), "next": "review"})
