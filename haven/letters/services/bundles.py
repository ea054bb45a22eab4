"""Court evidence bundles (issue 8; WWH 5.0 "the Court Evidence Bundle can be prepared
straightforwardly"; emh 6.6-6.7 on keeping reporters' and witnesses' details confidential).

An officer chooses the incidents, statements, exhibits, documents and letters of a case that go in,
and whose details are redacted (``bundle_choices`` offers them; ``bundle_request`` checks, saves,
audits and queues). The task worker builds the PDF (``bundle_build``): a cover sheet, an index
with page numbers, a chronology of the incidents and of the landlord's actions, a Scott schedule
(each allegation: date, behaviour, evidence reference, witness, with columns for the defendant's
reply and the court), the witness statements, the diary sheets, the letters sent, the agreements
and their breaches, and the exhibits, each with its SHA-256 from receipt checked against the file
as it is now. Photos are embedded, PDFs copied in page by page; anything else, or anything that
cannot be read or has changed since it was received, is listed in the index as not reproduced, with
the reason: a file never fails the bundle.

Redaction replaces the marked people's names with "Witness A", "Witness B" ..., and their
addresses, phone numbers and e-mail addresses, and any other words the officer gives, with
"[redacted]", in everything Haven writes into the bundle. A PDF or Word file cannot be redacted
safely by machine: one that contains any of those words is not reproduced, and the index says so.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from haven.accounts.models import User
from haven.accounts.permissions import can_view_sensitive, can_work_case
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import Case, CaseFile, Incident, Party, PartyRole
from haven.common.errors import ApplicationError
from haven.interventions.models import (
    LegalAction,
)
from haven.letters.models import EvidenceBundle, Letter

logger = logging.getLogger(__name__)

TITLE_MAX, COURT_MAX, CLAIM_MAX = 200, 200, 50
TERMS_MAX, TERM_CHARS = 50, 200
# Parties whose details are redacted unless the officer says otherwise: everyone but the reported
# people and agency contacts, except a witness who agreed to go to court (they will be named).
THIRD_PARTIES = (PartyRole.REPORTER, PartyRole.WITNESS, PartyRole.HOUSEHOLD)


def bundle_folder() -> Path:
    """Where built bundles are kept: ``HAVEN_BUNDLE_DIR``, never under the web root."""
    return Path(settings.HAVEN_BUNDLE_DIR)


def bundle_path(bundle: EvidenceBundle) -> Path:
    return bundle_folder() / bundle.stored_name


# ---- what may go in ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BundleChoices:
    """What an officer may put in a bundle of this case: incidents reviewed (the inbox's are not
    evidence yet), files reviewed that they may see (sensitive ones only for the secure area),
    letters, the people whose details may be redacted, and the court and claim number of the
    case's latest legal action that names a court."""

    incidents: list[Incident]
    files: list[CaseFile]
    letters: list[Letter]
    parties: list[Party]
    redact_by_default: list[int]
    court: str = ""
    claim_number: str = ""


def bundle_choices(*, user: User, case: Case) -> BundleChoices:
    incidents = list(
        Incident.objects.filter(case=case, reviewed_at__isnull=False)
        .select_related("party__person")
        .order_by("occurred_at", "pk")
    )
    files = CaseFile.objects.filter(case=case, reviewed_at__isnull=False).order_by("created_at", "pk")
    if not can_view_sensitive(user, case):
        files = files.filter(sensitive=False)
    letters = list(Letter.objects.filter(case=case).defer("pdf", "docx").order_by("created_at", "pk"))
    parties = [p for p in case.parties.select_related("person").all() if p.removed_at is None]
    default = [p.pk for p in parties if p.role in THIRD_PARTIES and p.witness_court is not True and not p.anonymous]
    legal = LegalAction.objects.filter(case=case).exclude(court="").order_by("-started_on").first()
    court, claim = (legal.court, legal.claim_number) if legal else ("", "")
    return BundleChoices(incidents, list(files), letters, parties, default, court, claim)


@dataclass(frozen=True)
class BundleAsked:
    title: str
    court: str = ""
    claim_number: str = ""
    incident_ids: list[int] = field(default_factory=list)
    file_ids: list[int] = field(default_factory=list)
    letter_ids: list[int] = field(default_factory=list)
    agreements: bool = True
    redact_party_ids: list[int] = field(default_factory=list)
    redact_terms: list[str] = field(default_factory=list)


def _problems(asked: BundleAsked, choices: BundleChoices) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not asked.title.strip():
        problems["title"] = "Enter a title for the bundle, such as the claim it is for."
    elif len(asked.title.strip()) > TITLE_MAX:
        problems["title"] = f"Write the title in no more than {TITLE_MAX} characters."
    if len(asked.court.strip()) > COURT_MAX:
        problems["court"] = f"Write the court in no more than {COURT_MAX} characters."
    if len(asked.claim_number.strip()) > CLAIM_MAX:
        problems["claim_number"] = f"Write the claim number in no more than {CLAIM_MAX} characters."
    offered = {
        "incidents": (asked.incident_ids, {i.pk for i in choices.incidents}),
        "documents": (asked.file_ids, {f.pk for f in choices.files}),
        "letters": (asked.letter_ids, {letter.pk for letter in choices.letters}),
        "redact": (asked.redact_party_ids, {p.pk for p in choices.parties}),
    }
    for name, (ids, allowed) in offered.items():
        if not set(ids) <= allowed:
            problems[name] = "Choose only from the list: something chosen is no longer on this case."
    if not (asked.incident_ids or asked.file_ids or asked.letter_ids):
        problems["incidents"] = "Choose at least one incident, file or letter to put in the bundle."
    terms = [t for t in asked.redact_terms if t.strip()]
    if len(terms) > TERMS_MAX or any(len(t) > TERM_CHARS for t in terms):
        problems["redact_terms"] = (
            f"Give at most {TERMS_MAX} words or phrases to redact, each under {TERM_CHARS} characters."
        )
    elif any(len(t.strip()) < 2 for t in terms):
        problems["redact_terms"] = "Each word or phrase to redact needs at least two characters."
    return problems


@transaction.atomic
def bundle_request(*, actor: User, case: Case, asked: BundleAsked, via: str = "web") -> EvidenceBundle:
    """Save and queue a bundle; nothing is saved if anything asked for is wrong."""
    if not can_work_case(actor, case):
        raise ApplicationError("Only staff who work on this case can make its court bundle.", code="forbidden")
    choices = bundle_choices(user=actor, case=case)
    problems = _problems(asked, choices)
    if problems:
        raise ApplicationError(" ".join(dict.fromkeys(problems.values())), fields=problems)
    bundle = EvidenceBundle.objects.create(
        case=case,
        title=asked.title.strip(),
        court=asked.court.strip(),
        claim_number=asked.claim_number.strip(),
        incident_ids=sorted(set(asked.incident_ids)),
        file_ids=sorted(set(asked.file_ids)),
        letter_ids=sorted(set(asked.letter_ids)),
        agreements=asked.agreements,
        redact_party_ids=sorted(set(asked.redact_party_ids)),
        redact_terms=[t.strip() for t in asked.redact_terms if t.strip()],
        requested_by=actor,
    )
    audit_record(
        actor=actor,
        verb=Verb.BUNDLE_REQUESTED,
        target=case,
        via=via,
        changes={
            "bundle": [None, bundle.pk],
            "incidents": [None, len(bundle.incident_ids)],
            "files": [None, len(bundle.file_ids)],
            "letters": [None, len(bundle.letter_ids)],
        },
    )
    from haven.letters.tasks import bundle_build_task

    transaction.on_commit(lambda: bundle_build_task.enqueue(bundle_id=bundle.pk))
    return bundle


@transaction.atomic
def bundle_downloaded(*, actor: User, bundle: EvidenceBundle, via: str = "web") -> None:
    audit_record(
        actor=actor,
        verb=Verb.BUNDLE_DOWNLOADED,
        target=bundle.case,
        via=via,
        changes={"bundle": [None, bundle.pk], "sha256": [None, bundle.sha256]},
    )


# ---- redaction ----------------------------------------------------------------------------------------
