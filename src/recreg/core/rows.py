"""Plain rows read from the database, put together for a page or a file."""

from __future__ import annotations


def grouped(pairs) -> dict:
    """{key: [rest, …]} from rows whose first value is the key, keeping their order."""
    out: dict = {}
    for row in pairs:
        key = row[0]
        found = out.get(key)
        if found is None:
            out[key] = [row[1:]]
        else:
            found.append(row[1:])
    return out
