"""`recreg import FILE --kind KIND --user EMAIL`: bulk import from a CSV or Excel file."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from recreg.intake.bulk import KINDS, import_file


class Command(BaseCommand):
    help = "Import inspections, findings, responses or grades from a CSV or Excel file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--kind", required=True, choices=KINDS)
        parser.add_argument("--user", required=True, help="Email address of the person importing")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        actor = get_user_model().objects.filter(email__iexact=options["user"]).first()
        if actor is None:
            raise CommandError(f"No one has the email address {options['user']}")
        try:
            report = import_file(options["kind"], path.read_bytes(), path.name, actor=actor)
        except (PermissionError, PermissionDenied) as exc:
            raise CommandError(str(exc)) from None
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(report.summary())
        self.stdout.write(report.summary())
