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
    CASE_STATUS_CHANGED = "case_status_changed", "Case status changed"
    CASE_FLAGS_CHANGED = "case_flags_changed", "Case flags changed"
    PARTY_ADDED = "party_added", "Person added to a case"
    PARTY_UPDATED = "party_updated", "Person in a case updated"
    PARTY_REMOVED = "party_removed", "Person taken off a case"
    FINDING_RECORDED = "finding_recorded", "Finding recorded"
    RISK_ASSESSED = "risk_assessed", "Risk assessment recorded"
    SUPPORT_NEED_RECORDED = "support_need_recorded", "Support need recorded"
    SAFEGUARDING_RECORDED = "safeguarding_recorded", "Safeguarding concern recorded"
    ACTION_PLAN_AGREED = "action_plan_agreed", "Action plan agreed"
    ACTION_ADDED = "action_added", "Action added"
    ACTION_UPDATED = "action_updated", "Action updated"
    INCIDENT_RECORDED = "incident_recorded", "Incident recorded"
    INCIDENT_REVIEWED = "incident_reviewed", "Incident reviewed"
    DIARY_LINK_SENT = "diary_link_sent", "Diary link sent"
    DIARY_LINK_REVOKED = "diary_link_revoked", "Diary link withdrawn"
    DIARY_ENTRY_RECEIVED = "diary_entry_received", "Diary entry received"
    FILE_ADDED = "file_added", "File added"
    FILE_REVIEWED = "file_reviewed", "File reviewed"
    FILE_VIEWED = "file_viewed", "File opened"
    NOTE_ADDED = "note_added", "Note added"
    SENSITIVE_NOTES_VIEWED = "sensitive_notes_viewed", "Sensitive notes viewed"
    RISK_DETAILS_VIEWED = "risk_details_viewed", "Risk and vulnerability details viewed"
    OUTCOME_RECORDED = "outcome_recorded", "Referral outcome recorded"
    INTERVENTION_RECORDED = "intervention_recorded", "Intervention recorded"
    INTERVENTION_UPDATED = "intervention_updated", "Intervention updated"
    AGREEMENT_BREACHED = "agreement_breached", "Agreement breach recorded"
    AGREEMENT_REVIEWED = "agreement_reviewed", "Agreement reviewed"
    LEGAL_ACTION_STARTED = "legal_action_started", "Legal action considered"
    PROPORTIONALITY_ASSESSED = "proportionality_assessed", "Proportionality assessed"
    LEGAL_ACTION_APPROVED = "legal_action_approved", "Legal action approved"
    LEGAL_STAGE_CHANGED = "legal_stage_changed", "Legal action moved on"
    HEARING_RECORDED = "hearing_recorded", "Hearing recorded"
    REFERRAL_MADE = "referral_made", "Referral made"
    REFERRAL_ANSWERED = "referral_answered", "Referral response recorded"
    MEETING_LISTED = "meeting_listed", "Case listed for a partnership meeting"
    MEETING_RECORDED = "meeting_recorded", "Partnership meeting recorded"
    INFORMATION_SHARED = "information_shared", "Information sharing recorded"
    SHARING_AGREEMENT_SAVED = "sharing_agreement_saved", "Information sharing agreement saved"
    CASE_REVIEWED = "case_reviewed", "Case reviewed"
    REVIEW_SIGNED_OFF = "review_signed_off", "Case review signed off"
    QUALITY_REVIEWED = "quality_reviewed", "Casework quality review recorded"
    PERSISTENT_REPORTS_DECIDED = "persistent_reports_decided", "Persistent reports decision recorded"
    AREA_SAVED = "area_saved", "Local authority area saved"
    AGENCY_COMPLAINT_RECORDED = "agency_complaint_recorded", "Complaint to another agency recorded"
    RIGHT_TO_REVIEW_TOLD = "right_to_review_told", "Reporter told of the ASB Case Review"
    CASE_REVIEW_APPLIED = "case_review_applied", "ASB Case Review application recorded"
    CASE_REVIEW_UPDATED = "case_review_updated", "ASB Case Review application updated"
    CASE_REVIEW_PACK_VIEWED = "case_review_pack_viewed", "ASB Case Review pack viewed"
    CLOSURE_SIGNED_OFF = "closure_signed_off", "Closure signed off"
    SURVEY_SENT = "survey_sent", "Satisfaction survey sent"
    SURVEY_ANSWERED = "survey_answered", "Satisfaction survey answered"
    COMPLAINT_RECORDED = "complaint_recorded", "Complaint recorded"
    COMPLAINT_ANSWERED = "complaint_answered", "Complaint answered"
    # Insight (issue 9)
    TSM_SETTINGS_SAVED = "tsm_settings_saved", "TSM homes figure or settings saved"
    INSIGHT_EXPORTED = "insight_exported", "Case-level data exported"
    COMMITTEE_REPORT_REQUESTED = "committee_report_requested", "Committee report requested"
    COMMITTEE_REPORT_DOWNLOADED = "committee_report_downloaded", "Committee report downloaded"
    LETTER_MADE = "letter_made", "Letter made"
    LETTER_DOWNLOADED = "letter_downloaded", "Letter downloaded"
    LETTER_EMAILED = "letter_emailed", "Letter e-mailed"
    LETTER_TEMPLATE_PUBLISHED = "letter_template_published", "Letter template published"
    LETTER_SETTINGS_SAVED = "letter_settings_saved", "Letter settings saved"
    LETTER_PREVIEWED = "letter_previewed", "Letter previewed with a case"
    BUNDLE_REQUESTED = "bundle_requested", "Court bundle asked for"
    BUNDLE_DOWNLOADED = "bundle_downloaded", "Court bundle downloaded"


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
    Verb.CASE_STATUS_CHANGED: "{actor} changed the status of the case {object}",
    Verb.CASE_FLAGS_CHANGED: "{actor} changed the flags of the case {object}",
    Verb.PARTY_ADDED: "{actor} added a person to the case {object}",
    Verb.PARTY_UPDATED: "{actor} updated a person in the case {object}",
    Verb.PARTY_REMOVED: "{actor} took a person off the case {object}",
    Verb.FINDING_RECORDED: "{actor} recorded a finding on the case {object}",
    Verb.RISK_ASSESSED: "{actor} recorded a risk assessment on the case {object}",
    Verb.SUPPORT_NEED_RECORDED: "{actor} recorded a support need on the case {object}",
    Verb.SAFEGUARDING_RECORDED: "{actor} recorded a safeguarding concern on the case {object}",
    Verb.ACTION_PLAN_AGREED: "{actor} recorded the action plan agreed on the case {object}",
    Verb.ACTION_ADDED: "{actor} added an action to the case {object}",
    Verb.ACTION_UPDATED: "{actor} updated an action on the case {object}",
    Verb.INCIDENT_RECORDED: "{actor} recorded an incident on the case {object}",
    Verb.INCIDENT_REVIEWED: "{actor} reviewed an incident on the case {object}",
    Verb.DIARY_LINK_SENT: "{actor} sent a diary link for the case {object}",
    Verb.DIARY_LINK_REVOKED: "{actor} withdrew a diary link for the case {object}",
    Verb.DIARY_ENTRY_RECEIVED: "{actor} added a diary entry to the case {object}",
    Verb.FILE_ADDED: "{actor} added a file to the case {object}",
    Verb.FILE_REVIEWED: "{actor} reviewed a file on the case {object}",
    Verb.FILE_VIEWED: "{actor} opened a file on the case {object}",
    Verb.NOTE_ADDED: "{actor} added a note to the case {object}",
    Verb.SENSITIVE_NOTES_VIEWED: "{actor} viewed the sensitive notes of the case {object}",
    Verb.RISK_DETAILS_VIEWED: "{actor} viewed the risk and vulnerability details of the case {object}",
    Verb.OUTCOME_RECORDED: "{actor} recorded the outcome of a support need or safeguarding referral on {object}",
    Verb.INTERVENTION_RECORDED: "{actor} recorded an intervention on the case {object}",
    Verb.INTERVENTION_UPDATED: "{actor} updated an intervention on the case {object}",
    Verb.AGREEMENT_BREACHED: "{actor} recorded a breach of an agreement on the case {object}",
    Verb.AGREEMENT_REVIEWED: "{actor} reviewed an agreement on the case {object}",
    Verb.LEGAL_ACTION_STARTED: "{actor} started considering legal action on the case {object}",
    Verb.PROPORTIONALITY_ASSESSED: "{actor} recorded a proportionality assessment on the case {object}",
    Verb.LEGAL_ACTION_APPROVED: "{actor} approved legal action on the case {object}",
    Verb.LEGAL_STAGE_CHANGED: "{actor} moved a legal action on the case {object} to its next stage",
    Verb.HEARING_RECORDED: "{actor} recorded a hearing on the case {object}",
    Verb.REFERRAL_MADE: "{actor} recorded a referral to a partner on the case {object}",
    Verb.REFERRAL_ANSWERED: "{actor} recorded a partner's response to a referral on the case {object}",
    Verb.MEETING_LISTED: "{actor} listed the case {object} for a partnership meeting",
    Verb.MEETING_RECORDED: "{actor} recorded what a partnership meeting decided on the case {object}",
    Verb.INFORMATION_SHARED: "{actor} recorded information shared with or from a partner on the case {object}",
    Verb.SHARING_AGREEMENT_SAVED: "{actor} saved the information sharing agreement {object}",
    Verb.CASE_REVIEWED: "{actor} reviewed the case {object}",
    Verb.REVIEW_SIGNED_OFF: "{actor} signed off or returned a review of the case {object}",
    Verb.QUALITY_REVIEWED: "{actor} recorded a casework quality review of the case {object}",
    Verb.PERSISTENT_REPORTS_DECIDED: "{actor} recorded a decision on persistent reports by {object}",
    Verb.AREA_SAVED: "{actor} saved the local authority area {object}",
    Verb.AGENCY_COMPLAINT_RECORDED: "{actor} recorded a complaint made to another agency on the case {object}",
    Verb.RIGHT_TO_REVIEW_TOLD: "{actor} recorded telling the reporter of the ASB Case Review on the case {object}",
    Verb.CASE_REVIEW_APPLIED: "{actor} recorded an ASB Case Review application on the case {object}",
    Verb.CASE_REVIEW_UPDATED: "{actor} updated an ASB Case Review application on the case {object}",
    Verb.CASE_REVIEW_PACK_VIEWED: "{actor} viewed the ASB Case Review information pack of the case {object}",
    Verb.CLOSURE_SIGNED_OFF: "{actor} signed off or returned the closure of the case {object}",
    Verb.SURVEY_SENT: "{actor} sent the satisfaction survey for the case {object}",
    Verb.SURVEY_ANSWERED: "{actor} recorded satisfaction survey answers for the case {object}",
    Verb.COMPLAINT_RECORDED: "{actor} recorded a complaint about the case {object}",
    Verb.COMPLAINT_ANSWERED: "{actor} recorded the answer to a complaint about the case {object}",
    Verb.TSM_SETTINGS_SAVED: "{actor} saved the TSM homes figure or settings {object}",
    Verb.INSIGHT_EXPORTED: "{actor} exported {object}",
    Verb.COMMITTEE_REPORT_REQUESTED: "{actor} asked for the committee report {object}",
    Verb.COMMITTEE_REPORT_DOWNLOADED: "{actor} downloaded the committee report {object}",
    Verb.LETTER_MADE: "{actor} made a letter on the case {object}",
    Verb.LETTER_DOWNLOADED: "{actor} downloaded a letter of the case {object}",
    Verb.LETTER_EMAILED: "{actor} e-mailed a letter of the case {object}",
    Verb.LETTER_TEMPLATE_PUBLISHED: "{actor} published a letter template {object}",
    Verb.LETTER_SETTINGS_SAVED: "{actor} saved the letter settings {object}",
    Verb.LETTER_PREVIEWED: "{actor} previewed a letter with the case {object}",
    Verb.BUNDLE_REQUESTED: "{actor} asked for a court bundle of the case {object}",
    Verb.BUNDLE_DOWNLOADED: "{actor} downloaded a court bundle of the case {object}",
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
