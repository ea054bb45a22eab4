"""Evidence files: what is allowed, decided by the content's first bytes, never by the name."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO

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
