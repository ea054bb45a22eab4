"""Putting a court bundle's PDF together (issue 8; ADR 0011). No domain knowledge: the bundle
service gives it HTML (rendered by WeasyPrint, section by section) and exhibit PDFs, in order, and
it makes one A4 document numbered "Page N of M" on every page, with bookmarks.

Memory stays bounded however long the bundle: each piece is rendered on its own and written to a
temporary file at once (WeasyPrint's layout of a piece is then dropped), exhibit PDFs are copied
page by page onto A4, and only the final merge (pypdf) holds the pages' objects, which are the
compressed content streams, not their layout. Images are shrunk before they are embedded.

The index needs the page numbers, which need the length of the index: the front matter (cover and
index) is rendered last, again until its own length stops changing (twice in practice).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import TemporaryDirectory

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

A4 = (595.28, 841.89)  # points
MARGIN = 34.0  # points around an exhibit's page
FOOTER = 48.0  # points kept free at the foot of every page for its number
IMAGE_PIXELS = 1200  # the longest side of an image as embedded: 150 dpi across A4, small in the file
STAMP_CHUNK = 250  # footer pages rendered at a time


class NotReproduced(Exception):
    """A file that cannot be put in the bundle; the message says why, in plain words."""


def _render(html: str) -> object:
    fetcher = URLFetcher(allowed_protocols=["data"], fail_on_errors=False)
    return HTML(string=html, url_fetcher=fetcher, base_url="data:,").render()


def image_data_url(path: Path) -> str:
    """The image at ``path`` as a JPEG or PNG ``data:`` URL no larger than ``IMAGE_PIXELS`` a side,
    turned upright from its EXIF orientation; ``NotReproduced`` if it cannot be read."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.load()
            shown = ImageOps.exif_transpose(image)
            shown.thumbnail((IMAGE_PIXELS, IMAGE_PIXELS))
            out = io.BytesIO()
            if shown.mode in ("RGBA", "LA", "P"):
                shown.convert("RGBA").save(out, "PNG", optimize=True)
                kind = "png"
            else:
                shown.convert("RGB").save(out, "JPEG", quality=75)
                kind = "jpeg"
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise NotReproduced(
            "The image could not be read, so it is not reproduced; produce the original file."
        ) from error
    return f"data:image/{kind};base64," + base64.b64encode(out.getvalue()).decode("ascii")


def pdf_text(path: Path, limit: int = 2000) -> str:
    """The text of a PDF's first ``limit`` pages (to look for words to redact)."""
    reader = PdfReader(path)
    return "\n".join((page.extract_text() or "") for page in reader.pages[:limit])


def _fit_a4(writer: PdfWriter, page: PageObject) -> None:
    """Add to ``writer`` an A4 page with ``page`` scaled to fit inside the margins, above the footer
    band, centred."""
    page.transfer_rotation_to_content()
    box = page.mediabox
    width, height = float(box.width), float(box.height)
    if width <= 0 or height <= 0:
        raise NotReproduced("The PDF has a page with no size, so it is not reproduced.")
    room_w, room_h = A4[0] - 2 * MARGIN, A4[1] - MARGIN - FOOTER
    scale = min(room_w / width, room_h / height)
    x = MARGIN + (room_w - width * scale) / 2 - float(box.left) * scale
    y = FOOTER + (room_h - height * scale) / 2 - float(box.bottom) * scale
    sheet = writer.add_blank_page(width=A4[0], height=A4[1])
    sheet.merge_transformed_page(page, Transformation().scale(scale).translate(x, y))


@dataclass
class Assembler:
    """Pieces of the bundle body in order, each already a PDF file in a temporary folder."""

    folder: Path
    pieces: list[tuple[Path, int]] = field(default_factory=list)
    first_page: dict[str, int] = field(default_factory=dict)  # anchor -> 0-based page of the body
    body_pages: int = 0
    _tmp: TemporaryDirectory[str] | None = None

    def __post_init__(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._tmp = TemporaryDirectory(dir=self.folder, prefix="building-")

    def _next_path(self) -> Path:
        assert self._tmp is not None
        return Path(self._tmp.name) / f"{len(self.pieces):05d}.pdf"

    def add_html(self, html: str) -> None:
        """Render one piece; every element with an ``id`` is remembered with the page it is on."""
        document = _render(html)
        pages = document.pages  # type: ignore[attr-defined]
        for number, page in enumerate(pages):
            for anchor in page.anchors:
                self.first_page.setdefault(anchor, self.body_pages + number)
        path = self._next_path()
        document.write_pdf(target=str(path))  # type: ignore[attr-defined]
        self.pieces.append((path, len(pages)))
        self.body_pages += len(pages)

    def prepare_pdf(self, source: Path) -> tuple[Path, int]:
        """A PDF's pages copied onto A4 in a temporary file, and how many; not yet in the bundle
        (``add_prepared``). ``NotReproduced`` if it is encrypted, damaged or has no pages."""
        try:
            reader = PdfReader(source)
            if reader.is_encrypted and not reader.decrypt(""):
                raise NotReproduced("The PDF is protected by a password, so it is not reproduced.")
            pages = PdfWriter(clone_from=reader).pages  # in a writer, so that they can be changed
            writer = PdfWriter()
            for page in pages:
                _fit_a4(writer, page)
            if not writer.pages:
                raise NotReproduced("The PDF has no pages, so it is not reproduced.")
            path = self._next_path().with_suffix(".exhibit.pdf")
            with path.open("wb") as out:
                writer.write(out)
        except NotReproduced:
            raise
        except Exception as error:  # pypdf raises many kinds for a damaged file
            raise NotReproduced(
                "The PDF could not be read, so it is not reproduced; produce the original file."
            ) from error
        return path, len(writer.pages)

    def add_prepared(self, prepared: tuple[Path, int], anchor: str) -> None:
        path, count = prepared
        self.first_page.setdefault(anchor, self.body_pages)
        self.pieces.append((path, count))
        self.body_pages += count

    def finish(
        self,
        *,
        front: Callable[[int], str],
        stamp: Callable[[int, int, int], str],
        outline: list[tuple[str, str]],
        target: Path,
        progress: Callable[[str], None] = lambda step: None,
    ) -> int:
        """Render the front matter (``front(its own pages)`` gives its HTML), number every page
        (``stamp(first, last, total)`` gives footers for pages first..last), add ``outline``
        bookmarks ((title, anchor) in order) and write the bundle to ``target``; its pages."""
        assert self._tmp is not None
        front_pages, html = 1, front(1)
        for _ in range(5):
            document = _render(html)
            count = len(document.pages)  # type: ignore[attr-defined]
            if count == front_pages:
                break
            front_pages, html = count, front(count)
        front_anchors: dict[str, int] = {}
        for number, page in enumerate(document.pages):  # type: ignore[attr-defined]
            for anchor in page.anchors:
                front_anchors.setdefault(anchor, number)
        front_path = Path(self._tmp.name) / "front.pdf"
        document.write_pdf(target=str(front_path))  # type: ignore[attr-defined]
        del document
        total = front_pages + self.body_pages
        progress("Numbering the pages")
        stamps = self._stamps(stamp, total)
        writer = PdfWriter()
        for path, _count in [(front_path, front_pages), *self.pieces]:
            for page in PdfReader(path).pages:
                writer.add_page(page).merge_page(next(stamps))
        for title, anchor in outline:
            if anchor in front_anchors:
                writer.add_outline_item(title=title, page_number=front_anchors[anchor])
            elif anchor in self.first_page:
                writer.add_outline_item(title=title, page_number=front_pages + self.first_page[anchor])
        writer.add_metadata({"/Title": outline[0][0] if outline else "Evidence bundle", "/Producer": "Haven"})
        progress("Writing the bundle")
        with target.open("xb") as out:
            writer.write(out)
        return total

    def page_of(self, anchor: str, front_pages: int) -> int:
        """The 1-based page of the bundle an anchor of the body is on; 0 if it is not in it."""
        found = self.first_page.get(anchor)
        return 0 if found is None else front_pages + found + 1

    def _stamps(self, stamp: Callable[[int, int, int], str], total: int) -> Iterator[PageObject]:
        assert self._tmp is not None
        for first in range(1, total + 1, STAMP_CHUNK):
            last = min(total, first + STAMP_CHUNK - 1)
            path = Path(self._tmp.name) / f"stamp-{first}.pdf"
            _render(stamp(first, last, total)).write_pdf(target=str(path))  # type: ignore[attr-defined]
            yield from PdfReader(path).pages

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None
