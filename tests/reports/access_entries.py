"""Access matrix entries for the reports pages (see tests/access_matrix.py and docs/reports.md).

A committee paper is the asker's alone. A paper template is changed by its organisation's own
editors; others who may make its papers are refused and the rest told it does not exist. PCC
responses are the PCC office's to write; whole-register readers may read them.
"""

from __future__ import annotations

import datetime

from recreg.reports import services
from recreg.reports.models import CommitteePaper, PccResponse
from tests.access_matrix import HIDDEN, OK, REFUSED, SIGN_IN, Entry, outcomes, signed_in_only

OWN_PAPER = outcomes(HIDDEN, pcc_officer=OK, anonymous=SIGN_IN)
PCC_TEMPLATE = outcomes(
    REFUSED, pcc_officer=OK, force_a_editor=HIDDEN, force_b_reader=HIDDEN, anonymous=SIGN_IN
)
PCC_ONLY = outcomes(REFUSED, pcc_officer=OK, anonymous=SIGN_IN)
READ_RESPONSE = outcomes(OK, force_a_editor=HIDDEN, force_b_reader=HIDDEN, anonymous=SIGN_IN)
WRITE_RESPONSE = outcomes(
    REFUSED, pcc_officer=OK, force_a_editor=HIDDEN, force_b_reader=HIDDEN, anonymous=SIGN_IN
)


def paper_of(w) -> CommitteePaper:
    """A finished paper the PCC officer asked for, made once."""
    existing = CommitteePaper.objects.filter(requested_by=w.pcc_officer).first()
    if existing:
        return existing
    paper = services.request_committee_paper(
        w.pcc_a,
        since=datetime.date(2024, 1, 1),
        meeting_date=datetime.date(2024, 6, 30),
        fmt="html",
        actor=w.pcc_officer,
    )
    return services.generate_paper_file(paper.pk)


def response_of(w) -> int:
    """The PCC office's draft response to force A's PEEL report, made once."""
    existing = PccResponse.objects.filter(pcc_office=w.pcc_a).first()
    return (existing or services.start_pcc_response(w.inspection_a, actor=w.pcc_officer)).pk


def both(route, url, expect, post_expect=None):
    """A form page: its GET, and its POST with an empty body."""
    return [
        Entry(route, url, expect),
        Entry(route, url, post_expect or expect, method="POST"),
    ]


P = "reports/"
ENTRIES = [
    *both(P, lambda w: "/reports/", signed_in_only()),
    Entry(P + "papers/<int:pk>/", lambda w: f"/reports/papers/{paper_of(w).pk}/", OWN_PAPER),
    Entry(
        P + "papers/<int:pk>/download/",
        lambda w: f"/reports/papers/{paper_of(w).pk}/download/",
        OWN_PAPER,
    ),
    # Asking again for a paper: its asker only (a finished one is sent back to its page).
    Entry(
        P + "papers/<int:pk>/again/",
        lambda w: f"/reports/papers/{paper_of(w).pk}/again/",
        OWN_PAPER,
        method="POST",
    ),
    *both(P + "templates/<slug:slug>/", lambda w: "/reports/templates/pcc-a/", PCC_TEMPLATE),
    Entry(P + "pcc/", lambda w: "/reports/pcc/", PCC_ONLY),
    Entry(
        P + "pcc/reports/<int:inspection_pk>/respond/",
        lambda w: f"/reports/pcc/reports/{w.inspection_a.pk}/respond/",
        PCC_ONLY,
        method="POST",
    ),
    *both(
        P + "pcc/responses/<int:pk>/",
        lambda w: f"/reports/pcc/responses/{response_of(w)}/",
        READ_RESPONSE,
        WRITE_RESPONSE,
    ),
    *both(
        P + "pcc/responses/<int:pk>/publish/",
        lambda w: f"/reports/pcc/responses/{response_of(w)}/publish/",
        WRITE_RESPONSE,
    ),
    Entry(
        P + "pcc/responses/<int:pk>/word/",
        lambda w: f"/reports/pcc/responses/{response_of(w)}/word/",
        READ_RESPONSE,
    ),
]
