"""`recreg manage worker`: run background tasks, with the weekly reminder digest scheduled.

It is django_tasks_db's `db_worker` with two things added: on start it marks failed the
committee papers a stopped worker left unfinished (recreg.reports.services), and it makes sure
the next weekly digest is queued (once, however many workers start), and each run of the digest queues
the one after, so a worker left running sends one digest a week.
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from recreg.progress.reminders import schedule_weekly_digest
from recreg.reports.services import recover_stalled_papers


class Command(DbWorkerCommand):
    help = "Run background tasks (reminder emails included) from the database queue"

    def handle(self, *args, **options):
        # A worker killed mid-paper leaves it "running": give up those whose lease has run out
        # (their readers are offered to try again) before taking new work.
        stalled = recover_stalled_papers()
        if stalled and options.get("verbosity", 1):
            self.stdout.write(f"Committee papers left unfinished by a stopped worker: {stalled}")
        run = schedule_weekly_digest()
        if options.get("verbosity", 1):
            self.stdout.write(
                f"Weekly reminder digest for the week of {run.week:%d %B %Y}: "
                f"{run.get_state_display().lower()}, due {timezone.localtime(run.due_at):%d %B %Y %H:%M}"
            )
        return super().handle(*args, **options)
