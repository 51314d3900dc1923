"""Access rules composed once per process for each kind of reader, shared by the apps'
`access.py` modules."""

from __future__ import annotations

import functools

from django.conf import settings
from django.db import connection

from recreg.accounts.roles import capabilities_for


def reader_key(user) -> tuple:
    """What the access rules are built from for this reader: everyone with the same key gets
    the same rules (and the same SQL for the same question)."""
    caps = capabilities_for(user)
    return (
        connection.vendor,
        settings.POLICE_INSPECTORATE_SLUG,
        caps.is_public,
        caps.sees_whole_register,
        caps.sees_drafts,
        caps.organisation_ids,
    )


class ComposedPerReader:
    """A rule's queryset, composed once per process for each kind of reader.

    Django resolves a queryset's conditions into its SQL tree as it is built: the access rules
    over many records (recreg.findings.access, recreg.inspections.access: an OR over several
    tables) took 0.3-0.4 ms of every request that applied them, the same for every reader
    with the same capabilities. The rule is built from those capabilities
    alone (and the code, the database engine and the inspectorate's slug, part of the key),
    never from what is in the database. The composed queryset is never evaluated; each call
    returns its own copy (`.all()`, as Django's class-based views copy their `queryset`), so a
    caller filters it as it would a new one."""

    # Readers differ by role and organisations: about 150 kinds in a national register (the
    # organisations, a PCC's office with its force). Each rule composed is about 22 KB.
    LIMIT = 256

    def __init__(self, build):
        self.build = build
        self.composed: dict = {}
        functools.update_wrapper(self, build)

    def __call__(self, user):
        key = reader_key(user)
        qs = self.composed.get(key)
        if qs is None:
            if len(self.composed) >= self.LIMIT:
                self.composed.clear()
            qs = self.composed[key] = self.build(capabilities_for(user))
        return qs.all()
