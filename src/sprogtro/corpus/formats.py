"""Text extraction per file format. Each function returns raw (not yet normalised) text or raises
:class:`~sprogtro.errors.ReadError` with a reason that never quotes the document."""

from __future__ import annotations

import zipfile
from pathlib import Path

from sprogtro.corpus.normalize import decode_bytes
from sprogtro.errors import ReadError

CELL_SEPARATOR = "\t"


def read_plain(path: Path) -> tuple[str, str]:
    """A text file's content and the encoding it was read with."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(path, f"cannot be read ({exc.strerror or exc.__class__.__name__})") from exc
    return decode_bytes(data)


# ---------------------------------------------------------------- .docx


def read_docx(path: Path) -> str:
    """Headers, body (paragraphs and tables in document order, nested tables included) and footers."""
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as exc:  # pragma: no cover - core dependency
        raise ReadError(path, "reading .docx needs python-docx: pip install python-docx") from exc
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReadError(path, "not a valid .docx file (corrupt, encrypted or another format renamed)") from exc
    blocks: list[str] = []
    seen_parts: set[str] = set()

    def add_part(part) -> None:
        if part is None or part.is_linked_to_previous:
            return
        text = "\n".join(_docx_blocks(part._element))
        if text.strip() and text not in seen_parts:
            seen_parts.add(text)
            blocks.append(text)

    for section in document.sections:
        for header in (section.first_page_header, section.header, section.even_page_header):
            add_part(header)
    blocks.extend(_docx_blocks(document.element.body))
    for section in document.sections:
        for footer in (section.first_page_footer, section.footer, section.even_page_footer):
            add_part(footer)
    return "\n".join(blocks)


def _docx_blocks(container) -> list[str]:
    """Paragraph and table texts under a w:body / w:hdr / w:tc element, in document order."""
    from docx.oxml.ns import qn

    out: list[str] = []
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            out.append(_docx_paragraph_text(child))
        elif child.tag == qn("w:tbl"):
            for row in child.iterchildren(qn("w:tr")):
                cells = []
                for cell in row.iterchildren(qn("w:tc")):
                    text = "\n".join(b for b in _docx_blocks(cell) if b.strip())
                    if text.strip():
                        cells.append(text.replace("\n", " "))
                if cells:
                    out.append(CELL_SEPARATOR.join(cells))
        elif child.tag == qn("w:sdt"):  # content controls (forms) wrap paragraphs and tables
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                out.extend(_docx_blocks(content))
    return out


def _docx_paragraph_text(p) -> str:
    """A paragraph's visible text with tabs and line breaks, fields and hyperlinks included."""
    from docx.oxml.ns import qn

    pieces: list[str] = []
    for node in p.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr"), qn("w:delText")):
        if node.tag == qn("w:t"):
            pieces.append(node.text or "")
        elif node.tag == qn("w:tab"):
            pieces.append("\t")
        elif node.tag in (qn("w:br"), qn("w:cr")):
            pieces.append("\n")
        # w:delText (tracked deletions) is not part of the visible text
    return "".join(pieces)


# ---------------------------------------------------------------- .pdf


def read_pdf(path: Path) -> str:
    """The text layer, page by page. A PDF without one (a scan) raises ReadError asking for OCR."""
    try:
        import pdfplumber
    except ImportError as exc:  # pragma: no cover - core dependency
        raise ReadError(path, "reading .pdf needs pdfplumber: pip install pdfplumber") from exc
    pages: list[str] = []
    try:
        with pdfplumber.open(str(path)) as pdf:
            n_pages = len(pdf.pages)
            for page in pdf.pages:
                pages.append(page.extract_text() or "")
    except ReadError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types for broken or encrypted files
        name = exc.__class__.__name__
        if "Password" in name or "Encrypt" in name:
            raise ReadError(path, "PDF is password-protected; save an unprotected copy first") from exc
        raise ReadError(path, f"not a readable PDF ({name})") from exc
    if not any(page.strip() for page in pages):
        raise ReadError(
            path,
            f"PDF has no text layer ({n_pages} page(s), probably a scan): run OCR first "
            "(e.g. ocrmypdf -l dan in.pdf out.pdf) and read the OCR'd file",
        )
    return "\n\n".join(page.rstrip() for page in pages)


# ---------------------------------------------------------------- .odt


def read_odt(path: Path) -> str:
    """Headers (master pages), body paragraphs, headings, lists and tables in document order."""
    try:
        from odf import opendocument
    except ImportError as exc:  # pragma: no cover - core dependency
        raise ReadError(path, "reading .odt needs odfpy: pip install odfpy") from exc
    try:
        document = opendocument.load(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, Exception) as exc:  # odfpy raises assorted errors
        raise ReadError(path, f"not a valid .odt file ({exc.__class__.__name__})") from exc
    blocks: list[str] = []
    for master in document.masterstyles.childNodes:
        for child in master.childNodes:
            if child.qname[1] in ("header", "header-first", "header-left"):
                blocks.extend(_odf_blocks(child))
    blocks.extend(_odf_blocks(document.text))
    for master in document.masterstyles.childNodes:
        for child in master.childNodes:
            if child.qname[1] in ("footer", "footer-first", "footer-left"):
                blocks.extend(_odf_blocks(child))
    return "\n".join(blocks)


_ODF_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_ODF_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _odf_blocks(node) -> list[str]:
    out: list[str] = []
    for child in getattr(node, "childNodes", []):
        qname = getattr(child, "qname", None)
        if qname is None:
            continue
        ns, local = qname
        if ns == _ODF_TEXT_NS and local in ("p", "h"):
            out.append(_odf_inline_text(child))
        elif ns == _ODF_TABLE_NS and local == "table":
            for row in _odf_descendants(child, _ODF_TABLE_NS, "table-row"):
                cells = []
                for cell in row.childNodes:
                    if getattr(cell, "qname", None) == (_ODF_TABLE_NS, "table-cell"):
                        text = " ".join(b for b in _odf_blocks(cell) if b.strip())
                        if text.strip():
                            cells.append(text)
                if cells:
                    out.append(CELL_SEPARATOR.join(cells))
        else:  # lists, sections, frames: recurse
            out.extend(_odf_blocks(child))
    return out


def _odf_descendants(node, ns: str, local: str):
    for child in getattr(node, "childNodes", []):
        if getattr(child, "qname", None) == (ns, local):
            yield child
        elif getattr(child, "qname", None) != (_ODF_TABLE_NS, "table"):  # not into nested tables
            yield from _odf_descendants(child, ns, local)


def _odf_inline_text(node) -> str:
    pieces: list[str] = []
    for child in node.childNodes:
        if child.nodeType == child.TEXT_NODE:
            pieces.append(child.data)
            continue
        ns, local = child.qname
        if ns == _ODF_TEXT_NS and local == "s":
            pieces.append(" " * int(child.getAttribute("c") or 1))
        elif ns == _ODF_TEXT_NS and local == "tab":
            pieces.append("\t")
        elif ns == _ODF_TEXT_NS and local == "line-break":
            pieces.append("\n")
        elif ns == _ODF_TEXT_NS and local in ("note", "annotation"):
            continue  # footnotes/comments are not running text
        else:
            pieces.append(_odf_inline_text(child))
    return "".join(pieces)
