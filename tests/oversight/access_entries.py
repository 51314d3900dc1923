"""Access matrix entries for the oversight pages (see tests/access_matrix.py and the table in
docs/oversight.md).

Published grades and monitoring are public. Liaison notes and data returns are the
inspectorate's and the force's own: anyone else is told they do not exist. The inspectorate's
working pages ask a visitor to sign in and refuse other signed-in readers.
"""

from __future__ import annotations

import datetime

from recreg.oversight import services
from recreg.oversight.models import (
    CollectionWindow,
    MonitoringDecision,
    MonitoringRound,
    TranchePlan,
)
from tests.access_matrix import HIDDEN, OK, REFUSED, SIGN_IN, Entry, everyone, outcomes
from tests.oversight.conftest import INDICATORS

INSPECTORATE = outcomes(REFUSED, inspector=OK, inspectorate_reader=OK, anonymous=SIGN_IN)
EDITOR = outcomes(REFUSED, inspector=OK, anonymous=SIGN_IN)
# Force A's liaison notes and data returns.
FORCE_A_PRIVATE = outcomes(HIDDEN, inspector=OK, inspectorate_reader=OK, force_a_editor=OK)
NOTE_WRITER = outcomes(HIDDEN, inspector=OK, inspectorate_reader=REFUSED, force_a_editor=REFUSED)
RETURN_WRITER = outcomes(HIDDEN, inspector=OK, inspectorate_reader=REFUSED, force_a_editor=OK)
RETURNS_INDEX = outcomes(OK, pcc_officer=REFUSED, national_reader=REFUSED, anonymous=SIGN_IN)
FRAMEWORK = "peel-2023-25"  # the world's framework


def round_of(w) -> MonitoringRound:
    """The 2024 tranche 2 monitoring round, made once."""
    existing = MonitoringRound.objects.filter(tranche__year=2024, tranche__number=2).first()
    return existing or services.create_monitoring_round(
        year=2024,
        tranche_number=2,
        starts_on=datetime.date(2024, 5, 6),
        ends_on=datetime.date(2024, 8, 30),
        meets_on=datetime.date(2024, 9, 17),
        actor=w.inspector,
    )


def decision_a(w) -> int:
    """Force A's decision in that round."""
    monitoring_round = round_of(w)
    existing = MonitoringDecision.objects.filter(round=monitoring_round, force=w.force_a).first()
    return (
        existing
        or services.record_monitoring_decision(
            monitoring_round,
            w.force_a,
            status="Engage",
            reasons="Concerns about call handling.",
            decided_on=monitoring_round.meets_on,
            actor=w.inspector,
        )
    ).pk


def window_of(w) -> CollectionWindow:
    """A closed collection window with its template, made once."""
    existing = CollectionWindow.objects.filter(name="Spring 2025").first()
    if existing:
        return existing
    template = services.create_return_template(
        name="Force data return", indicators=INDICATORS, actor=w.inspector
    )
    return services.create_collection_window(
        template=template,
        name="Spring 2025",
        opens_on=datetime.date(2025, 3, 3),
        due_on=datetime.date(2025, 4, 30),
        actor=w.inspector,
    )


def plan_of(w) -> int:
    """A plan for force B in the round's tranche."""
    tranche = round_of(w).tranche
    existing = TranchePlan.objects.filter(tranche=tranche).first()
    return (
        existing
        or services.create_tranche_plan(
            tranche=tranche,
            framework=w.area.framework,
            forces=[w.force_b],
            core_areas=[w.area],
            extra_area_count=0,
            actor=w.inspector,
        )
    ).pk


def both(route, url, expect, post_expect=None, label=""):
    """A form page: its GET, and its POST with an empty body."""
    return [
        Entry(route, url, expect, label=label),
        Entry(route, url, post_expect or expect, method="POST", label=label),
    ]


P = "oversight/"
ENTRIES = [
    Entry(P, lambda w: "/oversight/", everyone()),
    # Grades
    Entry(P + "grades/", lambda w: "/oversight/grades/", everyone()),
    *both(P + "grades/import/", lambda w: "/oversight/grades/import/", EDITOR),
    Entry(
        P + "grades/<slug:framework_slug>/", lambda w: f"/oversight/grades/{FRAMEWORK}/", everyone()
    ),
    *both(
        P + "grades/<slug:framework_slug>/<slug:force_slug>/edit/",
        lambda w: f"/oversight/grades/{FRAMEWORK}/force-a/edit/",
        EDITOR,
    ),
    Entry(
        P + "forces/<slug:slug>/grades/", lambda w: "/oversight/forces/force-a/grades/", everyone()
    ),
    # Monitoring
    Entry(P + "monitoring/", lambda w: "/oversight/monitoring/", everyone()),
    Entry(P + "monitoring/engage/", lambda w: "/oversight/monitoring/engage/", everyone()),
    *both(P + "monitoring/rounds/new/", lambda w: "/oversight/monitoring/rounds/new/", EDITOR),
    Entry(
        P + "monitoring/rounds/<int:pk>/",
        lambda w: f"/oversight/monitoring/rounds/{round_of(w).pk}/",
        everyone(),
    ),
    *both(
        P + "monitoring/rounds/<int:pk>/forces/<slug:slug>/decide/",
        lambda w: f"/oversight/monitoring/rounds/{round_of(w).pk}/forces/force-b/decide/",
        EDITOR,
    ),
    Entry(
        P + "monitoring/decisions/<int:pk>/",
        lambda w: f"/oversight/monitoring/decisions/{decision_a(w)}/",
        everyone(),
    ),
    *both(
        P + "monitoring/decisions/<int:pk>/edit/",
        lambda w: f"/oversight/monitoring/decisions/{decision_a(w)}/edit/",
        EDITOR,
    ),
    Entry(
        P + "forces/<slug:slug>/monitoring/",
        lambda w: "/oversight/forces/force-a/monitoring/",
        everyone(),
    ),
    # Data returns and liaison notes
    Entry(P + "returns/", lambda w: "/oversight/returns/", RETURNS_INDEX),
    *both(P + "returns/templates/new/", lambda w: "/oversight/returns/templates/new/", EDITOR),
    Entry(
        P + "returns/templates/<int:pk>/",
        lambda w: f"/oversight/returns/templates/{window_of(w).template_id}/",
        INSPECTORATE,
    ),
    *both(
        P + "returns/templates/<int:pk>/revise/",
        lambda w: f"/oversight/returns/templates/{window_of(w).template_id}/revise/",
        EDITOR,
    ),
    *both(P + "returns/windows/new/", lambda w: "/oversight/returns/windows/new/", EDITOR),
    Entry(
        P + "returns/windows/<int:pk>/",
        lambda w: f"/oversight/returns/windows/{window_of(w).pk}/",
        INSPECTORATE,
    ),
    *both(
        P + "returns/windows/<int:pk>/forces/<slug:slug>/",
        lambda w: f"/oversight/returns/windows/{window_of(w).pk}/forces/force-a/",
        FORCE_A_PRIVATE,
        RETURN_WRITER,
    ),
    Entry(
        P + "forces/<slug:slug>/returns/",
        lambda w: "/oversight/forces/force-a/returns/",
        FORCE_A_PRIVATE,
    ),
    Entry(
        P + "forces/<slug:slug>/notes/",
        lambda w: "/oversight/forces/force-a/notes/",
        FORCE_A_PRIVATE,
    ),
    *both(
        P + "forces/<slug:slug>/notes/new/",
        lambda w: "/oversight/forces/force-a/notes/new/",
        NOTE_WRITER,
    ),
    # The risk model and planning
    Entry(P + "risk/", lambda w: "/oversight/risk/", INSPECTORATE),
    Entry(P + "risk/configuration/", lambda w: "/oversight/risk/configuration/", INSPECTORATE),
    *both(P + "risk/configuration/edit/", lambda w: "/oversight/risk/configuration/edit/", EDITOR),
    Entry(
        P + "risk/<slug:framework_slug>/<slug:force_slug>/",
        lambda w: f"/oversight/risk/{FRAMEWORK}/force-a/",
        INSPECTORATE,
    ),
    Entry(P + "planning/", lambda w: "/oversight/planning/", INSPECTORATE),
    Entry(P + "planning/new/", lambda w: "/oversight/planning/new/", EDITOR),
    *both(
        P + "planning/new/<int:tranche_pk>/<slug:framework_slug>/",
        lambda w: f"/oversight/planning/new/{round_of(w).tranche_id}/{FRAMEWORK}/",
        EDITOR,
    ),
    Entry(P + "planning/<int:pk>/", lambda w: f"/oversight/planning/{plan_of(w)}/", INSPECTORATE),
]
