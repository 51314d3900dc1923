"""Background tasks of progress tracking, run by the worker (`recreg worker`)."""

from __future__ import annotations

import logging

from django.tasks import task

from recreg.progress import reminders

logger = logging.getLogger(__name__)


@task
def send_weekly_digest(run_id: int) -> int:
    """Send one scheduled weekly digest run, then schedule the next week's."""
    run = reminders.claim_run(run_id)
    if run is None:
        # Another worker has it, or it has been sent: never send a week twice.
        logger.info("Digest run %s was already claimed; nothing to do", run_id)
        return 0
    sent = reminders.send_digests(run)
    logger.info("Weekly digest for the week of %s: %s emails", run.week, sent)
    reminders.schedule_weekly_digest()
    return sent
