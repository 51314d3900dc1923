"""The response counts the database keeps (ResponseCount), against the responses counted
afresh: what the tests, and anyone doubting the force overview's figures, compare."""

from __future__ import annotations

from django.db.models import Count, F

from recreg.findings.models import Response, ResponseCount

Key = tuple[int, str, str, str]  # organisation id, finding state, response state, rating


def kept_counts() -> dict[Key, int]:
    """Every count the database keeps that is not zero."""
    rows = ResponseCount.objects.exclude(n=0).values_list(
        "organisation_id", "finding_state", "state", "rag", "n"
    )
    return {(org, finding, state, rag): n for org, finding, state, rag, n in rows}


def counted_afresh() -> dict[Key, int]:
    """The same counts, from the responses and their findings."""
    rows = (
        Response.objects.order_by()
        .values_list("organisation_id", F("finding__state"), "state", "rag")
        .annotate(n=Count("*"))
    )
    return {(org, finding, state, rag): n for org, finding, state, rag, n in rows}


def count_drift() -> dict[Key, tuple[int, int]]:
    """Each count whose kept value differs from the responses: {key: (kept, counted)}."""
    kept, counted = kept_counts(), counted_afresh()
    return {
        key: (kept.get(key, 0), counted.get(key, 0))
        for key in kept.keys() | counted.keys()
        if kept.get(key, 0) != counted.get(key, 0)
    }
