"""Background tasks of the reports app, run by the worker (`recreg worker`)."""

from __future__ import annotations

import logging

from django.tasks import task

from recreg.reports import services

logger = logging.getLogger(__name__)


@task
def generate_committee_paper(paper_id: int) -> str:
    """Write a committee paper asked for on the page, and keep its file."""
    paper = services.generate_paper_file(paper_id)
    if paper is None:
        logger.info("Committee paper %s was already taken by another worker", paper_id)
        return "skipped"
    return paper.state
