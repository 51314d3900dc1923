"""The fast paths the national register relies on: an organisation's recent changes read from
the (organisation, at) index give exactly what the general path gives, and stay a fixed
number of queries."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from recreg.findings.access import visible_responses
from recreg.findings.models import Response
from recreg.progress import queries
from recreg.progress.models import TimelineEvent
from tests.conftest import client_for
from tests.progress.test_lists import allocate_all, make_findings, query_count


def test_every_timeline_entry_carries_its_responses_organisation(world, people, board):
    allocate_all(world, people, make_findings(world, 2), board)
    events = list(TimelineEvent.objects.select_related("response"))
    assert events
    assert all(e.organisation_id == e.response.organisation_id for e in events)


def test_an_organisations_changes_are_those_of_its_visible_responses(world, people, board):
    allocate_all(world, people, make_findings(world, 3), board)
    # An entry on a draft finding's response is for the inspectorate's eyes, not the overview.
    draft_response = Response.objects.get(finding=world.draft_a, organisation=world.force_a)
    hidden = TimelineEvent.objects.create(
        response=draft_response,
        organisation=world.force_a,
        kind="allocated",
        actor_name="Someone",
        summary="Allocated",
    )
    since = timezone.now() - datetime.timedelta(days=1)
    for persona in ("inspector", "force_a_editor", "pcc_officer"):
        user = getattr(world, persona)
        general = queries.changes_since(
            visible_responses(user).filter(organisation=world.force_a), since
        )
        fast = queries.organisation_changes_since(user, world.force_a, since)
        assert [e.pk for e in fast] == [e.pk for e in general]
        assert (hidden.pk in {e.pk for e in fast}) == (persona == "inspector")
        assert len(fast) >= 3


def test_the_unfiltered_overview_costs_the_same_for_any_number_of_changes(
    world, people, board, settings, django_assert_max_num_queries
):
    settings.REGISTER_PAGE_SIZE = 50
    client = client_for(world, "force_a_editor")
    url = reverse("progress:force_overview", args=["force-a"])
    allocate_all(world, people, make_findings(world, 2), board)
    client.get(url)  # the filters' choices are read once, then kept
    few = query_count(client, url, {}, django_assert_max_num_queries, 14)
    allocate_all(world, people, make_findings(world, 30), board)
    many = query_count(client, url, {}, django_assert_max_num_queries, 14)
    assert few == many
