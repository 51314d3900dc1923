"""Cells that a spreadsheet would read as formulas are neutralised; other values pass."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recreg.core.csvsafe import FORMULA_STARTS, safe_cell, safe_row


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+44 20", "-2+3", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x","y")'],
)
def test_formula_starts_get_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [None, 3, -3, 2.5, True, datetime.date(2025, 3, 31)])
def test_numbers_dates_and_blanks_pass_unchanged(value):
    assert safe_cell(value) == value


def test_plain_text_passes_unchanged():
    assert safe_row(["The force should", "", "A = B"]) == ["The force should", "", "A = B"]


@given(st.text())
def test_no_text_comes_out_starting_like_a_formula(text):
    cell = safe_cell(text)
    assert not cell.startswith(FORMULA_STARTS)
    assert cell.removeprefix("'") == text or cell == text
