"""Marks for tests about one database engine: they run in that engine's half of `make test`."""

import os

import pytest

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))

sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="about SQLite: runs in the SQLite half")
postgres_only = pytest.mark.skipif(
    not ON_POSTGRES, reason="about PostgreSQL: runs in the PostgreSQL half"
)
