"""`recreg report committee --org SLUG --since DATE --meeting DATE --format docx|pdf|html
-o FILE [--as EMAIL]`: write a committee update paper.

Without --as the paper is made as a national reader sees the register: the whole register as
published, with no drafts, no findings still in factual accuracy check and no unpublished
grades. With --as EMAIL it is made as that person, holding only what they may see.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from recreg.accounts.models import User
from recreg.accounts.roles import Role
from recreg.organisations.models import Organisation
from recreg.reports.access import PAPER_KINDS
from recreg.reports.models import PaperFormat
from recreg.reports.services import check_paper_request, write_committee_paper


def whole_register_reader() -> User:
    """A reader who sees the whole published register (as a national reader does); never
    saved."""
    return User(
        email="",
        full_name="",
        role=Role.NATIONAL_READER,
        is_active=True,
    )


def _date(value: str, option: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} must be a date like 2025-03-31, not {value!r}") from None


class Command(BaseCommand):
    help = "Write a report from the register (committee: a committee update paper)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="report", required=True, metavar="REPORT")
        committee = sub.add_parser(
            "committee",
            help="A committee update paper for a force or its PCC office",
            description=__doc__,
        )
        committee.add_argument("--org", required=True, help="The force's or PCC office's slug")
        committee.add_argument(
            "--since", required=True, help="The previous meeting's date (YYYY-MM-DD)"
        )
        committee.add_argument("--meeting", required=True, help="The meeting's date (YYYY-MM-DD)")
        committee.add_argument(
            "--format",
            choices=PaperFormat.values,
            help="docx, pdf or html (default: from the output file's name)",
        )
        committee.add_argument(
            "-o", "--output", required=True, help="The file to write ('-' for standard output)"
        )
        committee.add_argument(
            "--as",
            dest="as_email",
            help="Make the paper as this user, with only what they may see (default: the "
            "whole published register, as a national reader sees it)",
        )

    def handle(self, *args, **options):
        since = _date(options["since"], "--since")
        meeting = _date(options["meeting"], "--meeting")
        output = options["output"]
        fmt = options.get("format") or Path(output).suffix.lstrip(".").lower()
        if fmt not in PaperFormat.values:
            raise CommandError(
                "Say --format docx, pdf or html (or name the file .docx, .pdf or .html)"
            )
        organisation = (
            Organisation.objects.filter(slug=options["org"]).select_related("force").first()
        )
        if organisation is None or organisation.kind not in PAPER_KINDS:
            raise CommandError(
                f"No force or PCC office {options['org']!r} (see the slugs on the Forces page)"
            )
        if options.get("as_email"):
            user = User.objects.filter(email__iexact=options["as_email"]).first()
            if user is None or not user.is_active:
                raise CommandError(f"No active user {options['as_email']!r}")
        else:
            user = whole_register_reader()
        try:
            check_paper_request(
                organisation, since=since, meeting_date=meeting, fmt=fmt, actor=user
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        except PermissionDenied:
            raise CommandError(
                f"{user.email} may not see the progress of {organisation.name}"
            ) from None
        data = write_committee_paper(
            organisation, since=since, meeting_date=meeting, fmt=fmt, user=user
        )
        if output == "-":
            self.stdout.buffer.write(data) if hasattr(self.stdout, "buffer") else self.stdout.write(
                data.decode("utf-8", "replace")
            )
            return
        try:
            Path(output).write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Could not write {output}: {exc.strerror}") from None
        self.stderr.write(f"Wrote {output} ({len(data):,} bytes, {fmt})")
