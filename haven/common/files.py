"""Uploaded files: what is allowed (decided by the content's first bytes, never by the name), the
size limits, and storing a file under a random name in a folder outside the web root with its
SHA-256 taken as it is written. No domain knowledge: intake (report evidence) and cases (case files)
both use it, and each keeps its own records of what it stored."""

from __future__ import annotations

import hashlib
import secrets
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ALLOWED_TEXT = gettext_lazy(
    "photos (JPEG, PNG, GIF, WebP, HEIC), audio (MP3, M4A, WAV, OGG), video (MP4, MOV, WebM), PDF or Word (.docx)"
)


@dataclass(frozen=True)
class Sniffed:
    kind: str  # image, audio, video, document
    content_type: str
    extension: str


_ISO_BRANDS = {
    b"heic": Sniffed("image", "image/heic", "heic"),
    b"heix": Sniffed("image", "image/heic", "heic"),
    b"mif1": Sniffed("image", "image/heif", "heif"),
    b"M4A ": Sniffed("audio", "audio/mp4", "m4a"),
    b"qt  ": Sniffed("video", "video/quicktime", "mov"),
}
_MP4 = Sniffed("video", "video/mp4", "mp4")


def sniff(head: bytes, handle: IO[bytes] | None = None) -> Sniffed | None:
    """The file's type from its first bytes (and, for a zip, its contents), or None if not allowed.

    HTML, SVG, scripts and programs are never allowed: they could run in a browser or a PC.
    """
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("image", "image/jpeg", "jpg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("image", "image/png", "png")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return Sniffed("image", "image/gif", "gif")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed("image", "image/webp", "webp")
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return Sniffed("audio", "audio/wav", "wav")
    if head[4:8] == b"ftyp":
        return _ISO_BRANDS.get(head[8:12], _MP4)
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return Sniffed("audio", "audio/mpeg", "mp3")
    if head.startswith(b"OggS"):
        return Sniffed("audio", "audio/ogg", "ogg")
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return Sniffed("video", "video/webm", "webm")
    if head.startswith(b"%PDF-"):
        return Sniffed("document", "application/pdf", "pdf")
    if head.startswith(b"PK\x03\x04") and handle is not None:
        try:
            handle.seek(0)
            names = set(zipfile.ZipFile(handle).namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            handle.seek(0)
        if (
            "word/document.xml" in names
            and "[Content_Types].xml" in names
            and not any(n.lower().endswith(".bin") and "vbaproject" in n.lower() for n in names)
        ):
            return Sniffed(
                "document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"
            )
    return None


def max_mb() -> int:
    """The largest file accepted, in megabytes (``HAVEN_EVIDENCE_MAX_MB``)."""
    return int(settings.HAVEN_EVIDENCE_MAX_MB)


def max_files() -> int:
    """The most files accepted with one report or entry (``HAVEN_EVIDENCE_MAX_FILES``)."""
    return int(settings.HAVEN_EVIDENCE_MAX_FILES)


def upload_check(upload: UploadedFile) -> tuple[Sniffed | None, str]:
    """One file against the size limit and the allow-list: (its type, "") or (None, a plain message
    naming the file and what is allowed). Nothing is stored here."""
    name = upload.name or "file"
    limit = max_mb()
    if not upload.size:
        return None, _("%(name)s is empty.") % {"name": name}
    if upload.size > limit * 1_000_000:
        return None, _("%(name)s is %(size)s MB; the largest file we accept is %(limit)s MB.") % {
            "name": name,
            "size": f"{upload.size / 1_000_000:.0f}",
            "limit": limit,
        }
    upload.seek(0)
    head = upload.read(16)
    found = sniff(head, upload.file if head.startswith(b"PK") else None)
    upload.seek(0)
    if found is None:
        return None, _("%(name)s is not a type of file we accept. Send %(allowed)s.") % {
            "name": name,
            "allowed": str(ALLOWED_TEXT),
        }
    return found, ""


def uploads_check(
    files: Sequence[UploadedFile], *, too_many: str | None = None
) -> tuple[list[tuple[UploadedFile, Sniffed]], list[str]]:
    """Check each file by content and size; return the good ones and a plain message per bad one.
    ``too_many`` is the message when there are more than ``max_files()``."""
    if len(files) > max_files():
        return [], [too_many or _("Send at most %(n)s files at once.") % {"n": max_files()}]
    good: list[tuple[UploadedFile, Sniffed]] = []
    problems: list[str] = []
    for upload in files:
        found, problem = upload_check(upload)
        if found is None:
            problems.append(problem)
        else:
            good.append((upload, found))
    return good, problems


def store(upload: UploadedFile, found: Sniffed, folder: Path) -> tuple[str, str]:
    """Write the file under a new random name in ``folder``; return (that name, its SHA-256 in hex),
    the hash taken from the bytes as they were received. The caller deletes the file (``discard``)
    if its record is not saved."""
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{secrets.token_hex(20)}.{found.extension}"
    digest = hashlib.sha256()
    upload.seek(0)
    with (folder / stored).open("xb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            out.write(chunk)
    return stored, digest.hexdigest()


def file_sha256(path: Path) -> str:
    """The SHA-256 in hex of the file at ``path``, read a megabyte at a time."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def evidence_folder() -> Path:
    """Where evidence and case files are kept: ``HAVEN_EVIDENCE_DIR``, never under the web root."""
    return Path(settings.HAVEN_EVIDENCE_DIR)


def discard(paths: Sequence[Path]) -> None:
    """Remove files whose records were not saved: nothing is kept without its record."""
    for path in paths:
        path.unlink(missing_ok=True)
