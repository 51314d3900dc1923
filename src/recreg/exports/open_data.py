"""The public register as open data: CSV and JSON at stable addresses, and an Atom feed of
newly published findings and of changes in each force's public state.

Everything here reads only the public register (Finding.objects.public(), and
Response.objects.public() or, for findings read from the former, their forces' responses),
whoever asks: open data is the same for everyone. The fields are
described in docs/open-data.md; change them only with a note there and in the changelog.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from recreg.core.rows import among, grouped
from recreg.exports.tables import Column, ExportTable, batches
from recreg.findings.models import Finding, FindingKind, Response, ResponseState

LICENCE = (
    "Open Government Licence v3.0: "
    "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
)
FEED_SIZE = 50

CSV_FIELDS = [
    "finding_id",
    "reference",
    "kind",
    "text",
    "question_area",
    "themes",
    "deadline_text",
    "deadline_date",
    "addressee_scope",
    "inspection_id",
    "inspection_title",
    "inspection_published_on",
    "report_url",
    "lead_inspectorate",
    "force",
    "force_slug",
    "state",
    "state_label",
    "state_changed_at",
    "web_address",
]


OPEN_FIELDS = (
    "pk",
    "reference",
    "kind",
    "text",
    "question_area__name",
    "deadline_text",
    "deadline_date",
    "addressee_scope",
    "inspection_id",
    "inspection__title",
    "inspection__published_on",
    "inspection__report_url",
    "inspection__lead_inspectorate__name",
)


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    return value.isoformat()


def public_records(request) -> Iterator[dict]:
    """The public register's findings as open data records (the JSON shape; the CSV flattens
    it), read as plain values with one query per chunk for themes and one for responses."""
    kinds = dict(FindingKind.choices)
    states = dict(ResponseState.choices)
    link = request.build_absolute_uri(reverse("findings:detail", args=[0])).replace("/0/", "/{}/")
    findings = Finding.objects.public().order_by("pk")
    for batch in batches(findings, OPEN_FIELDS):
        ids = [values[0] for values in batch]
        themes = grouped(
            among(Finding.themes.through.objects.all(), "finding_id", ids)
            .order_by("theme__name")
            .values_list("finding_id", "theme__name")
        )
        # These findings are public, so their forces' responses are the public ones.
        responses = grouped(
            among(Response.objects.of_forces(), "finding_id", ids)
            .order_by("organisation__name")
            .values_list(
                "finding_id",
                "organisation__name",
                "organisation__slug",
                "state",
                "state_changed_at",
            )
        )
        for (
            pk,
            reference,
            kind,
            text,
            area,
            deadline_text,
            deadline_date,
            scope,
            inspection_id,
            title,
            published_on,
            report_url,
            lead,
        ) in batch:
            yield {
                "id": pk,
                "reference": reference,
                "kind": kind,
                "kind_label": kinds.get(kind, kind),
                "text": text,
                "question_area": area,
                "themes": [name for (name,) in themes.get(pk, [])],
                "deadline": {"text": deadline_text, "date": _iso(deadline_date)},
                "addressee_scope": scope,
                "inspection": {
                    "id": inspection_id,
                    "title": title,
                    "published_on": _iso(published_on),
                    "report_url": report_url or None,
                    "lead_inspectorate": lead,
                },
                "web_address": link.format(pk),
                "responses": [
                    {
                        "force": name,
                        "force_slug": slug,
                        "state": state,
                        "state_label": states.get(state, state),
                        "state_changed_at": _iso(changed),
                    }
                    for name, slug, state, changed in responses.get(pk, [])
                ],
            }


def _csv_rows(record: dict) -> list[list]:
    base = [
        record["id"],
        record["reference"],
        record["kind"],
        record["text"],
        record["question_area"],
        "; ".join(record["themes"]),
        record["deadline"]["text"],
        record["deadline"]["date"],
        record["addressee_scope"],
        record["inspection"]["id"],
        record["inspection"]["title"],
        record["inspection"]["published_on"],
        record["inspection"]["report_url"],
        record["inspection"]["lead_inspectorate"],
    ]
    responses = record["responses"] or [dict.fromkeys(("force", "force_slug", "state"))]
    return [
        [
            *base,
            r["force"],
            r["force_slug"],
            r["state"],
            r.get("state_label"),
            r.get("state_changed_at"),
            record["web_address"],
        ]
        for r in responses
    ]


def findings_table(request) -> ExportTable:
    """The public register as a CSV table: one row per finding and force."""

    def rows() -> Iterator[list]:
        for record in public_records(request):
            yield from _csv_rows(record)

    return ExportTable(
        title="Public register of findings",
        filename="findings",
        filters=["The public register"],
        columns=[Column(name) for name in CSV_FIELDS],
        rows=rows,
        preamble=False,
    )


def findings_json(request) -> Iterator[str]:
    """The public register as one JSON document, written a finding at a time."""

    head = {
        "title": "Public register of police inspection findings",
        "licence": LICENCE,
        "generated_at": _iso(timezone.now()),
        "web_address": request.build_absolute_uri(reverse("findings:list")),
    }
    opening = json.dumps(head, ensure_ascii=False)[:-1]
    yield opening + ', "findings": ['
    first = True
    for record in public_records(request):
        yield ("" if first else ",") + "\n" + json.dumps(record, ensure_ascii=False)
        first = False
    yield "\n]}\n"


# The feed


@dataclass
class FeedItem:
    title: str
    link: str
    description: str
    updated: datetime.datetime
    guid: str
    category: str


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def feed_items(limit: int = FEED_SIZE) -> list[FeedItem]:
    """The newest public events, newest first: findings published (dated by their report's
    publication) and changes of a force's public state (allocation excluded: it is the state
    every response starts in)."""
    findings = (
        Finding.objects.public()
        .filter(inspection__published_on__isnull=False)
        .select_related("inspection")
        .order_by("-inspection__published_on", "-pk")[:limit]
    )
    responses = (
        Response.objects.public()
        .exclude(state=ResponseState.AWAITING_ALLOCATION)
        .select_related("finding", "finding__inspection", "organisation")
        .order_by("-state_changed_at", "-pk")[:limit]
    )
    items = []
    for finding in findings:
        url = finding.get_absolute_url()
        items.append(
            FeedItem(
                title=f"Published: {finding.title}, {finding.inspection.title}",
                link=url,
                description=finding.text,
                updated=_start_of(finding.inspection.published_on),
                guid=f"finding-{finding.pk}",
                category="published",
            )
        )
    for response in responses:
        finding = response.finding
        state = response.get_state_display()
        items.append(
            FeedItem(
                title=f"{response.organisation.display_name}: {finding.title} is now "
                f"{state.lower()}",
                link=finding.get_absolute_url(),
                description=(
                    f"{response.organisation.name} reports “{finding.title}” from "
                    f"{finding.inspection.title} as {state.lower()}."
                ),
                updated=response.state_changed_at,
                guid=f"response-{response.pk}-{response.state}-"
                f"{int(response.state_changed_at.timestamp())}",
                category="state",
            )
        )
    items.sort(key=lambda item: (item.updated, item.guid), reverse=True)
    return items[:limit]
