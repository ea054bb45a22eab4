"""The public report form: parse and check the shape of what a resident typed; the service
(``report_create``) decides everything else and its messages are shown beside the fields."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from haven.intake.models import ContactPreference
from haven.policies.schema import PolicyProfile

YES, NO = "yes", "no"

# The resident's own words for each way of being contacted (the model's labels are staff-facing).
CONTACT_LABELS = {
    ContactPreference.PHONE: _("Phone call"),
    ContactPreference.TEXT: _("Text message"),
    ContactPreference.EMAIL: _("E-mail"),
    ContactPreference.LETTER: _("Letter"),
    ContactPreference.IN_PERSON: _("In person"),
}

# Text that comes from policy profiles and the evidence allow-list in English, marked here so the
# Welsh catalogue carries it (WWH 2.0: the service in the resident's language). Text a profile
# changes later simply shows in English until it is translated again.
PROFILE_TEXT = (
    gettext_noop("Persistent noise"),
    gettext_noop("Violent or aggressive behaviour"),
    gettext_noop("Suspected criminal activity"),
    gettext_noop("Non-criminal vehicle related annoyance"),
    gettext_noop("Fly tipping"),
    gettext_noop("Animal nuisance"),
    gettext_noop("Hate crime and discriminatory behaviour"),
    gettext_noop("Domestic violence"),
    gettext_noop("Safeguarding concern"),
    gettext_noop("ASB directed at WWH staff or contractors"),
    gettext_noop(
        "You can tell us about ASB without giving your name and we will still look at what you report. "
        "We will not be able to talk to you about the impact it is having on you, agree actions with you, "
        "or tell you how things are going, so it may be harder for us to help. Someone else can also "
        "report on your behalf."
    ),
    gettext_noop("Wales & West Housing"),
    gettext_noop(
        "photos (JPEG, PNG, GIF, WebP, HEIC), audio (MP3, M4A, WAV, OGG), video (MP4, MOV, WebM), PDF or Word (.docx)"
    ),
)

DATE_PARTS = ("happened_on_day", "happened_on_month", "happened_on_year")


def _text(label: StrOrPromise, hint: StrOrPromise = "", *, rows: int = 0) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput,
    )


def _yes_no(label: StrOrPromise, yes: StrOrPromise, no: StrOrPromise) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[(YES, yes), (NO, no)],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the answers.")},
    )


class PublicReportForm(forms.Form):
    """A report of ASB from a resident: the seven questions of WWH 3.0, where, who they are (or
    anonymous, emh 6.6), how to contact them and their communication needs (WWH 2.0)."""

    # ---- what happened
    what = _text(
        _("What happened?"),
        _("Tell us in your own words. Include anything that was said or done, and how it affects you."),
        rows=6,
    )
    category = forms.ChoiceField(
        label=_("What kind of problem is it? (optional)"),
        help_text=_('If you are not sure, leave it as "Not sure". We will decide when we read your report.'),
        required=False,
    )
    # Welsh answers "yes" and "no" with the question's own verb, hence a context for each question.
    targets_staff = _yes_no(
        _("Is this about a member of staff or a contractor being targeted?"),
        pgettext_lazy("is it", "Yes"),
        pgettext_lazy("is it", "No"),
    )
    # ---- where
    address = _text(_("Address or street"), _("Where it happened, if you know the address."))
    postcode = _text(_("Postcode (optional)"))
    where = _text(
        _("Describe the place (optional)"),
        _("For example, the car park behind the flats, or the stairs on the second floor."),
        rows=3,
    )
    # ---- when and how often
    when = _text(
        _("When did it happen?"),
        _("For example, every night after 11pm, or last Saturday afternoon."),
        rows=3,
    )
    happened_on_day = _text(_("Day"))
    happened_on_month = _text(_("Month"))
    happened_on_year = _text(_("Year"))
    how_often = _text(_("How often does it happen?"), _("For example, once, every weekend, or most days."), rows=2)
    # ---- who
    who = _text(
        _("Who is involved, if you know?"),
        _("Names, addresses or descriptions of the people involved. Leave it blank if you do not know."),
        rows=3,
    )
    # ---- what has been done
    steps_taken = _text(
        _("What have you already done about it? (optional)"),
        _("For example, spoken to the person, or kept a diary."),
        rows=3,
    )
    other_agencies = _text(
        _("Have you told anyone else, like the police or the council? (optional)"),
        _("Tell us who, and any reference number they gave you."),
        rows=3,
    )
    # ---- files: read from request.FILES by the view; the field is here to carry its messages
    evidence = forms.CharField(required=False, label=_("Photos, recordings or documents (optional)"))
    # ---- about you
    for_someone_else = forms.BooleanField(required=False, label=_("I am reporting this for someone else"))
    on_behalf_of = _text(_("Their name"))
    on_behalf_relationship = _text(
        _("How do you know them?"), _("For example, you are their carer, relative or support worker.")
    )
    # Not required: with no answer and no name, report_create asks for a name or anonymity, on the
    # same page as every other problem.
    give_name = _yes_no(
        _("Do you want to give your name?"),
        _("Yes, I will give my name and contact details"),
        _("No, I want to report anonymously"),
    )
    reporter_name = _text(_("Your name"), _("Leave it blank if you are reporting anonymously."))
    reporter_phone = _text(_("Phone number (optional)"))
    reporter_email = _text(_("E-mail address (optional)"), _("We will send you a copy of your reference."))
    preferred_contact = forms.ChoiceField(
        label=_("How would you like us to contact you? (optional)"),
        choices=[],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose how you would like us to contact you.")},
    )
    communication_needs = _text(
        _("Do you need any support or changes to help you talk to us? (optional)"),
        _("For example, an interpreter, large print, a hearing loop, or a time of day that suits you."),
        rows=3,
    )
    # ---- machinery: the one-time token against double posts, and a field only robots fill in
    form_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    contact_me_by_fax = forms.CharField(required=False, label=_("Leave this blank"))

    def __init__(self, *args: object, profile: PolicyProfile, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.profile = profile
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [("", _("Not sure")), *[(c.code, _(c.label)) for c in profile.categories]]
        category.error_messages["invalid_choice"] = _('Choose a kind of problem from the list, or "Not sure".')
        contact = self.fields["preferred_contact"]
        assert isinstance(contact, forms.ChoiceField)
        contact.choices = [(value, CONTACT_LABELS[ContactPreference(value)]) for value in ContactPreference.values]

    @property
    def anonymous(self) -> bool:
        return self.profile.anonymous_reports.accepted and self.cleaned_data.get("give_name") == NO

    @property
    def robot(self) -> bool:
        return bool(self.data.get("contact_me_by_fax", "").strip())

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        data["happened_on"] = self._date(data)
        return data

    def _date(self, data: dict[str, object]) -> date | None:
        """The optional GOV.UK date input: all three parts, or none."""
        parts = [str(data.get(name) or "").strip() for name in DATE_PARTS]
        if not any(parts):
            return None
        if not all(parts):
            self.add_error(
                "happened_on_day", gettext("The date of the latest incident must include a day, a month and a year.")
            )
            return None
        try:
            day, month, year = (int(p) for p in parts)
            if year < 1900:
                raise ValueError
            return date(year, month, day)
        except (ValueError, OverflowError):
            self.add_error(
                "happened_on_day", gettext("The date of the latest incident must be a real date, like 27 3 2026.")
            )
            return None

    def report_fields(self) -> dict[str, object]:
        """The keyword arguments for ``report_create``; nothing about the reporter when anonymous (emh 6.6)."""
        d = self.cleaned_data
        anonymous = self.anonymous
        someone_else = bool(d.get("for_someone_else"))
        return {
            "what": d.get("what", ""),
            "where": d.get("where", ""),
            "who": d.get("who", ""),
            "when": d.get("when", ""),
            "happened_on": d.get("happened_on"),
            "how_often": d.get("how_often", ""),
            "steps_taken": d.get("steps_taken", ""),
            "other_agencies": d.get("other_agencies", ""),
            "address": d.get("address", ""),
            "postcode": d.get("postcode", ""),
            "category_suggested": d.get("category", ""),
            "targets_staff": d.get("targets_staff") == YES,
            "anonymous": anonymous,
            "reporter_name": "" if anonymous else d.get("reporter_name", ""),
            "reporter_phone": "" if anonymous else d.get("reporter_phone", ""),
            "reporter_email": "" if anonymous else d.get("reporter_email", ""),
            "preferred_contact": "" if anonymous else d.get("preferred_contact", ""),
            "communication_needs": "" if anonymous else d.get("communication_needs", ""),
            "on_behalf_of": d.get("on_behalf_of", "") if someone_else else "",
            "on_behalf_relationship": d.get("on_behalf_relationship", "") if someone_else else "",
        }


# report_create's problem keys that are not this form's field names (the date's goes to its first box).
SERVICE_FIELDS = {"happened_on": "happened_on_day"}
