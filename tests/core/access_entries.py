"""Access matrix entries for the register core: home, sign-in, findings, inspections, forces
and the API (see tests/access_matrix.py)."""

from recreg.findings.models import Response
from tests.access_matrix import (
    HIDDEN,
    OK,
    REFUSED,
    SIGN_IN,
    Entry,
    everyone,
    inspectorate_editors_only,
    outcomes,
)


def response_of(finding, org):
    return lambda w: (
        Response.objects.get(finding=getattr(w, finding), organisation=getattr(w, org)).pk
    )


# Who sees each finding of the test world (tests/conftest.py).
SEES = {
    "published_a": everyone(),
    "fact_check_a": outcomes(OK, force_b_reader=HIDDEN, anonymous=HIDDEN),
    "draft_a": outcomes(HIDDEN, inspector=OK, inspectorate_reader=OK),
    "joint_a": outcomes(OK, force_b_reader=HIDDEN, anonymous=HIDDEN),
    "national_body": outcomes(HIDDEN, inspector=OK, inspectorate_reader=OK, national_reader=OK),
}
SEES_INSPECTION = {
    "inspection_a": everyone(),
    "draft_inspection": outcomes(OK, force_b_reader=HIDDEN, anonymous=HIDDEN),
    "joint": outcomes(OK, force_b_reader=HIDDEN, anonymous=HIDDEN),
}
# The API answers 401, not a redirect, to a change without credentials.
API_WRITE = outcomes(REFUSED, inspector=OK, anonymous=SIGN_IN)

ENTRIES = [
    Entry("", lambda w: "/", everyone()),
    Entry("healthz", lambda w: "/healthz", everyone()),
    Entry("accounts/sign-in/", lambda w: "/accounts/sign-in/", everyone()),
    Entry(
        "accounts/sign-in/",
        lambda w: "/accounts/sign-in/",
        everyone(),
        method="POST",
        data=lambda w: {"username": "nobody@example.org", "password": "wrong"},
    ),
    Entry("accounts/sign-out/", lambda w: "/accounts/sign-out/", everyone(), method="POST"),
    Entry("findings/", lambda w: "/findings/", everyone()),
    Entry(
        "findings/",
        lambda w: "/findings/?q=force&force=force-a&overdue=1",
        everyone(),
        label="filtered",
    ),
    *[
        Entry(
            "findings/<int:pk>/",
            lambda w, name=name: f"/findings/{getattr(w, name).pk}/",
            expect,
            label=name,
        )
        for name, expect in SEES.items()
    ],
    Entry(
        "findings/new/<int:inspection_pk>/",
        lambda w: f"/findings/new/{w.inspection_a.pk}/",
        inspectorate_editors_only(),
    ),
    Entry(
        "findings/new/<int:inspection_pk>/",
        lambda w: f"/findings/new/{w.inspection_a.pk}/",
        inspectorate_editors_only(),
        method="POST",
    ),
    Entry(
        "findings/<int:pk>/edit/",
        lambda w: f"/findings/{w.published_a.pk}/edit/",
        inspectorate_editors_only(),
    ),
    Entry(
        "findings/<int:pk>/edit/",
        lambda w: f"/findings/{w.published_a.pk}/edit/",
        inspectorate_editors_only(),
        method="POST",
    ),
    # A draft: only the inspectorate knows it exists.
    Entry(
        "findings/<int:pk>/delete/",
        lambda w: f"/findings/{w.draft_a.pk}/delete/",
        outcomes(HIDDEN, inspector=OK, inspectorate_reader=REFUSED, anonymous=SIGN_IN),
    ),
    Entry(
        "findings/<int:pk>/delete/",
        lambda w: f"/findings/{w.draft_a.pk}/delete/",
        outcomes(HIDDEN, inspector=OK, inspectorate_reader=REFUSED, anonymous=SIGN_IN),
        method="POST",
    ),
    Entry(
        "findings/responses/<int:pk>/",
        lambda w: f"/findings/responses/{response_of('published_a', 'force_a')(w)}/",
        outcomes(OK, force_b_reader=HIDDEN),
        label="public response",
    ),
    Entry(
        "findings/responses/<int:pk>/",
        lambda w: f"/findings/responses/{response_of('fact_check_a', 'force_a')(w)}/",
        outcomes(OK, force_b_reader=HIDDEN, anonymous=HIDDEN),
        label="response in check",
    ),
    Entry("inspections/", lambda w: "/inspections/", everyone()),
    Entry("inspections/new/", lambda w: "/inspections/new/", inspectorate_editors_only()),
    Entry(
        "inspections/new/",
        lambda w: "/inspections/new/",
        inspectorate_editors_only(),
        method="POST",
    ),
    *[
        Entry(
            "inspections/<int:pk>/",
            lambda w, name=name: f"/inspections/{getattr(w, name).pk}/",
            expect,
            label=name,
        )
        for name, expect in SEES_INSPECTION.items()
    ],
    Entry(
        "inspections/<int:pk>/edit/",
        lambda w: f"/inspections/{w.inspection_a.pk}/edit/",
        inspectorate_editors_only(),
    ),
    Entry(
        "inspections/<int:pk>/edit/",
        lambda w: f"/inspections/{w.inspection_a.pk}/edit/",
        inspectorate_editors_only(),
        method="POST",
    ),
    Entry("forces/", lambda w: "/forces/", everyone()),
    Entry("forces/<slug:slug>/", lambda w: "/forces/force-a/", everyone()),
    # The API shares the pages' rules.
    Entry("api/v1/", lambda w: "/api/v1/", outcomes(HIDDEN)),
    Entry("api/v1/openapi.json", lambda w: "/api/v1/openapi.json", everyone()),
    Entry("api/v1/inspections", lambda w: "/api/v1/inspections", everyone()),
    Entry(
        "api/v1/inspections",
        lambda w: "/api/v1/inspections",
        API_WRITE,
        method="POST",
        json_body=True,
        data=lambda w: {
            "title": "Matrix inspection",
            "kind": "force",
            "lead_inspectorate": "hmicfrs",
            "state": "planned",
        },
    ),
    *[
        Entry(
            "api/v1/inspections/<inspection_id>",
            lambda w, name=name: f"/api/v1/inspections/{getattr(w, name).pk}",
            expect,
            label=name,
        )
        for name, expect in SEES_INSPECTION.items()
    ],
    Entry(
        "api/v1/inspections/<inspection_id>",
        lambda w: f"/api/v1/inspections/{w.inspection_a.pk}",
        API_WRITE,
        method="PATCH",
        json_body=True,
    ),
    Entry("api/v1/findings", lambda w: "/api/v1/findings", everyone()),
    Entry(
        "api/v1/findings",
        lambda w: "/api/v1/findings",
        API_WRITE,
        method="POST",
        json_body=True,
        data=lambda w: {
            "inspection": w.inspection_a.pk,
            "kind": "recommendation",
            "text": "The force should answer the matrix.",
            "addressee_scope": "forces",
            "addressees": ["force-a"],
        },
    ),
    *[
        Entry(
            "api/v1/findings/<finding_id>",
            lambda w, name=name: f"/api/v1/findings/{getattr(w, name).pk}",
            expect,
            label=name,
        )
        for name, expect in SEES.items()
    ],
    Entry(
        "api/v1/findings/<finding_id>",
        lambda w: f"/api/v1/findings/{w.published_a.pk}",
        API_WRITE,
        method="PATCH",
        json_body=True,
    ),
    Entry("api/v1/responses", lambda w: "/api/v1/responses", everyone()),
    Entry(
        "api/v1/responses/<response_id>",
        lambda w: f"/api/v1/responses/{response_of('published_a', 'force_a')(w)}",
        outcomes(OK, force_b_reader=HIDDEN),
        label="public response",
    ),
    Entry(
        "api/v1/responses/<response_id>",
        lambda w: f"/api/v1/responses/{response_of('fact_check_a', 'force_a')(w)}",
        outcomes(OK, force_b_reader=HIDDEN, anonymous=HIDDEN),
        label="response in check",
    ),
]
