"""`recreg report committee`: the paper to a file in each format, as a named user or as the
whole published register, with clear errors and a non-zero exit on bad input."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from recreg.cli import main

ARGS = [
    "report",
    "committee",
    "--org",
    "force-a",
    "--since",
    "2024-01-01",
    "--meeting",
    "2024-06-30",
]


@pytest.mark.parametrize("fmt, magic", [("docx", b"PK"), ("pdf", b"%PDF"), ("html", b"<!DOCTYPE")])
def test_the_paper_in_each_format(scene, tmp_path, fmt, magic):
    out = tmp_path / f"paper.{fmt}"
    call_command(*ARGS, "--format", fmt, "-o", str(out), stderr=io.StringIO())
    assert out.read_bytes().startswith(magic)


def test_as_a_named_user_and_by_default_the_published_register(scene, tmp_path):
    out = tmp_path / "paper.docx"
    call_command(*ARGS, "-o", str(out), "--as", "officer@pcc-a.test", stderr=io.StringIO())
    doc = Document(str(out))
    text = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "Priya Officer" in text and "Safeguarding training under way." in text
    call_command(*ARGS, "-o", str(out), stderr=io.StringIO())
    default = "\n".join(c.text for t in Document(str(out)).tables for r in t.rows for c in r.cells)
    assert "Safeguarding training under way." in default
    assert "Inadequate" not in default  # unpublished grades stay out


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--org", "nowhere"], "No force or PCC office 'nowhere'"),
        (["--since", "2024-13-01"], "--since must be a date like 2025-03-31"),
        (["--since", "2024-07-01"], "The previous meeting must be before this meeting"),
        (["--as", "nobody@example.org"], "No active user 'nobody@example.org'"),
        (["--as", "reader@force-b.test"], "may not see the progress of Avon Test Police"),
    ],
)
def test_bad_input_is_a_clear_error(scene, tmp_path, extra, message):
    out = tmp_path / "paper.docx"
    with pytest.raises(CommandError, match=message):
        call_command(*ARGS, *extra, "-o", str(out))
    assert not out.exists()


def test_an_unknown_format_is_refused(scene, tmp_path):
    with pytest.raises(CommandError, match="--format docx, pdf or html"):
        call_command(*ARGS, "-o", str(tmp_path / "paper.rtf"))


def test_the_console_script_exits_non_zero_on_bad_input(scene, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*ARGS, "--org", "nowhere", "-o", str(tmp_path / "x.docx")])
    assert exit_info.value.code != 0
    assert "No force or PCC office 'nowhere'" in capsys.readouterr().err
