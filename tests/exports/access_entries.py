"""Access matrix entries for the exports and open data (see tests/access_matrix.py).

An export applies its page's rules: the register is open to all (the public gets the public
register), an organisation's progress only to those who see it, My work to anyone signed in.
Open data is the public register, for everyone.
"""

from __future__ import annotations

from tests.access_matrix import HIDDEN, OK, SIGN_IN, Entry, everyone, outcomes, signed_in_only

SEES_A = outcomes(OK, force_b_reader=HIDDEN, anonymous=SIGN_IN)

ENTRIES = [
    *(
        Entry(
            "exports/register.<export_format:fmt>",
            lambda w, fmt=fmt: f"/exports/register.{fmt}?kind=recommendation",
            everyone(),
            label=fmt,
        )
        for fmt in ("csv", "xlsx")
    ),
    *(
        Entry(
            "exports/forces/<slug:slug>.<export_format:fmt>",
            lambda w, fmt=fmt: f"/exports/forces/{w.force_a.slug}.{fmt}",
            SEES_A,
            label=fmt,
        )
        for fmt in ("csv", "xlsx")
    ),
    Entry(
        "exports/forces/<slug:slug>.<export_format:fmt>",
        lambda w: "/exports/forces/no-such-force.csv",
        outcomes(HIDDEN, anonymous=SIGN_IN),
        label="unknown organisation",
    ),
    *(
        Entry(
            "exports/my-work.<export_format:fmt>",
            lambda w, fmt=fmt: f"/exports/my-work.{fmt}?show=overdue",
            signed_in_only(),
            label=fmt,
        )
        for fmt in ("csv", "xlsx")
    ),
    Entry("open-data/findings.csv", lambda w: "/open-data/findings.csv", everyone()),
    Entry("open-data/findings.json", lambda w: "/open-data/findings.json", everyone()),
    Entry("open-data/feed.atom", lambda w: "/open-data/feed.atom", everyone()),
]
