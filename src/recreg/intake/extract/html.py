"""HTML reader, on the standard library's parser."""

from __future__ import annotations

from html.parser import HTMLParser

from recreg.intake.extract.common import clean
from recreg.intake.extract.document import Block, Document
from recreg.intake.extract.text import decode

_BLOCK_TAGS = {
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section", "article",
    "dt", "dd", "figcaption", "caption", "address", "main", "aside", "td", "th", "tr", "table",
    "ul", "ol", "body", "pre",
}  # fmt: skip
_SKIP_TAGS = {"script", "style", "noscript", "template", "nav", "head", "svg", "button", "form"}
_BOLD = {"b", "strong"}
_ITALIC = {"i", "em"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "col", "source", "area", "base"}


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.runs: list[tuple[str, bool, bool]] = []
        self.start_line = 1
        self.skip = 0
        self.bold = 0
        self.italic = 0
        self.heading = 0
        self.lists: list[list] = []  # [tag, counter] per open list
        self.in_item = 0
        self.table: list[list[str]] | None = None
        self.table_line = 0
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.pending_marker: str | None = None

    # Text is gathered in runs with their emphasis; a block is closed at each block tag.
    def flush(self) -> None:
        text = clean("".join(run[0] for run in self.runs))
        runs, self.runs = self.runs, []
        if not text:
            # An empty block (e.g. <li><p>…) keeps its list marker for the text that follows.
            return
        marker, self.pending_marker = self.pending_marker, None
        visible = [r for r in runs if r[0].strip()]
        bold = bool(visible) and all(r[1] for r in visible)
        italic = bool(visible) and all(r[2] for r in visible)
        level = len(self.lists) if marker else 0
        self.blocks.append(
            Block(
                text=text,
                heading=self.heading,
                list_level=level,
                marker=marker,
                bold=bold and not self.heading,
                italic=italic and not self.heading,
                line=self.start_line,
            )
        )

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            self.skip += 1
            return
        if self.skip:
            return
        if tag == "br":
            self.runs.append(("\n", False, False))
            return
        if self.table is not None and tag in {"td", "th"}:
            self.cell = []
            return
        if self.table is not None and tag == "tr":
            self.row = []
            return
        if tag == "table":
            self.flush()
            self.table = []
            self.table_line = self.getpos()[0]
            return
        if self.cell is not None:
            return
        if tag in _BOLD:
            self.bold += 1
        elif tag in _ITALIC:
            self.italic += 1
        elif tag in _BLOCK_TAGS:
            self.flush()
            self.start_line = self.getpos()[0]
            if tag in {"ul", "ol"}:
                start = dict(attrs).get("start") or "1"
                self.lists.append([tag, int(start) - 1 if start.isdigit() else 0])
            elif tag == "li":
                if self.lists and self.lists[-1][0] == "ol":
                    self.lists[-1][1] += 1
                    self.pending_marker = f"{self.lists[-1][1]}."
                else:
                    self.pending_marker = "•"
            elif tag[0] == "h" and tag[1:].isdigit():
                self.heading = int(tag[1:])

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if self.table is not None:
            if tag in {"td", "th"} and self.cell is not None and self.row is not None:
                self.row.append(clean("".join(self.cell)))
                self.cell = None
            elif tag == "tr" and self.row is not None:
                if any(self.row):
                    self.table.append(self.row)
                self.row = None
            elif tag == "table":
                rows, self.table = self.table, None
                if rows:
                    text = " ".join(" ".join(r) for r in rows)
                    self.blocks.append(Block(text=text, rows=rows, line=self.table_line))
            return
        if tag in _BOLD:
            self.bold = max(0, self.bold - 1)
        elif tag in _ITALIC:
            self.italic = max(0, self.italic - 1)
        elif tag in _BLOCK_TAGS:
            self.flush()
            if tag in {"ul", "ol"} and self.lists:
                self.lists.pop()
            if tag[0] == "h" and tag[1:].isdigit():
                self.heading = 0
            self.start_line = self.getpos()[0]

    def handle_data(self, data):
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(data)
            return
        if self.table is not None:
            return
        if not self.runs or not "".join(r[0] for r in self.runs).strip():
            self.start_line = self.getpos()[0]
        self.runs.append((data, self.bold > 0, self.italic > 0))


def read_html(data: bytes) -> Document:
    """Read HTML: headings, paragraphs, lists (numbered as shown), emphasis and tables."""
    reader = _Reader()
    reader.feed(decode(data))
    reader.close()
    reader.flush()
    return Document(format="html", blocks=reader.blocks)
