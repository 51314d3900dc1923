"""Presentation of progress: RAG tags and the words for a response's timeline entries.

Every tag carries its meaning as text; the colour only repeats it.
"""

from __future__ import annotations

from django import template

from recreg.findings.models import RAG

register = template.Library()

RAG_TAG_CLASSES = {
    RAG.RED: "govuk-tag--red",
    RAG.AMBER: "govuk-tag--orange",
    RAG.GREEN: "govuk-tag--green",
}


@register.filter
def rag_tag_class(rag: str) -> str:
    """The tag colour of a RAG rating."""
    return RAG_TAG_CLASSES.get(rag, "govuk-tag--grey")


@register.filter
def rag_label(rag: str) -> str:
    """A RAG rating in words ("Not rated" when there is none)."""
    return RAG(rag).label if rag in RAG.values else "Not rated"


@register.inclusion_tag("progress/includes/rag.html")
def rag_tag(rag: str):
    """A RAG rating as a tag."""
    return {"rag": rag, "label": rag_label(rag), "css": rag_tag_class(rag)}


@register.simple_tag(takes_context=True)
def page_url(context, param: str, number: int) -> str:
    """The current address with one list's page number set, keeping every other parameter."""
    params = context["request"].GET.copy()
    params[param] = number
    return "?" + params.urlencode()
