"""The register page's count and page are compiled once for each kind of reader and question,
what its rows show beside each finding once for each kind of reader, and all are kept for
each thread (recreg.core.statements): these tests hold each view to what
statements compiled afresh give, and the records a page builds from its rows to what the
register reads of them."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from recreg.findings import views
from recreg.findings.models import Response
from tests.conftest import client_for


@pytest.fixture(autouse=True)
def _compiled_afresh():
    forget_statements()
    yield
    forget_statements()


def forget_statements():
    views.REGISTER_PAGES.clear()
    views.PAGE_ROWS.clear()


def register(world, persona: str, params=None) -> str:
    page = client_for(world, persona).get("/findings/", params or {})
    assert page.status_code == 200
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.content.decode())


VIEWS = [
    ("anonymous", {}),
    ("inspector", {}),
    ("force_a_editor", {}),
    ("force_b_reader", {}),
    ("pcc_officer", {}),
    ("national_reader", {}),
    ("inspector", {"q": "force should"}),
    ("inspector", {"q": "vet officer"}),
    ("force_a_editor", {"force": "force-a", "state": "in_progress", "overdue": "1"}),
    ("inspector", {"kind": "recommendation", "sort": "deadline"}),
    ("inspector", {"page": "99"}),
]


def test_each_view_is_what_statements_compiled_afresh_give(world, settings):
    settings.REGISTER_PAGE_SIZE = 3
    afresh = []
    for persona, params in VIEWS:
        forget_statements()
        afresh.append(register(world, persona, params))
    assert len(set(afresh)) == len(VIEWS)  # each view differs from every other
    for _ in range(2):
        for (persona, params), expected in zip(VIEWS, afresh, strict=True):
            assert register(world, persona, params) == expected, (persona, params)


def test_the_overdue_filter_is_compiled_again_the_next_day(world, monkeypatch):
    today = timezone.localdate()
    Response.objects.filter(finding=world.published_a, organisation=world.force_a).update(
        target_date=today, state="in_progress"
    )
    params = {"overdue": "1"}
    assert world.published_a.text not in register(world, "force_a_editor", params)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today + datetime.timedelta(1))
    assert world.published_a.text in register(world, "force_a_editor", params)


def test_a_pages_records_hold_what_the_register_reads_and_no_more(world):
    rows = views.CompiledList(
        views.with_addressee_count(views.filter_findings(world.inspector, views.FindingFilters())),
        views.REGISTER_ROW_VALUES,
    ).rows(0, 100)
    findings = views.register_rows(rows, "default")
    assert {f.pk for f in findings} >= {world.published_a.pk, world.draft_a.pk}
    for finding in findings:
        stored = type(finding).objects.select_related("inspection").get(pk=finding.pk)
        for name in ("kind", "reference", "text", "state", "deadline_date", "deadline_text"):
            assert getattr(finding, name) == getattr(stored, name), name
        assert finding.inspection == stored.inspection
        assert finding.inspection.title == stored.inspection.title
        assert finding.inspection.published_on == stored.inspection.published_on
        assert finding.addressee_count == stored.addressees.count()
        # Only what the row shows was read: the rest is deferred, as with only().
        assert {"parent_id", "question_area_id"} <= finding.get_deferred_fields()
