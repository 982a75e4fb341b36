"""Real PDF and Word files built in the test run (reportlab, python-docx): no binary blobs are checked in."""

from __future__ import annotations

import io

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

HEADER = "ACME Cloud Services Agreement - Confidential"
PAGES_GOOD = [["1. Fees", "1.1 Fees are due monthly in advance and are not refundable."]] * 3


def pdf_of(pages: list[list[str]], header: str = HEADER) -> bytes:
    """A text-layer PDF: each page's lines as laid out, with a running header and a "Page n of N" footer."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    _, height = A4
    for i, lines in enumerate(pages, 1):
        c.setFont("Helvetica", 9)
        c.drawString(72, height - 40, header)
        c.setFont("Helvetica", 11)
        y = height - 80
        for line in lines:
            c.drawString(72, y, line)
            y -= 15
        c.setFont("Helvetica", 9)
        c.drawString(280, 30, f"Page {i} of {len(pages)}")
        c.showPage()
    c.save()
    return buf.getvalue()


def pdf_without_text() -> bytes:
    """A PDF whose page is only a drawing, as a scan without OCR is."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.rect(100, 100, 300, 500, fill=1)
    c.showPage()
    c.save()
    return buf.getvalue()


def docx_of(items: list[tuple[int | None, str, str]], restart_at: int | None = None) -> bytes:
    """A Word file: (numbering level or None, text, "h" for a heading or ""), numbered by Word itself
    with a multilevel list ("1.", "1.1.", "(a)"); from item `restart_at` on, the list restarts at 1."""
    d = docx.Document()
    numbering = d.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{txt}"/></w:lvl>'
        for i, (fmt, txt) in enumerate([("decimal", "%1."), ("decimal", "%1.%2."), ("lowerLetter", "(%3)")])
    )
    numbering.append(parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{lvls}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="91"><w:abstractNumId w:val="90"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        )
    )
    num = 90
    for i, (lvl, text, style) in enumerate(items):
        if restart_at is not None and i == restart_at:
            num = 91
        p = d.add_heading(text, 1) if style == "h" else d.add_paragraph(text)
        if lvl is not None:
            p._p.get_or_add_pPr().append(
                parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{lvl}"/><w:numId w:val="{num}"/></w:numPr>')
            )
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()
