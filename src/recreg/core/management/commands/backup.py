"""`recreg backup FILE`: the whole register (records, audit trail, stored files) in one file."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from recreg.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write the whole register (records, audit trail, evidence files) to one file"

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the backup (a .zip file)")

    def handle(self, *args, file: str, verbosity: int = 1, **options):
        started = time.monotonic()
        say = self.stdout.write if verbosity > 1 else None
        try:
            summary = backup(file, progress=say)
        except (BackupError, OSError) as exc:
            raise CommandError(f"No backup was written: {exc}") from None
        size = filesizeformat(summary.file_bytes).replace("\xa0", " ")
        self.stdout.write(
            f"Backed up {summary.rows} rows in {summary.tables} tables, {summary.files} files "
            f"({size}) and {summary.audit_events} audit events to {file} "
            f"in {time.monotonic() - started:.1f} s"
        )
