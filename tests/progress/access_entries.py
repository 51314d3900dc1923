"""Access matrix entries for the progress pages (see tests/access_matrix.py).

Progress is never public: anonymous readers are sent to sign in everywhere. A reader who may
not see a response is told it does not exist; one who sees it but may not act is refused.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from recreg.findings.models import Response
from recreg.progress import services
from recreg.progress.models import ClosureProposal, Evidence, EvidenceType, WordingChallenge
from tests.access_matrix import HIDDEN, OK, REFUSED, SIGN_IN, Entry, outcomes, signed_in_only

PDF = b"%PDF-1.7\n%%EOF\n"
# One small fixed file, written once: the matrix has no fixture to give it a temporary store.
EVIDENCE_NAME = "evidence/access-matrix-sample"


def response_of(finding: str, org: str):
    return lambda w: Response.objects.get(finding=getattr(w, finding), organisation=getattr(w, org))


response_a = response_of("published_a", "force_a")
check_a = response_of("fact_check_a", "force_a")


def proposal_a(w) -> int:
    """A proposal to close force A's response, waiting for the inspectorate."""
    proposal, _ = ClosureProposal.objects.get_or_create(
        response=response_a(w),
        decision="",
        defaults={"statement": "Done.", "proposed_by": w.force_a_editor},
    )
    return proposal.pk


def challenge_a(w) -> int:
    """A challenge from force A to the wording of its finding in the accuracy check."""
    existing = WordingChallenge.objects.filter(response=check_a(w)).first()
    if existing:
        return existing.pk
    response = check_a(w)
    return services.raise_challenge(
        response,
        proposed_text="The force should review its custody staffing at night.",
        reason="Day shifts were fully staffed.",
        expected_version=response.version,
        actor=w.force_a_editor,
    ).pk


def evidence_a(w) -> int:
    """An evidence file on force A's response."""
    if not default_storage.exists(EVIDENCE_NAME):
        default_storage.save(EVIDENCE_NAME, ContentFile(PDF))
    evidence, _ = Evidence.objects.get_or_create(
        stored_name=EVIDENCE_NAME,
        defaults={
            "response": response_a(w),
            "original_name": "plan.pdf",
            "download_name": "plan.pdf",
            "file_type": EvidenceType.PDF,
            "content_type": "application/pdf",
            "size": len(PDF),
            "sha256": "0" * 64,
            "uploaded_by": w.force_a_editor,
        },
    )
    return evidence.pk


# Force A's progress: its people, its PCC's office, the inspectorate and national readers.
SEES_A = outcomes(OK, force_b_reader=HIDDEN, anonymous=SIGN_IN)
# Steps only force A's editors take.
EDITS_A = outcomes(REFUSED, force_a_editor=OK, force_b_reader=HIDDEN, anonymous=SIGN_IN)
# Decisions only the inspectorate's editors take.
DECIDES_A = outcomes(REFUSED, inspector=OK, force_b_reader=HIDDEN, anonymous=SIGN_IN)

ENTRIES = [
    Entry("progress/my-work/", lambda w: "/progress/my-work/", signed_in_only()),
    Entry(
        "progress/responses/<int:pk>/",
        lambda w: f"/progress/responses/{response_a(w).pk}/",
        SEES_A,
        label="force A",
    ),
    Entry(
        "progress/responses/<int:pk>/",
        lambda w: f"/progress/responses/{response_of('draft_a', 'force_a')(w).pk}/",
        outcomes(HIDDEN, inspector=OK, inspectorate_reader=OK, anonymous=SIGN_IN),
        label="draft",
    ),
    Entry(
        "progress/responses/<int:pk>/",
        lambda w: f"/progress/responses/{response_of('national_body', 'home_office')(w).pk}/",
        outcomes(
            HIDDEN, inspector=OK, inspectorate_reader=OK, national_reader=OK, anonymous=SIGN_IN
        ),
        label="national body",
    ),
    *[
        Entry(
            f"progress/responses/<int:pk>/{step}/",
            lambda w, step=step, target=target: f"/progress/responses/{target(w).pk}/{step}/",
            expect,
            method=method,
        )
        for step, target, expect in [
            ("allocate", response_a, EDITS_A),
            ("updates/new", response_a, EDITS_A),
            ("evidence/new", response_a, EDITS_A),
            ("target-date", response_a, EDITS_A),
            ("closure", response_a, EDITS_A),
            ("challenge", check_a, EDITS_A),
            ("discharge", response_a, DECIDES_A),
        ]
        for method in ("GET", "POST")
    ],
    *[
        Entry(
            "progress/closures/<int:pk>/decide/",
            lambda w: f"/progress/closures/{proposal_a(w)}/decide/",
            DECIDES_A,
            method=method,
        )
        for method in ("GET", "POST")
    ],
    *[
        Entry(
            "progress/challenges/<int:pk>/decide/",
            lambda w: f"/progress/challenges/{challenge_a(w)}/decide/",
            DECIDES_A,
            method=method,
        )
        for method in ("GET", "POST")
    ],
    Entry(
        "progress/evidence/<int:pk>/",
        lambda w: f"/progress/evidence/{evidence_a(w)}/",
        SEES_A,
    ),
    Entry("progress/forces/<slug:slug>/", lambda w: "/progress/forces/force-a/", SEES_A),
    Entry(
        "progress/forces/<slug:slug>/",
        lambda w: "/progress/forces/force-b/",
        outcomes(OK, force_a_editor=HIDDEN, pcc_officer=HIDDEN, anonymous=SIGN_IN),
        label="force B",
    ),
    Entry(
        "progress/forces/<slug:slug>/boards/", lambda w: "/progress/forces/force-a/boards/", SEES_A
    ),
    Entry(
        "progress/forces/<slug:slug>/boards/",
        lambda w: "/progress/forces/force-a/boards/",
        EDITS_A,
        method="POST",
    ),
    *[
        Entry(
            "progress/forces/<slug:slug>/reassign/",
            lambda w: "/progress/forces/force-a/reassign/",
            EDITS_A,
            method=method,
        )
        for method in ("GET", "POST")
    ],
]
