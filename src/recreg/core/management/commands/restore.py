"""`recreg restore FILE`: load a backup made by `recreg backup`, all or nothing."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from recreg.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Load a register from a backup file into an empty database (all or nothing)"

    def add_arguments(self, parser):
        parser.add_argument("file", help="A backup written by `recreg backup`")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete every record and stored file in this register first",
        )

    def handle(self, *args, file: str, replace: bool = False, verbosity: int = 1, **options):
        started = time.monotonic()
        say = self.stdout.write if verbosity > 1 else None
        try:
            summary = restore(file, replace=replace, progress=say)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Restored {summary.rows} rows in {summary.tables} tables and {summary.files} files; "
            f"the audit trail of {summary.audit_events} events verifies. "
            f"Took {time.monotonic() - started:.1f} s"
        )
