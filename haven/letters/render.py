"""A filled-in letter as a PDF (WeasyPrint, ``letters/letter_pdf.html``) and as a Word file (docxtpl,
from a base document drawn with python-docx), in standard or large print (Peaks & Plains 6.3:
information in accessible formats). Both carry the same letterhead, date, address block, subject
and paragraphs."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from io import BytesIO

from django.template.loader import render_to_string

from haven.common.documents import pdf_render

# Large print is 16 point or more (RNIB clear print guidance), for pnp 6.3's accessible formats.
POINTS = {"standard": 11, "large": 16}


@dataclass(frozen=True)
class LetterContent:
    landlord_name: str
    landlord_lines: list[str]  # address, phone, e-mail, website
    date: str
    reference: str
    recipient_name: str
    recipient_lines: list[str]
    subject: str
    paragraphs: list[str]
    format: str = "standard"
    footer: list[str] = field(default_factory=list)


def paragraphs_of(body: str) -> list[str]:
    """The body's paragraphs: text between blank lines, each kept with its own line breaks."""
    return [p.strip() for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]


def letter_pdf(content: LetterContent) -> bytes:
    html = render_to_string("letters/letter_pdf.html", {"letter": content, "points": POINTS[content.format]})
    return pdf_render(html)


@cache
def _base_docx(points: int) -> bytes:
    """The docxtpl template: a Word document with Jinja tags, in the chosen type size."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(points)
    head = document.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    head.add_run("{{ landlord_name }}").bold = True
    document.add_paragraph("{%p for line in landlord_lines %}")
    document.add_paragraph("{{ line }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{{ date }}")
    document.add_paragraph("Our reference: {{ reference }}")
    document.add_paragraph("{{ recipient_name }}")
    document.add_paragraph("{%p for line in recipient_lines %}")
    document.add_paragraph("{{ line }}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph().add_run("{{ subject }}").bold = True
    document.add_paragraph("{%p for paragraph in paragraphs %}")
    document.add_paragraph("{{ paragraph }}")
    document.add_paragraph("{%p endfor %}")
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def letter_docx(content: LetterContent) -> bytes:
    from docxtpl import DocxTemplate

    template = DocxTemplate(BytesIO(_base_docx(POINTS[content.format])))
    template.render(
        {
            "landlord_name": content.landlord_name, "landlord_lines": content.landlord_lines, "date": content.date,
            "reference": content.reference, "recipient_name": content.recipient_name,
            "recipient_lines": content.recipient_lines, "subject": content.subject,
            # a paragraph's own line breaks (such as the sign-off) become Word line breaks
            "paragraphs": [_with_breaks(template, p) for p in content.paragraphs],
        },
        autoescape=True,
    )  # fmt: skip
    out = BytesIO()
    template.save(out)
    return out.getvalue()


def _with_breaks(template: object, paragraph: str) -> object:
    from docxtpl import Listing

    return Listing(paragraph) if "\n" in paragraph else paragraph
