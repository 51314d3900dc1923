"""Cells for spreadsheets made safe from formula injection.

A spreadsheet program reads a cell that starts with = + - @ (or a tab or carriage return
before one of them) as a formula, so text someone typed into the register could run as a
formula on the computer of whoever opens an export. Every text cell of every CSV and Excel
file goes through `safe_cell`, which puts an apostrophe before such text: spreadsheet programs
then show it as text, and the words stay readable.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

# Values a spreadsheet stores as numbers or dates, never as formulas.
_SAFE_TYPES = (bool, int, float, Decimal, datetime.date, datetime.datetime, datetime.time)


def safe_cell(value):
    """The value for a spreadsheet cell: text that a spreadsheet would read as a formula gets
    a leading apostrophe; numbers, dates and None pass unchanged; anything else becomes text."""
    if type(value) is str:  # the common case first: exports write millions of cells
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if value is None or isinstance(value, _SAFE_TYPES):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def safe_row(values) -> list:
    """A whole row of cells through safe_cell."""
    return [safe_cell(v) for v in values]
