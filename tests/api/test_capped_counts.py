"""The API's findings list counts only so far past the page asked for, as the register page
does (tests/findings/test_capped_counts.py): exact up to the cap and flagged past it, for what
each persona may see, and a client paging on while there is more gets every finding."""

from __future__ import annotations

import pytest

from recreg.findings.access import visible_findings
from tests.findings.test_capped_counts import PERSONAS, add_published, user_of


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_counts_what_the_reader_may_see_up_to_the_cap(world, api_as, persona, settings):
    seen = visible_findings(user_of(world, persona)).count()
    client = api_as(persona)
    settings.REGISTER_COUNT_CAP = seen
    body = client.get("/findings").json()
    assert (body["count"], body["count_exact"]) == (seen, True)
    settings.REGISTER_COUNT_CAP = seen - 1
    body = client.get("/findings", {"page_size": 1}).json()
    # One more than the cap: a lower bound that still says a next page exists.
    assert (body["count"], body["count_exact"]) == (seen, False)


def test_the_api_pages_on_past_the_cap_to_every_finding(world, api_as, settings):
    settings.REGISTER_COUNT_CAP = 6
    add_published(world, 20)
    expected = set(visible_findings(None).values_list("pk", flat=True))
    client = api_as("anonymous")
    got: list[int] = []
    page = 1
    while True:
        body = client.get("/findings", {"page": page, "page_size": 5}).json()
        got += [f["id"] for f in body["results"]]
        if page * 5 >= body["count"]:
            assert body["count_exact"] and body["count"] == len(expected)
            break
        page += 1
    assert len(got) == len(set(got)) and set(got) == expected
