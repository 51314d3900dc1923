"""`recreg manage load_demo`: load the demo register into a migrated database."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from recreg.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo register (organisations, frameworks, users, inspections, findings)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")

    def handle(self, *args, seed, **options):
        summary = load_demo(seed=seed, stdout=self.stdout if options["verbosity"] > 1 else None)
        if options["verbosity"] > 0:
            self.stdout.write("Demo register (total, and added by this load):")
            for line in summary.lines():
                self.stdout.write(line)
