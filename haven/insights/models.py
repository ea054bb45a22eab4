"""What a landlord enters for its measures (issue 9): the homes figure of a reporting year for TSM
NM01, and its TSM settings (rounding and exclusions), kept because the regulator's rules change."""

from __future__ import annotations

from django.db import models

from haven.accounts.models import Landlord, User
from haven.common.models import BaseModel


class HomesFigure(BaseModel):
    """The homes owned (low cost rental and low cost home ownership) at the end of a reporting year,
    as the landlord returns it to the regulator; used instead of the register's count when given.
    ``year`` is the year the reporting year starts (2025 for April 2025 to March 2026)."""

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    homes = models.PositiveIntegerField()
    note = models.TextField(blank=True, help_text="Where the figure comes from.")
    entered_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["landlord", "year"], name="homes_figure_year")]

    def __str__(self) -> str:
        return f"{self.landlord} {self.year}: {self.homes} homes"


class TsmSettings(BaseModel):
    """How a landlord computes its TSMs: ``decimals`` of the rates (the regulator publishes NM01 to
    two), and ``excluded_closure_reasons``: cases closed for one of these reasons (codes of the
    profile's ``closure.reasons``, for example ``not_asb``) are left out of NM01. Default: none."""

    landlord = models.OneToOneField(Landlord, on_delete=models.CASCADE, related_name="+")
    decimals = models.PositiveSmallIntegerField(default=2)
    excluded_closure_reasons = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"TSM settings of {self.landlord}"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    BUILDING = "building", "Being built"
    READY = "ready", "Ready"
    FAILED = "failed", "Could not be built"


class CommitteeReport(BaseModel):
    """A report of the ASB service to a governing body for a chosen period (whg 3.1: bi-annual to the
    oversight committee; Peaks & Plains 7.4.1: annual to the Board): the measures and charts of the
    period with the author's commentary, built as a PDF by the task worker (``status``, ``progress``
    and ``step`` show how far it has got). The PDF is kept in the row: a few hundred kilobytes, and
    it then stands or falls with its record."""

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    audience = models.CharField(max_length=200, blank=True, help_text="Who it is for, such as the Board.")
    start = models.DateField()
    end = models.DateField()
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    patch = models.ForeignKey("register.Patch", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    summary = models.TextField(blank=True)
    performance = models.TextField(blank=True, help_text="Commentary on the performance figures.")
    equality = models.TextField(blank=True, help_text="Commentary on the equality trends.")
    next_steps = models.TextField(blank=True)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    step = models.CharField(max_length=100, blank=True, help_text="What the worker is doing now.")
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    pages = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.CharField(max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["landlord", "-created_at"], name="committee_report_landlord")]

    def __str__(self) -> str:
        return f"{self.title} ({self.start:%d/%m/%Y} to {self.end:%d/%m/%Y})"


class MonthSummary(models.Model):
    """The case volumes and closures of one UK calendar month of a landlord, for the cases of one team
    and patch (their team and patch now), kept by the worker (``services.summary``) so that the
    dashboard of a large landlord reads a few hundred rows instead of counting 100,000 cases
    (ADR 0012). The maps are keyed by the profile's codes; ``days`` and ``working_days`` map a time to
    resolve (from the first report to the closure) to the number of closures that took it."""

    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month (UK time).")
    team_id = models.BigIntegerField(null=True, blank=True)
    patch_id = models.BigIntegerField(null=True, blank=True)
    opened = models.PositiveIntegerField(default=0, help_text="Cases whose first report was received in the month.")
    closed = models.PositiveIntegerField(default=0, help_text="Closures made in the month.")
    reopened = models.PositiveIntegerField(default=0, help_text="Closures undone by a reopening in the month.")
    resolved = models.PositiveIntegerField(default=0, help_text="Closures of the month resolved at closure.")
    opened_by_category = models.JSONField(default=dict)
    closed_by_category = models.JSONField(default=dict)
    closed_by_reason = models.JSONField(default=dict)
    days = models.JSONField(default=dict)
    working_days = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["landlord", "month"], name="month_summary_landlord")]

    def __str__(self) -> str:
        return f"{self.landlord} {self.month:%Y-%m}"


class SummaryState(models.Model):
    """When a landlord's month summaries were last worked out (``computed_at``: the moment the worker
    began reading, so they show every change made before it), when a new one was asked for, and how
    many cases the landlord had then."""

    landlord = models.OneToOneField(Landlord, on_delete=models.CASCADE, related_name="+")
    computed_at = models.DateTimeField(null=True, blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    cases = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0, help_text="How long the last one took.")

    def __str__(self) -> str:
        return f"Summary state of {self.landlord}"
