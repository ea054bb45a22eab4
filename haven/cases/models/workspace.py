"""The case officer's working records (issue 5): every one belongs to a case, is written only by
``cases.services`` and read only through ``cases.selectors``."""

from __future__ import annotations

from django.db import models

from haven.accounts.models import User
from haven.cases.models.core import Case, ContactChannel, Party
from haven.common.models import BaseModel

# ---- flags ---------------------------------------------------------------------------------------


class CaseFlag(models.Model):
    """One flag of a case as a row, so that lists can filter by flag with an index; kept in step
    with ``Case.flags`` by ``cases.services`` (the JSON list is what pages and the API show)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="flag_rows")
    flag = models.CharField(max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "flag"], name="case_flag_unique")]
        indexes = [models.Index(fields=["flag", "case"], name="case_flag_lookup")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.flag}"


class StatusChange(models.Model):
    """Every move of a case's status (cases.workflow), with who, when and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    status_from = models.CharField(max_length=20)
    status_to = models.CharField(max_length=20)
    reason = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["case", "at"], name="status_change_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.status_from} -> {self.status_to}"


# ---- risk and vulnerability (emh 4.4-4.14) -------------------------------------------------------


class RiskAssessment(BaseModel):
    """A full risk and vulnerability assessment of one party by the officer (emh 4.4), from the
    profile's matrix (``risk_matrix``, versioned). Each reassessment is a new row: history is kept."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_assessments")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="risk_assessments")
    matrix_version = models.CharField(max_length=30)
    policy_id = models.CharField(max_length=40)
    policy_version = models.CharField(max_length=30)
    answers = models.JSONField(default=dict, help_text="question code -> chosen option code")
    score = models.PositiveIntegerField()
    band = models.CharField(max_length=40, help_text="The band the score falls in (a matrix band code).")
    proposed_tier = models.CharField(max_length=40, blank=True, help_text="The tier the band proposes.")
    tier_at_assessment = models.CharField(max_length=40)
    assessed_at = models.DateTimeField()
    assessed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["case", "party", "assessed_at"], name="risk_case_party_at")]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.party_id}: {self.band} ({self.score})"


class SupportNeedKind(models.TextChoices):
    MENTAL_HEALTH = "mental_health", "Mental health"
    SUBSTANCE = "substance", "Drug or alcohol use"
    LEARNING = "learning", "Learning disability or difficulty"
    PHYSICAL = "physical", "Physical health or disability"
    FINANCIAL = "financial", "Money or debt"
    TENANCY = "tenancy", "Managing the tenancy"
    FAMILY = "family", "Family or parenting"
    OTHER = "other", "Other"


class SupportNeed(BaseModel):
    """A support need of a party, often the reported person's (emh 4.7-4.8: the people causing ASB
    may be vulnerable; leaving needs unaddressed prolongs the harm), and what was done about it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="support_needs")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="support_needs")
    kind = models.CharField(max_length=20, choices=SupportNeedKind.choices)
    description = models.TextField()
    referred_to = models.CharField(max_length=200, blank=True, help_text="Agency or service, if referred.")
    referred_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.case_id}/{self.party_id}: {self.kind}"


class SafeguardingAbout(models.TextChoices):
    ADULT = "adult", "An adult at risk"
    CHILD = "child", "A child or young person"


class SafeguardingConcern(BaseModel):
    """A safeguarding concern and its referral (emh 4.11-4.14; Livv: MASH). A concern overrides
    confidentiality toward the statutory authorities, so long as it is recorded (emh 4.13)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="safeguarding_concerns")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    about = models.CharField(max_length=10, choices=SafeguardingAbout.choices)
    concern = models.TextField()
    raised_on = models.DateField()
    raised_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    referred = models.BooleanField(default=False)
    referred_to = models.CharField(max_length=200, blank=True, help_text="MASH, adult or children's social care...")
    referred_on = models.DateField(null=True, blank=True)
    referral_reference = models.CharField(max_length=100, blank=True)
    no_referral_reason = models.TextField(blank=True, help_text="Why no referral was made.")
    outcome = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.case_id}: {self.about} concern"


# ---- the action plan (Livv "Case Management"; Peaks & Plains 5.1) --------------------------------


class ActionPlan(BaseModel):
    """The agreement of the case's action plan with the reporter: when, with whom, how it was
    shared. The row exists once a plan is agreed; re-agreeing updates it (the audit keeps history)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="action_plan")
    agreed_with = models.ForeignKey(Party, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    agreed_on = models.DateField()
    agreed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    shared_how = models.CharField(max_length=20, choices=ContactChannel.choices)
    shared_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.case_id}: agreed {self.agreed_on}"


class ActionOwner(models.TextChoices):
    LANDLORD = "landlord", "The landlord"
    REPORTER = "reporter", "The reporter"
    PARTNER = "partner", "A partner agency"
    OTHER_PARTY = "party", "Another person in the case"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    NOT_DONE = "not_done", "Not done"
    CANCELLED = "cancelled", "No longer needed"


OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class Action(BaseModel):
    """One action of the plan, owned by the landlord (a named member of staff), the reporter or
    another party, or a partner agency, with a due date, a status and an outcome."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.CharField(max_length=20, choices=ActionOwner.choices)
    owner_user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="actions")
    owner_party = models.ForeignKey(Party, on_delete=models.PROTECT, null=True, blank=True, related_name="actions")
    owner_partner = models.CharField(max_length=200, blank=True, help_text="A partner code of the profile, or a name.")
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    outcome = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=40, blank=True, help_text="Where it came from: a meeting, a review...")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [
            models.Index(fields=["case", "status", "due_on"], name="action_case_due"),
            models.Index(fields=["owner_user", "status", "due_on"], name="action_owner_due"),
        ]

    def __str__(self) -> str:
        return self.description[:60]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES


# ---- incidents, diary sheets and the reporter's link ----------------------------------------------


class IncidentSource(models.TextChoices):
    REPORT = "report", "A report"
    DIARY = "diary", "Diary sheet"
    OFFICER = "officer", "Officer observation"
    PARTNER = "partner", "A partner agency"
    CCTV = "cctv", "CCTV"
    OTHER = "other", "Other"


class DiaryLink(BaseModel):
    """A signed, expiring link that lets a party (the reporter) add diary entries and files
    without an account. Only a hash of the token is kept; the link can be revoked."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="diary_links")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="diary_links")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    sent_to = models.CharField(max_length=254, blank=True, help_text="The e-mail address it was sent to.")
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    entries = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["case", "expires_at"], name="diary_link_case")]

    def __str__(self) -> str:
        return f"{self.case_id}: diary link for {self.party_id}"


class Incident(BaseModel):
    """One occurrence of behaviour: when, where, who, what, and where the account came from.
    Entries from a diary link or the API wait in the evidence inbox until an officer reviews them."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="incidents")
    occurred_at = models.DateTimeField()
    occurred_until = models.DateTimeField(null=True, blank=True)
    location = models.CharField(max_length=300, blank=True)
    people = models.TextField(blank=True, help_text="Who was involved or saw it, as told.")
    description = models.TextField()
    source = models.CharField(max_length=20, choices=IncidentSource.choices)
    party = models.ForeignKey(Party, on_delete=models.PROTECT, null=True, blank=True, related_name="incidents")
    report_reference = models.CharField(max_length=20, blank=True, help_text="The report it came from, if any.")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_via = models.CharField(max_length=20, default="web", help_text="web, api, diary_link")
    diary_link = models.ForeignKey(DiaryLink, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        indexes = [
            models.Index(fields=["case", "occurred_at"], name="incident_case_at"),
            models.Index(fields=["reviewed_at", "case"], name="incident_unreviewed"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.occurred_at:%Y-%m-%d %H:%M}"


class FileKind(models.TextChoices):
    EVIDENCE = "evidence", "Evidence"
    STATEMENT = "statement", "Witness statement"
    DOCUMENT = "document", "Document"


class CaseFile(BaseModel):
    """A file on the case: evidence (with an incident or alone), a statement or a document. Stored
    under a random name outside the web root, checked by content and hashed (SHA-256) on receipt."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="files")
    incident = models.ForeignKey(Incident, on_delete=models.SET_NULL, null=True, blank=True, related_name="files")
    kind = models.CharField(max_length=20, choices=FileKind.choices)
    original_name = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=100, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(max_length=500, blank=True)
    sensitive = models.BooleanField(default=False, help_text="In the secure area (WWH 3.0).")
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    uploaded_via = models.CharField(max_length=20, default="web", help_text="web, api, diary_link")
    diary_link = models.ForeignKey(DiaryLink, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        indexes = [
            models.Index(fields=["case", "created_at"], name="case_file_case"),
            models.Index(fields=["reviewed_at", "case"], name="case_file_unreviewed"),
        ]

    def __str__(self) -> str:
        return self.original_name


class Note(BaseModel):
    """A case note. A sensitive note is in the secure area (WWH 3.0): only the case's officer,
    specialists and managers read it, and each reading is audited."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()
    sensitive = models.BooleanField(default=False)
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["case", "created_at"], name="note_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id}: note {self.pk}"
