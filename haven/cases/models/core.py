"""Cases: the record of a report of ASB the landlord has decided to act on, with its clock.

A case's tier, category and due dates are set by the landlord's policy profile, and each stores the
policy id and version that set it (ARCHITECTURE.md 4). Party roles are neutral (whg 4.1).
"""

from __future__ import annotations

import builtins

from django.db import models

from haven.accounts.models import Landlord, Team, User
from haven.common.models import BaseModel
from haven.register.models import Patch, Person, Property, Tenancy


class CaseStatus(models.TextChoices):
    """The statuses of a case; the moves between them are the table in ``cases.workflow``.
    Active / inactive is not a status: it is derived from recent activity (WWH 5.0)."""

    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    REOPENED = "reopened", "Reopened"


OPEN_STATUSES = (CaseStatus.OPEN, CaseStatus.REOPENED)


class HateStrand(models.TextChoices):
    """The five monitored strands of hate crime (TSM NM01 (b); emh 3.6; Peaks & Plains 1.4)."""

    RACE = "race", "Race"
    RELIGION = "religion", "Religion or belief"
    SEXUAL_ORIENTATION = "sexual_orientation", "Sexual orientation"
    DISABILITY = "disability", "Disability"
    TRANSGENDER = "transgender", "Transgender identity"
    OTHER = "other", "Other (for example sex or age)"


class Case(BaseModel):
    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(max_length=20, help_text="ASB-YYYY-NNNNNN, shown to residents.")
    status = models.CharField(max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    category = models.CharField(max_length=40, help_text="A category code of the landlord's profile.")
    tier = models.CharField(max_length=40, help_text="A tier id of the landlord's profile.")
    flags = models.JSONField(default=list, blank=True, help_text="hate, domestic_abuse, staff_targeted, ...")
    restricted = models.BooleanField(default=False, help_text="Seen only by the officer, specialists, managers.")
    property = models.ForeignKey(Property, on_delete=models.PROTECT, null=True, blank=True, related_name="cases")
    location = models.CharField(max_length=300, blank=True, help_text="Where, when not a property.")
    postcode = models.CharField(max_length=8, blank=True)
    patch = models.ForeignKey(Patch, on_delete=models.PROTECT, null=True, blank=True, related_name="cases")
    hate_strands = models.JSONField(default=list, blank=True, help_text="HateStrand codes, when flagged hate.")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="cases")
    officer = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="cases")
    routing_note = models.CharField(max_length=300, blank=True, help_text="Why this team and officer.")
    procedure = models.CharField(max_length=200, blank=True, help_text="A specialist procedure to follow.")
    opened_at = models.DateTimeField(help_text="When its first report was received.")
    response_due_at = models.DateTimeField()
    first_response_at = models.DateTimeField(null=True, blank=True)
    next_contact_due_at = models.DateTimeField(
        null=True, blank=True, help_text="From the contact plan (whg 2.5): the last contact plus the agreed interval."
    )
    action_plan_due_at = models.DateTimeField(
        null=True, blank=True, help_text="When an agreed action plan is due (casework.action_plan_within)."
    )
    last_activity_at = models.DateTimeField(
        null=True, blank=True, help_text="The latest recorded work on the case; active / inactive derives from it."
    )
    next_due_at = models.DateTimeField(
        null=True, blank=True, help_text="The soonest thing due on the case (response, update, plan, action)."
    )
    policy_id = models.CharField(max_length=40)
    policy_version = models.CharField(max_length=30)
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.CharField(max_length=40, blank=True, help_text="A closure reason code of the profile.")
    outcome = models.TextField(blank=True, help_text="The outcome at closure.")
    resolved = models.BooleanField(null=True, blank=True, help_text="Resolved or unresolved at closure (pnp 8.2).")
    reopened_at = models.DateTimeField(null=True, blank=True)
    last_reviewed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the case was last reviewed (issue 7: reviews.Review)."
    )
    review_due_at = models.DateTimeField(
        null=True, blank=True, help_text="The next review: the last review (or opening) plus the tier's review_every."
    )
    lead_agency = models.CharField(
        max_length=40, blank=True, help_text="A partner code when a partner leads the case (WWH 4.0: police-led)."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["landlord", "reference"], name="case_reference_unique")]
        indexes = [
            models.Index(fields=["landlord", "status", "response_due_at"], name="case_status_due"),
            models.Index(fields=["landlord", "officer", "status"], name="case_officer"),
            models.Index(fields=["landlord", "team", "status"], name="case_team"),
            models.Index(fields=["landlord", "tier"], name="case_tier"),
            models.Index(fields=["landlord", "category"], name="case_category"),
            models.Index(fields=["landlord", "opened_at"], name="case_opened"),
            models.Index(fields=["landlord", "property", "status"], name="case_property"),
            models.Index(fields=["landlord", "postcode", "status"], name="case_postcode"),
            models.Index(fields=["landlord", "status", "next_contact_due_at"], name="case_contact_due"),
            models.Index(fields=["landlord", "status", "next_due_at"], name="case_next_due"),
            models.Index(fields=["landlord", "status", "last_activity_at"], name="case_activity"),
            models.Index(fields=["landlord", "status", "action_plan_due_at"], name="case_plan_due"),
            models.Index(fields=["landlord", "patch", "status"], name="case_patch"),
            models.Index(fields=["landlord", "status", "closed_at"], name="case_closed"),
            models.Index(fields=["landlord", "status", "review_due_at"], name="case_review_due"),
        ]

    def __str__(self) -> str:
        return self.reference

    @builtins.property  # the field "property" hides the builtin in this class body
    def is_open(self) -> bool:
        """Open or reopened: work can be recorded on it."""
        return self.status in OPEN_STATUSES

    @builtins.property
    def active(self) -> bool:
        """Open and with recent activity (WWH 5.0). Without a known activity time, an open case
        counts as active; ``cases.selectors.case_is_active`` applies the profile's window."""
        return self.is_open


class Finding(models.TextChoices):
    """A finding on the balance of probabilities (whg 4.1): only after one is recorded may Haven
    call a party a victim or a perpetrator."""

    NONE = "", "No finding"
    VICTIM = "victim", "Victim"
    PERPETRATOR = "perpetrator", "Perpetrator"


class PartyRole(models.TextChoices):
    """Neutral roles until a finding is recorded (whg 4.1)."""

    REPORTER = "reporter", "Reporter"
    REPORTED = "reported", "Reported person"
    WITNESS = "witness", "Witness"
    HOUSEHOLD = "household", "Household member"
    AGENCY = "agency", "Agency contact"


class Party(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(max_length=20, choices=PartyRole.choices)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="parties")
    name = models.CharField(max_length=200, blank=True, help_text="Blank for an anonymous reporter.")
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    preferred_contact = models.CharField(max_length=20, blank=True)
    communication_needs = models.TextField(blank=True)
    anonymous = models.BooleanField(default=False)
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, null=True, blank=True, related_name="parties")
    address = models.CharField(max_length=300, blank=True, help_text="When not a register person or property.")
    notes = models.TextField(blank=True)
    finding = models.CharField(max_length=20, choices=Finding.choices, default=Finding.NONE, blank=True)
    finding_on = models.DateField(null=True, blank=True, help_text="When the finding was made.")
    finding_evidence = models.TextField(blank=True, help_text="The evidence the finding rests on.")
    finding_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    may_be_named = models.BooleanField(
        default=False, help_text="The reporter agreed that letters to others may name them (emh 6.6-6.7)."
    )
    witness_statement = models.BooleanField(null=True, blank=True, help_text="Willing to give a statement.")
    witness_court = models.BooleanField(null=True, blank=True, help_text="Willing to attend court.")
    witness_support_needs = models.TextField(blank=True, help_text="A witness's support needs (emh 4.6).")
    witness_support_given = models.TextField(blank=True, help_text="The support offered or arranged (emh 4.6).")
    removed_at = models.DateTimeField(null=True, blank=True, help_text="Taken off the case (kept for the record).")

    class Meta:
        indexes = [
            models.Index(fields=["person", "role"], name="party_person"),
            models.Index(fields=["case", "role"], name="party_case_role"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def role_label(self) -> str:
        """The neutral role; the words victim or perpetrator only once a finding is recorded (whg 4.1)."""
        if self.finding:
            return f"{self.get_role_display()} (found {self.get_finding_display().lower()})"
        return self.get_role_display()

    @property
    def display_name(self) -> str:
        if self.anonymous:
            return "Anonymous reporter"
        return self.name or (f"{self.person.first_name} {self.person.last_name}" if self.person else "Unknown person")


class ContactChannel(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "E-mail"
    TEXT = "text", "Text message"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"
    VISIT = "visit", "Home visit"
    VIDEO = "video", "Video call"


class Contact(BaseModel):
    """A contact with a party; the first with the reporter is the case's first response."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts")
    channel = models.CharField(max_length=20, choices=ContactChannel.choices)
    at = models.DateTimeField()
    summary = models.TextField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["case", "at"], name="contact_case_at")]


class ContactPlan(BaseModel):
    """How and how often the reporter wants updates, agreed at first contact (whg 2.5: "the
    frequency and means of contact agreed at the outset"). Changes are audited; the current plan
    is the one kept."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="contact_plan")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="contact_plans")
    channel = models.CharField(max_length=20, choices=ContactChannel.choices)
    every_days = models.PositiveSmallIntegerField(help_text="Calendar days between updates.")
    agreed_at = models.DateTimeField()
    agreed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True, help_text="For example: not after 6pm; text first.")

    def __str__(self) -> str:
        return f"{self.case} every {self.every_days} days by {self.channel}"


class Reassignment(models.Model):
    """A change of named officer or team, with the reason (issue 5: assignment and reassignment)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reassignments")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    officer_from = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    officer_to = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    team_from = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, related_name="+")
    team_to = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, related_name="+")
    reason = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["case", "at"], name="reassignment_case_at")]

    def __str__(self) -> str:
        return f"{self.case}: {self.officer_from_id} -> {self.officer_to_id}"


class Recategorisation(models.Model):
    """The history of a case's tier and category (WWH 3.0, emh 4.3): every change, with its reason."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recategorisations")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    tier_from = models.CharField(max_length=40)
    tier_to = models.CharField(max_length=40)
    category_from = models.CharField(max_length=40)
    category_to = models.CharField(max_length=40)
    due_from = models.DateTimeField()
    due_to = models.DateTimeField()
    reason = models.TextField()
    policy_version = models.CharField(max_length=30)

    class Meta:
        indexes = [models.Index(fields=["case", "at"], name="recategorisation_case_at")]

    def __str__(self) -> str:
        return f"{self.tier_from}/{self.category_from} -> {self.tier_to}/{self.category_to}"
