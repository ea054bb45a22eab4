"""Court evidence bundles (issue 8; WWH 5.0): a bundle with photos, a statement, a PDF exhibit and
200 incidents, whose index page numbers are checked against the pages they name; every page
numbered; exhibits with their SHA-256 from receipt; files that cannot be reproduced listed, never a
failed bundle; redaction of the marked people (emh 6.6-6.7); bad input and who may do it."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document
from PIL import Image
from pypdf import PdfReader

from haven.audit.models import AuditEvent, Verb
from haven.cases.models import FileKind, Incident, Party, PartyRole
from haven.cases.services.files import case_file_add
from haven.cases.tests.factories import signed_in, text
from haven.common.documents import pdf_render
from haven.common.errors import ApplicationError
from haven.common.files import evidence_folder
from haven.interventions.models import AgreementBreach, AgreementTerm, Intervention
from haven.interventions.tests.factories import Setting, setting
from haven.letters.models import BundleStatus, EvidenceBundle
from haven.letters.services.bundle_build import bundle_build
from haven.letters.services.bundles import BundleAsked, bundle_path, bundle_request
from haven.letters.services.letters import letter_make

pytestmark = pytest.mark.django_db
WITNESS = "Bernadette Quill"


def _png(colour: str, size: tuple[int, int] = (900, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def _docx(*paragraphs: str) -> bytes:
    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _add(s: Setting, name: str, content: bytes, kind: str = FileKind.EVIDENCE, **more: object) -> int:
    upload = SimpleUploadedFile(name, content)
    return case_file_add(actor=s.officer, case=s.case, upload=upload, kind=kind, **more).pk  # type: ignore[arg-type]


def _incidents(s: Setting, count: int) -> list[int]:
    start = timezone.now() - timedelta(days=count + 5)
    Incident.objects.bulk_create(
        Incident(
            case=s.case,
            occurred_at=start + timedelta(days=n),
            description=f"Loud music and shouting, night {n + 1}",
            location="Stairwell",
            source="report",
            party=s.reporter,
            recorded_by=s.officer,
            reviewed_at=timezone.now(),
            reviewed_by=s.officer,
        )
        for n in range(count)
    )
    return list(Incident.objects.filter(case=s.case).order_by("occurred_at").values_list("pk", flat=True))


def _built(s: Setting, asked: BundleAsked, django_capture_on_commit_callbacks) -> EvidenceBundle:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        bundle = bundle_request(actor=s.officer, case=s.case, asked=asked)
    bundle.refresh_from_db()
    assert bundle.status == BundleStatus.READY, bundle.error
    return bundle


def _pages(bundle: EvidenceBundle) -> list[str]:
    reader = PdfReader(bundle_path(bundle))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def test_a_bundle_of_photos_a_statement_and_200_incidents_has_an_index_whose_pages_are_right(
    staff, make_user, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """The issue's test: every index entry's page number is the page that document starts on, every
    page says "Page N of M", and each exhibit shows the SHA-256 it had on receipt."""
    s = setting("emh", staff, make_user)
    incidents = _incidents(s, 200)
    photos = [
        _add(s, f"photo-{c}.png", _png(c), incident=Incident.objects.get(pk=incidents[n]))
        for n, c in enumerate(["red", "green", "blue"])
    ]
    statement = _add(
        s,
        "statement.docx",
        _docx("I live at the flat above.", "The music starts at midnight."),
        kind=FileKind.STATEMENT,
    )
    exhibit_pdf = _add(
        s,
        "noise-log.pdf",
        pdf_render(  # US letter, landscape: put on A4 in the bundle
            "<style>@page { size: 279mm 216mm }</style><h1>Noise log</h1>"
            "<p style='break-before:page'>Second page of the log</p>"
        ),
    )
    broken = _add(s, "broken.png", b"\x89PNG\r\n\x1a\n" + b"not really an image" * 10)
    sound = _add(s, "recording.mp3", b"ID3" + b"\x00" * 400)
    agreement = Intervention.objects.create(
        case=s.case,
        kind="informal",
        code="abc",
        label="Acceptable Behaviour Contract",
        party=s.reported,
        started_on=timezone.localdate() - timedelta(days=30),
        agreement=True,
        recorded_by=s.officer,
    )
    term = AgreementTerm.objects.create(intervention=agreement, number=1, text="No loud music after 11pm")
    AgreementBreach.objects.create(
        intervention=agreement,
        term=term,
        occurred_on=timezone.localdate() - timedelta(days=3),
        evidence="Music heard at 1am",
        response="Warning letter",
        recorded_by=s.officer,
    )
    files = [*photos, statement, exhibit_pdf, broken, sound]
    bundle = _built(
        s,
        BundleAsked(
            title="Claim for an injunction", court="Leicester County Court", incident_ids=incidents, file_ids=files
        ),
        django_capture_on_commit_callbacks,
    )

    pages = _pages(bundle)
    assert bundle.pages == len(pages) > 20
    for n, page in enumerate(pages, 1):
        assert f"Page {n} of {len(pages)}" in page
    assert (
        "Evidence bundle" in pages[0] and "Claim for an injunction" in pages[0] and "Leicester County Court" in pages[0]
    )
    entries = {(e["label"] or e["section"]): e for e in bundle.contents}
    assert {"Chronology", "Scott schedule", "S1", "EX1", "EX2", "EX3", "EX4", "EX5", "EX6", "A1"} <= set(entries)
    starts = {
        "Chronology": "Chronology of incidents and of the landlord's actions",
        "Scott schedule": "Scott schedule",
        "S1": "S1: statement.docx",
        "EX1": "EX1: photo-red.png",
        "EX3": "EX3: photo-blue.png",
        "EX4": "EX4: noise-log.pdf",
        "A1": "A1: Acceptable Behaviour Contract",
    }
    for key, heading in starts.items():
        page = entries[key]["page"]
        assert page > 0 and heading in pages[page - 1], (key, page)
    printed = [e["page"] for e in bundle.contents if e["page"]]
    assert printed == sorted(printed) and printed[0] > 1  # in the order of the index, after the front
    # the index printed in the bundle gives the same page numbers
    index = " ".join(p for p in pages[:4] if "Index" in p)
    assert re.search(rf"EX4 noise-log\.pdf {entries['EX4']['page']}\b", index)
    # the PDF exhibit's own pages follow its divider, on A4, in order
    ex4 = entries["EX4"]["page"]
    assert "Noise log" in pages[ex4] and "Second page of the log" in pages[ex4 + 1]
    reader = PdfReader(bundle_path(bundle))
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages} == {(595, 842)}
    # the statement's words, the photos' SHA-256, the Scott schedule's 200 allegations
    assert "The music starts at midnight." in pages[entries["S1"]["page"] - 1]
    photo = entries["EX1"]
    assert photo["sha256"] and photo["sha256"][:32] in pages[photo["page"] - 1].replace(" ", "")
    scott = " ".join(pages[entries["Scott schedule"]["page"] - 1 : entries["S1"]["page"] - 1])
    assert "night 200" in scott and "EX1" in scott
    assert len(reader.pages[entries["EX1"]["page"] - 1].images) >= 1  # (WeasyPrint shares one resource list)
    # what could not be reproduced is listed with the reason, and the bundle was still made
    assert entries["EX5"]["page"] == 0 and "could not be read" in entries["EX5"]["reason"]
    assert entries["EX6"]["page"] == 0 and "Sound and video" in entries["EX6"]["reason"]
    assert "Not reproduced" in index and "broken.png" in index
    assert "Music heard at 1am" in pages[entries["A1"]["page"] - 1]
    assert "Page" in str([o.title for o in reader.outline]) or any("EX4" in o.title for o in reader.outline)


def test_marked_people_are_redacted_and_a_file_naming_them_is_left_out(
    staff, make_user, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """emh 6.6-6.7: the witness becomes "Witness A"; their phone and address become [redacted];
    the reported person stays named; a Word statement naming the witness is not reproduced."""
    s = setting("whg", staff, make_user)
    witness = Party.objects.create(
        case=s.case, role=PartyRole.WITNESS, name=WITNESS, phone="07700 900123", address="4 Elm Close, Walsall, WS1 2AB"
    )
    (incident,) = _incidents(s, 1)
    Incident.objects.filter(pk=incident).update(
        party=witness, people=f"{WITNESS} (07700 900123) saw it from 4 Elm Close", description="Quill was shouted at"
    )
    named = _add(s, "named.docx", _docx(f"Statement of {WITNESS}"), kind=FileKind.STATEMENT)
    plain = _add(s, "plain.docx", _docx("I saw the reported person shouting."), kind=FileKind.STATEMENT)
    bundle = _built(
        s,
        BundleAsked(
            title="Possession claim",
            incident_ids=[incident],
            file_ids=[named, plain],
            redact_party_ids=[witness.pk, s.reporter.pk],
            redact_terms=["AB12 CDE"],
        ),
        django_capture_on_commit_callbacks,
    )
    everything = " ".join(_pages(bundle))
    for secret in (WITNESS, "Bernadette", "Quill", "07700 900123", "4 Elm Close", s.reporter.display_name):
        assert secret not in everything, secret
    assert "Witness A" in everything and "[redacted]" in everything
    assert s.reported.display_name in everything  # the defendant is named
    entries = {e["label"]: e for e in bundle.contents}
    assert entries["S1"]["page"] == 0 and "marked for redaction" in entries["S1"]["reason"]
    assert entries["S2"]["page"] > 0


def test_a_file_changed_since_receipt_is_not_reproduced(staff, make_user, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    s = setting("livv", staff, make_user)
    good, changed = _add(s, "a.png", _png("red")), _add(s, "b.png", _png("blue"))
    stored = s.case.files.get(pk=changed).stored_name
    (evidence_folder() / stored).write_bytes(_png("black"))
    bundle = _built(s, BundleAsked(title="Bundle", file_ids=[good, changed]), django_capture_on_commit_callbacks)
    entries = {e["label"]: e for e in bundle.contents}
    assert entries["EX1"]["page"] > 0
    assert entries["EX2"]["page"] == 0 and "no longer matches its SHA-256" in entries["EX2"]["reason"]


def test_bad_requests_are_refused_and_nothing_is_saved(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    s = setting("pnp", staff, make_user)
    other = setting("emh", staff, make_user)
    (theirs,) = _incidents(other, 1)
    for asked, field in [
        (BundleAsked(title=" ", incident_ids=[]), "title"),
        (BundleAsked(title="Bundle"), "incidents"),
        (BundleAsked(title="Bundle", incident_ids=[theirs]), "incidents"),
        (BundleAsked(title="Bundle", incident_ids=[theirs], redact_terms=["x"]), "redact_terms"),
    ]:
        with pytest.raises(ApplicationError) as refused:
            bundle_request(actor=s.officer, case=s.case, asked=asked)
        assert field in refused.value.fields
    with pytest.raises(ApplicationError):
        bundle_request(actor=s.adviser, case=s.case, asked=BundleAsked(title="Bundle", incident_ids=_incidents(s, 1)))
    assert not EvidenceBundle.objects.exists()
    assert not AuditEvent.objects.filter(verb=Verb.BUNDLE_REQUESTED).exists()


def test_the_pages_make_a_bundle_show_its_index_and_audit_its_download(
    staff, make_user, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    s = setting("wwh", staff, make_user)
    incidents = _incidents(s, 3)
    letter = letter_make(actor=s.officer, case=s.case, kind="warning", party=s.reported, details="Stop the music.")
    client = signed_in(s.officer)
    url = reverse("letters:bundles", args=[s.case.reference])
    page = client.get(url)
    assert page.status_code == 200 and "Make the bundle" in text(page)
    # kept as typed when refused
    refused = client.post(url, {"title": "", "court": "Cardiff Civil Justice Centre", "incidents": [str(incidents[0])]})
    assert refused.status_code == 400
    assert (
        "Enter a title for the bundle" in text(refused) and "Cardiff Civil Justice Centre" in refused.content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post(
            url,
            {
                "title": "Injunction",
                "incidents": [str(i) for i in incidents],
                "letters": [str(letter.pk)],
                "agreements": "on",
            },
        )
    assert made.status_code == 303
    bundle = EvidenceBundle.objects.get()
    shown = client.get(made["Location"])
    assert "The bundle is ready" in text(shown) and "L1" in text(shown)
    pdf = client.get(reverse("letters:bundle-pdf", args=[s.case.reference, bundle.pk]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(verb=Verb.BUNDLE_DOWNLOADED, object_id=str(s.case.pk)).count() == 1
    assert "Stop the music." in " ".join(_pages(bundle))
    assert signed_in(s.adviser).get(url).status_code == 403
    assert signed_in(other_landlord_officer(staff)).get(
        reverse("letters:bundle", args=[s.case.reference, bundle.pk])
    ).status_code in (403, 404)


def other_landlord_officer(staff):  # type: ignore[no-untyped-def]
    _landlord, _adviser, officer = staff("emh")
    return officer


def test_a_queued_bundle_is_built_once(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    s = setting("emh", staff, make_user)
    bundle = bundle_request(actor=s.officer, case=s.case, asked=BundleAsked(title="B", incident_ids=_incidents(s, 2)))
    assert bundle_build(bundle_id=bundle.pk) is not None
    assert bundle_build(bundle_id=bundle.pk) is None
