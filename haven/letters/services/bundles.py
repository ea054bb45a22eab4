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

import hashlib
import logging
import re
import secrets
import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.permissions import can_view_sensitive, can_work_case
from haven.accounts.selectors import landlord_profile
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import Case, CaseFile, FileKind, Incident, IncidentSource, Party, PartyRole
from haven.common.errors import ApplicationError
from haven.common.files import evidence_folder
from haven.interventions.models import (
    AgreementBreach,
    Hearing,
    Intervention,
    LegalAction,
    LegalStage,
    LegalStageChange,
    Referral,
)
from haven.interventions.selectors.partnership import partner_label
from haven.letters.bundle_pdf import Assembler, NotReproduced, image_data_url, pdf_text
from haven.letters.models import BundleStatus, EvidenceBundle, Letter
from haven.letters.services.letters import address_lines

logger = logging.getLogger(__name__)

TITLE_MAX, COURT_MAX, CLAIM_MAX = 200, 200, 50
TERMS_MAX, TERM_CHARS = 50, 200
ROWS_PER_PIECE = 250  # table rows rendered at a time: bounded memory for a long chronology
IMAGES_PER_PIECE = 20
REDACTED = "[redacted]"
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


class Redactor:
    """Redaction of the marked people and words. A marked person is called "Witness A", "Witness B"
    ... (in the order they were added to the case); their full name, each part of it that is not
    also part of an unmarked person's name, their address lines, phone and e-mail become
    "[redacted]", as does every other word or phrase given. Case does not matter."""

    def __init__(self, parties: list[Party], marked: Iterable[int], terms: Iterable[str]) -> None:
        marked_ids = set(marked)
        chosen = [p for p in parties if p.pk in marked_ids]
        others = [p for p in parties if p.pk not in marked_ids]
        kept_words = {w.lower() for p in others for w in re.findall(r"\w+", p.display_name)}
        self.aliases = {p.pk: f"Witness {_letters(n)}" for n, p in enumerate(chosen)}
        names: dict[str, str] = {}
        words: set[str] = {t.strip() for t in terms if t.strip()}
        for p in chosen:
            alias = self.aliases[p.pk]
            full = p.display_name if not p.anonymous else ""
            if full and full != "Unknown person":
                names[full.lower()] = alias
                if p.person is not None:
                    names[f"{p.person.first_name} {p.person.last_name}".lower()] = alias
                for part in re.findall(r"\w+", full):
                    if len(part) >= 3 and part.lower() not in kept_words:
                        names.setdefault(part.lower(), alias)
            words.update(x for x in (p.phone, p.email) if x)
            words.update(line for line in address_lines(p) if len(line) >= 4)
        self.active = bool(names or words)
        self._names = names
        every = sorted({*names, *(w.lower() for w in words)}, key=len, reverse=True)
        self._pattern = re.compile("|".join(_bounded(w) for w in every), re.IGNORECASE) if every else None

    def __call__(self, text: str) -> str:
        if not text or self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self._names.get(m.group(0).lower(), REDACTED), text)

    def hits(self, text: str) -> bool:
        if self._pattern is None:
            return False
        squashed = re.sub(r"\s+", " ", text)
        return bool(self._pattern.search(text) or self._pattern.search(squashed))

    def name(self, party: Party | None) -> str:
        if party is None:
            return ""
        return self.aliases.get(party.pk, party.display_name)

    def address(self, party: Party) -> list[str]:
        return ["[address redacted]"] if party.pk in self.aliases else address_lines(party)


def _letters(n: int) -> str:
    """A, B, ... Z, AA, AB ..."""
    alphabet = string.ascii_uppercase
    return alphabet[n] if n < 26 else alphabet[n // 26 - 1] + alphabet[n % 26]


def _bounded(word: str) -> str:
    escaped = re.escape(word).replace(r"\ ", r"\s+")
    start = r"\b" if word[:1].isalnum() else ""
    end = r"\b" if word[-1:].isalnum() else ""
    return f"{start}{escaped}{end}"


# ---- building -----------------------------------------------------------------------------------------


@dataclass
class Entry:
    """One line of the index: a section or a document, and its first page (0: not reproduced)."""

    section: str
    anchor: str
    label: str
    title: str
    sha256: str = ""
    reason: str = ""
    page: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "label": self.label,
            "title": self.title,
            "page": self.page,
            "sha256": self.sha256,
            "reason": self.reason,
        }


def _step(bundle: EvidenceBundle, progress: int, step: str) -> None:
    """Say how far the build has got, at once (the build runs outside a transaction)."""
    EvidenceBundle.objects.filter(pk=bundle.pk).update(progress=progress, step=step, updated_at=timezone.now())


def _at(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return timezone.localtime(value)
    return timezone.make_aware(datetime.combine(value, time.min))


def _chunks(rows: list[Any], size: int) -> list[list[Any]]:
    return [rows[i : i + size] for i in range(0, len(rows), size)] or [[]]


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class _Build:
    """The state of one build: the records chosen, the redactor, the index and the PDF pieces."""

    def __init__(self, bundle: EvidenceBundle) -> None:
        self.bundle = bundle
        case = bundle.case
        self.case = case
        self.profile = landlord_profile(case.landlord)
        self.parties = list(case.parties.select_related("person").order_by("created_at", "pk"))
        self.redact = Redactor(self.parties, bundle.redact_party_ids, bundle.redact_terms)
        self.incidents = list(
            Incident.objects.filter(case=case, pk__in=bundle.incident_ids)
            .select_related("party")
            .order_by("occurred_at", "pk")
        )
        files = list(CaseFile.objects.filter(case=case, pk__in=bundle.file_ids).order_by("created_at", "pk"))
        self.statements = [f for f in files if f.kind == FileKind.STATEMENT]
        self.exhibits = [f for f in files if f.kind != FileKind.STATEMENT]
        self.letters = list(
            Letter.objects.filter(case=case, pk__in=bundle.letter_ids)
            .defer("pdf", "docx")
            .select_related("party")
            .order_by("created_at", "pk")
        )
        self.agreements = (
            list(
                Intervention.objects.filter(case=case, agreement=True)
                .select_related("party")
                .prefetch_related("terms", "breaches__term")
                .order_by("started_on", "pk")
            )
            if bundle.agreements
            else []
        )
        self.labels = {f.pk: f"EX{n}" for n, f in enumerate(self.exhibits, 1)}
        self.labels.update({f.pk: f"S{n}" for n, f in enumerate(self.statements, 1)})
        self.entries: list[Entry] = []
        self.assembler = Assembler(bundle_folder())

    # -- helpers --
    def _html(self, section: str, **context: Any) -> str:
        return render_to_string("letters/bundle/piece.html", {"section": section, "bundle": self.bundle, **context})

    def _file_path(self, case_file: CaseFile) -> Path:
        path = evidence_folder() / case_file.stored_name
        if not path.exists():
            raise NotReproduced("The file is missing from Haven's store, so it is not reproduced.")
        if _digest(path) != case_file.sha256:
            raise NotReproduced("The file no longer matches its SHA-256 from receipt, so it is not reproduced.")
        return path

    def _check_redaction(self, text: str) -> None:
        if self.redact.hits(text):
            raise NotReproduced(
                "It contains details marked for redaction. Redact a copy by hand, add it to the "
                "case and choose that instead."
            )

    # -- sections --
    def chronology(self) -> None:
        rows: list[tuple[datetime, str, str]] = []
        numbers = {i.pk: n for n, i in enumerate(self.incidents, 1)}
        for i in self.incidents:
            where = f" At {self.redact(i.location)}." if i.location else ""
            rows.append(
                (
                    _at(i.occurred_at),
                    f"Incident (Scott schedule item {numbers[i.pk]})",
                    self.redact(i.description) + where,
                )
            )
        for letter in self.letters:
            rows.append(
                (
                    _at(letter.created_at),
                    "Letter sent",
                    f"{letter.title} to {self.redact.name(letter.party)}: {self.redact(letter.subject)}",
                )
            )
        interventions = Intervention.objects.filter(case=self.case).select_related("party").order_by("started_on")
        for iv in interventions:
            who = f" ({self.redact.name(iv.party)})" if iv.party else ""
            rows.append((_at(iv.started_on), "Action taken", f"{iv.label}{who}. {self.redact(iv.details)}".strip()))
            if iv.ended_on:
                rows.append((_at(iv.ended_on), "Action ended", f"{iv.label}. {self.redact(iv.outcome)}".strip()))
        for breach in AgreementBreach.objects.filter(intervention__case=self.case).select_related(
            "intervention", "term"
        ):
            rows.append(
                (
                    _at(breach.occurred_on),
                    "Agreement breached",
                    f"{breach.intervention.label}, term {breach.term.number}: {self.redact(breach.evidence)}",
                )
            )
        for change in LegalStageChange.objects.filter(legal_action__case=self.case).select_related("legal_action"):
            rows.append(
                (
                    _at(change.on),
                    "Legal action",
                    f"{change.legal_action.label}: {_stage(change.stage_to)}. {self.redact(change.note)}".strip(),
                )
            )
        for hearing in Hearing.objects.filter(legal_action__case=self.case).select_related("legal_action"):
            rows.append(
                (
                    _at(hearing.at),
                    "Hearing",
                    f"{hearing.get_kind_display()} at {hearing.court}. {self.redact(hearing.outcome)}".strip(),
                )
            )
        for referral in Referral.objects.filter(case=self.case):
            rows.append(
                (_at(referral.made_on), "Referral", f"Referred to {partner_label(self.profile, referral.partner)}.")
            )
        rows.sort(key=lambda r: r[0])
        self.entries.append(
            Entry("Chronology", "chronology", "", "Chronology of incidents and of the landlord's actions")
        )
        for n, chunk in enumerate(_chunks(rows, ROWS_PER_PIECE)):
            self.assembler.add_html(self._html("chronology", rows=chunk, first=n == 0))

    def scott_schedule(self) -> None:
        by_incident: dict[int, list[str]] = {}
        for f in self.exhibits + self.statements:
            if f.incident_id is not None:
                by_incident.setdefault(f.incident_id, []).append(self.labels[f.pk])
        rows = []
        for n, i in enumerate(self.incidents, 1):
            evidence = [*by_incident.get(i.pk, [])]
            if i.report_reference:
                evidence.append(f"Report {i.report_reference}")
            evidence.append(i.get_source_display())
            witness = self.redact.name(i.party) or self.redact(i.people) or ""
            if i.source == IncidentSource.OFFICER and not witness:
                witness = "Officer of the landlord"
            behaviour = self.redact(i.description) + (f" (at {self.redact(i.location)})" if i.location else "")
            rows.append(
                {
                    "number": n,
                    "at": timezone.localtime(i.occurred_at),
                    "behaviour": behaviour,
                    "evidence": ", ".join(evidence),
                    "witness": witness,
                }
            )
        self.entries.append(Entry("Scott schedule", "scott", "", f"Scott schedule of allegations ({len(rows)})"))
        for n, chunk in enumerate(_chunks(rows, ROWS_PER_PIECE)):
            self.assembler.add_html(self._html("scott", rows=chunk, first=n == 0))

    def files(self, files: list[CaseFile], section: str, progress: tuple[int, int]) -> None:
        """Statements or exhibits: each on its own page(s), images a batch at a time."""
        images: list[dict[str, Any]] = []
        first_label = True

        def flush() -> None:
            nonlocal first_label
            if images:
                self.assembler.add_html(self._html("files", items=images, heading=section if first_label else ""))
                first_label = False
                images.clear()

        low, high = progress
        for n, f in enumerate(files):
            if n % 10 == 0:
                _step(self.bundle, low + (high - low) * n // max(len(files), 1), f"{section}: {n + 1} of {len(files)}")
            label = self.labels[f.pk]
            entry = Entry(section, f"file-{f.pk}", label, self.redact(f.original_name), f.sha256)
            self.entries.append(entry)
            item = {
                "anchor": entry.anchor,
                "label": label,
                "file": f,
                "name": entry.title,
                "description": self.redact(f.description),
                "received": timezone.localtime(f.created_at),
            }
            try:
                path = self._file_path(f)
                if f.content_type.startswith("image/"):
                    images.append({**item, "image": image_data_url(path)})
                    if len(images) >= IMAGES_PER_PIECE:
                        flush()
                elif f.content_type == "application/pdf":
                    if self.redact.active:
                        self._check_redaction(pdf_text(path))
                    prepared = self.assembler.prepare_pdf(path)
                    flush()
                    self.assembler.add_html(
                        self._html(
                            "files",
                            items=[{**item, "divider": True, "pages": prepared[1]}],
                            heading=section if first_label else "",
                        )
                    )
                    first_label = False
                    self.assembler.add_prepared(prepared, f"{entry.anchor}-pages")
                elif f.content_type.endswith("wordprocessingml.document"):
                    paragraphs = _docx_paragraphs(path)
                    self._check_redaction("\n".join(paragraphs))
                    images.append({**item, "paragraphs": paragraphs})
                else:
                    raise NotReproduced(
                        "Sound and video cannot be printed: produce the original file, whose SHA-256 is given here."
                    )
            except NotReproduced as why:
                entry.reason = str(why)
        flush()

    def diary_sheets(self) -> None:
        diary = [i for i in self.incidents if i.source == IncidentSource.DIARY]
        if not diary:
            return
        groups: dict[str, list[dict[str, Any]]] = {}
        for i in diary:
            groups.setdefault(self.redact.name(i.party) or "Unnamed diarist", []).append(
                {
                    "at": timezone.localtime(i.occurred_at),
                    "location": self.redact(i.location),
                    "what": self.redact(i.description),
                    "who": self.redact(i.people),
                }
            )
        self.entries.append(Entry("Diary sheets", "diary", "", f"Diary sheets ({len(diary)} entries)"))
        pieces = [(name, chunk) for name, rows in groups.items() for chunk in _chunks(rows, ROWS_PER_PIECE)]
        for n, (name, chunk) in enumerate(pieces):
            self.assembler.add_html(self._html("diary", diarist=name, rows=chunk, first=n == 0))

    def letters_sent(self) -> None:
        items = []
        for n, letter in enumerate(self.letters, 1):
            entry = Entry(
                "Letters sent",
                f"letter-{letter.pk}",
                f"L{n}",
                f"{letter.title} to {self.redact.name(letter.party)}, {timezone.localtime(letter.created_at):%d/%m/%Y}",
            )
            self.entries.append(entry)
            party = letter.party
            to_lines = (
                ["[address redacted]"] if party.pk in self.redact.aliases else letter.recipient_address.splitlines()
            )
            items.append(
                {
                    "anchor": entry.anchor,
                    "label": entry.label,
                    "letter": letter,
                    "to": self.redact.name(party),
                    "to_lines": to_lines,
                    "subject": self.redact(letter.subject),
                    "paragraphs": [self.redact(p) for p in letter.body.split("\n\n") if p.strip()],
                }
            )
        for chunk in _chunks(items, IMAGES_PER_PIECE * 2):
            if chunk:
                self.assembler.add_html(self._html("letters", items=chunk))

    def agreements_and_breaches(self) -> None:
        items = []
        for n, iv in enumerate(self.agreements, 1):
            entry = Entry(
                "Agreements and breaches",
                f"agreement-{iv.pk}",
                f"A{n}",
                f"{iv.label} with {self.redact.name(iv.party)}, {iv.started_on:%d/%m/%Y}",
            )
            self.entries.append(entry)
            items.append(
                {
                    "anchor": entry.anchor,
                    "label": entry.label,
                    "agreement": iv,
                    "with": self.redact.name(iv.party),
                    "signatories": [self.redact(s) for s in iv.signatories.splitlines() if s.strip()],
                    "terms": [(t.number, self.redact(t.text)) for t in iv.terms.all()],
                    "breaches": [
                        (b.occurred_on, b.term.number, self.redact(b.evidence), self.redact(b.response))
                        for b in sorted(iv.breaches.all(), key=lambda b: b.occurred_on)
                    ],
                }
            )
        if items:
            self.assembler.add_html(self._html("agreements", items=items))

    def front(self, front_pages: int) -> str:
        for entry in self.entries:
            anchor = entry.anchor if entry.anchor in self.assembler.first_page else f"{entry.anchor}-pages"
            entry.page = 0 if entry.reason else self.assembler.page_of(anchor, front_pages)
        reported = [p.display_name for p in self.parties if p.role == PartyRole.REPORTED and p.removed_at is None]
        return render_to_string(
            "letters/bundle/front.html",
            {
                "bundle": self.bundle,
                "case": self.case,
                "landlord": self.case.landlord,
                "entries": self.entries,
                "total": front_pages + self.assembler.body_pages,
                "reported": reported,
                "redacted": len(self.redact.aliases),
                "terms": len(self.bundle.redact_terms),
                "not_reproduced": [e for e in self.entries if e.reason],
                "made": timezone.localtime(),
            },
        )

    def stamp(self, first: int, last: int, total: int) -> str:
        return render_to_string(
            "letters/bundle/stamp.html",
            {"numbers": range(first, last + 1), "total": total, "reference": self.case.reference},
        )


def _stage(code: str) -> str:
    return str(dict(LegalStage.choices).get(code, code.replace("_", " ")))


def _docx_paragraphs(path: Path) -> list[str]:
    from docx import Document

    try:
        document = Document(str(path))
    except Exception as error:  # python-docx raises many kinds for a damaged file
        raise NotReproduced(
            "The Word file could not be read, so it is not reproduced; produce the original."
        ) from error
    return [p.text for p in document.paragraphs if p.text.strip()]


def bundle_build(*, bundle_id: int) -> EvidenceBundle | None:
    """Build the PDF of a queued bundle; one already built (or gone) is left as it is."""
    bundle = (
        EvidenceBundle.objects.select_related("case__landlord", "requested_by")
        .filter(pk=bundle_id, status__in=[BundleStatus.QUEUED, BundleStatus.BUILDING])
        .first()
    )
    if bundle is None:
        return None
    EvidenceBundle.objects.filter(pk=bundle.pk).update(status=BundleStatus.BUILDING, error="")
    target = bundle_folder() / f"{secrets.token_hex(20)}.pdf"
    build: _Build | None = None
    try:
        _step(bundle, 2, "Gathering what was chosen")
        build = _Build(bundle)
        _step(bundle, 5, "The chronology")
        build.chronology()
        _step(bundle, 15, "The Scott schedule")
        build.scott_schedule()
        build.files(build.statements, "Witness statements", (25, 35))
        _step(bundle, 35, "The diary sheets")
        build.diary_sheets()
        _step(bundle, 45, "The letters sent")
        build.letters_sent()
        build.agreements_and_breaches()
        build.files(build.exhibits, "Exhibits", (50, 88))
        _step(bundle, 90, "The cover and the index")
        outline = [(bundle.title, "cover"), ("Index", "index")]
        outline += [(f"{e.label} {e.title}".strip(), e.anchor) for e in build.entries if not e.reason]
        pages = build.assembler.finish(
            front=build.front,
            stamp=build.stamp,
            outline=outline,
            target=target,
            progress=lambda step: _step(bundle, 95, step),
        )
        contents = [e.as_json() for e in build.entries]
    except Exception:
        logger.exception("Court bundle %s could not be built", bundle.pk)
        target.unlink(missing_ok=True)
        EvidenceBundle.objects.filter(pk=bundle.pk).update(
            status=BundleStatus.FAILED,
            step="",
            finished_at=timezone.now(),
            error="Something went wrong while building the bundle. Ask for it again; if it fails again, tell support.",
        )
        return None
    finally:
        if build is not None:
            build.assembler.close()
    EvidenceBundle.objects.filter(pk=bundle.pk).update(
        status=BundleStatus.READY,
        progress=100,
        step="",
        stored_name=target.name,
        pages=pages,
        size=target.stat().st_size,
        sha256=_digest(target),
        contents=contents,
        finished_at=timezone.now(),
    )
    bundle.refresh_from_db()
    return bundle
