"""Access matrix entries for the dashboards (see tests/access_matrix.py).

Dashboards are open to everyone: each reader's charts count only what they may see (the
public: the public register's states; progress charts only for those who see the progress).
"""

from __future__ import annotations

from tests.access_matrix import HIDDEN, Entry, everyone, outcomes

ENTRIES = [
    Entry("dashboards/", lambda w: "/dashboards/", everyone()),
    Entry(
        "dashboards/forces/<slug:slug>/",
        lambda w: f"/dashboards/forces/{w.force_a.slug}/",
        everyone(),
    ),
    Entry(
        "dashboards/forces/<slug:slug>/",
        lambda w: f"/dashboards/forces/{w.pcc_a.slug}/",
        outcomes(HIDDEN),
        label="not a force",
    ),
]
