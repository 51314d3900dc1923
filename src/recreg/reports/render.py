"""A committee paper's content (recreg.reports.content) as Word, PDF or HTML.

The HTML is a whole document with its print stylesheet inside it, so the file prints well on its
own; the PDF is that same HTML typeset by WeasyPrint; the Word document is built with
python-docx from the same content, with Word's own heading, caption and table styles.
"""

from __future__ import annotations

import functools
import gc
import io
import logging
import re

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from recreg.reports.content import CommitteePaperContent, Facts, Paragraph, Subheading, Table
from recreg.reports.models import PaperFormat

# WeasyPrint reports every layout step at INFO; the worker's log needs only its warnings.
logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)

# Characters XML 1.0 cannot hold; typed text may carry them (pasted from elsewhere).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _plain(text: str) -> str:
    return _NOT_XML.sub("", text or "")


@functools.cache
def paper_stylesheet() -> SafeString:
    """The stylesheet an HTML paper carries inside it: paper.css, then a class per column width.

    A downloaded paper is served with a Content-Security-Policy that allows only this
    stylesheet (by its hash), which blocks `style` attributes: so a table column's width is a
    class (`paper-w27` is 27% of the table) rather than an inline style, and the page shows
    the same columns in a browser as in the PDF."""
    widths = "\n".join(f".paper-w{n} {{ width: {n}%; }}" for n in range(1, 101))
    return mark_safe(render_to_string("reports/paper.css") + widths + "\n")  # noqa: S308


def render_html(content: CommitteePaperContent) -> str:
    """The paper as a standalone web page with a print stylesheet."""
    return render_to_string(
        "reports/paper.html", {"paper": content, "stylesheet": paper_stylesheet()}
    )


def render_pdf(content: CommitteePaperContent) -> bytes:
    """The paper as PDF: the HTML, typeset."""
    from weasyprint import HTML

    html = render_html(content)
    # WeasyPrint makes several hundred thousand small objects for a long paper, all alive until
    # the PDF is written: the cyclic garbage collector would walk them all again and again
    # (a seventh of the time of a 50-page paper, more in a worker with Django's objects
    # loaded) and free nothing. Collection resumes once the document is written.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return HTML(string=html).write_pdf()
    finally:
        if collecting:
            gc.enable()


def _repeat_header(row) -> None:
    # Word repeats a table's header row on every page it runs over.
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _bold(cell) -> None:
    for paragraph in cell.paragraphs:
        for run in paragraph.runs:
            run.bold = True


# The text width of an A4 page with 20 mm margins.
TEXT_WIDTH_MM = 170


def _set_widths(table, widths: list[int]) -> None:
    # A fixed layout: the grid (which LibreOffice follows) and each cell's width (which Word
    # follows), set on the XML directly since going through python-docx's cells is slow.
    table.autofit = False
    lengths = [Mm(TEXT_WIDTH_MM * share / 100) for share in widths]
    for grid_col, length in zip(table._tbl.tblGrid.gridCol_lst, lengths, strict=True):
        grid_col.w = length
    for tr in table._tbl.tr_lst:
        for tc, length in zip(tr.tc_lst, lengths, strict=True):
            tc.width = length


def _docx_table(
    doc,
    columns: list[str] | None,
    rows: list[list[str]],
    caption: str = "",
    widths: list[int] | None = None,
):
    if caption:
        doc.add_paragraph(_plain(caption), style="Caption")
    width = len(columns) if columns else len(rows[0])
    table = doc.add_table(rows=len(rows) + (1 if columns else 0), cols=width)
    table.style = "Table Grid"
    _set_widths(table, widths or ([30, 70] if width == 2 else [100 // width] * width))
    all_rows = table.rows
    start = 0
    if columns:
        header = all_rows[0]
        _repeat_header(header)
        for cell, text in zip(header.cells, columns, strict=True):
            cell.text = _plain(text)
            _bold(cell)
        start = 1
    for row, values in zip(all_rows[start:], rows, strict=True):
        # Each new cell holds one empty paragraph: a run of plain text goes straight into it
        # (python-docx's cell.text rebuilds the paragraph, which is slow over thousands).
        for tc, text in zip(row._tr.tc_lst, values, strict=True):
            tc.p_lst[0].add_r().text = _plain(text)
        if not columns:
            # A facts table: the labels are its header cells.
            _bold(row.cells[0])
    return table


def render_docx(content: CommitteePaperContent) -> bytes:
    """The paper as a Word document."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    doc.core_properties.title = _plain(content.title)
    doc.core_properties.author = _plain(content.organisation)

    doc.add_paragraph(_plain(content.organisation), style="Subtitle")
    doc.add_heading(_plain(content.title), level=0)
    _docx_table(doc, None, [[label, value] for label, value in content.title_block])
    for text in content.intro:
        doc.add_paragraph(_plain(text))
    for paper_section in content.sections:
        doc.add_heading(_plain(paper_section.heading), level=1)
        for block in paper_section.blocks:
            if isinstance(block, Subheading):
                doc.add_heading(_plain(block.text), level=2)
            elif isinstance(block, Paragraph):
                doc.add_paragraph(_plain(block.text))
            elif isinstance(block, Table):
                _docx_table(doc, block.columns, block.rows, block.caption, block.widths)
            elif isinstance(block, Facts):
                _docx_table(doc, None, [[label, value] for label, value in block.pairs])
    footer = section.footer.paragraphs[0]
    footer.text = _plain(content.footer)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_paper(content: CommitteePaperContent, fmt: str) -> bytes:
    """The paper in the format asked for."""
    if fmt == PaperFormat.DOCX:
        return render_docx(content)
    if fmt == PaperFormat.PDF:
        return render_pdf(content)
    if fmt == PaperFormat.HTML:
        return render_html(content).encode("utf-8")
    raise ValueError(f"Unknown paper format {fmt!r}")
