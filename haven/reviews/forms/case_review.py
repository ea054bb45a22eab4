"""Forms of the ASB Case Review (2014 Act s104): a complaint the reporter made to another agency, the
reporter told of their right, an application with the complaints it relies on, the decision, meeting
and outcome of an application, a panel's recommendation, and a local authority area.

They parse input only; the rules are in ``reviews.services.case_review``. Each form has its own prefix
so that field ids do not clash on the case page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from haven.accounts.models import User
from haven.cases.models import ActionOwner, Case, ContactChannel, Party, PartyRole
from haven.common.forms import date_field, text_field
from haven.common.stale import Renewable, version_of
from haven.reviews.models import ApplicationRoute, CaseReviewApplication, ThresholdDecision
from haven.reviews.threshold import Complaint


def _date(label: str, missing: str = "", **options: Any) -> forms.DateField:
    """Required when ``missing`` gives the message for an empty one."""
    return date_field(label, missing, required=bool(missing), **options)


def _text(label: str, limit: int, missing: str = "", **options: Any) -> forms.CharField:
    return text_field(label, required=bool(missing), missing=missing, limit=limit, **options)


def _number(label: str, low: int, high: int, missing: str = "", **options: Any) -> forms.IntegerField:
    message = f"Enter a whole number from {low} to {high}."
    return forms.IntegerField(
        label=label, required=bool(missing), min_value=low, max_value=high,
        error_messages={"required": missing, "invalid": message, "min_value": message, "max_value": message},
        **options,
    )  # fmt: skip


def case_reporters(case: Case) -> list[Party]:
    """The reporters still on the case who can be named (from case_detail's prefetch: no query)."""
    return [p for p in case.parties.all() if p.role == PartyRole.REPORTER and p.removed_at is None and not p.anonymous]


class _ReporterForm(forms.Form):
    party = forms.ChoiceField(
        label="Reporter", error_messages={"required": "Choose the reporter.", "invalid_choice": "Choose the reporter."}
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.reporters = case_reporters(case)
        field = self.fields["party"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(p.pk), p.display_name) for p in self.reporters]
        if len(self.reporters) == 1 and not self.is_bound:
            self.initial["party"] = str(self.reporters[0].pk)

    def chosen_party(self) -> Party | None:
        wanted = str(self.cleaned_data.get("party") or "")
        return next((p for p in self.reporters if str(p.pk) == wanted), None)


class AgencyComplaintForm(_ReporterForm):
    """A complaint the reporter made to another agency about the behaviour (so it counts once)."""

    prefix = "agency_complaint"
    agency = _text(
        "Agency", 120, "Say which agency the complaint was made to.", widget=forms.TextInput,
        help_text="For example the police or the council",
    )  # fmt: skip
    made_on = _date("Complaint made on", "Enter the date the complaint was made.")
    incident_on = _date("Behaviour complained of happened on", "Enter the date of the behaviour complained of.")
    agency_reference = _text(
        "Their reference (optional)", 60, widget=forms.TextInput, help_text="For example a police log number"
    )
    summary = _text("Summary (optional)", 5000)


class RightToReviewForm(_ReporterForm):
    """The reporter was told of their right to an ASB Case Review."""

    prefix = "right_told"
    told_on = _date("Told on", "Enter the date they were told.")
    channel = forms.ChoiceField(
        label="How they were told", choices=ContactChannel.choices,
        error_messages={"required": "Say how they were told.", "invalid_choice": "Say how they were told."},
    )  # fmt: skip
    note = _text("Note (optional)", 5000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("told_on", timezone.localdate().strftime("%d/%m/%Y"))


def complaint_text(c: Complaint) -> str:
    incident = f", about {c.incident.day} {c.incident:%b %Y}" if c.incident_on else ""
    return f"{c.label}: made {c.made_on.day} {c.made_on:%b %Y}{incident}"


class ApplicationForm(_ReporterForm):
    """An application received or made: who, how, when, and the complaints it relies on (chosen from
    the reporters' gathered complaints)."""

    prefix = "case_review_apply"
    route = forms.ChoiceField(
        label="How the application came", choices=ApplicationRoute.choices,
        error_messages={"required": "Say how the application came.", "invalid_choice": "Say how the application came."},
    )  # fmt: skip
    received_on = _date("Received or made on", "Enter the date of the application.")
    complaints = forms.MultipleChoiceField(
        label="Complaints it relies on", required=False,
        error_messages={"invalid_choice": "Choose complaints from the list."},
    )  # fmt: skip

    def __init__(self, *args: Any, complaints: list[Complaint] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].label = "Applicant"
        self.available = complaints or []
        field = self.fields["complaints"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(f"{c.kind}:{c.ref}", complaint_text(c)) for c in self.available]


class ApplicationUpdateForm(Renewable, forms.Form):
    """The threshold decision, the review meeting and the outcome with its letter."""

    decision = forms.ChoiceField(
        label="Threshold decision", choices=ThresholdDecision.choices,
        error_messages={"required": "Say whether the threshold was met.",
                        "invalid_choice": "Say whether the threshold was met."},
    )  # fmt: skip
    decided_on = _date("Decided on (if decided)")
    decision_reason = _text("Reason for the decision", 5000, help_text="Needed when the threshold was not met")
    meeting_on = _date("Review meeting on")
    outcome = _text("Outcome of the review", 5000)
    outcome_letter_sent_on = _date("Outcome letter sent on")
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, application: CaseReviewApplication, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"case_review_{application.pk}")
        if not args or args[0] is None:
            kwargs.setdefault(
                "initial",
                {
                    "decision": application.decision,
                    "decided_on": _shown(application.decided_on),
                    "decision_reason": application.decision_reason,
                    "meeting_on": _shown(application.meeting_on),
                    "outcome": application.outcome,
                    "outcome_letter_sent_on": _shown(application.outcome_letter_sent_on),
                    "version": version_of(application.updated_at),
                },
            )
        super().__init__(*args, **kwargs)
        self.application = application


def _shown(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


RECOMMENDATION_OWNERS = [
    (ActionOwner.LANDLORD.value, "Us (a member of staff)"),
    (ActionOwner.PARTNER.value, "A partner agency"),
]


class RecommendationForm(forms.Form):
    """A recommendation of the review panel, which joins the case's action plan."""

    text = _text("Recommendation", 2000, "Write the panel's recommendation.")
    owner = forms.ChoiceField(
        label="Who will do it", choices=RECOMMENDATION_OWNERS,
        error_messages={"required": "Say who will do it.", "invalid_choice": "Say who will do it."},
    )  # fmt: skip
    owner_user = forms.ChoiceField(label="Member of staff", required=False)
    owner_partner = _text("Partner agency", 120, widget=forms.TextInput)
    due_on = _date("Due by", "Enter the date it is due.")

    def __init__(self, *args: Any, application: CaseReviewApplication, staff: list[User], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"recommendation_{application.pk}")
        super().__init__(*args, **kwargs)
        self.application = application
        self.staff = staff
        field = self.fields["owner_user"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose a member of staff")] + [(str(u.pk), u.display_name) for u in staff]

    def chosen_staff(self) -> User | None:
        wanted = str(self.cleaned_data.get("owner_user") or "")
        return next((u for u in self.staff if str(u.pk) == wanted), None)


class AreaForm(forms.Form):
    """A local authority area with its ASB Case Review threshold, lead agency, contact and timescales."""

    name = _text("Name", 120, "Enter the name of the local authority area.", widget=forms.TextInput)
    gss_code = _text("ONS code (optional)", 9, widget=forms.TextInput, help_text="For example E06000016")
    threshold_complaints = _number(
        "Complaints that meet the threshold", 1, 3, "Enter the number of complaints that meets the threshold.",
        help_text="Qualifying complaints within six months: the law allows at most three",
    )  # fmt: skip
    hate_incident_qualifies = forms.BooleanField(label="One hate incident meets the threshold", required=False)
    community_reports = _number(
        "Reports from different people about one place (optional)", 2, 50,
        help_text="Leave blank if the area has no such variation",
    )  # fmt: skip
    lead_agency = _text("Lead agency", 120, widget=forms.TextInput, help_text="Who manages reviews, like the council")
    contact_name = _text("Contact name", 120, widget=forms.TextInput)
    contact_email = forms.EmailField(
        label="Contact e-mail", required=False,
        error_messages={"invalid": "Enter an e-mail address in the right format, like name@example.com."},
    )  # fmt: skip
    contact_phone = _text("Contact phone", 30, widget=forms.TextInput)
    procedure_url = forms.URLField(
        label="Published procedure (web address)", required=False, assume_scheme="https",
        error_messages={"invalid": "Enter a web address, like https://www.example.gov.uk/asb-case-review."},
    )  # fmt: skip
    decision_within_days = _number("Working days to decide on the threshold", 1, 365)
    review_within_days = _number("Working days from the decision to the review meeting", 1, 365)
