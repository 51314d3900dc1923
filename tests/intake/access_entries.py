"""Access matrix entries for the intake pages (see tests/access_matrix.py)."""

from recreg.intake.models import ImportBatch
from tests.access_matrix import HIDDEN, OK, REFUSED, SIGN_IN, Entry, outcomes


def inspectorate_batch(w) -> int:
    """An import the inspectorate uploaded for force A's inspection, awaiting review."""
    batch, _ = ImportBatch.objects.get_or_create(
        inspection=w.inspection_a,
        organisation=w.hmicfrs,
        created_by=w.inspector,
        filename="report.md",
        defaults={
            "sha256": "0" * 64,
            "format": "markdown",
            "items": [
                {
                    "kind": "area_for_improvement",
                    "reference": "",
                    "text": "The force should improve supervision.",
                    "addressee_scope": "forces",
                    "addressees": w.force_a.name,
                    "deadline_text": "",
                    "question_area": None,
                    "parent": None,
                    "include": True,
                    "existing": None,
                    "source": {"line": 3},
                    "area": "",
                }
            ],
        },
    )
    return batch.pk


# Only the inspectorate sees the inspectorate's imports; everyone else is told it does not
# exist.
SEES_BATCH = outcomes(HIDDEN, inspector=OK, inspectorate_reader=OK, anonymous=SIGN_IN)
EDITORS = outcomes(REFUSED, inspector=OK, force_a_editor=OK, anonymous=SIGN_IN)

ENTRIES = [
    Entry("intake/", lambda w: "/intake/", outcomes(OK, anonymous=SIGN_IN)),
    Entry(
        "intake/inspections/<int:inspection_pk>/upload/",
        lambda w: f"/intake/inspections/{w.inspection_a.pk}/upload/",
        outcomes(REFUSED, inspector=OK, anonymous=SIGN_IN),
    ),
    Entry(
        "intake/inspections/<int:inspection_pk>/upload/",
        lambda w: f"/intake/inspections/{w.joint.pk}/upload/",
        # A joint inspection led by another inspectorate: force A's editor and its PCC's
        # office may import it into their own tracking; force B cannot see it at all.
        outcomes(
            REFUSED,
            inspector=OK,
            force_a_editor=OK,
            pcc_officer=OK,
            force_b_reader=HIDDEN,
            anonymous=SIGN_IN,
        ),
        label="joint",
    ),
    Entry(
        "intake/inspections/<int:inspection_pk>/upload/",
        lambda w: f"/intake/inspections/{w.draft_inspection.pk}/upload/",
        outcomes(REFUSED, inspector=OK, force_b_reader=HIDDEN, anonymous=SIGN_IN),
        label="unpublished",
    ),
    Entry(
        "intake/batches/<int:pk>/",
        lambda w: f"/intake/batches/{inspectorate_batch(w)}/",
        SEES_BATCH,
    ),
    Entry(
        "intake/batches/<int:pk>/",
        lambda w: f"/intake/batches/{inspectorate_batch(w)}/",
        outcomes(HIDDEN, inspector=OK, inspectorate_reader=REFUSED, anonymous=SIGN_IN),
        method="POST",
    ),
    Entry(
        "intake/batches/<int:pk>/discard/",
        lambda w: f"/intake/batches/{inspectorate_batch(w)}/discard/",
        outcomes(HIDDEN, inspector=OK, inspectorate_reader=REFUSED, anonymous=SIGN_IN),
        method="POST",
    ),
    Entry("intake/import/", lambda w: "/intake/import/", EDITORS),
    Entry("intake/import/", lambda w: "/intake/import/", EDITORS, method="POST"),
    Entry(
        "intake/import/template/<str:kind>.<str:extension>",
        lambda w: "/intake/import/template/findings.csv",
        EDITORS,
    ),
]
