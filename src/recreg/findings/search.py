"""Ranked full-text search over findings, on each engine's own index (see migration 0002)."""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import BooleanField, FloatField, QuerySet, Value
from django.db.models.expressions import RawSQL

# PostgreSQL's English configuration drops these; SQLite's FTS5 does not, so they are dropped
# from the query here too, and both engines return the same findings for the same words.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will
    just don should now""".split()  # noqa: SIM905 - easier to check against the list as printed
)
# A stored generated column with a GIN index (migrations 0002 and 0006), so ranking reads
# each matching finding's vector rather than computing it again.
_PG_VECTOR = '"findings_finding"."search_vector"'


def query_terms(query: str) -> list[str]:
    """The words of a search, lower-cased, without stop words."""
    words = re.findall(r"\w+", query.lower())
    return [w for w in words if w not in STOP_WORDS][:20]


def search_findings(qs: QuerySet, query: str) -> QuerySet:
    """Findings matching every word of the query, annotated with `search_rank` (higher is
    better). An empty or all-stop-word query matches nothing."""
    terms = query_terms(query)
    if not terms:
        return qs.none().annotate(search_rank=Value(0.0, output_field=FloatField()))
    if connection.vendor == "postgresql":
        tsquery = " & ".join(terms)
        condition = RawSQL(  # noqa: S611 - the words are passed as a parameter
            f"{_PG_VECTOR} @@ to_tsquery('english'::regconfig, %s)",
            [tsquery],
            output_field=BooleanField(),
        )
        rank = RawSQL(  # noqa: S611 - the words are passed as a parameter
            f"ts_rank({_PG_VECTOR}, to_tsquery('english'::regconfig, %s))",
            [tsquery],
            output_field=FloatField(),
        )
        return qs.filter(condition).annotate(search_rank=rank)
    match = " ".join(f'"{term}"' for term in terms)
    # bm25() is lower for better matches; negate so that higher is better on both engines.
    return qs.extra(
        tables=["findings_finding_fts"],
        where=[
            "findings_finding_fts.rowid = findings_finding.id",
            "findings_finding_fts MATCH %s",
        ],
        params=[match],
        select={"search_rank": "-bm25(findings_finding_fts)"},
    )


def order_by_rank(qs: QuerySet) -> QuerySet:
    """Best matches first."""
    return qs.order_by("-search_rank", "-id")
