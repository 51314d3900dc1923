"""PDF reader, on pypdf: text runs with their font and position, built back into lines,
paragraphs, headings (by font size or bold), list items and simple tables."""

from __future__ import annotations

import io
import logging
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from recreg.intake.extract.common import BULLET_RE, NUMBER_RE, clean, split_marker
from recreg.intake.extract.document import MAX_PAGES, Block, Document, ExtractionError

# pypdf logs every oddity of a damaged file; the reader reports what matters itself.
logging.getLogger("pypdf").setLevel(logging.ERROR)

_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi|,b\b", re.I)
_ITALIC_FONT = re.compile(r"italic|oblique|,i\b", re.I)
_PAGE_NUMBER = re.compile(r"^(page\s*)?\d{1,4}(\s*(of|/)\s*\d{1,4})?$", re.I)
_LONE_BULLET = re.compile(r"^[•●▪◦‣∙·\-–\uf0b7\uf0a7\x7f■□➢➤►o]$")


# Advance widths (thousandths of an em) of Helvetica, whose metrics Arial shares: close enough
# for most report fonts to tell a word space from a column gap.
_WIDTHS = dict(
    zip(
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
        [
            278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
            556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
            1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
            667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
            333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
            556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
        ],
        strict=True,
    )
) | {"—": 1000, "…": 1000, "’": 222, "‘": 222, "“": 333, "”": 333}  # fmt: skip


def _char_width(ch: str) -> float:
    """Advance width of a character in ems."""
    return _WIDTHS.get(ch, 556) / 1000


@dataclass
class _Chunk:
    text: str
    x: float
    y: float
    size: float
    bold: bool
    italic: bool

    @property
    def end(self) -> float:
        width = sum(_char_width(ch) for ch in self.text) * self.size
        return self.x + width * (1.06 if self.bold else 1.0)


@dataclass
class _Line:
    chunks: list[_Chunk] = field(default_factory=list)
    page: int = 0
    extra_cells: list[tuple[float, str]] = field(default_factory=list)

    @property
    def main(self) -> _Chunk:
        """The run with the most text: its size and baseline are the line's."""
        return max(self.chunks, key=lambda c: len(c.text.strip()))

    @property
    def y(self) -> float:
        return self.main.y

    @property
    def x(self) -> float:
        return min(c.x for c in self.chunks)

    @property
    def size(self) -> float:
        return self.main.size

    def cells(self) -> list[tuple[float, str]]:
        """The line split where the gap between runs is wide enough to be a column gap, as
        (x, text) pairs."""
        cells: list[list[_Chunk]] = []
        for chunk in sorted(self.chunks, key=lambda c: c.x):
            if cells and chunk.x - cells[-1][-1].end < 0.8 * chunk.size:
                cells[-1].append(chunk)
            else:
                cells.append([chunk])
        out = [(cell[0].x, clean(" ".join(c.text for c in cell))) for cell in cells]
        if len(out) > 1 and _LONE_BULLET.match(out[0][1]):
            out = [(out[0][0], " ".join(text for _, text in out))]
        return [(x, text) for x, text in out if text]

    @property
    def text(self) -> str:
        out = ""
        for chunk in self.chunks:
            piece = chunk.text
            if out and not out[-1].isspace() and not piece[:1].isspace():
                # Two runs on one line: a space between them unless they touch.
                previous = self.chunks[self.chunks.index(chunk) - 1]
                if chunk.x - previous.end > 0.15 * chunk.size or chunk.x < previous.x:
                    out += " "
            out += piece
        return clean(out)

    def _all(self, name: str) -> bool:
        visible = [c for c in self.chunks if any(ch.isalnum() for ch in c.text)]
        return bool(visible) and all(getattr(c, name) for c in visible)

    @property
    def bold(self) -> bool:
        return self._all("bold")

    @property
    def italic(self) -> bool:
        return self._all("italic")


def _open(data: bytes):
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except Exception:  # pypdf raises many kinds of error on a damaged file
        raise ExtractionError(
            "The file is not a readable PDF: it is damaged or not a PDF"
        ) from None
    if encrypted:
        try:
            opened = reader.decrypt("")
        except Exception:  # e.g. an encryption method that needs an extra library
            opened = 0
        if not opened:
            raise ExtractionError(
                "The PDF is encrypted (password-protected): save a copy without a password and "
                "try again"
            )
    try:
        count = len(reader.pages)
    except Exception:
        raise ExtractionError("The PDF is damaged: its list of pages cannot be read") from None
    if count == 0:
        raise ExtractionError("The PDF has no pages")
    if count > MAX_PAGES:
        raise ExtractionError(
            f"The PDF has {count} pages; the most that can be read is {MAX_PAGES}"
        )
    return reader, count


def _page_chunks(page, number: int) -> list[_Chunk]:
    chunks: list[_Chunk] = []

    def visit(text, cm, tm, font, font_size):
        if not text or not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = abs(tm[3] * cm[3]) or abs(tm[0] * cm[0]) or 1.0
        size = round(float(font_size) * scale, 1) or 10.0
        name = str(font.get("/BaseFont", "")) if font else ""
        bold, italic = bool(_BOLD_FONT.search(name)), bool(_ITALIC_FONT.search(name))
        for index, part in enumerate(text.split("\n")):
            if part.strip():
                chunks.append(_Chunk(part, x, y - index * size * 1.2, size, bold, italic))

    page.extract_text(visitor_text=visit)
    return chunks


def _has_images(page) -> bool:
    try:
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        return any(xobjects[name].get("/Subtype") == "/Image" for name in xobjects)
    except Exception:  # a broken resource dictionary just means "can't tell"
        return False


def _lines(chunks: list[_Chunk], page: int) -> list[_Line]:
    """Runs grouped into lines, top to bottom, each line's runs left to right (so the cells of
    a table row come together even when a cell's text wraps)."""
    lines: list[_Line] = []
    for chunk in sorted(chunks, key=lambda c: -c.y):
        if lines and abs(chunk.y - lines[-1].chunks[-1].y) < 0.45 * max(
            chunk.size, lines[-1].chunks[-1].size
        ):
            lines[-1].chunks.append(chunk)
        else:
            lines.append(_Line([chunk], page))
    for line in lines:
        line.chunks.sort(key=lambda c: c.x)
    return lines


def _strip_furniture(pages: list[list[_Line]], heights: list[float]) -> None:
    """Drop running headers and footers (the same line in the same place in the top or bottom
    margin of most pages) and page numbers in the margins."""

    def at_edge(line: _Line, height: float) -> bool:
        return line.y > 0.9 * height or line.y < 0.1 * height

    def key(line: _Line) -> tuple[str, int]:
        return re.sub(r"\d+", "#", line.text.lower()), round(line.y)

    counts: Counter[tuple[str, int]] = Counter()
    for lines, height in zip(pages, heights, strict=True):
        counts.update({key(line) for line in lines if at_edge(line, height)})
    enough = max(2, len(pages) // 2)
    repeated = {k for k, n in counts.items() if n >= enough} if len(pages) >= 2 else set()
    for lines, height in zip(pages, heights, strict=True):
        lines[:] = [
            line
            for line in lines
            if not (
                at_edge(line, height) and (key(line) in repeated or _PAGE_NUMBER.match(line.text))
            )
        ]


def _blocks_for_page(lines: list[_Line], body: float, full: float) -> list[Block]:
    blocks: list[Block] = []
    current: list[_Line] = []
    table: list[_Line] = []

    gaps = [
        a.y - b.y
        for a, b in zip(lines, lines[1:], strict=False)
        if abs(a.size - b.size) < 0.5 and 0 < a.y - b.y < 3 * a.size
    ]
    leading = statistics.median(gaps) if gaps else body * 1.2

    def close() -> None:
        nonlocal current
        if not current:
            return
        first = current[0]
        text = clean(" ".join(line.text for line in current))
        marker, rest = split_marker(text)
        size = max(line.size for line in current)
        bold = all(line.bold for line in current)
        italic = all(line.italic for line in current)
        block = Block(text=text, page=first.page, bold=bold, italic=italic)
        block.extra["size"] = size
        block.extra["lines"] = len(current)
        if marker and size < body + 1:
            block.text, block.marker = clean(rest), marker
            indented = first.x > body_x + 1.5 * body
            block.list_level = 2 if indented or marker[0] in "(abcdefghijklmnopqrstuvwxyz" else 1
            if marker.startswith(("i", "v", "x")) and marker[:-1] in ("i", "v", "x"):
                block.list_level = 2
        blocks.append(block)
        current = []

    def close_table() -> None:
        nonlocal table
        if len(table) >= 2:
            rows = [[text for _, text in line.cells()] for line in table]
            for line in table:
                for x, text in line.extra_cells:
                    # Text that wrapped inside a cell joins the cell it sits under.
                    columns = [cx for cx, _ in line.cells()]
                    index = min(range(len(columns)), key=lambda i: abs(columns[i] - x))
                    rows[table.index(line)][index] += " " + text
            blocks.append(
                Block(text=" ".join(" ".join(r) for r in rows), rows=rows, page=table[0].page)
            )
        else:
            for line in table:
                current.append(line)
                close()
        table = []

    body_x = min((line.x for line in lines if abs(line.size - body) < 0.6), default=0)
    for line in lines:
        if len(line.cells()) >= 2:
            close()
            line.extra_cells = []
            table.append(line)
            continue
        if table:
            row = table[-1]
            columns = [x for x, _ in row.cells()]
            below = row.y - line.y
            if below < 2.2 * line.size * (1 + len(row.extra_cells)) and any(
                abs(line.x - x) < 3 for x in columns
            ):
                row.extra_cells.append((line.x, line.text))
                continue
            close_table()
        if current:
            previous = current[-1]
            text = line.text
            starts_item = bool(BULLET_RE.match(text) or NUMBER_RE.match(text))
            starts_item = starts_item or _LONE_BULLET.match(line.chunks[0].text.strip())
            gap = previous.y - line.y
            ended = previous.text.rstrip()[-1:] in ".:;?!"
            if (
                starts_item
                or abs(line.size - previous.size) >= 0.6
                or gap > max(1.45 * leading, 1.6 * line.size)
                or gap < 0
                or line.bold != previous.bold
                or line.italic != previous.italic
                or (ended and len(previous.text) < 0.7 * full)
            ):
                close()
        current.append(line)
    close()
    close_table()
    return blocks


def read_pdf(data: bytes) -> Document:
    """Read a PDF's text layer into blocks; refuse encrypted, damaged and image-only files."""
    reader, count = _open(data)
    warnings: list[str] = []
    pages: list[list[_Line]] = []
    heights: list[float] = []
    images = False
    for number in range(1, count + 1):
        try:
            page = reader.pages[number - 1]
            height = float(page.mediabox.height) + float(page.mediabox.bottom)
            chunks = _page_chunks(page, number)
        except Exception:  # one unreadable page should not lose the rest of the report
            warnings.append(f"Page {number} could not be read and was skipped")
            pages.append([])
            heights.append(842.0)
            continue
        heights.append(height)
        if not chunks and not images:
            images = _has_images(page)
        pages.append(_lines(chunks, number))
    if not any(pages):
        if images:
            raise ExtractionError(
                "The PDF has no text layer (it looks like scanned images): run it through OCR "
                "(text recognition) first"
            )
        raise ExtractionError("The PDF contains no text")
    _strip_furniture(pages, heights)
    sizes: Counter[float] = Counter()
    lengths: list[int] = []
    for lines in pages:
        for line in lines:
            sizes[round(line.size)] += len(line.text)
            lengths.append(len(line.text))
    body = float(sizes.most_common(1)[0][0]) if sizes else 10.0
    lengths.sort()
    full = lengths[int(len(lengths) * 0.9)] if lengths else 80
    blocks: list[Block] = []
    for lines in pages:
        page_blocks = _blocks_for_page(lines, body, full)
        if blocks and page_blocks and _continues(blocks[-1], page_blocks[0]):
            blocks[-1].text = clean(blocks[-1].text + " " + page_blocks.pop(0).text)
        blocks.extend(page_blocks)
    _assign_headings(blocks, body)
    return Document(format="pdf", blocks=blocks, pages=count, warnings=warnings)


def _continues(last: Block, first: Block) -> bool:
    """Whether the first block of a page carries on the last block of the page before."""
    if last.is_table or first.is_table or first.marker or last.text[-1:] in ".:;?!":
        return False
    same_size = abs(last.extra.get("size", 0) - first.extra.get("size", 0)) < 0.6
    return same_size and last.bold == first.bold and first.text[:1].islower()


def _assign_headings(blocks: list[Block], body: float) -> None:
    """Headings by font size (largest first), then short bold lines as the lowest level."""
    heading_sizes = sorted(
        {
            round(b.extra["size"])
            for b in blocks
            if not b.is_table and b.extra.get("size", 0) >= body + 1 and len(b.text) < 200
        },
        reverse=True,
    )
    levels = {size: min(index + 1, 5) for index, size in enumerate(heading_sizes)}
    lowest = len(levels) + 1
    for block in blocks:
        if block.is_table or block.marker:
            continue
        size = round(block.extra.get("size", 0))
        if size in levels:
            block.heading = levels[size]
            block.bold = block.italic = False
        elif (
            block.bold
            and block.extra.get("lines", 1) == 1
            and len(block.text) < 90
            and block.text[-1:] not in ".;,:"
        ):
            block.heading = min(lowest, 6)
            block.bold = False
