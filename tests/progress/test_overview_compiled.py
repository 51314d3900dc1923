"""The force overview's statements are compiled once for each kind of reader, organisation,
question and date, and kept for each thread (recreg.core.statements): these tests hold that
each view gets what statements compiled afresh would give, and what the key must hold."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from recreg.findings.models import Response
from recreg.progress import views
from tests.conftest import client_for
from tests.progress.test_lists import make_findings, text


@pytest.fixture(autouse=True)
def _compiled_afresh():
    views.OVERVIEWS.clear()
    yield
    views.OVERVIEWS.clear()


def overview(world, persona: str, slug: str, params=None) -> str:
    page = client_for(world, persona).get(
        reverse("progress:force_overview", args=[slug]), params or {}
    )
    assert page.status_code == 200
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text(page))


VIEWS = [
    ("inspector", "force-a", {}),
    ("inspector", "force-b", {}),
    ("pcc_officer", "force-a", {}),
    ("force_a_editor", "force-a", {}),
    ("force_b_reader", "force-b", {}),
    ("inspector", "force-a", {"kind": "recommendation"}),
    ("pcc_officer", "force-a", {"state": "awaiting_allocation", "overdue_page": "2"}),
    ("inspector", "force-a", {"since": "01/01/2020"}),
]


def test_each_view_is_what_statements_compiled_afresh_give(world, scene):
    afresh = []
    for persona, slug, params in VIEWS:
        views.OVERVIEWS.clear()
        afresh.append(overview(world, persona, slug, params))
    assert len(set(afresh)) == len(VIEWS)  # each view differs from every other
    # Kept and asked in turn (twice, so the second time every statement is a kept one).
    for _ in range(2):
        for (persona, slug, params), expected in zip(VIEWS, afresh, strict=True):
            assert overview(world, persona, slug, params) == expected, (persona, slug, params)


def test_the_overdue_list_is_compiled_again_the_next_day(world, scene, monkeypatch):
    today = timezone.localdate()
    # Due today: not overdue until tomorrow (published_a's response stays overdue).
    # The same date for the changes both days, so only the overdue list's date differs.
    params = {"since": "01/01/2020"}
    Response.objects.filter(pk=scene.open_a.pk).update(target_date=today)
    assert "Overdue (1)" in overview(world, "inspector", "force-a", params)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today + datetime.timedelta(1))
    assert "Overdue (2)" in overview(world, "inspector", "force-a", params)


def test_a_search_reads_its_findings_afresh_every_time(world, scene):
    # A search's matching findings are read first and written into its statements, so they
    # are never kept: a finding that starts to match is counted at once.
    params = {"q": "process number"}
    assert "0 responses matching the filters" in overview(world, "inspector", "force-a", params)
    make_findings(world, 2)
    assert "2 responses matching the filters" in overview(world, "inspector", "force-a", params)
