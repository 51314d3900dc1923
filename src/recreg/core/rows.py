"""Plain rows read from the database, put together for a page or a file."""

from __future__ import annotations

from django.db.models import Aggregate, Count, OuterRef, QuerySet, Subquery


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


def per_row(related: QuerySet, link: str, aggregate: Aggregate) -> Subquery:
    """For each row of the outer query, `aggregate` over the `related` rows whose `link` column
    holds its id (NULL when there are none), worked out in the same statement."""
    return Subquery(
        related.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(value=aggregate)
        .values("value")
    )


def count_per_row(related: QuerySet, link: str) -> Subquery:
    """For each row of the outer query, how many `related` rows have its id in `link`."""
    return per_row(related, link, Count("pk"))
