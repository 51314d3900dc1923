"""Small text helpers the readers and the finder share."""

from __future__ import annotations

import re
import unicodedata

# Bullet glyphs as they come out of Word, PDF generators and plain-text exports. "\x7f" and the
# private-use characters are what Symbol and Dingbats bullets become when a PDF is read.
BULLETS = "•●▪◦‣∙·*+-–—o\uf0b7\uf0a7\uf076\uf0d8\uf0fc\x7f■□➢➤►✓"
BULLET_RE = re.compile(
    r"^\s*(?P<marker>[•●▪◦‣∙·*+\-–—\uf0b7\uf0a7\uf076\uf0d8\uf0fc\x7f■□➢➤►✓]|o(?=\s))\s+(?P<rest>\S.*)$",
    re.S,
)
NUMBER_RE = re.compile(
    r"^\s*(?P<marker>\(?(?:\d{1,2}(?:\.\d{1,2}){0,2}|[a-z]|[ivx]{1,5})[.)])\s+(?P<rest>\S.*)$",
    re.S,
)
SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """Text with its whitespace collapsed, soft hyphens and control characters removed."""
    text = unicodedata.normalize("NFC", text)
    # Symbol-font bullets come out of PDFs as control or private-use characters.
    text = re.sub(r"[\x7f\uf0b7\uf0a7\uf076\uf0d8\uf0fc]", "•", text)
    text = text.replace("\u00ad", "").replace("\ufeff", "").replace("\u200b", "")
    text = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in text)
    return SPACES.sub(" ", text).strip()


def split_marker(text: str) -> tuple[str | None, str]:
    """A leading list marker (bullet or number) and the text after it."""
    match = BULLET_RE.match(text)
    if match:
        return "•", match.group("rest")
    match = NUMBER_RE.match(text)
    if match:
        return match.group("marker"), match.group("rest")
    return None, text


def normalise(text: str) -> str:
    """Text reduced for comparing two findings: lower case, words only."""
    text = unicodedata.normalize("NFKD", text or "").lower()
    text = text.replace("’", "'").replace("‘", "'")
    return " ".join(re.findall(r"[a-z0-9]+", text))
