"""Reports of ASB from every channel, their evidence, and the triage decision on each."""

from __future__ import annotations

from django.db import models

from haven.accounts.models import Landlord, User
from haven.cases.models import Case
from haven.common.models import BaseModel
from haven.register.models import Person, Property


class Channel(models.TextChoices):
    WEB = "web", "Online form"
    PHONE = "phone", "Phone"
    EMAIL = "email", "E-mail"
    IN_PERSON = "in_person", "In person"
    LETTER = "letter", "Letter"
    PARTNER = "partner", "Partner agency"
    STAFF = "staff", "Raised by staff"


class ReportStatus(models.TextChoices):
    NEW = "new", "Waiting for triage"
    CASE_OPENED = "case_opened", "Case opened"
    LINKED = "linked", "Added to an open case"
    NOT_ASB = "not_asb", "Not ASB: advice given"
    ADVICE_ONLY = "advice_only", "Advice only"
    INFORMATION_ONLY = "information_only", "Information only"


TRIAGED = [s for s in ReportStatus.values if s != ReportStatus.NEW]


class ContactPreference(models.TextChoices):
    PHONE = "phone", "Phone"
    TEXT = "text", "Text message"
    EMAIL = "email", "E-mail"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"


class Report(BaseModel):
    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="reports")
    reference = models.CharField(max_length=20, help_text="REP-YYYY-NNNNNN, given to the reporter.")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField(help_text="When the landlord received it (the clock starts here).")
    status = models.CharField(max_length=20, choices=ReportStatus.choices, default=ReportStatus.NEW)
    language = models.CharField(max_length=5, default="en", help_text="The language the reporter used.")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    # who reported (emh 6.6: anonymous means no name, no contact, and no update)
    anonymous = models.BooleanField(default=False)
    reporter_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="reports_made"
    )
    reporter_name = models.CharField(max_length=200, blank=True)
    reporter_phone = models.CharField(max_length=30, blank=True)
    reporter_email = models.EmailField(blank=True)
    preferred_contact = models.CharField(max_length=20, choices=ContactPreference.choices, blank=True)
    communication_needs = models.TextField(blank=True, help_text="Needs and reasonable adjustments (WWH 2.0).")
    on_behalf_of = models.CharField(
        max_length=200, blank=True, help_text="The person reported for, if not the reporter."
    )
    on_behalf_relationship = models.CharField(max_length=100, blank=True)
    targets_staff = models.BooleanField(default=False, help_text="Staff or contractors targeted (emh 3.4).")

    # where
    property = models.ForeignKey(Property, on_delete=models.PROTECT, null=True, blank=True, related_name="reports")
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    uprn = models.CharField(
        "UPRN", max_length=12, blank=True, help_text="A place's UPRN when it is not one of the landlord's homes."
    )

    # the seven questions of WWH 3.0
    what = models.TextField()
    where = models.TextField(blank=True)
    who = models.TextField(blank=True)
    when = models.TextField(blank=True)
    happened_on = models.DateField(null=True, blank=True, help_text="The date of the latest incident, if given.")
    how_often = models.TextField(blank=True)
    steps_taken = models.TextField(blank=True)
    other_agencies = models.TextField(blank=True)
    category_suggested = models.CharField(max_length=40, blank=True)

    # triage (the policy decision)
    triaged_at = models.DateTimeField(null=True, blank=True)
    triaged_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    is_asb = models.BooleanField(null=True)
    decision_reason = models.TextField(blank=True, help_text="Why, against the profile's definition or not-ASB list.")
    advice_given = models.TextField(blank=True)
    advice_routes = models.JSONField(default=list, blank=True, help_text="Signposted to (profile advice routes).")
    category = models.CharField(max_length=40, blank=True)
    tier = models.CharField(max_length=40, blank=True)
    flags = models.JSONField(default=list, blank=True)
    screen_answers = models.JSONField(default=dict, blank=True)
    screen_score = models.PositiveIntegerField(null=True, blank=True)
    screen_version = models.CharField(max_length=30, blank=True)
    policy_id = models.CharField(max_length=40, blank=True)
    policy_version = models.CharField(max_length=30, blank=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="reports")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["landlord", "reference"], name="report_reference_unique")]
        indexes = [
            models.Index(fields=["landlord", "status", "received_at"], name="report_queue"),
            models.Index(fields=["landlord", "property", "status"], name="report_property"),
            models.Index(fields=["landlord", "postcode"], name="report_postcode"),
            models.Index(fields=["reporter_person", "received_at"], name="report_reporter"),
        ]

    def __str__(self) -> str:
        return self.reference


class Evidence(BaseModel):
    """A file sent with a report: checked by content, stored under a random name outside the web
    root, hashed at receipt so its integrity can be shown in a court bundle."""

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="evidence")
    original_name = models.CharField(max_length=255)
    stored_as = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, help_text="image, audio, video or document")
    content_type = models.CharField(max_length=100, help_text="From the content, not the name.")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
