"""Django's database sessions, read with a statement compiled once.

Every signed-in request reads its session. Through the ORM the read (a get() by key and
expiry) took five times as long to build and compile as to run (docs/performance.md,
seventeenth round); here it is compiled once for each thread and run with the key swapped in.
Saving, cycling keys and clearing are Django's own.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.utils import timezone

from recreg.core.statements import CompiledRows, KeptStatements

# Compiled in the key's place and swapped for it on each read; never a session key (those
# are letters and digits only).
_KEY_PLACEHOLDER = "recreg: the session's key"
_READ = KeptStatements()


class SessionStore(db.SessionStore):
    """Database sessions (SESSION_ENGINE "recreg.accounts.sessions")."""

    def load(self) -> dict:
        """The session's data, or {} (and no key) if it is not there or has expired."""
        statement = _READ.get(
            self.model,
            lambda: CompiledRows(
                self.model.objects.filter(session_key=_KEY_PLACEHOLDER),
                ("session_data", "expire_date"),
            ),
        )
        rows = statement.tuples(params=statement.params_with({_KEY_PLACEHOLDER: self.session_key}))
        # The expiry is compared here rather than in the statement, which then has no time to
        # swap in; the key is unique, so there is one row or none.
        if rows and rows[0][1] > timezone.now():
            return self.decode(rows[0][0])
        self._session_key = None
        return {}
