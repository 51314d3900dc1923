"""Word (.docx) reader, on python-docx."""

from __future__ import annotations

import io
import re
import zipfile

from recreg.intake.extract.common import clean
from recreg.intake.extract.document import MAX_BYTES, Block, Document, ExtractionError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _numbering_formats(document) -> dict[tuple[str, int], str]:
    """{(numId, level): numFmt} from the document's numbering part, e.g. "bullet", "decimal"."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstract: dict[str, dict[int, str]] = {}
    for node in numbering.iter(f"{_W}abstractNum"):
        levels = {}
        for lvl in node.iter(f"{_W}lvl"):
            fmt = lvl.find(f"{_W}numFmt")
            levels[int(lvl.get(f"{_W}ilvl", "0"))] = (
                fmt.get(f"{_W}val") if fmt is not None else "decimal"
            )
        abstract[node.get(f"{_W}abstractNumId")] = levels
    formats = {}
    for num in numbering.iter(f"{_W}num"):
        ref = num.find(f"{_W}abstractNumId")
        if ref is None:
            continue
        for level, fmt in abstract.get(ref.get(f"{_W}val"), {}).items():
            formats[(num.get(f"{_W}numId"), level)] = fmt
    return formats


def _list_info(paragraph, formats) -> tuple[int, str | None, str | None]:
    """(level, numId, format) for a list paragraph; level 0 if it is not in a list."""
    ppr = paragraph._p.pPr
    num_pr = ppr.numPr if ppr is not None else None
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if num_pr is not None and num_pr.numId is not None and num_pr.numId.val != 0:
        level = num_pr.ilvl.val if num_pr.ilvl is not None else 0
        num_id = str(num_pr.numId.val)
        return level + 1, num_id, formats.get((num_id, level), "decimal")
    if match := re.match(r"List (Bullet|Number|Paragraph)\s*(\d)?", style):
        level = int(match.group(2) or 1)
        fmt = {"Bullet": "bullet", "Number": "decimal"}.get(match.group(1), "bullet")
        return level, f"style:{match.group(1)}", fmt
    return 0, None, None


def _letter(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26)


def _roman(n: int) -> str:
    numerals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for value, letters in numerals:
        while n >= value:
            out += letters
            n -= value
    return out


def _marker(fmt: str | None, count: int) -> str:
    if fmt == "decimal":
        return f"{count}."
    if fmt == "lowerLetter":
        return f"{_letter(count)})"
    if fmt == "lowerRoman":
        return f"{_roman(count)}."
    if fmt == "upperLetter":
        return f"{_letter(count).upper()}."
    return "•"


def _emphasis(paragraph) -> tuple[bool, bool]:
    """Whether every visible run of the paragraph is bold, and whether every one is italic."""
    runs = [run for run in paragraph.runs if run.text.strip()]
    if not runs:
        return False, False
    style_font = paragraph.style.font if paragraph.style is not None else None

    def flag(run, name):
        value = getattr(run.font, name)
        if value is None and run.style is not None:
            value = getattr(run.style.font, name)
        if value is None and style_font is not None:
            value = getattr(style_font, name)
        return bool(value)

    return all(flag(r, "bold") for r in runs), all(flag(r, "italic") for r in runs)


def _heading_level(paragraph) -> int:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style == "Title":
        return 1
    if match := re.match(r"Heading (\d)", style):
        return int(match.group(1))
    ppr = paragraph._p.pPr
    outline = ppr.find(f"{_W}outlineLvl") if ppr is not None else None
    if outline is not None:
        return int(outline.get(f"{_W}val", "0")) + 1
    return 0


def read_docx(data: bytes) -> Document:
    """Read a Word document: headings by style, lists numbered as Word shows them, emphasis,
    and tables, in body order."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                raise ExtractionError("The file is a zip archive but not a Word document")
            # A small file that unpacks to gigabytes is refused before it is unpacked.
            if sum(info.file_size for info in archive.infolist()) > MAX_BYTES * 10:
                raise ExtractionError("The Word document unpacks to too much data to read")
    except zipfile.BadZipFile:
        raise ExtractionError("The Word document is damaged and cannot be opened") from None
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except ExtractionError:
        raise
    except Exception as exc:  # python-docx raises many kinds of error on broken files
        raise ExtractionError(f"The Word document cannot be read ({type(exc).__name__})") from None
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    formats = _numbering_formats(document)
    counters: dict[tuple[str, int], int] = {}
    blocks: list[Block] = []
    number = 0
    for child in document.element.body.iterchildren():
        if child.tag == f"{_W}p":
            paragraph = Paragraph(child, document)
            number += 1
            text = clean(paragraph.text)
            if not text:
                continue
            level, num_id, fmt = _list_info(paragraph, formats)
            marker = None
            if level:
                key = (num_id or "", level)
                counters[key] = counters.get(key, 0) + 1
                # A deeper list restarts when its parent item moves on.
                for other in [k for k in counters if k[0] == key[0] and k[1] > level]:
                    del counters[other]
                marker = _marker(fmt, counters[key])
            bold, italic = _emphasis(paragraph)
            heading = _heading_level(paragraph)
            blocks.append(
                Block(
                    text=text,
                    heading=heading,
                    list_level=level if not heading else 0,
                    marker=marker if not heading else None,
                    bold=bold and not heading,
                    italic=italic and not heading,
                    paragraph=number,
                )
            )
        elif child.tag == f"{_W}tbl":
            table = Table(child, document)
            number += 1
            rows = []
            for row in table.rows:
                cells = []
                seen = set()
                for cell in row.cells:
                    # Merged cells appear once per grid column; keep each once.
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    cells.append(clean(cell.text))
                if any(cells):
                    rows.append(cells)
            if rows:
                text = " ".join(" ".join(r) for r in rows)
                blocks.append(Block(text=text, rows=rows, paragraph=number))
    return Document(format="docx", blocks=blocks)
