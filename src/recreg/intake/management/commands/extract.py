"""`recreg extract FILE`: print the findings (and grade tables) found in a report document."""

from __future__ import annotations

import datetime
import json
import textwrap

from django.core.management.base import BaseCommand, CommandError

from recreg.intake.extract import ExtractionError, extract_file

KIND_LABELS = {
    "recommendation": "Recommendation",
    "area_for_improvement": "Area for improvement",
    "cause_of_concern": "Cause of concern",
    "accelerated_cause_of_concern": "Accelerated cause of concern",
}


def describe_addressee(addressee: dict | None) -> str:
    """An addressee in words."""
    if not addressee:
        return "not stated"
    kind = addressee.get("type")
    name = addressee.get("name")
    if kind == "all_forces":
        return "all forces"
    if kind == "chief_constables":
        return "chief constables"
    if kind == "national_body":
        return ", ".join(addressee.get("names") or [name or "a national body"])
    return name or "the force"


def describe_deadline(deadline: dict | None) -> str:
    """A deadline in words."""
    if not deadline:
        return "none"
    if deadline["type"] == "immediate":
        return "immediately"
    if deadline["type"] == "months":
        resolved = f" ({deadline['date']})" if deadline.get("date") else ""
        return f"within {deadline['months']} months{resolved}"
    return deadline["date"]


def describe_source(source: dict) -> str:
    """Where a finding starts, in words."""
    return ", ".join(f"{key} {value}" for key, value in source.items()) or "unknown"


class Command(BaseCommand):
    help = "Find the findings in a report (PDF, Word .docx, HTML, Markdown or text)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The report document")
        parser.add_argument(
            "--published",
            help="The report's publication date (YYYY-MM-DD), to resolve deadlines in months",
        )
        parser.add_argument("--json", action="store_true", help="Print JSON")
        parser.add_argument(
            "--grades", action="store_true", help="Also print grade tables found in the document"
        )

    def handle(self, *args, **options):
        published = None
        if options["published"]:
            try:
                published = datetime.date.fromisoformat(options["published"])
            except ValueError:
                raise CommandError(
                    f"--published must be a date like 2024-03-14, not {options['published']!r}"
                ) from None
        try:
            result = extract_file(options["file"], published=published)
        except ExtractionError as exc:
            raise CommandError(f"{options['file']}: {exc}") from None
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        if options["json"]:
            payload = (
                {"findings": result.findings, "grades": result.grades}
                if options["grades"]
                else result.findings
            )
            self.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False))
            return
        self._print_findings(result.findings)
        if options["grades"]:
            self._print_grades(result.grades)

    def _print_findings(self, findings: list[dict]) -> None:
        if not findings:
            self.stdout.write("No findings found.")
            return
        self.stdout.write(f"{len(findings)} finding{'s' if len(findings) != 1 else ''} found\n")
        for number, item in enumerate(findings, 1):
            title = KIND_LABELS[item["kind"]]
            reference = item["reference"]
            if reference:
                title = (
                    reference if any(ch.isalpha() for ch in reference) else f"{title} {reference}"
                )
            self.stdout.write(f"{number}. {title}  [{describe_source(item['source'])}]")
            for line in item["text"].splitlines():
                self.stdout.write(
                    textwrap.fill(line, 96, initial_indent="   ", subsequent_indent="   ")
                )
            self.stdout.write(f"   To: {describe_addressee(item['addressee'])}")
            self.stdout.write(f"   Deadline: {describe_deadline(item['deadline'])}")
            if item.get("area"):
                self.stdout.write(f"   Area: {item['area']}")
            if item.get("parent") is not None:
                self.stdout.write(f"   Belongs to: {item['parent'] + 1}")
            self.stdout.write("")

    def _print_grades(self, tables: list[dict]) -> None:
        if not tables:
            self.stdout.write("No grade tables found.")
            return
        for table in tables:
            self.stdout.write(f"Grade table [{describe_source(table['source'])}]")
            for row in table["rows"]:
                grades = "; ".join(f"{column}: {grade}" for column, grade in row["grades"].items())
                self.stdout.write(f"   {row['area']}: {grades}")
            self.stdout.write("")
