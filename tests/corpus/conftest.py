"""Fixture files for the corpus tests, written into tmp_path by the libraries that write each format.

All texts are fictional.
"""

from __future__ import annotations

from pathlib import Path

import pytest

NOTE = (
    "Journalnotat\n"
    "Borgeren Søren Ærø mødte op til samtale på jobcentret.\n"
    "Han fortæller, at han er god til at arbejde med hænderne, og at han gerne vil i praktik på et værksted."
)


def make_docx(path: Path, paragraphs: list[str], table: list[list[str]] | None = None, header: str | None = None) -> Path:
    import docx

    document = docx.Document()
    if header is not None:
        document.sections[0].header.paragraphs[0].text = header
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.add_paragraph("Slut på notatet.")
    document.save(str(path))
    return path


def make_odt(path: Path, paragraphs: list[str], heading: str | None = None, table: list[list[str]] | None = None) -> Path:
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, P, S, Span

    document = OpenDocumentText()
    if heading:
        document.text.addElement(H(outlinelevel=1, text=heading))
    for text in paragraphs:
        p = P()
        first, _, rest = text.partition(" ")
        p.addElement(Span(text=first))
        if rest:
            p.addElement(S(c=1))
            p.addText(rest)
        document.text.addElement(p)
    if table:
        grid = Table(name="T1")
        grid.addElement(TableColumn(numbercolumnsrepeated=len(table[0])))
        for row in table:
            tr = TableRow()
            for value in row:
                cell = TableCell()
                cell.addElement(P(text=value))
                tr.addElement(cell)
            grid.addElement(tr)
        document.text.addElement(grid)
    document.save(str(path))
    return path


def make_pdf(path: Path, lines: list[str] | None) -> Path:
    """A one-page PDF with ``lines`` as text, or an image-only page (a 'scan') when ``lines`` is None."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    if lines is None:
        c.setFillGray(0.3)
        c.rect(100, 500, 300, 200, fill=1, stroke=0)  # vector graphics only, no text layer
    else:
        font = "Helvetica"
        for candidate in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",):
            if Path(candidate).exists():
                pdfmetrics.registerFont(TTFont("DejaVu", candidate))
                font = "DejaVu"
        c.setFont(font, 11)
        y = 780
        for line in lines:
            c.drawString(72, y, line)
            y -= 16
    c.showPage()
    c.save()
    return path


@pytest.fixture
def note_text() -> str:
    return NOTE
