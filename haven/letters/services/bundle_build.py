"""Building a court evidence bundle (issue 8, WWH 5.0), run by the task worker: the redaction of
third parties' details (emh 6.6-6.7), the sections in order, each exhibit's SHA-256 checked against
receipt, and the numbered PDF stored with its index. Asking for one is ``services.bundles``."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from haven.accounts.selectors import landlord_profile
from haven.cases.models import CaseFile, FileKind, Incident, IncidentSource, PartyRole
from haven.common.files import evidence_folder, file_sha256
from haven.interventions.models import (
    AgreementBreach,
    Hearing,
    Intervention,
    LegalStage,
    LegalStageChange,
    Referral,
)
from haven.interventions.selectors.partnership import partner_label
from haven.letters.bundle_pdf import Assembler, NotReproduced, image_data_url, pdf_text
from haven.letters.models import BundleStatus, EvidenceBundle, Letter
from haven.letters.services.bundles import bundle_folder
from haven.letters.services.redaction import Redactor

logger = logging.getLogger(__name__)

ROWS_PER_PIECE = 250  # table rows rendered at a time: bounded memory for a long chronology
IMAGES_PER_PIECE = 20


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
        if file_sha256(path) != case_file.sha256:
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
        sha256=file_sha256(target),
        contents=contents,
        finished_at=timezone.now(),
    )
    bundle.refresh_from_db()
    return bundle
