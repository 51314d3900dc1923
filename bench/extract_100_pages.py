"""Time the extractor on a generated 100-page report PDF (target: under 5 seconds).

Run: .venv/bin/python bench/extract_100_pages.py
"""

from __future__ import annotations

import io
import os
import sys
import time


def build_pdf(pages: int = 100) -> bytes:
    """A report-like PDF: headings, narrative, AFI bullets and a grade table on every page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import (
        ListFlowable,
        ListItem,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Table,
    )

    styles = getSampleStyleSheet()
    story = []
    narrative = (
        "The force has a clear commitment to neighbourhood policing, which is understood by "
        "officers and staff. Neighbourhood teams know their communities well and work with "
        "local partners to solve problems. However, the force does not yet evaluate its "
        "problem-solving work in a structured way. "
    ) * 3
    for page in range(1, pages + 1):
        story.append(
            Paragraph(f"Question area {page}: protecting vulnerable people", styles["Heading2"])
        )
        story += [Paragraph(narrative, styles["Normal"]) for _ in range(3)]
        story.append(Paragraph("Areas for improvement", styles["Heading3"]))
        story.append(
            ListFlowable(
                [
                    ListItem(
                        Paragraph(
                            f"The force should improve area {page}.{n}, so that victims get a better service.",
                            styles["Normal"],
                        )
                    )
                    for n in range(1, 4)
                ],
                bulletType="bullet",
            )
        )
        story.append(Table([["Area", "2021/22", "2023–25"], [f"Area {page}", "Good", "Adequate"]]))
        story.append(PageBreak())
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(story)
    return buffer.getvalue()


def main() -> None:
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recreg.settings")
    import django

    django.setup()
    from recreg.intake.extract import extract

    data = build_pdf()
    start = time.perf_counter()
    result = extract(data, "bench.pdf")
    elapsed = time.perf_counter() - start
    print(
        f"{result.pages} pages, {len(data) / 1024:.0f} KB: {len(result.findings)} findings, "
        f"{len(result.grades)} grade tables in {elapsed:.2f} s (target < 5 s)"
    )
    sys.exit(0 if elapsed < 5 else 1)


if __name__ == "__main__":
    main()
