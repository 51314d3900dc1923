"""Plain text and Markdown readers."""

from __future__ import annotations

import re

from recreg.intake.extract.common import BULLET_RE, NUMBER_RE, clean
from recreg.intake.extract.document import Block, Document, ExtractionError

_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_MD_LIST = re.compile(r"^(\s*)([-*+]|\d{1,3}[.)])\s+(.*)$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_SECTION_NUMBER = re.compile(r"^(\d{1,2})(\.\d{1,2})*\.?\s+[A-Z]")
_DATE = re.compile(
    r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}\b",
    re.I,
)


def decode(data: bytes) -> str:
    """Bytes as text: UTF-8 (with or without a byte-order mark), else Windows-1252."""
    if b"\x00" in data[:4096]:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            return data.decode("utf-16")
        raise ExtractionError("The file is not text (it contains binary data)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _md_inline(text: str) -> tuple[str, bool, bool]:
    """Markdown inline text without its marks, and whether all of it was bold or italic."""
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    stripped = text.strip()
    bold = bool(re.fullmatch(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1[.:]?", stripped, re.S))
    italic = not bold and bool(
        re.fullmatch(r"([*_])(?=\S)(?!\1)(.+?)(?<=\S)\1[.:]?", stripped, re.S)
    )
    text = re.sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])", r"\2", text)
    text = text.replace("`", "").replace("\\", "")
    return clean(text), bold, italic


def _cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return [_md_inline(cell)[0] for cell in line.split("|")]


def read_markdown(data: bytes) -> Document:
    """Read Markdown (headings, lists, emphasis, pipe tables) into blocks."""
    lines = decode(data).splitlines()
    blocks: list[Block] = []
    para: list[str] = []
    para_start = 0
    list_indents: list[int] = []
    in_fence = False

    def flush() -> None:
        nonlocal para
        if para:
            text, bold, italic = _md_inline(" ".join(para))
            if text:
                blocks.append(Block(text=text, bold=bold, italic=italic, line=para_start))
        para = []

    i = 0
    while i < len(lines):
        raw = lines[i]
        number = i + 1
        if _FENCE.match(raw):
            flush()
            in_fence = not in_fence
            i += 1
            continue
        line = raw
        while line.lstrip().startswith(">"):
            line = line.lstrip()[1:]
        if in_fence:
            i += 1
            continue
        if not line.strip():
            flush()
            i += 1
            continue
        if match := _ATX.match(line):
            flush()
            list_indents = []
            text, _, _ = _md_inline(match.group(2))
            blocks.append(Block(text=text, heading=len(match.group(1)), line=number))
            i += 1
            continue
        if (
            not para
            and i + 1 < len(lines)
            and _SETEXT.match(lines[i + 1])
            and not _MD_LIST.match(line)
            and lines[i + 1].strip()
            and not _RULE.match(line)
        ):
            text, _, _ = _md_inline(line)
            level = 1 if lines[i + 1].strip().startswith("=") else 2
            blocks.append(Block(text=text, heading=level, line=number))
            list_indents = []
            i += 2
            continue
        if _RULE.match(line):
            flush()
            i += 1
            continue
        if "|" in line and i + 1 < len(lines) and _TABLE_SEP.match(lines[i + 1]):
            flush()
            rows = [_cells(line)]
            j = i + 2
            while j < len(lines) and "|" in lines[j] and lines[j].strip():
                rows.append(_cells(lines[j]))
                j += 1
            blocks.append(Block(text=" ".join(" ".join(r) for r in rows), rows=rows, line=number))
            i = j
            continue
        if match := _MD_LIST.match(line):
            flush()
            indent = len(match.group(1).expandtabs(4))
            while list_indents and indent < list_indents[-1]:
                list_indents.pop()
            if not list_indents or indent > list_indents[-1]:
                list_indents.append(indent)
            marker = match.group(2)
            item = [match.group(3)]
            j = i + 1
            # A list item runs on over lines indented under it (or lazily, unindented) until a
            # blank line, another item or a heading.
            while j < len(lines) and lines[j].strip():
                nxt = lines[j]
                if _MD_LIST.match(nxt) or _ATX.match(nxt) or _FENCE.match(nxt):
                    break
                item.append(nxt.strip())
                j += 1
            text, bold, italic = _md_inline(" ".join(item))
            blocks.append(
                Block(
                    text=text,
                    list_level=len(list_indents),
                    marker="•" if marker in "-*+" else marker,
                    bold=bold,
                    italic=italic,
                    line=number,
                )
            )
            i = j
            continue
        if not para:
            para_start = number
            # A paragraph after a blank line ends any list, unless it is indented under it.
            if list_indents and len(line) - len(line.lstrip()) < 2:
                list_indents = []
        para.append(line.strip())
        i += 1
    flush()
    return Document(format="markdown", blocks=blocks)


def _text_cells(line: str) -> list[str] | None:
    cells = [c.strip() for c in re.split(r"\t+| {3,}|\s\|\s", line.strip()) if c.strip()]
    return cells if len(cells) >= 3 else None


def _looks_like_heading(line: str, underline: str | None, alone: bool = False) -> int:
    """The heading level a single plain-text line reads as, or 0 for none."""
    text = line.strip()
    if underline is not None:
        return 1 if underline.strip().startswith("=") else 2
    if len(text) > 90 or len(text) < 3:
        return 0
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) >= 3 and all(ch.isupper() for ch in letters):
        return 1
    if text[-1] in ".:;,?!" or ":" in text or _DATE.search(text):
        return 0
    if (match := _SECTION_NUMBER.match(text)) and len(text.split()) <= 10:
        return 2 if match.group(2) is None else 3
    if alone and len(text.split()) <= 10 and text[0].isupper() and not re.search(r"\d\s*$", text):
        # A short line standing alone between blank lines, in sentence case, reads as a heading.
        return 3
    return 0


def read_text(data: bytes) -> Document:
    """Read plain text: paragraphs between blank lines, bullets and numbered items, headings
    as short lines in capitals, numbered or underlined."""
    lines = decode(data).splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip() or re.fullmatch(r"\s*[=\-_*]{3,}\s*", line):
            i += 1
            continue
        number = i + 1
        underline = (
            lines[i + 1]
            if i + 1 < len(lines) and re.fullmatch(r"\s*(=+|-+)\s*", lines[i + 1])
            else None
        )
        single = i + 1 >= len(lines) or not lines[i + 1].strip() or underline is not None
        before_blank = i == 0 or not lines[i - 1].strip()
        if single and (level := _looks_like_heading(line, underline, alone=before_blank)):
            blocks.append(Block(text=clean(line), heading=level, line=number))
            i += 2 if underline is not None else 1
            continue
        if _text_cells(line) and i + 1 < len(lines) and _text_cells(lines[i + 1]):
            rows = []
            while i < len(lines) and (cells := _text_cells(lines[i])):
                rows.append(cells)
                i += 1
            blocks.append(Block(text=" ".join(" ".join(r) for r in rows), rows=rows, line=number))
            continue
        indent = len(line) - len(line.lstrip())
        bullet = BULLET_RE.match(line) or NUMBER_RE.match(line)
        parts = [line.strip()]
        j = i + 1
        while j < len(lines) and lines[j].strip():
            nxt = lines[j]
            if BULLET_RE.match(nxt) or NUMBER_RE.match(nxt):
                break
            parts.append(nxt.strip())
            j += 1
        text = clean(" ".join(parts))
        if bullet:
            marker = "•" if bullet.re is BULLET_RE else bullet.group("marker")
            text = clean(bullet.group("rest") + (" " + " ".join(parts[1:]) if parts[1:] else ""))
            level = 2 if indent >= 4 or (marker.startswith("(") or marker[0].isalpha()) else 1
            blocks.append(Block(text=text, list_level=level, marker=marker, line=number))
        else:
            blocks.append(Block(text=text, line=number))
        i = j
    return Document(format="text", blocks=blocks)
