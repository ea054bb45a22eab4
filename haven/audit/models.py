"""The append-only audit trail (ARCHITECTURE.md 6).

Services write one event in the same transaction as the change they make. Rows cannot be
changed or deleted: the model refuses, the admin is read-only, and database triggers (see the
migration) refuse UPDATE and DELETE on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class Verb(models.TextChoices):
    """What happened. Add verbs as features arrive; each has its human text in VERB_TEXT."""

    SIGNED_IN = "signed_in", "Signed in"
    SIGNED_OUT = "signed_out", "Signed out"
    SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
    LANDLORD_CREATED = "landlord_created", "Landlord created"
    LANDLORD_UPDATED = "landlord_updated", "Landlord updated"
    USER_CREATED = "user_created", "User created"
    USER_UPDATED = "user_updated", "User updated"
    TEAM_CREATED = "team_created", "Team created"
    TOKEN_CREATED = "token_created", "API token created"
    TOKEN_REVOKED = "token_revoked", "API token revoked"
    POLICY_VIEWED = "policy_viewed", "Policy viewed"
    DEMO_LOADED = "demo_loaded", "Demo data loaded"
    EMAIL_QUEUED = "email_queued", "E-mail queued"
    IMPORT_CHECKED = "import_checked", "Register import checked"
    IMPORT_APPLIED = "import_applied", "Register imported"
    IMPORT_REJECTED = "import_rejected", "Register import rejected"
    RECORD_UPSERTED = "record_upserted", "Register record created or updated"
    PERSON_VIEWED = "person_viewed", "Person viewed"
    VULNERABILITIES_VIEWED = "vulnerabilities_viewed", "Vulnerabilities viewed"
    REPORT_RECEIVED = "report_received", "Report received"
    REPORT_TRIAGED = "report_triaged", "Report triaged"
    REPORT_VIEWED = "report_viewed", "Report viewed"
    EVIDENCE_RECEIVED = "evidence_received", "Evidence received"
    EVIDENCE_VIEWED = "evidence_viewed", "Evidence viewed"
    CASE_OPENED = "case_opened", "Case opened"
    REPORT_LINKED = "report_linked", "Report added to a case"
    CASE_RECATEGORISED = "case_recategorised", "Case re-categorised"
    CONTACT_RECORDED = "contact_recorded", "Contact recorded"
    CONTACT_PLAN_AGREED = "contact_plan_agreed", "Contact plan agreed"
    CASE_REASSIGNED = "case_reassigned", "Case reassigned"
    CASE_VIEWED = "case_viewed", "Case viewed"


# How the timeline and audit pages say each verb; "{actor}" and "{object}" are filled in.
VERB_TEXT: dict[str, str] = {
    Verb.SIGNED_IN: "{actor} signed in",
    Verb.SIGNED_OUT: "{actor} signed out",
    Verb.SIGN_IN_FAILED: "Someone failed to sign in as {object}",
    Verb.LANDLORD_CREATED: "{actor} created the landlord {object}",
    Verb.LANDLORD_UPDATED: "{actor} updated the landlord {object}",
    Verb.USER_CREATED: "{actor} created the user {object}",
    Verb.USER_UPDATED: "{actor} updated the user {object}",
    Verb.TEAM_CREATED: "{actor} created the team {object}",
    Verb.TOKEN_CREATED: "{actor} created an API token for {object}",
    Verb.TOKEN_REVOKED: "{actor} revoked an API token of {object}",
    Verb.POLICY_VIEWED: "{actor} viewed the policy {object}",
    Verb.DEMO_LOADED: "{actor} loaded the demo data",
    Verb.EMAIL_QUEUED: "{actor} queued an e-mail: {object}",
    Verb.IMPORT_CHECKED: "{actor} checked the {object}",
    Verb.IMPORT_APPLIED: "{actor} applied the {object}",
    Verb.IMPORT_REJECTED: "{actor} ran the {object}, which was rejected",
    Verb.RECORD_UPSERTED: "{actor} created or updated {object} through the API",
    Verb.PERSON_VIEWED: "{actor} viewed the record of {object}",
    Verb.VULNERABILITIES_VIEWED: "{actor} viewed the vulnerabilities of {object}",
    Verb.REPORT_RECEIVED: "{actor} received the report {object}",
    Verb.REPORT_TRIAGED: "{actor} triaged the report {object}",
    Verb.REPORT_VIEWED: "{actor} viewed the report {object}",
    Verb.EVIDENCE_RECEIVED: "{actor} received the evidence file {object}",
    Verb.EVIDENCE_VIEWED: "{actor} opened the evidence file {object}",
    Verb.CASE_OPENED: "{actor} opened the case {object}",
    Verb.REPORT_LINKED: "{actor} added a report to the case {object}",
    Verb.CASE_RECATEGORISED: "{actor} re-categorised the case {object}",
    Verb.CONTACT_RECORDED: "{actor} recorded a contact on the case {object}",
    Verb.CONTACT_PLAN_AGREED: "{actor} agreed the contact plan on the case {object}",
    Verb.CASE_REASSIGNED: "{actor} reassigned the case {object}",
    Verb.CASE_VIEWED: "{actor} viewed the case {object}",
}


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Audit events cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    landlord = models.ForeignKey("accounts.Landlord", on_delete=models.PROTECT, null=True, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    # Kept as text too, so the trail still reads right if a user is renamed or deactivated.
    actor_label = models.CharField(max_length=150)
    verb = models.CharField(max_length=40, choices=Verb.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    via = models.CharField(max_length=20, default="web", help_text="web, api, command or task")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["landlord", "-at"], name="audit_landlord_at"),
            models.Index(fields=["object_type", "object_id", "at"], name="audit_object"),
            models.Index(fields=["actor", "-at"], name="audit_actor_at"),
        ]

    def __str__(self) -> str:
        return self.text

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events cannot be deleted.")

    @property
    def text(self) -> str:
        template = VERB_TEXT.get(self.verb, "{actor}: " + self.verb)
        return template.format(actor=self.actor_label, object=self.object_label or self.object_id)
