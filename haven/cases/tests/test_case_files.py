"""Files on a case: checked by content against the allow-list, hashed (SHA-256) on receipt, stored
under a random name outside the web root, downloaded only as an attachment with ``nosniff`` by
someone who may see the case, and each download audited (FILE_VIEWED).

Rules proved: a file that is not allowed is refused with a message naming what is allowed, and
nothing is kept (no row, no file on disk), also when the database fails after the file was written;
the stored hash is the file's SHA-256; only caseworkers who can work the case add files; a closed
case takes no more files; the generic checks live in ``haven.common.files`` and intake's names
still work.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError

from haven.accounts.models import Landlord, User
from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Case, CaseFile
from haven.cases.services.files import case_file_add, case_file_review
from haven.cases.tests.evidence_factories import any_case
from haven.cases.tests.factories import signed_in, text
from haven.common import files as common_files
from haven.common.errors import ApplicationError

PDF = b"%PDF-1.7\n" + b"statement " * 20
HTML = b"<html><script>alert(1)</script></html>"

Staff = Callable[[str], tuple[Landlord, User, User]]


def upload(content: bytes = PDF, name: str = "statement.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def stored_files(settings: Any) -> list[Path]:
    return [p for p in Path(settings.HAVEN_EVIDENCE_DIR).rglob("*") if p.is_file()]


@pytest.fixture
def setting(staff: Staff) -> tuple[Landlord, User, User, Case]:
    landlord, adviser, officer = staff("pnp")
    return landlord, adviser, officer, any_case(landlord, adviser, officer)


def test_the_stored_hash_is_the_files_sha256_and_the_name_is_random(setting: tuple, settings: Any) -> None:
    _, _, officer, case = setting
    case_file = case_file_add(actor=officer, case=case, upload=upload(), kind="statement", description="From No 5")

    assert case_file.sha256 == hashlib.sha256(PDF).hexdigest()
    assert case_file.size == len(PDF) and case_file.content_type == "application/pdf"
    assert case_file.stored_name != "statement.pdf" and case_file.stored_name.endswith(".pdf")
    on_disk = Path(settings.HAVEN_EVIDENCE_DIR) / case_file.stored_name
    assert hashlib.sha256(on_disk.read_bytes()).hexdigest() == case_file.sha256
    assert case_file.reviewed_at is not None  # added by a caseworker: already seen


@pytest.mark.parametrize(
    ("content", "name"), [(HTML, "page.pdf"), (b"MZ\x90\x00\x03", "photo.jpg"), (b"", "empty.pdf")]
)
def test_a_file_that_is_not_allowed_is_refused_naming_what_is_allowed_and_nothing_is_kept(
    setting: tuple, settings: Any, content: bytes, name: str
) -> None:
    _, _, officer, case = setting
    with pytest.raises(ApplicationError) as refused:
        case_file_add(actor=officer, case=case, upload=upload(content, name), kind="evidence")
    assert name in refused.value.fields["file"]
    if content:
        assert "PDF or Word" in refused.value.fields["file"]
    assert not CaseFile.objects.exists() and stored_files(settings) == []


def test_nothing_is_kept_when_the_database_fails_after_the_file_was_written(
    setting: tuple, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, _, officer, case = setting

    def broken(*args: object, **kwargs: object) -> None:
        raise DatabaseError("disk full")

    monkeypatch.setattr("haven.cases.services.files.audit_record", broken)
    with pytest.raises(DatabaseError):
        case_file_add(actor=officer, case=case, upload=upload(), kind="evidence")
    assert not CaseFile.objects.exists() and stored_files(settings) == []


def test_the_page_refuses_a_bad_file_with_the_allowed_types_and_keeps_nothing(setting: tuple, settings: Any) -> None:
    _, _, officer, case = setting
    response = signed_in(officer).post(
        f"/cases/{case.reference}/files/",
        {"file-file": upload(HTML, "evil.html"), "file-kind": "document", "file-description": "Kept"},
    )
    assert response.status_code == 400
    page = text(response)
    assert "evil.html is not a type of file we accept" in page and 'href="#file-file"' in page
    assert not CaseFile.objects.exists() and stored_files(settings) == []


def test_a_download_is_an_audited_attachment_with_nosniff_for_those_who_may_see_the_case(
    setting: tuple, make_user: Callable[..., User], make_landlord: Callable[..., Landlord]
) -> None:
    _, _, officer, case = setting
    case_file = case_file_add(actor=officer, case=case, upload=upload(), kind="statement")

    response = signed_in(officer).get(f"/cases/{case.reference}/files/{case_file.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(verb=Verb.FILE_VIEWED, object_id=str(case.pk), actor=officer).count() == 1

    stranger = make_user(make_landlord("livv"), "manager")
    assert signed_in(stranger).get(f"/cases/{case.reference}/files/{case_file.pk}/").status_code == 404
    assert AuditEvent.objects.filter(verb=Verb.FILE_VIEWED).count() == 1


@pytest.mark.parametrize("who", ["adviser", "auditor"])
def test_advisers_and_auditors_cannot_add_or_review_files(
    setting: tuple, make_user: Callable[..., User], who: str
) -> None:
    landlord, adviser, _, case = setting
    actor = adviser if who == "adviser" else make_user(landlord, "auditor")
    with pytest.raises(ApplicationError):
        case_file_add(actor=actor, case=case, upload=upload(), kind="evidence")
    response = signed_in(actor).post(
        f"/cases/{case.reference}/files/", {"file-file": upload(), "file-kind": "evidence"}
    )
    assert response.status_code == 403
    assert not CaseFile.objects.exists()


def test_a_closed_case_takes_no_more_files(setting: tuple) -> None:
    _, _, officer, case = setting
    Case.objects.filter(pk=case.pk).update(status="closed")
    with pytest.raises(ApplicationError) as refused:
        case_file_add(actor=officer, case=case, upload=upload(), kind="evidence")
    assert "closed" in refused.value.message


def test_reviewing_a_file_twice_is_refused(setting: tuple) -> None:
    _, _, officer, case = setting
    case_file = case_file_add(actor=officer, case=case, upload=upload(), kind="evidence")
    with pytest.raises(ApplicationError):
        case_file_review(actor=officer, case_file=case_file)


def test_intake_keeps_its_names_for_the_shared_allow_list() -> None:
    from haven.intake import evidence

    assert evidence.sniff is common_files.sniff and evidence.ALLOWED_TEXT is common_files.ALLOWED_TEXT
    assert common_files.sniff(HTML[:16]) is None and common_files.sniff(PDF[:16]) is not None
