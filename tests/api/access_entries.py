"""Access matrix entries for the API's progress, grade and import routes (see
tests/access_matrix.py). The API follows the pages: a record the reader may not see is 404, a
step they may not take 403; without credentials a change is 401 (SIGN_IN). A change sent with
an empty body by someone allowed is a 422 naming the fields, which counts as reached."""

from __future__ import annotations

from tests.access_matrix import HIDDEN, OK, REFUSED, SIGN_IN, Entry, everyone, outcomes
from tests.progress.access_entries import (
    DECIDES_A,
    EDITS_A,
    SEES_A,
    challenge_a,
    check_a,
    evidence_a,
    proposal_a,
    response_a,
)

V = "api/v1/"
# Changes only inspectorate editors make.
INSPECTORATE_WRITE = outcomes(REFUSED, inspector=OK, anonymous=SIGN_IN)


def post(route, url, expect, label=""):
    return Entry(route, url, expect, method="POST", json_body=True, label=label)


ENTRIES = [
    # A response's timeline: in full for those who see its progress; its state for the public.
    Entry(
        V + "responses/<response_id>/timeline",
        lambda w: f"/api/v1/responses/{response_a(w).pk}/timeline",
        outcomes(OK, force_b_reader=HIDDEN),
        label="public response",
    ),
    Entry(
        V + "responses/<response_id>/timeline",
        lambda w: f"/api/v1/responses/{check_a(w).pk}/timeline",
        outcomes(OK, force_b_reader=HIDDEN, anonymous=HIDDEN),
        label="response in check",
    ),
    # Evidence: those who see the response's progress; never the public.
    Entry(V + "evidence/<evidence_id>", lambda w: f"/api/v1/evidence/{evidence_a(w)}", SEES_A),
    *[
        post(
            V + f"responses/<response_id>/{step}",
            lambda w, step=step, target=target: f"/api/v1/responses/{target(w).pk}/{step}",
            expect,
        )
        for step, target, expect in [
            ("allocation", response_a, EDITS_A),
            ("updates", response_a, EDITS_A),
            ("evidence", response_a, EDITS_A),
            ("target-date", response_a, EDITS_A),
            ("closure-proposals", response_a, EDITS_A),
            ("challenges", check_a, EDITS_A),
            ("discharge", response_a, DECIDES_A),
        ]
    ],
    post(
        V + "closure-proposals/<proposal_id>/decision",
        lambda w: f"/api/v1/closure-proposals/{proposal_a(w)}/decision",
        DECIDES_A,
    ),
    post(
        V + "challenges/<challenge_id>/decision",
        lambda w: f"/api/v1/challenges/{challenge_a(w)}/decision",
        DECIDES_A,
    ),
    # Grades: published ones are public; recording and importing is for inspectorate editors.
    Entry(V + "grades", lambda w: "/api/v1/grades", everyone()),
    Entry(V + "grades", lambda w: "/api/v1/grades?force=force-a", everyone(), label="a force"),
    post(V + "grades", lambda w: "/api/v1/grades", INSPECTORATE_WRITE),
    post(V + "grades/import", lambda w: "/api/v1/grades/import", INSPECTORATE_WRITE),
    # Bulk import: the register's records by inspectorate editors; responses by any editor.
    *[
        post(V + "imports/<kind>", lambda w, kind=kind: f"/api/v1/imports/{kind}", expect, kind)
        for kind, expect in [
            ("inspections", INSPECTORATE_WRITE),
            ("findings", INSPECTORATE_WRITE),
            ("grades", INSPECTORATE_WRITE),
            ("responses", outcomes(REFUSED, inspector=OK, force_a_editor=OK, anonymous=SIGN_IN)),
        ]
    ],
]
