"""The committee paper's content and its three formats: the golden structure against the
scene (tests/reports/conftest.py), the same content in Word, PDF and HTML, the Word file
opening in python-docx and converting in LibreOffice, the PDF's pages not blank, a fixed number
of queries, and only what the reader may see."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document

from recreg.findings.access import visible_findings
from recreg.reports import services
from recreg.reports.content import Facts, Paragraph, Subheading, Table, build_committee_paper
from recreg.reports.models import DEFAULT_SECTIONS
from recreg.reports.render import render_docx, render_html, render_pdf
from tests.reports.conftest import MEETING, SINCE


def tables(section):
    return [b for b in section.blocks if isinstance(b, Table)]


def paper_for(scene, user=None, organisation=None):
    w = scene.world
    return build_committee_paper(
        organisation or w.pcc_a, since=SINCE, meeting=MEETING, user=user or w.pcc_officer
    )


def test_golden_structure(scene):
    w = scene.world
    paper = paper_for(scene)
    assert paper.title == "Inspections of Avon Test Police: findings and progress"
    assert dict(paper.title_block) == {
        "Committee": "Police and Crime Panel",
        "Date of meeting": "30 June 2024",
        "Report of": "Office of the PCC for Avon Test",
        "Purpose": (
            "To update the Police and Crime Panel on inspections of Avon Test Police and on the "
            "force's progress with their findings since its meeting of 1 January 2024."
        ),
        "Recommendation": "The Police and Crime Panel is asked to note this report.",
    }
    assert [s.key for s in paper.sections] == DEFAULT_SECTIONS
    assert [s.heading for s in paper.sections] == [
        "1. Inspections with fieldwork since the last meeting",
        "2. Reports published since the last meeting",
        "3. Outstanding findings rated red",
        "4. Older reports under review",
        "5. Monitoring status",
        "6. Contact officer",
    ]

    fieldwork = tables(paper.section("fieldwork"))
    assert len(fieldwork) == 1
    assert fieldwork[0].rows == [
        [scene.fieldwork.title, "HMICFRS", "5 February 2024 to 16 February 2024", "Fieldwork"]
    ]

    published = paper.section("published")
    assert [b.text for b in published.blocks if isinstance(b, Subheading)] == [
        "Out-of-court disposals by youth offending teams (published 14 March 2024)",
        "PEEL 2023–25: Avon Test Police (published 14 March 2024)",
        "Vetting, misconduct and misogyny (published 14 March 2024)",
    ]
    peel = tables(published)[1]
    assert peel.columns == [
        "Reference",
        "Finding",
        "Deadline",
        "Owner and tactical lead",
        "Board",
        "Latest update",
    ]
    assert len(peel.rows) == 1
    row = peel.rows[0]
    assert row[1] == w.published_a.text
    assert row[2].startswith("within six months")
    assert "Alex Chief (Assistant Chief Constable)" in row[3] and "Sam Super" in row[3]
    assert row[4] == "Crime Governance Board"
    assert row[5].endswith("(Amber): Safeguarding training under way.")
    assert sum(len(t.rows) for t in tables(published)) == 3

    red = tables(paper.section("red"))
    assert len(red) == 1 and [r[0] for r in red[0].rows] == ["AFI1"]

    overview = paper.section("overview")
    overview_tables = tables(overview)
    assert [t.caption for t in overview_tables] == [
        "Findings of PEEL 2021/22: Avon Test Police",
        "Grades of Avon Test Police across inspections",
    ]
    assert [(r[0], r[2], r[3]) for r in overview_tables[0].rows] == [
        ("AFI1", "In progress", "Red"),
        ("AFI2", "In progress", "Green"),
    ]
    grades = overview_tables[1]
    # The unpublished 2025–27 grades stay out, even though an inspector could see them.
    assert grades.columns == ["Question area", "PEEL 2017", "PEEL 2023–25"]
    assert grades.rows == [["Protecting vulnerable people", "Good", "Requires improvement"]]

    monitoring = paper.section("monitoring").blocks
    assert isinstance(monitoring[0], Facts)
    assert dict(monitoring[0].pairs)["Stage"] == "Engage"
    assert dict(monitoring[0].pairs)["In Engage since"] == "14 May 2024"

    contact = dict(paper.section("contact").blocks[0].pairs)
    assert contact == {"Name": "Priya Officer", "Email": "officer@pcc-a.test"}


def test_no_red_findings_is_said_in_words(scene):
    w = scene.world
    paper = build_committee_paper(w.force_b, since=SINCE, meeting=MEETING, user=w.force_b_reader)
    red = paper.section("red").blocks
    assert red == [Paragraph("There are no outstanding findings rated red.")]
    assert paper.section("fieldwork").blocks == [
        Paragraph("No inspection of Borset Test Police had fieldwork since the last meeting.")
    ]


def _docx_outline(data: bytes):
    doc = Document(io.BytesIO(data))
    headings = [
        (p.style.name, p.text)
        for p in doc.paragraphs
        if p.style.name.startswith("Heading") or p.style.name == "Title"
    ]
    return doc, headings


def test_word_has_real_headings_and_tables_with_the_same_content(scene):
    paper = paper_for(scene)
    doc, headings = _docx_outline(render_docx(paper))
    assert headings[0] == ("Title", paper.title)
    assert [text for style, text in headings if style == "Heading 1"] == [
        s.heading for s in paper.sections
    ]
    subheadings = [b.text for s in paper.sections for b in s.blocks if isinstance(b, Subheading)]
    assert [text for style, text in headings if style == "Heading 2"] == subheadings
    paper_tables = [b for s in paper.sections for b in s.blocks if isinstance(b, Table | Facts)]
    # The title block's table, then one per table and facts block.
    assert len(doc.tables) == 1 + len(paper_tables)
    for word_table, block in zip(doc.tables[1:], paper_tables, strict=True):
        assert word_table.style.name == "Table Grid"
        cells = [[c.text for c in row.cells] for row in word_table.rows]
        if isinstance(block, Table):
            assert cells == [block.columns, *block.rows]
        else:
            assert cells == [list(pair) for pair in block.pairs]
    # Typed markup is plain text in Word, never markup.
    assert any("<b>crime</b>" in c.text for t in doc.tables for r in t.rows for c in r.cells)


def test_html_escapes_and_holds_every_section_and_row(scene):
    paper = paper_for(scene)
    html = render_html(paper)
    assert "&lt;b&gt;crime&lt;/b&gt;" in html and "<b>crime</b>" not in html
    assert "@media print" in html and "@page" in html
    for section in paper.sections:
        assert f'data-section="{section.key}"' in html
    rows = sum(len(t.rows) + 1 for s in paper.sections for t in tables(s))
    assert html.count('<table class="paper-table">') == sum(len(tables(s)) for s in paper.sections)
    assert html.count("<tr>") >= rows


@pytest.fixture(scope="module")
def soffice():
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        pytest.fail("LibreOffice is needed: run `make libreoffice` (Debian's libreoffice-writer)")
    return path


def test_libreoffice_converts_the_word_file_without_error(scene, soffice, tmp_path):
    source = tmp_path / "paper.docx"
    source.write_bytes(render_docx(paper_for(scene)))
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    converted = tmp_path / "paper.pdf"
    assert converted.exists(), result.stdout + result.stderr
    assert converted.read_bytes().startswith(b"%PDF")
    assert _inked_pages(converted.read_bytes())


def _inked_pages(pdf: bytes) -> list[float]:
    """The share of each page's pixels that are not white."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    shares = []
    for index in range(len(document)):
        image = document[index].render(scale=0.5).to_pil().convert("L")
        histogram = image.histogram()
        dark = sum(histogram[:200])
        shares.append(dark / (image.width * image.height))
    return shares


def test_pdf_pages_render_and_none_is_blank(scene):
    pdf = render_pdf(paper_for(scene))
    assert pdf.startswith(b"%PDF")
    shares = _inked_pages(pdf)
    assert len(shares) >= 2
    assert all(share > 0.005 for share in shares), shares
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for heading in ("Outstanding findings rated red", "Monitoring status", "Contact officer"):
        assert heading in text


def test_the_paper_reads_in_a_fixed_number_of_queries(scene):
    w = scene.world
    with CaptureQueriesContext(connection) as small:
        paper_for(scene)
    # Ten more findings to force A with updates, in a new report since the last meeting.
    from recreg.findings import services as finding_services
    from tests.factories import InspectionFactory
    from tests.reports.conftest import _allocate, _response, _update

    more = InspectionFactory(title="More findings")
    for n in range(10):
        finding = finding_services.create_finding(
            actor=w.inspector,
            inspection=more,
            kind="area_for_improvement",
            text=f"The force should do thing {n}.",
            addressees=[w.force_a],
            state="published",
        )
        response = _response(finding, w.force_a)
        _allocate(response, scene.owner, scene.lead, w.force_a_editor)
        _update(response, "red", f"Update {n}", w.force_a_editor)
    with CaptureQueriesContext(connection) as large:
        bigger = paper_for(scene)
    assert len(tables(bigger.section("red"))[0].rows) == 11
    assert len(large.captured_queries) == len(small.captured_queries)


# --- Access ---------------------------------------------------------------------------------


def test_a_force_b_reader_cannot_have_force_a_paper(scene):
    w = scene.world
    for organisation in (w.force_a, w.pcc_a):
        with pytest.raises(PermissionDenied):
            build_committee_paper(organisation, since=SINCE, meeting=MEETING, user=w.force_b_reader)
        with pytest.raises(PermissionDenied):
            services.check_paper_request(
                organisation, since=SINCE, meeting_date=MEETING, fmt="docx", actor=w.force_b_reader
            )


@pytest.mark.parametrize(
    "persona", ["pcc_officer", "force_a_editor", "inspector", "national_reader"]
)
def test_a_paper_holds_only_what_its_reader_may_see(scene, persona):
    w = scene.world
    user = getattr(w, persona)
    paper = build_committee_paper(w.force_a, since=SINCE, meeting=MEETING, user=user)
    text = render_html(paper)
    visible = set(visible_findings(user).values_list("text", flat=True))
    shown = {
        row[1]
        for s in paper.sections
        if s.key in ("published", "overview")
        for t in tables(s)
        if t.columns[1] == "Finding"
        for row in t.rows
    }
    assert shown and shown <= visible
    # Never drafts, findings still in factual accuracy check, other forces' or unpublished
    # grades, whoever asks.
    for hidden in (w.draft_a.text, w.fact_check_a.text, w.published_b.text, w.fact_check_b.text):
        assert hidden not in text
    assert "Inadequate" not in text


def test_the_template_chooses_the_wording_and_sections(scene):
    w = scene.world
    services.save_paper_template(
        w.pcc_a,
        sections=["red", "fieldwork"],
        committee="Joint Audit Committee",
        title="HMICFRS update for {force}",
        agenda_item="7",
        intro="Covers {since} to {meeting}.\n\nSecond paragraph.",
        contact_name="Chris Contact",
        contact_email="chris@pcc-a.test",
        actor=w.pcc_officer,
    )
    paper = paper_for(scene)
    assert paper.title == "HMICFRS update for Avon Test Police"
    assert [s.key for s in paper.sections] == ["red", "fieldwork"]
    assert paper.sections[0].heading == "1. Outstanding findings rated red"
    assert dict(paper.title_block)["Agenda item"] == "7"
    assert dict(paper.title_block)["Recommendation"] == (
        "The Joint Audit Committee is asked to note this report."
    )
    assert paper.intro == ["Covers 1 January 2024 to 30 June 2024.", "Second paragraph."]


def test_html_column_widths_are_classes_its_own_stylesheet_defines(scene):
    # A downloaded HTML paper is served with a CSP allowing only its <style> (by hash), which
    # blocks style attributes: widths given as inline styles would silently vanish in a browser.
    paper = paper_for(scene)
    html = render_html(paper)
    assert " style=" not in html
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    used = set(re.findall(r'<col class="(paper-w\d+)">', html))
    widths = {f"paper-w{w}" for s in paper.sections for t in tables(s) for w in t.widths}
    assert used == widths and used
    for name in used:
        assert re.search(rf"\.{name} {{ width: {name[7:]}%; }}", style), name


def test_pdf_rendering_leaves_the_garbage_collector_as_it_was(scene, monkeypatch):
    import gc

    paper = paper_for(scene)
    assert gc.isenabled()
    render_pdf(paper)
    assert gc.isenabled()

    import weasyprint

    def broken(self, *args, **kwargs):
        assert not gc.isenabled()  # collection waits while the document is being built
        raise RuntimeError("typesetting failed")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", broken)
    with pytest.raises(RuntimeError):
        render_pdf(paper)
    assert gc.isenabled()
