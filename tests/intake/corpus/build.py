"""Render the corpus's PDF and Word documents from their authoring sources (*.pdf.src,
*.docx.src), so the repository holds readable text rather than binary files.

The authoring markup, one paragraph per block separated by blank lines:
  # / ## / ###        headings
  - item / -- item    bullets (top level, nested)
  1. item / a) item   numbered items (Word numbers them itself; the PDF prints the label)
  **whole paragraph** bold paragraph; *whole paragraph* italic; **Label:** rest bold lead
  | a | b |           table rows, one per line
  @header TEXT        running header on every page (PDF) or in the Word header
  @pagebreak          a new page
"""

from __future__ import annotations

import re
from pathlib import Path

CORPUS = Path(__file__).resolve().parent


def _blocks(source: str) -> tuple[dict, list[tuple[str, object]]]:
    meta: dict = {}
    blocks: list[tuple[str, object]] = []
    for raw in re.split(r"\n\s*\n", source.strip()):
        lines = [line for line in raw.splitlines() if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("@header "):
            meta["header"] = lines[0][8:].strip()
            continue
        if lines[0].strip() == "@pagebreak":
            blocks.append(("pagebreak", None))
            continue
        if lines[0].startswith("|"):
            rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in lines]
            blocks.append(("table", rows))
            continue
        if all(re.match(r"^(-{1,2} |\d+\. |[a-z]\) )", line) for line in lines):
            for line in lines:
                if line.startswith("-- "):
                    blocks.append(("bullet2", line[3:]))
                elif line.startswith("- "):
                    blocks.append(("bullet", line[2:]))
                elif re.match(r"^\d+\. ", line):
                    number, text = line.split(" ", 1)
                    blocks.append(("number", (number, text)))
                else:
                    letter, text = line.split(" ", 1)
                    blocks.append(("letter", (letter, text)))
            continue
        text = " ".join(line.strip() for line in lines)
        if match := re.match(r"^(#{1,3}) (.*)$", text):
            blocks.append((f"h{len(match.group(1))}", match.group(2)))
        else:
            blocks.append(("para", text))
    return meta, blocks


def _inline_pdf(text: str) -> str:
    from xml.sax.saxutils import escape

    text = escape(text)
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    return re.sub(r"(?<!\*)\*(?!\*)(.+?)(?<!\*)\*(?!\*)", r"<i>\1</i>", text)


def render_pdf(source: str, target: Path) -> None:
    """Typeset the source as a report PDF: running header, page numbers, real bold and italic
    fonts, bullets drawn as Symbol glyphs, tables with ruled cells."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        ListFlowable,
        ListItem,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    meta, blocks = _blocks(source)
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["Normal"], fontSize=10.5, leading=14, spaceAfter=7)
    heads = {
        "h1": ParagraphStyle("h1", parent=styles["Heading1"], fontSize=20, leading=24),
        "h2": ParagraphStyle("h2", parent=styles["Heading2"], fontSize=15, leading=19),
        "h3": ParagraphStyle("h3", parent=styles["Heading3"], fontSize=12.5, leading=16),
    }
    header = meta.get("header", "")

    def furniture(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        if header:
            canvas.drawString(20 * mm, A4[1] - 12 * mm, header)
        canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, f"Page {doc.page}")
        canvas.restoreState()

    story: list = []
    pending: list = []
    pending_kind = None

    def flush_list():
        nonlocal pending, pending_kind
        if pending:
            story.append(ListFlowable(pending, bulletType="bullet", start="•", leftIndent=14))
            story.append(Spacer(1, 4))
        pending, pending_kind = [], None

    for kind, value in blocks:
        if kind in ("bullet", "bullet2"):
            style = ParagraphStyle("li", parent=body, spaceAfter=3)
            indent = 14 if kind == "bullet" else 30
            pending.append(
                ListItem(Paragraph(_inline_pdf(str(value)), style), leftIndent=indent, value="•")
            )
            continue
        flush_list()
        if kind == "pagebreak":
            story.append(PageBreak())
        elif kind in heads:
            story.append(Paragraph(_inline_pdf(str(value)), heads[kind]))
        elif kind in ("number", "letter"):
            label, text = value
            indent = 0 if kind == "number" else 18
            style = ParagraphStyle("num", parent=body, leftIndent=indent + 18, firstLineIndent=-18)
            story.append(Paragraph(f"{label}&nbsp;&nbsp;{_inline_pdf(text)}", style))
        elif kind == "table":
            cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=11, spaceAfter=0)
            rows = [[Paragraph(_inline_pdf(c), cell) for c in row] for row in value]
            table = Table(rows, repeatRows=1)
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                    ]
                )
            )
            story.append(table)
            story.append(Spacer(1, 8))
        else:
            story.append(Paragraph(_inline_pdf(str(value)), body))
    flush_list()
    doc = SimpleDocTemplate(
        str(target), pagesize=A4, topMargin=22 * mm, bottomMargin=20 * mm, title=header
    )
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)


def _runs_docx(paragraph, text: str) -> None:
    for piece in re.split(r"(\*\*.+?\*\*|(?<!\*)\*(?!\*).+?(?<!\*)\*(?!\*))", text):
        if not piece:
            continue
        if piece.startswith("**"):
            paragraph.add_run(piece[2:-2]).bold = True
        elif piece.startswith("*"):
            paragraph.add_run(piece[1:-1]).italic = True
        else:
            paragraph.add_run(piece)


def render_docx(source: str, target: Path) -> None:
    """Write the source as a Word document with Word's own heading and list styles."""
    import docx

    meta, blocks = _blocks(source)
    document = docx.Document()
    if meta.get("header"):
        document.sections[0].header.paragraphs[0].text = meta["header"]
    for kind, value in blocks:
        if kind == "pagebreak":
            document.add_page_break()
        elif kind in ("h1", "h2", "h3"):
            document.add_heading(str(value), level=int(kind[1]))
        elif kind == "bullet":
            _runs_docx(document.add_paragraph(style="List Bullet"), str(value))
        elif kind == "bullet2":
            _runs_docx(document.add_paragraph(style="List Bullet 2"), str(value))
        elif kind == "number":
            _runs_docx(document.add_paragraph(style="List Number"), value[1])
        elif kind == "letter":
            # Lettered sub-items typed by hand, as people often do in Word.
            _runs_docx(document.add_paragraph(), f"{value[0]} {value[1]}")
        elif kind == "table":
            table = document.add_table(rows=0, cols=len(value[0]))
            table.style = "Table Grid"
            for row in value:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=False):
                    cell.text = ""
                    _runs_docx(cell.paragraphs[0], text)
        else:
            _runs_docx(document.add_paragraph(), str(value))
    document.save(str(target))


def build(target_dir: Path) -> dict[str, Path]:
    """Every corpus document, the rendered ones written into target_dir: {name: path}."""
    target_dir.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    for path in sorted(CORPUS.iterdir()):
        if path.suffix == ".src":
            name = path.stem  # e.g. "peel_2016.pdf"
            target = target_dir / name
            source = path.read_text(encoding="utf-8")
            (render_pdf if name.endswith(".pdf") else render_docx)(source, target)
            out[name] = target
        elif path.suffix in (".txt", ".md", ".html"):
            out[path.name] = path
    return out


if __name__ == "__main__":
    import sys

    for name, path in build(Path(sys.argv[1] if len(sys.argv) > 1 else "corpus-out")).items():
        print(name, path)
