"""Finding a deadline inside a finding's sentences and reading it with the register's own
deadline parser (recreg.findings.deadlines), so an import resolves dates exactly as the
register does."""

from __future__ import annotations

import datetime
import functools
import re


@functools.cache
def _patterns():
    # Imported on first use: the register's deadline module is the one place that knows month
    # names and number words.
    from recreg.findings.deadlines import MONTHS, NUMBER_WORDS

    month = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
    number = r"(\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
    by = r"(?:(?:no|not)\s+later\s+than(?:\s+the\s+end\s+of)?|by(?:\s+the\s+end\s+of)?|on\s+or\s+before|before)"
    return [
        (
            "immediate",
            re.compile(
                r"(?:\b(?:should|must|to|will|shall)\s+(?:now\s+)?immediately\b|^\W*immediately\b"
                r"|\bimmediately\s*,|\bwith\s+immediate\s+effect\b|\bas\s+a\s+matter\s+of\s+"
                r"(?:urgency|priority)\s+and\s+immediately\b)",
                re.I | re.M,
            ),
        ),
        (
            "months",
            re.compile(
                r"\b(?:within|in\s+the\s+next|(?:no|not)\s+later\s+than)\s+(?:the\s+next\s+)?"
                + number
                + r"\s+(months?|years?)(?:['’]s)?(?:\s+(?:of|from|after)\s+(?:the\s+)?(?:date\s+of\s+)?"
                r"(?:the\s+)?(?:publication(?:\s+of\s+(?:this|the)\s+report)?|this\s+report(?:['’]s"
                r"\s+publication)?))?",
                re.I,
            ),
        ),
        (
            "day",
            re.compile(
                r"\b"
                + by
                + r"\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
                + month
                + r",?\s+(\d{4})\b",
                re.I,
            ),
        ),
        (
            "month",
            re.compile(
                r"\b(?:(?:no|not)\s+later\s+than(?:\s+the\s+end\s+of)?|by(?:\s+the\s+end\s+of)?)\s+"
                + month
                + r",?\s+(\d{4})\b",
                re.I,
            ),
        ),
        (
            "year",
            re.compile(
                r"\b(?:by|before)\s+the\s+end\s+of\s+(?:(?:the\s+)?year\s+)?(\d{4})\b", re.I
            ),
        ),
    ]


def find_deadline(text: str, published: datetime.date | None = None) -> dict | None:
    """The first deadline the text states, as {"type", "date"/"months", "text"}, or None."""
    from recreg.findings.deadlines import DeadlineError, parse_deadline
    from recreg.findings.models import DeadlineKind

    found: list[tuple[int, str, re.Match]] = []
    for name, pattern in _patterns():
        match = pattern.search(text)
        if match:
            found.append((match.start(), name, match))
    for _, name, match in sorted(found, key=lambda item: item[0]):
        written = match.group(0).strip(" ,")
        if name == "immediate":
            phrase = "immediately"
        elif name == "months":
            phrase = f"within {match.group(1)} {match.group(2)}"
        elif name == "day":
            phrase = f"{match.group(1)} {match.group(2)} {match.group(3)}"
        elif name == "month":
            phrase = f"{match.group(1)} {match.group(2)}"
        else:
            phrase = f"31 December {match.group(1)}"
        try:
            deadline = parse_deadline(phrase)
        except DeadlineError:
            continue
        # Keep the words as written when the register's parser reads them the same way.
        text_out = phrase
        try:
            again = parse_deadline(written)
        except DeadlineError:
            again = None
        if again and (again.kind, again.date, again.months) == (
            deadline.kind,
            deadline.date,
            deadline.months,
        ):
            text_out = written
        if deadline.kind == DeadlineKind.IMMEDIATE:
            return {"type": "immediate", "text": text_out}
        if deadline.kind == DeadlineKind.MONTHS:
            out: dict = {"type": "months", "months": deadline.months, "text": text_out}
            resolved = deadline.resolve(published)
            if resolved is not None:
                out["date"] = resolved.isoformat()
            return out
        if deadline.date is not None:
            return {"type": "date", "date": deadline.date.isoformat(), "text": text_out}
    return None
