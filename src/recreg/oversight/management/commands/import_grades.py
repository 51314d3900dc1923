"""`recreg manage import_grades FILE`: import grades from a CSV file, all rows or none."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from recreg.accounts.models import User
from recreg.oversight.grades_csv import __doc__ as FORMAT_HELP
from recreg.oversight.services import COMMAND_LINE, import_grades


class Command(BaseCommand):
    help = (
        "Import grades from a CSV file (columns: force, framework, level, area, grade, "
        "published_on). Nothing is written unless every row is right; each problem is printed "
        "with its row and column."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file (UTF-8), or - for standard input")
        parser.add_argument(
            "--user",
            help="The inspectorate editor to record as having imported (default: the command line)",
        )
        parser.add_argument(
            "--format", action="store_true", help="Describe the file's columns and stop"
        )

    def handle(self, *args, file, **options):
        if options["format"]:
            self.stdout.write(FORMAT_HELP or "")
            return
        actor = COMMAND_LINE
        if options.get("user"):
            email = options["user"].strip().lower()
            actor = User.objects.filter(email=email, is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user with the email address {email}")
        if file == "-":
            import sys

            text = sys.stdin.read()
        else:
            try:
                text = Path(file).read_text(encoding="utf-8-sig")
            except FileNotFoundError:
                raise CommandError(f"No such file: {file}") from None
            except UnicodeDecodeError:
                raise CommandError(f"{file} is not UTF-8 text: save it as CSV UTF-8") from None
        try:
            result = import_grades(text, actor=actor)
        except PermissionError as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(
                f"{len(exc.messages)} problem{'s' if len(exc.messages) != 1 else ''} found: "
                "nothing was imported"
            ) from None
        self.stdout.write(result.summary())
