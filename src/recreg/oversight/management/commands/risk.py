"""`recreg risk --framework SLUG --force SLUG [--json] [--on DATE]`: the ranked question areas
of a framework for a force, with every score's contributions."""

from __future__ import annotations

import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from recreg.frameworks.models import Framework
from recreg.organisations.models import Organisation
from recreg.oversight.risk import score_force


class Command(BaseCommand):
    help = "Rank a framework's question areas for a force by the risk model, with explanations."

    def add_arguments(self, parser):
        parser.add_argument("--framework", required=True, help="The framework's slug")
        parser.add_argument("--force", required=True, help="The force's slug")
        parser.add_argument("--json", action="store_true", help="Print JSON")
        parser.add_argument("--on", help="Score as on this date (YYYY-MM-DD; default today)")

    def handle(self, *args, **options):
        framework = Framework.objects.filter(slug=options["framework"]).first()
        if framework is None:
            slugs = ", ".join(Framework.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No framework {options['framework']!r} (there are: {slugs})")
        force = Organisation.objects.forces().filter(slug=options["force"]).first()
        if force is None:
            raise CommandError(f"No police force {options['force']!r}")
        today = None
        if options.get("on"):
            try:
                today = datetime.date.fromisoformat(options["on"])
            except ValueError:
                raise CommandError("--on must be a date like 2025-03-31") from None
        result = score_force(force, framework, today=today)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
            return
        self.stdout.write(
            f"{force.name}, {framework.name}: scored {result.computed_on.isoformat()} with "
            f"risk model version {result.configuration_version}"
        )
        for area in result.areas:
            missing = f"  (missing: {', '.join(area.missing)})" if area.missing else ""
            self.stdout.write(f"\n{area.rank:>2}. {area.name}: {area.score:g}{missing}")
            for c in area.contributions:
                points = "MISSING" if c.missing else f"{c.points:g}"
                self.stdout.write(f"    {points:>7}  {c.label}: {c.detail}")
