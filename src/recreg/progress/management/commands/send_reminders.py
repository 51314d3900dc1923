"""`recreg manage send_reminders`: send the reminder digest now, outside the weekly schedule."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from recreg.progress.reminders import build_digests, run_digest_now


class Command(BaseCommand):
    help = "Send everyone their reminder digest now (one email per person with something due)"

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List who would get a digest and how many items, without sending anything",
        )

    def handle(self, *args, dry_run: bool = False, **options):
        if dry_run:
            digests = build_digests()
            for digest in digests:
                self.stdout.write(f"{digest.user.email}: {digest.count} items")
            self.stdout.write(f"{len(digests)} digests would be sent")
            return
        run, sent = run_digest_now()
        self.stdout.write(f"Sent {sent} reminder digest{'s' if sent != 1 else ''} (run {run.pk})")
