"""The register: who lives where, on what tenancy, in which patch and local authority area.

Haven is not a housing management system; landlords load this data from theirs (``haven import``,
the import page or the API) and refresh it by reference. Nothing here is deleted by an import: a
person or property missing from a full refresh is marked as ended (``ended_on``), because cases
point at them.

Vulnerabilities and equality monitoring data are special category data (UK GDPR Art. 9): they sit
in their own tables so that only the roles allowed to see them read them, and every view of them
is audited (``haven.register.selectors``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from haven.common.models import BaseModel
from haven.policies.schema import PolicyProfile, Tenure

TENURE_LABELS = {
    Tenure.SOCIAL_RENT: "Social rent",
    Tenure.AFFORDABLE_RENT: "Affordable rent",
    Tenure.INTERMEDIATE_RENT: "Intermediate rent",
    Tenure.STARTER: "Starter or introductory tenancy",
    Tenure.SHARED_OWNERSHIP: "Shared ownership",
    Tenure.LEASEHOLD: "Leasehold",
    Tenure.MARKET_RENT: "Market rent",
    Tenure.LICENCE: "Licence",
    Tenure.TEMPORARY: "Temporary accommodation",
    Tenure.SUPPORTED: "Supported housing",
    Tenure.SECURE_CONTRACT: "Secure occupation contract",
    Tenure.STANDARD_CONTRACT: "Standard occupation contract",
    Tenure.NON_RESIDENT: "Not a resident",
}
TENURE_CHOICES = [(t.value, TENURE_LABELS.get(t, t.value)) for t in Tenure]

# TSM NM01 counts homes that are low-cost rental accommodation or low-cost home ownership
# (Regulator of Social Housing, TSM technical requirements). Leasehold, market rent, temporary
# accommodation and non-residents are left out unless the import says otherwise.
TSM_HOME_TENURES = frozenset(
    {
        Tenure.SOCIAL_RENT,
        Tenure.AFFORDABLE_RENT,
        Tenure.INTERMEDIATE_RENT,
        Tenure.STARTER,
        Tenure.SUPPORTED,
        Tenure.SHARED_OWNERSHIP,
        Tenure.SECURE_CONTRACT,
        Tenure.STANDARD_CONTRACT,
    }
)


class PropertyType(models.TextChoices):
    HOUSE = "house", "House"
    FLAT = "flat", "Flat"
    MAISONETTE = "maisonette", "Maisonette"
    BUNGALOW = "bungalow", "Bungalow"
    BEDSIT = "bedsit", "Bedsit"
    ROOM = "room", "Room in shared housing"
    OTHER = "other", "Other"


class TenancyType(models.TextChoices):
    """England: Housing Act 1985 / 1988 tenancies; Wales: Renting Homes (Wales) Act 2016 contracts."""

    ASSURED = "assured", "Assured tenancy"
    STARTER = "starter", "Starter tenancy"
    INTRODUCTORY = "introductory", "Introductory tenancy"
    SECURE = "secure", "Secure tenancy"
    FLEXIBLE = "flexible", "Flexible (fixed-term) tenancy"
    LICENCE = "licence", "Licence"
    LEASE = "lease", "Lease"
    SECURE_CONTRACT = "secure_contract", "Secure occupation contract"
    STANDARD_CONTRACT = "standard_contract", "Standard occupation contract"


ENGLISH_TENANCY_TYPES = frozenset(
    {
        TenancyType.ASSURED,
        TenancyType.STARTER,
        TenancyType.INTRODUCTORY,
        TenancyType.SECURE,
        TenancyType.FLEXIBLE,
        TenancyType.LICENCE,
        TenancyType.LEASE,
    }
)
# Since 1 December 2022 every tenancy and licence of a community landlord in Wales is an
# occupation contract (Renting Homes (Wales) Act 2016); leases of shared owners stay leases.
WELSH_TENANCY_TYPES = frozenset({TenancyType.SECURE_CONTRACT, TenancyType.STANDARD_CONTRACT, TenancyType.LEASE})


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone"
    TEXT = "text", "Text message"
    EMAIL = "email", "E-mail"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"


class VulnerabilityKind(models.TextChoices):
    PHYSICAL_DISABILITY = "physical_disability", "Physical disability or long-term illness"
    MENTAL_HEALTH = "mental_health", "Mental health"
    LEARNING_DISABILITY = "learning_disability", "Learning disability or difficulty"
    SENSORY = "sensory", "Sight or hearing impairment"
    OLDER_PERSON = "older_person", "Older person"
    CHILD_OR_YOUNG_PERSON = "child", "Child or young person"
    DOMESTIC_ABUSE = "domestic_abuse", "Experiencing domestic abuse"
    SUBSTANCE_MISUSE = "substance_misuse", "Drug or alcohol dependency"
    SOCIAL_ISOLATION = "isolation", "Socially isolated"
    PREVIOUS_VICTIM = "repeat_victim", "Repeat victim of ASB or crime"
    OTHER = "other", "Other"


class MarkerKind(models.TextChoices):
    """Staff-safety warning markers: what a visiting officer must know first."""

    VIOLENCE = "violence", "Violent or threatening to staff"
    VERBAL_ABUSE = "verbal_abuse", "Verbally abusive to staff"
    DANGEROUS_ANIMAL = "dangerous_animal", "Dangerous animal at the address"
    VISIT_IN_PAIRS = "visit_in_pairs", "Visit in pairs only"
    NO_LONE_VISITS = "no_lone_visits", "No lone visits"
    WEAPONS = "weapons", "Weapons known"
    OTHER = "other", "Other"


class LocalAuthorityArea(BaseModel):
    """A council area the landlord works in, with its ASB Case Review (Community Trigger) threshold.

    The Anti-social Behaviour, Crime and Policing Act 2014 s104 and Schedule 4: the relevant bodies
    of each area set the threshold, which may not be more than three qualifying complaints; a
    qualifying complaint is made within one month of the behaviour, and the application within six
    months of the complaint (those periods are statutory: ``reviews.threshold``). Areas may add local
    variations: ``hate_incident_qualifies`` (a single hate incident meets the threshold) and
    ``community_reports`` (that many reports from different people about one place). The lead agency,
    its contact and the area's timescales are for the reporter and the officer.
    """

    landlord = models.ForeignKey("accounts.Landlord", on_delete=models.PROTECT, related_name="local_authority_areas")
    name = models.CharField(max_length=120)
    gss_code = models.CharField(max_length=9, blank=True, help_text="ONS code, e.g. E06000016")
    threshold_complaints = models.PositiveSmallIntegerField(
        default=3, help_text="Qualifying complaints within six months that meet the threshold (at most 3, s104)."
    )
    hate_incident_qualifies = models.BooleanField(
        default=False, help_text="A local variation: one complaint of a hate incident meets the threshold."
    )
    community_reports = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="A local variation: this many reports from different people about one place."
    )
    lead_agency = models.CharField(max_length=120, blank=True, help_text="Who manages reviews, e.g. the council.")
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    procedure_url = models.URLField(blank=True, help_text="The area's published ASB Case Review procedure.")
    decision_within_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Working days to decide whether the threshold is met."
    )
    review_within_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Working days from the decision to the review meeting."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["landlord", "name"], name="la_area_name_unique")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Patch(BaseModel):
    """A housing management patch; its team and officer receive the patch's new cases."""

    landlord = models.ForeignKey("accounts.Landlord", on_delete=models.PROTECT, related_name="patches")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=120)
    team = models.ForeignKey("accounts.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="patches")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="patches"
    )
    local_authority_area = models.ForeignKey(
        LocalAuthorityArea, on_delete=models.PROTECT, null=True, blank=True, related_name="patches"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["landlord", "code"], name="patch_code_unique")]
        ordering = ["code"]
        verbose_name_plural = "patches"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Property(BaseModel):
    landlord = models.ForeignKey("accounts.Landlord", on_delete=models.PROTECT, related_name="properties")
    uprn = models.CharField("UPRN", max_length=12, help_text="12 digits, with leading zeros.")
    reference = models.CharField(max_length=40, help_text="The landlord's own property reference.")
    address_line_1 = models.CharField(max_length=200)
    address_line_2 = models.CharField(max_length=200, blank=True)
    address_line_3 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=8, help_text="Normalised: upper case with one space.")
    patch = models.ForeignKey(Patch, on_delete=models.PROTECT, null=True, blank=True, related_name="properties")
    local_authority_area = models.ForeignKey(
        LocalAuthorityArea, on_delete=models.PROTECT, null=True, blank=True, related_name="properties"
    )
    scheme = models.CharField(max_length=120, blank=True, help_text="For example an over-55s scheme (whg 1.5).")
    property_type = models.CharField(max_length=20, choices=PropertyType.choices, blank=True)
    tenure = models.CharField(max_length=30, choices=TENURE_CHOICES)
    counts_for_tsm = models.BooleanField(
        default=True, help_text="A low-cost rental or low-cost home ownership home, counted for TSM NM01."
    )
    ended_on = models.DateField(null=True, blank=True, help_text="No longer in the landlord's stock.")
    # Lower-case "line 1 line 2 line 3 town postcode" for address search.
    search_text = models.CharField(max_length=400, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["landlord", "uprn"], name="property_uprn_unique"),
            models.UniqueConstraint(fields=["landlord", "reference"], name="property_reference_unique"),
        ]
        indexes = [
            models.Index(fields=["landlord", "patch"], name="property_landlord_patch"),
            models.Index(fields=["landlord", "postcode"], name="property_landlord_postcode"),
            models.Index(fields=["landlord", "tenure"], name="property_landlord_tenure"),
        ]
        ordering = ["reference"]
        verbose_name_plural = "properties"

    def __str__(self) -> str:
        return self.address

    @property
    def address(self) -> str:
        parts = [self.address_line_1, self.address_line_2, self.address_line_3, self.town, self.postcode]
        return ", ".join(p for p in parts if p)

    def tenure_in_scope(self, profile: PolicyProfile) -> bool:
        """Whether the landlord's profile deals with ASB at this tenure (whg 1.3, emh 2.2)."""
        return self.tenure in profile.tenures.in_scope


class Person(BaseModel):
    landlord = models.ForeignKey("accounts.Landlord", on_delete=models.PROTECT, related_name="people")
    reference = models.CharField(max_length=40, help_text="The landlord's own person reference.")
    title = models.CharField(max_length=20, blank=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    preferred_contact = models.CharField(max_length=20, choices=ContactMethod.choices, blank=True)
    preferred_language = models.CharField(max_length=40, blank=True, help_text="For example English, Welsh, Polish.")
    communication_needs = models.TextField(
        blank=True, help_text="How to communicate with this person, e.g. large print, interpreter (pnp 6.3)."
    )
    reasonable_adjustments = models.TextField(blank=True, help_text="Adjustments agreed with the person (WWH 2.0).")
    ended_on = models.DateField(null=True, blank=True, help_text="No longer a customer of the landlord.")
    search_name = models.CharField(max_length=201, blank=True, editable=False)  # lower-case "first last"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["landlord", "reference"], name="person_reference_unique")]
        indexes = [
            models.Index(fields=["landlord", "last_name"], name="person_landlord_last_name"),
            models.Index(fields=["landlord", "search_name"], name="person_landlord_search_name"),
        ]
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.title, self.first_name, self.last_name) if p)


class Vulnerability(BaseModel):
    """Special category data: seen only by the roles allowed, every view audited."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="vulnerabilities")
    kind = models.CharField(max_length=30, choices=VulnerabilityKind.choices)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "kind"], name="vulnerability_person_kind_unique")]
        ordering = ["kind"]
        verbose_name_plural = "vulnerabilities"

    def __str__(self) -> str:
        return self.get_kind_display()


class EqualityMonitoring(BaseModel):
    """Optional equality monitoring answers, for equality trends (pnp 8.2). Blank means not given."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="equality")
    # Age is not asked: it comes from the date of birth (fields.age_band) when reported.
    sex = models.CharField(max_length=40, blank=True)
    gender_identity_same_as_birth = models.CharField(max_length=40, blank=True)
    sexual_orientation = models.CharField(max_length=60, blank=True)
    ethnicity = models.CharField(max_length=80, blank=True)
    religion = models.CharField(max_length=60, blank=True)
    disability = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name_plural = "equality monitoring"


class WarningMarker(BaseModel):
    """A staff-safety warning about a person or an address."""

    landlord = models.ForeignKey("accounts.Landlord", on_delete=models.PROTECT, related_name="warning_markers")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True, related_name="markers")
    property = models.ForeignKey(Property, on_delete=models.CASCADE, null=True, blank=True, related_name="markers")
    kind = models.CharField(max_length=30, choices=MarkerKind.choices)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(property__isnull=False), name="marker_has_person_or_property"
            )
        ]
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Tenancy(BaseModel):
    landlord = models.ForeignKey("accounts.Landlord", on_delete=models.PROTECT, related_name="tenancies")
    reference = models.CharField(max_length=40)
    property = models.ForeignKey(Property, on_delete=models.PROTECT, related_name="tenancies")
    tenancy_type = models.CharField(max_length=30, choices=TenancyType.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["landlord", "reference"], name="tenancy_reference_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="tenancy_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["property", "ends_on"], name="tenancy_property_ends")]
        ordering = ["-starts_on"]
        verbose_name_plural = "tenancies"

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_tenancy_type_display()})"


class HouseholdRole(models.TextChoices):
    TENANT = "tenant", "Tenant"
    MEMBER = "member", "Household member"


class TenancyMember(models.Model):
    """A person in a tenancy's household: a tenant (named on the tenancy) or another member."""

    tenancy = models.ForeignKey(Tenancy, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=10, choices=HouseholdRole.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenancy", "person"], name="tenancy_member_unique")]
        ordering = ["role", "id"]

    def __str__(self) -> str:
        return self.get_role_display()


class ImportKind(models.TextChoices):
    PATCHES = "patches", "Patches"
    PROPERTIES = "properties", "Properties"
    PEOPLE = "people", "People"
    TENANCIES = "tenancies", "Tenancies"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    CHECKED = "checked", "Checked: ready to apply"
    REJECTED = "rejected", "Problems found: nothing imported"
    APPLIED = "applied", "Imported"
    FAILED = "failed", "Failed: nothing imported"


class ImportRun(BaseModel):
    """One import file, from upload to check to apply; the audit trail records each apply."""

    landlord = models.ForeignKey("accounts.Landlord", on_delete=models.PROTECT, related_name="imports")
    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    file_name = models.CharField(max_length=255)
    stored_as = models.CharField(max_length=255, blank=True, help_text="Random name under the import folder.")
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField(default=0)
    full_refresh = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    apply_requested = models.BooleanField(default=False)
    rows_total = models.IntegerField(default=0)
    rows_done = models.IntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)
    problem_count = models.IntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["landlord", "-created_at"], name="import_landlord_created")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} import {self.file_name}"
