"""Units of the extractor: readers, labels, lead-ins, sub-parts, narrative, deadlines."""

from __future__ import annotations

import contextlib
import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recreg.intake.extract import ExtractionError, detect_format, extract
from recreg.intake.extract.findings import classify_subject, lead_in, parse_label


def findings(text: str, name: str = "report.md", published=None) -> list[dict]:
    return extract(text.encode(), name, published=published).findings


@pytest.mark.parametrize(
    "text, kind, reference, rest",
    [
        ("AFI2. The force should act.", "area_for_improvement", "AFI2", "The force should act."),
        ("Recommendation 3: By May 2020, all forces should.", "recommendation", "Recommendation 3", "By May 2020, all forces should."),
        ("Cause of concern", "cause_of_concern", None, ""),
        ("Area for improvement 1", "area_for_improvement", "Area for improvement 1", ""),
        ("Accelerated cause of concern: The force", "accelerated_cause_of_concern", None, "The force"),
    ],
)  # fmt: skip
def test_labels(text, kind, reference, rest):
    assert parse_label(text) == (kind, reference, rest)


@pytest.mark.parametrize(
    "text",
    ["Recommendations", "Recommendations are made below.", "Recommendation 3 was closed in May."],
)
def test_not_labels(text):
    label = parse_label(text)
    assert label is None or (label[1] is None and not label[2]) or label[2][:1].isupper()
    assert parse_label("Recommendations") is None


@pytest.mark.parametrize(
    "text, addressee",
    [
        ("The force should review its policy.", {"type": "force", "name": None}),
        ("We recommend that, within three months, chief constables review it.", {"type": "chief_constables", "name": None}),
        ("By March 2019, all forces should record it.", {"type": "all_forces", "name": None}),
        ("The College of Policing should publish guidance.", {"type": "national_body", "name": "College of Policing"}),
        ("Wessex Constabulary should improve.", {"type": "force", "name": "Wessex Constabulary"}),
    ],
)  # fmt: skip
def test_lead_ins(text, addressee):
    assert lead_in(text) == (addressee, True)


@pytest.mark.parametrize(
    "text",
    [
        "The force should be proud of its work.",
        "Officers should have been told.",
        "It should also make sure that good practice is shared.",
        "The force has completed the review.",
    ],
)
def test_not_lead_ins(text):
    assert not lead_in(text)[1]


def test_classify_subject_with_parenthetical():
    found = classify_subject("The Home Office, working with the College of Policing,")
    assert (found["type"], found["name"]) == ("national_body", "Home Office")


def test_bulleted_sub_parts_belong_to_the_item_above():
    found = findings(
        "## Recommendations\n\nWithin six months, the force should:\n\n"
        "- review its policy; and\n- train its staff.\n\nThe force has agreed.\n"
    )
    assert len(found) == 1
    assert found[0]["text"].splitlines() == [
        "Within six months, the force should:",
        "review its policy; and",
        "train its staff.",
    ]


def test_narrative_between_findings_is_not_a_finding():
    found = findings(
        "AFI 1: The force should answer calls promptly.\n\n"
        "Update: The force should reach the standard by June. RAG: Amber.\n\n"
        "Owner: ACC Operations\n\n"
        "AFI 2: The force should improve investigations.\n\n"
        "Progress: complete.\n"
    )
    assert [f["reference"] for f in found] == ["AFI 1", "AFI 2"]


def test_area_is_the_nearest_heading():
    found = findings(
        "# PEEL 2023–25\n\n## Investigating crime\n\n### Areas for improvement\n\n"
        "- The force should improve supervision.\n"
    )
    assert found[0]["area"] == "Investigating crime"
    assert found[0]["kind"] == "area_for_improvement"


@pytest.mark.parametrize(
    "sentence, deadline",
    [
        ("Within six months, the force should act.", {"type": "months", "months": 6}),
        ("By March 2019, all forces should act.", {"type": "date", "date": "2019-03-31"}),
        ("By September 2018, all forces should act.", {"type": "date", "date": "2018-09-30"}),
        ("Not later than 31 March 2015, the force should act.", {"type": "date", "date": "2015-03-31"}),
        ("The force should immediately act.", {"type": "immediate"}),
        ("The force should act within 12 months of the publication of this report.", {"type": "months", "months": 12}),
        ("The force should act.", None),
    ],
)  # fmt: skip
def test_deadlines(sentence, deadline):
    found = findings(sentence, "x.txt")
    got = found[0]["deadline"]
    if deadline is None:
        assert got is None
    else:
        assert {k: got[k] for k in deadline} == deadline


def test_months_resolve_with_the_publication_date():
    found = findings(
        "Within six months, the force should act.", "x.txt", datetime.date(2024, 3, 14)
    )
    assert found[0]["deadline"]["date"] == "2024-09-14"


def test_duplicate_summary_list_counts_once():
    text = (
        "## Summary of recommendations\n\n1. Chief constables should vet everyone.\n\n"
        "## Vetting\n\nNarrative.\n\n**Recommendation 1: Chief constables should vet everyone.**\n"
    )
    assert len(findings(text)) == 1


def test_html_and_formats_detected():
    assert detect_format(b"<!DOCTYPE html><html><body></body></html>", "page") == "html"
    assert detect_format(b"%PDF-1.7 ...", "x.bin") == "pdf"
    with pytest.raises(ExtractionError, match="Old-style Word"):
        detect_format(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "report.doc")
    with pytest.raises(ExtractionError, match="cannot be read"):
        detect_format(b"hello", "report.odt")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=2000), st.sampled_from(["a.txt", "a.md", "a.html"]))
def test_never_crashes_on_arbitrary_text(text, name):
    try:
        result = extract(text.encode("utf-8", "surrogatepass"), name)
    except ExtractionError:
        return
    for item in result.findings:
        assert item["kind"] in {
            "recommendation",
            "area_for_improvement",
            "cause_of_concern",
            "accelerated_cause_of_concern",
        }
        assert item["text"].strip()


words = st.sampled_from(
    [
        "The",
        "force",
        "should",
        "Recommendation",
        "1:",
        "AFI2.",
        "Cause",
        "of",
        "concern",
        "within",
        "six",
        "months",
        "by",
        "March",
        "2019",
        "-",
        "*",
        "1.",
        "#",
        "##",
        "|",
        "Good",
        "|",
        "Requires",
        "improvement",
        "|",
        "**bold**",
        "_it_",
        "immediately",
        ":",
        ";",
        "\n",
        "\n\nchief",
        "constables",
        "all",
        "forces",
        "College",
        "of",
        "Policing",
        "should:",
        "Update:",
        "RAG",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(words, max_size=300), st.sampled_from(["a.txt", "a.md"]))
def test_never_crashes_on_report_like_text(parts, name):
    with contextlib.suppress(ExtractionError):
        extract(" ".join(parts).encode(), name, published=datetime.date(2024, 1, 1))
