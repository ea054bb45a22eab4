"""Evidence files with a report: checked by content against the allow-list, limited in size, stored
outside the web root under a random name, hashed (SHA-256) at receipt, nothing kept on failure."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection

from haven.accounts.models import Landlord, User
from haven.audit.models import AuditEvent, Verb
from haven.common.errors import ApplicationError
from haven.intake.evidence import sniff
from haven.intake.models import Evidence, Report
from haven.intake.services import evidence_path, report_create

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"0" * 64
MP3 = b"ID3\x04" + b"\x00" * 64
MP4 = b"\x00\x00\x00\x18ftypisom" + b"\x00" * 64
M4A = b"\x00\x00\x00\x18ftypM4A " + b"\x00" * 64
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 64


def docx(extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("word/document.xml", "<w:document/>")
        for name, data in (extra or {}).items():
            book.writestr(name, data)
    return out.getvalue()


def zipped(name: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        book.writestr(name, "x")
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "kind", "content_type"),
    [
        (PNG, "image", "image/png"),
        (JPEG, "image", "image/jpeg"),
        (PDF, "document", "application/pdf"),
        (MP3, "audio", "audio/mpeg"),
        (MP4, "video", "video/mp4"),
        (M4A, "audio", "audio/mp4"),
        (WAV, "audio", "audio/wav"),
    ],
)
def test_allowed_types_are_known_by_their_content(content: bytes, kind: str, content_type: str) -> None:
    found = sniff(content[:16])
    assert found is not None and (found.kind, found.content_type) == (kind, content_type)


def test_a_word_document_is_allowed_but_a_macro_document_or_other_zip_is_not() -> None:
    assert sniff(docx()[:16], io.BytesIO(docx())) is not None
    macro = docx({"word/vbaProject.bin": b"\x00"})
    assert sniff(macro[:16], io.BytesIO(macro)) is None
    other = zipped("payload.exe")
    assert sniff(other[:16], io.BytesIO(other)) is None


@pytest.mark.parametrize(
    "content",
    [
        b"<html><script>alert(1)</script></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"MZ\x90\x00\x03\x00\x00\x00",  # a Windows program
        b"#!/bin/sh\nrm -rf /\n",
        b"just some text",
    ],
)
def test_anything_else_is_refused_whatever_its_name(content: bytes) -> None:
    assert sniff(content[:16]) is None


@pytest.fixture
def emh(make_landlord: Callable[..., Landlord]) -> Landlord:
    return make_landlord("emh")


def report_with(landlord: Landlord, actor: User | str, files: list[SimpleUploadedFile], **extra: object) -> Report:
    values: dict[str, object] = {
        "channel": "web",
        "what": "Shouting on the stairs",
        "where": "Block B",
        "anonymous": True,
    }
    values.update(extra)
    return report_create(actor=actor, landlord=landlord, files=files, **values)  # type: ignore[arg-type]


def stored_files(settings: object) -> list[Path]:
    folder = Path(settings.HAVEN_EVIDENCE_DIR)  # type: ignore[attr-defined]
    return sorted(folder.iterdir()) if folder.exists() else []


def test_files_are_stored_under_a_random_name_with_their_hash_and_audited(emh: Landlord, settings: object) -> None:
    report = report_with(
        emh, "public form", [SimpleUploadedFile("my photo.png", PNG), SimpleUploadedFile("note.pdf", PDF)]
    )
    evidence = list(Evidence.objects.filter(report=report).order_by("pk"))
    assert [e.original_name for e in evidence] == ["my photo.png", "note.pdf"]
    for item, content in zip(evidence, [PNG, PDF], strict=True):
        assert item.sha256 == hashlib.sha256(content).hexdigest()
        assert "photo" not in item.stored_as and "note" not in item.stored_as
        assert evidence_path(item).read_bytes() == content
    assert len(stored_files(settings)) == 2
    assert AuditEvent.objects.filter(verb=Verb.EVIDENCE_RECEIVED).count() == 2


def test_a_disguised_file_is_refused_and_nothing_is_saved(emh: Landlord, settings: object) -> None:
    files = [SimpleUploadedFile("photo.png", PNG), SimpleUploadedFile("holiday.jpg", b"<html>not a photo</html>")]
    with pytest.raises(ApplicationError) as error:
        report_with(emh, "public form", files)
    assert "holiday.jpg is not a type of file we accept" in error.value.fields["evidence"]
    assert not Report.objects.exists() and not Evidence.objects.exists()
    assert stored_files(settings) == []


def test_a_file_over_the_limit_and_too_many_files_are_refused(emh: Landlord, settings: object) -> None:
    settings.HAVEN_EVIDENCE_MAX_MB = 1  # type: ignore[attr-defined]
    big = SimpleUploadedFile("video.mp4", MP4 + b"\x00" * 1_100_000)
    with pytest.raises(ApplicationError, match="largest file we accept is 1 MB"):
        report_with(emh, "public form", [big])
    settings.HAVEN_EVIDENCE_MAX_FILES = 2  # type: ignore[attr-defined]
    with pytest.raises(ApplicationError, match="at most 2 files"):
        report_with(emh, "public form", [SimpleUploadedFile(f"{n}.png", PNG) for n in range(3)])
    assert not Report.objects.exists() and stored_files(settings) == []


def test_a_failure_after_files_are_written_leaves_no_file_behind(emh: Landlord, settings: object) -> None:
    """A database failure mid-save (here the evidence table is gone, inside the test's transaction)
    rolls back the report and removes the files already written."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE intake_evidence")  # the evidence row cannot be written
    with pytest.raises(DatabaseError):
        report_with(emh, "public form", [SimpleUploadedFile("photo.png", PNG)])
    assert stored_files(settings) == []
