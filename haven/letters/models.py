"""Letters (issue 8): a landlord's letter details, its versions of each letter template, and every
letter made from a case, kept with the version it used, as sent (text, PDF and Word file)."""

from __future__ import annotations

from django.db import models

from haven.accounts.models import Landlord, User
from haven.cases.models import Case, Party
from haven.common.models import BaseModel


class LetterSettings(BaseModel):
    """What the letterhead says: the landlord's address and how to reach it. Blank until an
    administrator fills it in; a letter is still made, without the missing lines."""

    landlord = models.OneToOneField(Landlord, on_delete=models.CASCADE, related_name="+")
    address = models.TextField(blank=True, help_text="One line each.")
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    website = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"Letter settings of {self.landlord}"


class LetterTemplate(BaseModel):
    """One published version of one letter for one landlord. Version 0 of every kind is Haven's
    default (``letters/defaults.yaml``) and is not stored; an administrator's edit publishes
    version 1, 2 and so on. Letters keep the version they used."""

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40, help_text="A kind of letters/defaults.yaml.")
    version = models.PositiveIntegerField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    published_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["landlord", "kind", "version"], name="letter_template_version")]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version} ({self.landlord})"


class LetterFormat(models.TextChoices):
    STANDARD = "standard", "Standard print"
    LARGE = "large", "Large print (16 point)"


class Letter(BaseModel):
    """A letter made from a case for one of its people: the text as filled in, who and where it went
    to, the template version, and the two files (PDF for sending, Word for editing)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="letters")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    template_version = models.PositiveIntegerField(help_text="0: Haven's default wording.")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    recipient_name = models.CharField(max_length=200)
    recipient_address = models.TextField()
    format = models.CharField(max_length=20, choices=LetterFormat.choices, default=LetterFormat.STANDARD)
    pdf = models.BinaryField(editable=False)
    docx = models.BinaryField(editable=False)
    pdf_sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    email_to = models.EmailField(blank=True, help_text="Where it is to be e-mailed, when asked.")
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["case", "-created_at"], name="letter_case_created")]

    def __str__(self) -> str:
        return f"{self.title} for {self.case.reference}"


class BundleStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    BUILDING = "building", "Being built"
    READY = "ready", "Ready"
    FAILED = "failed", "Could not be built"


class EvidenceBundle(BaseModel):
    """A court evidence bundle of a case (WWH 5.0: "the Court Evidence Bundle can be prepared
    straightforwardly"): what the officer chose to put in it and what to redact, built by the task
    worker as one paginated PDF (``status``, ``progress`` and ``step`` show how far it has got).

    The PDF can run to a thousand pages, so it is kept as a file under ``HAVEN_BUNDLE_DIR`` (random
    name, outside the web root) with its SHA-256, not in the row. ``contents`` is the index as built:
    one entry per document with its first page, or why it was not reproduced."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="bundles")
    title = models.CharField(max_length=200)
    court = models.CharField(max_length=200, blank=True)
    claim_number = models.CharField(max_length=50, blank=True)
    incident_ids = models.JSONField(default=list, help_text="The incidents chosen, in the Scott schedule.")
    file_ids = models.JSONField(default=list, help_text="The statements, exhibits and documents chosen.")
    letter_ids = models.JSONField(default=list)
    agreements = models.BooleanField(default=True, help_text="Put in the agreements and their breaches.")
    redact_party_ids = models.JSONField(default=list, help_text="People whose details are redacted.")
    redact_terms = models.JSONField(default=list, help_text="Other words redacted wherever they appear.")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=BundleStatus.choices, default=BundleStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    step = models.CharField(max_length=100, blank=True, help_text="What the worker is doing now.")
    stored_name = models.CharField(max_length=100, blank=True)
    pages = models.PositiveIntegerField(default=0)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    contents = models.JSONField(default=list, blank=True)
    error = models.CharField(max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["case", "-created_at"], name="bundle_case_created")]

    def __str__(self) -> str:
        return f"{self.title} ({self.case.reference})"
