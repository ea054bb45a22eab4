"""Forms of the partnership part of the case page: make a referral, record a partner's answer,
list the case for a partnership meeting and record the meeting with the actions it agreed.

They parse input only; the rules are in ``interventions.services.partnership``. Each has its own
prefix so that field ids do not clash on the case page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from haven.accounts.models import User
from haven.cases.forms.plans import DATE_FORMATS, live_parties
from haven.cases.models import ActionOwner, Case, Party, PartyRole
from haven.common.stale import Renewable, version_of
from haven.interventions.models import Consent, LawfulBasis, PartnershipMeeting, Referral
from haven.interventions.services.partnership import AgreedAction
from haven.policies.schema import PolicyProfile

MEETING_ACTION_ROWS = 3  # blank action rows on the record form; more can be added by recording again
ACTION_FIELDS = ("description", "owner", "due_on")


def _date(label: str, missing: str, **options: Any) -> forms.DateField:
    return forms.DateField(
        label=label, input_formats=DATE_FORMATS, help_text=options.pop("help_text", "For example 27/03/2026"),
        error_messages={"required": missing, "invalid": "Enter the date as DD/MM/YYYY, for example 27/03/2026."},
        **options,
    )  # fmt: skip


def _text(label: str, missing: str, max_length: int, *, required: bool = True, **options: Any) -> forms.CharField:
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={"rows": 3}), required=required, max_length=max_length,
        error_messages={"required": missing, "max_length": f"Write no more than {max_length:,} characters."},
        **options,
    )  # fmt: skip


def _choices(form: forms.Form, name: str, choices: list[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _party_label(party: Party) -> str:
    return f"{party.display_name} ({party.get_role_display().lower()})"


def _today() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


class ReferralForm(forms.Form):
    """A referral to a partner of the profile: about whom, why, consent or the lawful basis (emh
    4.13), and when the answer is expected."""

    partner = forms.ChoiceField(label="Referred to", error_messages={"required": "Choose the partner agency or forum."})
    party = forms.ChoiceField(label="About whom (optional)", required=False)
    made_on = _date("Made on", "Enter the date the referral was made.")
    reason = _text("Why the case is referred", "Say why the case is referred.", 5000)
    consent = forms.ChoiceField(
        label="Consent", choices=Consent.choices, widget=forms.RadioSelect,
        error_messages={"required": "Say whether the person consented to the referral.",
                        "invalid_choice": "Say whether the person consented to the referral."},
    )  # fmt: skip
    lawful_basis = forms.ChoiceField(
        label="Lawful basis, if made without consent", required=False,
        choices=[("", "Choose the lawful basis"), *((v, t) for v, t in LawfulBasis.choices if v != "consent")],
        error_messages={"invalid_choice": "Choose the lawful basis from the list."},
    )  # fmt: skip
    basis_detail = _text(
        "Why sharing without consent is lawful here", "", 5000, required=False,
        help_text="Needed when consent was refused or not sought (emh 4.13)",
    )  # fmt: skip
    response_due_on = _date(
        "Answer expected by (optional)", "", required=False,
        help_text="Leave blank for the policy's time for an answer, in working days",
    )  # fmt: skip

    def __init__(self, *args: Any, case: Case, profile: PolicyProfile, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "referral-make")
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.parties = live_parties(case)
        _choices(self, "partner", [("", "Choose a partner"), *((p.code, p.label) for p in profile.partners)])
        _choices(self, "party", [("", "Not about one person")] + [(str(p.pk), _party_label(p)) for p in self.parties])
        self.fields["partner"].error_messages["invalid_choice"] = "Choose the partner from the list."
        self.fields["party"].error_messages["invalid_choice"] = "Choose a person from the list."
        self.fields[
            "response_due_on"
        ].help_text = f"Leave blank for {profile.partnership.referral_response_within} from the day it was made"
        if not self.is_bound:
            self.initial.setdefault("made_on", _today())

    def chosen_party(self) -> Party | None:
        wanted = self.cleaned_data.get("party") or ""
        return next((p for p in self.parties if str(p.pk) == wanted), None)


class ReferralResponseForm(Renewable, forms.Form):
    """The partner's answer; ``version`` is the referral as the officer saw it (stale-edit guard)."""

    responded_on = _date("Answered on", "Enter the date the partner answered.")
    response = _text("What they answered", "Say what the partner answered.", 5000)
    outcome = _text("What came of it (optional)", "", 5000, required=False)
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"referral-{referral.pk}")
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.referral = referral
        if not self.is_bound:
            self.initial.update({"responded_on": _today(), "version": version_of(referral.updated_at)})


class MeetingListForm(forms.Form):
    """List the case for a partnership meeting of a forum of the profile (emh 6.2)."""

    forum = forms.ChoiceField(label="Meeting", error_messages={"required": "Choose the meeting."})
    meets_on = _date("Meeting date", "Enter the date of the meeting.")
    reason = _text("Why the case is listed", "Say why the case is listed for the meeting.", 5000)

    def __init__(self, *args: Any, profile: PolicyProfile, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "meeting-list")
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        forums = [(p.code, p.label) for p in profile.partners if p.kind == "forum"]
        _choices(self, "forum", [("", "Choose a meeting"), *forums])
        self.fields["forum"].error_messages["invalid_choice"] = "Choose the meeting from the list."


def owner_choices(case: Case, staff: list[User], profile: PolicyProfile) -> list[Any]:
    """One select for who does an action: staff, then people in the case, then partners."""
    parties = live_parties(case)
    return [
        ("", "Choose who will do it"),
        *((f"user:{u.pk}", f"{u.display_name} (staff)") for u in staff),
        *((f"party:{p.pk}", _party_label(p)) for p in parties),
        *((f"partner:{p.code}", f"{p.label} (partner)") for p in profile.partners),
    ]


class MeetingRecordForm(Renewable, forms.Form):
    """What the meeting decided and up to ``MEETING_ACTION_ROWS`` actions it agreed (emh 6.2); a row
    left blank is no action."""

    held = forms.TypedChoiceField(
        label="Was the case discussed at the meeting?", widget=forms.RadioSelect,
        choices=[("yes", "Yes, the meeting was held and discussed the case"), ("no", "No, it was not discussed")],
        coerce=lambda value: value == "yes",
        error_messages={"required": "Say whether the meeting discussed the case.",
                        "invalid_choice": "Say whether the meeting discussed the case."},
    )  # fmt: skip
    summary = _text("What it decided, or why it was not discussed", "Say what the meeting decided.", 10000)
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, meeting: PartnershipMeeting, case: Case, staff: list[User], profile: PolicyProfile,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        kwargs.setdefault("prefix", f"meeting-{meeting.pk}")
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.meeting, self.case, self.staff = meeting, case, staff
        owners = owner_choices(case, staff, profile)
        for row in range(1, MEETING_ACTION_ROWS + 1):
            self.fields[f"action_{row}_description"] = forms.CharField(
                label=f"Action {row}: what will be done", required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"max_length": "Write the action in no more than 2,000 characters."},
            )  # fmt: skip
            self.fields[f"action_{row}_owner"] = forms.ChoiceField(
                label=f"Action {row}: who will do it", required=False, choices=owners,
                error_messages={"invalid_choice": "Choose who will do it from the list."},
            )  # fmt: skip
            self.fields[f"action_{row}_due_on"] = _date(f"Action {row}: due by", "", required=False)
        if not self.is_bound:
            self.initial.update(
                {"held": "yes" if meeting.held or not meeting.summary else "no", "summary": meeting.summary,
                 "version": version_of(meeting.updated_at)}
            )  # fmt: skip

    def rows(self) -> list[list[Any]]:
        return [[self[f"action_{row}_{name}"] for name in ACTION_FIELDS] for row in range(1, MEETING_ACTION_ROWS + 1)]

    def actions(self) -> list[AgreedAction]:
        """The rows filled in, as the service takes them (a row with anything typed counts)."""
        found: list[AgreedAction] = []
        data = self.cleaned_data
        for row in range(1, MEETING_ACTION_ROWS + 1):
            description = data.get(f"action_{row}_description") or ""
            owner = data.get(f"action_{row}_owner") or ""
            due_on = data.get(f"action_{row}_due_on")
            if not (description.strip() or owner or due_on):
                continue
            kind, _, key = owner.partition(":")
            user = next((u for u in self.staff if str(u.pk) == key), None) if kind == "user" else None
            party = next((p for p in live_parties(self.case) if str(p.pk) == key), None) if kind == "party" else None
            found.append(
                AgreedAction(
                    description=description,
                    owner=_owner_kind(kind, party),
                    due_on=due_on,
                    owner_user=user,
                    owner_party=party,
                    owner_partner=key if kind == "partner" else "",
                )
            )
        return found

    def rename(self) -> dict[str, str]:
        """The service's ``actions.N.field`` names as this form's fields (filled rows only, in order)."""
        names: dict[str, str] = {}
        filled = [
            row for row in range(1, MEETING_ACTION_ROWS + 1)
            if any(self.data.get(self.add_prefix(f"action_{row}_{name}")) for name in ACTION_FIELDS)
        ]  # fmt: skip
        for number, row in enumerate(filled):
            for name in ("description", "due_on"):
                names[f"actions.{number}.{name}"] = f"action_{row}_{name}"
            for name in ("owner", "owner_user", "owner_party", "owner_partner"):
                names[f"actions.{number}.{name}"] = f"action_{row}_owner"
        names["actions"] = "held"
        return names


def _owner_kind(kind: str, party: Party | None) -> str:
    if kind == "user":
        return ActionOwner.LANDLORD
    if kind == "party":
        return (
            ActionOwner.REPORTER if party is not None and party.role == PartyRole.REPORTER else ActionOwner.OTHER_PARTY
        )
    if kind == "partner":
        return ActionOwner.PARTNER
    return ""
