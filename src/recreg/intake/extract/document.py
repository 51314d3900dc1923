"""What every reader produces: a document as a flat list of blocks in reading order."""

from __future__ import annotations

from dataclasses import dataclass, field

# Limits on what is read at all: enough for the longest real inspection report (a few hundred
# pages, a few megabytes) with room to spare, small enough that one upload cannot tie up a
# worker for minutes.
MAX_BYTES = 30 * 1024 * 1024
MAX_PAGES = 600
MAX_BLOCKS = 60_000


class ExtractionError(Exception):
    """The file cannot be read; the message says why in one line, for the person who gave it."""


@dataclass
class Block:
    """One paragraph, heading, list item or table of a document."""

    text: str
    heading: int = 0  # 1 for the biggest heading, 0 for body text
    list_level: int = 0  # 1 for a top-level list item, 2 for nested, 0 for not a list item
    marker: str | None = None  # the list label as printed: "1.", "a)", or "•" for bullets
    bold: bool = False
    italic: bool = False
    page: int | None = None
    line: int | None = None
    paragraph: int | None = None
    rows: list[list[str]] | None = None  # for tables: rows of cell texts
    extra: dict = field(default_factory=dict)

    @property
    def is_table(self) -> bool:
        return self.rows is not None

    @property
    def is_list_item(self) -> bool:
        return self.list_level > 0

    @property
    def emphasised(self) -> bool:
        return self.bold or self.italic

    def source(self) -> dict:
        """Where the block starts, as precisely as the format allows."""
        if self.page is not None:
            return {"page": self.page}
        if self.line is not None:
            return {"line": self.line}
        if self.paragraph is not None:
            return {"paragraph": self.paragraph}
        return {}


@dataclass
class Document:
    """A document read into blocks, with what kind of file it was."""

    format: str
    blocks: list[Block]
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)
