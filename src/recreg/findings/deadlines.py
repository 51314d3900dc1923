"""Reading deadlines as inspection reports write them, and resolving them to a date.

Reports say "not later than 31 March 2015", "by September 2018" (the end of that month),
"within six months" (from publication), "immediately", or nothing at all.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from recreg.findings.models import DeadlineKind

MONTHS = (
    {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
    | {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
    | {"sept": 9}
)

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "twenty-one": 21, "twenty-two": 22, "twenty-three": 23, "twenty-four": 24,
    "thirty-six": 36, "a": 1, "an": 1,
}  # fmt: skip

HELP = (
    "Enter a deadline like ‘31 March 2025’, ‘by September 2025’, ‘within 6 months’ or "
    "‘immediately’, or leave it blank if there is none"
)

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_NUMBER = r"(\d{1,2}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
_LEAD = (
    r"^(?:(?:no|not)\s+later\s+than|by\s+the\s+end\s+of|by\s+end\s+of|by|before|no\s+later\s+than"
    r"|on\s+or\s+before|deadline:?|due:?)?\s*"
)
_DAY_MONTH_YEAR = re.compile(
    _LEAD
    + r"(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?("
    + _MONTH_NAMES
    + r")\.?,?\s+(\d{4})$"
)
_MONTH_DAY_YEAR = re.compile(
    _LEAD + r"(" + _MONTH_NAMES + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$"
)
_MONTH_YEAR = re.compile(_LEAD + r"(" + _MONTH_NAMES + r")\.?,?\s+(\d{4})$")
_NUMERIC = re.compile(_LEAD + r"(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO = re.compile(_LEAD + r"(\d{4})-(\d{2})-(\d{2})$")
_WITHIN = re.compile(
    r"^(?:within|in|no\s+later\s+than|not\s+later\s+than)\s+(?:the\s+next\s+)?"
    + _NUMBER
    + r"\s+(month|months|year|years)(?:['’]s)?(?:\s+(?:of|from|after)\s+(?:the\s+)?"
    r"(?:date\s+of\s+)?(?:publication|this\s+report(?:['’]s)?\s+publication|publication"
    r"\s+of\s+this\s+report|this\s+report))?$"
)
_IMMEDIATE = re.compile(r"^(?:immediately|immediate|with\s+immediate\s+effect|now)$")


class DeadlineError(ValueError):
    """The text does not read as a deadline."""


@dataclass(frozen=True)
class Deadline:
    kind: str
    text: str = ""
    date: datetime.date | None = None
    months: int | None = None

    def resolve(self, published_on: datetime.date | None) -> datetime.date | None:
        """The date this deadline falls on, given the report's publication date."""
        if self.kind in (DeadlineKind.DATE, DeadlineKind.MONTH):
            return self.date
        if self.kind == DeadlineKind.MONTHS and published_on is not None and self.months:
            return add_months(published_on, self.months)
        if self.kind == DeadlineKind.IMMEDIATE and published_on is not None:
            return published_on
        return None


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month `months` later, or that month's last day if it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def end_of_month(year: int, month: int) -> datetime.date:
    """The last day of that month."""
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _date(year: int, month: int, day: int, original: str) -> datetime.date:
    if not 1990 <= year <= 2100:
        raise DeadlineError(f"‘{original}’ has a year outside 1990 to 2100")
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise DeadlineError(f"‘{original}’ is not a real date") from None


def parse_deadline(text: str | None) -> Deadline:
    """Read a deadline as written; raise DeadlineError with a helpful message if it can't be."""
    original = (text or "").strip()
    cleaned = re.sub(r"\s+", " ", original.lower()).strip(" .;:,")
    if cleaned in {"", "none", "n/a", "no deadline", "not applicable", "-", "—"}:
        return Deadline(DeadlineKind.NONE, original)
    if _IMMEDIATE.match(cleaned):
        return Deadline(DeadlineKind.IMMEDIATE, original)
    if match := _WITHIN.match(cleaned):
        raw_number, unit = match.groups()
        number = int(raw_number) if raw_number.isdigit() else NUMBER_WORDS[raw_number]
        months = number * 12 if unit.startswith("year") else number
        if not 1 <= months <= 120:
            raise DeadlineError("A deadline in months must be between 1 and 120 months")
        return Deadline(DeadlineKind.MONTHS, original, months=months)
    if match := _DAY_MONTH_YEAR.match(cleaned):
        day, month, year = match.groups()
        return Deadline(
            DeadlineKind.DATE, original, date=_date(int(year), MONTHS[month], int(day), original)
        )
    if match := _MONTH_DAY_YEAR.match(cleaned):
        month, day, year = match.groups()
        return Deadline(
            DeadlineKind.DATE, original, date=_date(int(year), MONTHS[month], int(day), original)
        )
    if match := _MONTH_YEAR.match(cleaned):
        month, year = match.groups()
        if not 1990 <= int(year) <= 2100:
            raise DeadlineError(f"‘{original}’ has a year outside 1990 to 2100")
        return Deadline(DeadlineKind.MONTH, original, date=end_of_month(int(year), MONTHS[month]))
    if match := _NUMERIC.match(cleaned):
        day, month, year = match.groups()
        return Deadline(
            DeadlineKind.DATE, original, date=_date(int(year), int(month), int(day), original)
        )
    if match := _ISO.match(cleaned):
        year, month, day = match.groups()
        return Deadline(
            DeadlineKind.DATE, original, date=_date(int(year), int(month), int(day), original)
        )
    raise DeadlineError(HELP)
