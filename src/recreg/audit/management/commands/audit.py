"""`recreg audit verify`: check the audit trail's hash chain from the first event to the last."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from recreg.audit.chain import verify


def _anchor(raw: str) -> tuple[int, str]:
    seq, sep, digest = raw.partition(":")
    if not sep or not seq.isdigit() or len(digest) != 64:
        raise CommandError(f"--anchor must be SEQ:HASH (a number and a 64-character hash): {raw}")
    return int(seq), digest.lower()


class Command(BaseCommand):
    help = "Check the audit trail's hash chain; names the first broken link"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="verify")
        check = sub.add_parser("verify", help="Check every event against its hash and the chain")
        check.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="SEQ:HASH",
            help="A hash recorded earlier (as printed by verify); the trail must still have it",
        )

    def handle(self, *args, action: str, anchor: list[str], **options):
        anchors = dict(_anchor(raw) for raw in anchor)
        started = time.monotonic()
        result = verify(anchors=anchors)
        took = time.monotonic() - started
        if not result.ok:
            raise CommandError(
                f"The audit trail is broken at {result.broken} "
                f"({result.checked} events before it are intact)."
            )
        self.stdout.write(
            f"The audit trail is intact: {result.checked} events checked in {took:.1f} s.\n"
            f"Chain head: {result.head_seq}:{result.head_hash}"
        )
