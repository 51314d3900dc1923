"""Open data: the public register as CSV and JSON, and its Atom feed. The same for every
reader, and never more than the public register."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recreg.exports.open_data import CSV_FIELDS
from recreg.findings.models import Finding, Response, ResponseState
from tests.conftest import client_for
from tests.exports.conftest import add_findings

ATOM = "{http://www.w3.org/2005/Atom}"


def body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def test_csv_is_the_public_register_one_row_per_force(world):
    for persona in ("anonymous", "inspector"):
        response = client_for(world, persona).get("/open-data/findings.csv")
        assert response["Cache-Control"] == "public, max-age=900"
        rows = list(csv.DictReader(io.StringIO(body(response))))
        assert list(rows[0]) == CSV_FIELDS
        public = set(Finding.objects.public().values_list("pk", flat=True))
        assert {int(r["finding_id"]) for r in rows} == public
        pairs = {(int(r["finding_id"]), r["force_slug"]) for r in rows}
        expected = {
            (f, slug)
            for f, slug in Response.objects.public().values_list("finding", "organisation__slug")
        }
        assert pairs == expected
        national = [r for r in rows if int(r["finding_id"]) == world.national_all.pk]
        assert {r["force"] for r in national} == {"Avon Test Police", "Borset Test Police"}
        assert all(r["state"] == "awaiting_allocation" for r in national)


def test_json_is_the_public_register(world):
    add_findings(world, 3)
    data = json.loads(body(client_for(world, "force_a_editor").get("/open-data/findings.json")))
    assert data["licence"].startswith("Open Government Licence")
    assert {"title", "generated_at", "web_address", "findings"} <= set(data)
    ids = [f["id"] for f in data["findings"]]
    assert ids == sorted(Finding.objects.public().values_list("pk", flat=True))
    first = next(f for f in data["findings"] if f["id"] == world.published_a.pk)
    assert first["kind"] == "area_for_improvement"
    assert first["inspection"]["title"] == world.inspection_a.title
    assert first["deadline"]["text"] == "within six months"
    assert first["themes"] == ["Vetting"]
    assert first["responses"] == [
        {
            "force": "Avon Test Police",
            "force_slug": "force-a",
            "state": "awaiting_allocation",
            "state_label": "Awaiting allocation",
            "state_changed_at": first["responses"][0]["state_changed_at"],
        }
    ]
    text = json.dumps(data)
    for hidden in (world.fact_check_a, world.draft_a, world.national_body, world.joint_a):
        assert hidden.text not in text


def entries(client) -> list:
    response = client.get("/open-data/feed.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed, in a test
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def test_feed_lists_published_findings_and_public_state_changes(world):
    client = client_for(world, "anonymous")
    titles = [e.find(f"{ATOM}title").text for e in entries(client)]
    assert len(titles) == Finding.objects.public().count()
    assert all(t.startswith("Published: ") for t in titles)

    now = timezone.now()
    public = Response.objects.get(finding=world.published_b, organisation=world.force_b)
    hidden = Response.objects.get(finding=world.joint_a, organisation=world.force_a)
    # Test set-up: the state changes as the progress services would leave them.
    Response.objects.filter(pk__in=[public.pk, hidden.pk]).update(
        state=ResponseState.COMPLETED, state_changed_at=now
    )
    found = entries(client)
    first = found[0]
    assert first.find(f"{ATOM}title").text.startswith("Borset Test Police: ")
    assert first.find(f"{ATOM}title").text.endswith("is now completed")
    assert first.find(f"{ATOM}link").get("href").endswith(f"/findings/{world.published_b.pk}/")
    assert first.find(f"{ATOM}updated").text.startswith(str(now.year))
    assert first.find(f"{ATOM}category").get("term") == "state"
    everything = " ".join(ET.tostring(e, encoding="unicode") for e in found)
    assert world.joint_a.text not in everything
    assert "out-of-court" not in everything
    ids = [e.find(f"{ATOM}id").text for e in found]
    assert len(ids) == len(set(ids))


def test_open_data_costs_the_same_for_any_number_of_findings(world):
    client = client_for(world, "anonymous")

    def count() -> list[int]:
        counts = []
        for url in ("/open-data/findings.csv", "/open-data/findings.json"):
            with CaptureQueriesContext(connection) as ctx:
                body(client.get(url))
            counts.append(len(ctx))
        with CaptureQueriesContext(connection) as ctx:
            client.get("/open-data/feed.atom")
        return [*counts, len(ctx)]

    few = count()
    add_findings(world, 25)
    assert count() == few
