"""My work and the force overview: what they list, and that a page of them costs a fixed
number of queries however many rows there are."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from recreg.core import forms as core_forms
from recreg.findings import services as finding_services
from recreg.findings.models import FindingKind, FindingState, Response
from recreg.progress import queries, services
from tests.conftest import client_for
from tests.progress.conftest import PDF, allocate, response_of, upload


def text(page) -> str:
    return re.sub(r"\s+", " ", page.content.decode())


def make_findings(world, count: int, *, to=None):
    """More published findings for force A, through the services."""
    found = []
    for n in range(count):
        found.append(
            finding_services.create_finding(
                actor=world.inspector,
                inspection=world.inspection_a,
                kind=FindingKind.RECOMMENDATION,
                text=f"The force should improve process number {n}.",
                addressees=[to or world.force_a],
                state=FindingState.PUBLISHED,
                deadline_text="by March 2024" if n % 2 else "",
            )
        )
    return found


def allocate_all(world, people, findings, board=None):
    for finding in findings:
        allocate(response_of(finding, world.force_a), people, board)


def set_dates(response, *, target=None, last_update=None):
    # Dates in the past cannot be set through the services (they refuse them), so tests
    # place them directly.
    Response.objects.filter(pk=response.pk).update(target_date=target, last_update_at=last_update)


def test_my_work_lists_what_i_own_or_lead_by_view(world, people, board):
    today = timezone.localdate()
    now = timezone.now()
    overdue, soon, quiet, fine = make_findings(world, 4)
    allocate_all(world, people, [overdue, soon, quiet, fine], board)
    set_dates(response_of(overdue, world.force_a), target=today - datetime.timedelta(days=3))
    set_dates(response_of(soon, world.force_a), target=today + datetime.timedelta(days=10))
    set_dates(
        response_of(quiet, world.force_a),
        target=today + datetime.timedelta(days=200),
        last_update=now - datetime.timedelta(days=120),
    )
    set_dates(
        response_of(fine, world.force_a),
        target=today + datetime.timedelta(days=200),
        last_update=now,
    )
    client = client_for(world, "anonymous")
    client.force_login(people.owner)
    url = reverse("progress:my_work")
    page = text(client.get(url))
    assert "All open (4)" in page
    assert "Overdue (1)" in page
    assert "Due soon (1)" in page
    assert "No update for 90 days (1)" in page
    assert "Closure proposals to decide" not in page  # not for someone who decides nothing
    assert "process number 0" not in page  # titles are shown, texts are not
    overdue_page = text(client.get(url, {"show": "overdue"}))
    assert (
        reverse("progress:response", args=[response_of(overdue, world.force_a).pk]) in overdue_page
    )
    assert (
        reverse("progress:response", args=[response_of(soon, world.force_a).pk]) not in overdue_page
    )
    quiet_page = text(client.get(url, {"show": "stale"}))
    assert reverse("progress:response", args=[response_of(quiet, world.force_a).pk]) in quiet_page
    assert "Strategic owner" in quiet_page
    lead = client_for(world, "anonymous")
    lead.force_login(people.lead)
    assert "Tactical lead" in text(lead.get(url))


def test_my_work_shows_deciders_what_waits_for_them(world, scene):
    page = text(client_for(world, "inspector").get(reverse("progress:my_work")))
    # A's proposal (inspectorate-led) and both challenges; B's proposal is also the inspectorate's.
    assert "Closure proposals to decide (2)" in page
    assert "Challenges to decide (2)" in page
    proposals = text(
        client_for(world, "inspector").get(reverse("progress:my_work"), {"show": "proposals"})
    )
    assert reverse("progress:decide_closure", args=[scene.proposal_a.pk]) in proposals
    editor = text(client_for(world, "force_a_editor").get(reverse("progress:my_work")))
    assert "Closure proposals to decide (0)" in editor
    assert "Challenges to decide" not in editor


def test_closed_responses_leave_my_work(world, people, board):
    (finding,) = make_findings(world, 1)
    response = allocate(response_of(finding, world.force_a), people, board)
    proposal = services.propose_closure(
        response,
        statement="Done",
        files=[upload("a.pdf", PDF)],
        expected_version=Response.objects.get(pk=response.pk).version,
        actor=world.force_a_editor,
    )
    services.decide_closure(
        proposal,
        decision="completed",
        expected_version=Response.objects.get(pk=response.pk).version,
        actor=world.inspector,
    )
    client = client_for(world, "anonymous")
    client.force_login(people.owner)
    assert "All open (0)" in text(client.get(reverse("progress:my_work")))


def _rows(rows) -> list[tuple]:
    """What My work's rows show, row by row (responses or decisions)."""
    out = []
    for row in rows:
        response = getattr(row, "response", row)
        out.append(
            (
                row.pk,
                response.pk,
                response.organisation.display_name,
                response.finding.title,
                response.finding.inspection.title,
                response.owner_id,
                response.owner.full_name if response.owner else None,
                response.tactical_lead_id,
                response.target_date,
                response.last_update_at,
            )
        )
    return out


def _both_ways(user, view, now):
    summary, rows = queries.my_work(user, view, now=now)
    page_summary, page_rows = queries.my_work_page(user, view, now=now)
    assert page_rows.count() == len(_rows(rows))
    return (summary, _rows(rows)), (page_summary, _rows(page_rows[0:1000]))


def test_my_work_page_reads_what_its_download_reads(world, people, board, scene):
    # The page's statements are compiled once for each kind of reader, view and day, with
    # stand-ins for whose work it is and when work goes quiet; the download builds its
    # queryset afresh. Both must give every reader the same counts and rows.
    today = timezone.localdate()
    now = timezone.now()
    findings = make_findings(world, 4)
    allocate_all(world, people, findings, board)
    late, soon, quiet, _fine = (response_of(f, world.force_a) for f in findings)
    set_dates(late, target=today - datetime.timedelta(days=3))
    set_dates(soon, target=today + datetime.timedelta(days=10))
    set_dates(quiet, last_update=now - datetime.timedelta(days=120))
    Response.objects.filter(pk=soon.pk).update(owner=people.lead, tactical_lead=people.owner)
    readers = [
        people.owner,
        people.lead,
        people.other_editor,
        world.force_a_editor,
        world.inspector,
        world.force_b_reader,
        world.pcc_officer,
        world.national_reader,
    ]
    for reader in readers:
        for view in [*queries.MY_WORK_VIEWS, "nonsense"]:
            queryset_way, page_way = _both_ways(reader, view, now)
            assert page_way == queryset_way, (reader.email, view)
    assert _both_ways(people.owner, "all", now)[1][1]  # not all empty
    assert _both_ways(world.inspector, "proposals", now)[1][1]
    assert _both_ways(world.inspector, "challenges", now)[1][1]


def test_my_work_page_swaps_in_whose_work_and_when_it_went_quiet(world, people, board):
    (first, second) = make_findings(world, 2)
    allocate_all(world, people, [first, second], board)
    Response.objects.filter(finding=second).update(owner=people.lead, tactical_lead=None)
    # Two moments of the same day, so the same compiled statements serve both.
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    eleven = noon - datetime.timedelta(hours=1)
    last_update = noon - queries._QUIET - datetime.timedelta(minutes=30)
    Response.objects.filter(finding=first).update(last_update_at=last_update)
    queries.MY_WORK.clear()
    owner, owner_rows = queries.my_work_page(people.owner, "stale", now=noon)
    assert owner.counts["stale"] == 1 and owner.counts["all"] == 1
    assert [r.finding_id for r in owner_rows[0:50]] == [first.pk]
    early, early_rows = queries.my_work_page(people.owner, "stale", now=eleven)
    assert early.counts["stale"] == 0 and early_rows[0:50] == []
    lead, lead_rows = queries.my_work_page(people.lead, "all", now=noon)
    assert lead.counts["all"] == 2  # leads the first, owns the second
    assert {r.finding_id for r in lead_rows[0:50]} == {first.pk, second.pk}
    # The owner and the lead are the same kind of reader: one compiled set for each view.
    assert len(queries.MY_WORK.local.kept) == 2


def test_my_work_lists_decisions_only_to_those_who_make_them(world, people, board):
    # Asked for a list of decisions they do not make (a link typed or kept), a reader gets
    # their own open work under its own heading: the page once tried to draw the responses
    # as decisions and failed.
    allocate_all(world, people, make_findings(world, 2), board)
    Response.objects.filter(owner=people.owner).update(owner=world.force_a_editor)
    cases = [
        (world.force_a_editor, "challenges"),
        (people.owner, "proposals"),
        (people.owner, "challenges"),
    ]
    for reader, show in cases:
        client = client_for(world, "anonymous")
        client.force_login(reader)
        page = client.get(reverse("progress:my_work"), {"show": show})
        assert page.status_code == 200
        body = text(page)
        assert '<h2 class="govuk-heading-m">All open</h2>' in body
        assert 'href="?show=all" aria-current="page"' in body
        download = client.get("/exports/my-work.csv", {"show": show})
        assert download.status_code == 200
        assert "my-work-all-" in download["Content-Disposition"]
    editor = client_for(world, "force_a_editor")
    body = text(editor.get(reverse("progress:my_work"), {"show": "challenges"}))
    for response in Response.objects.filter(owner=world.force_a_editor):
        assert reverse("progress:response", args=[response.pk]) in body


def query_count(client, url, params, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        page = client.get(url, params)
    assert page.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("show", ["all", "overdue", "stale"])
def test_my_work_costs_the_same_for_3_or_40_rows(
    world, people, board, settings, django_assert_max_num_queries, show
):
    settings.REGISTER_PAGE_SIZE = 50
    client = client_for(world, "anonymous")
    client.force_login(people.owner)
    url = reverse("progress:my_work")
    allocate_all(world, people, make_findings(world, 3), board)
    Response.objects.filter(owner=people.owner).update(
        target_date=datetime.date(2020, 1, 1),
        last_update_at=timezone.now() - datetime.timedelta(days=200),
    )
    few = query_count(client, url, {"show": show}, django_assert_max_num_queries, 12)
    allocate_all(world, people, make_findings(world, 37), board)
    Response.objects.filter(owner=people.owner).update(
        target_date=datetime.date(2020, 1, 1),
        last_update_at=timezone.now() - datetime.timedelta(days=200),
    )
    many = query_count(client, url, {"show": show}, django_assert_max_num_queries, 12)
    assert few == many


def test_my_work_decisions_cost_the_same_for_any_number(
    world, scene, django_assert_max_num_queries
):
    client = client_for(world, "inspector")
    url = reverse("progress:my_work")
    few = query_count(client, url, {"show": "proposals"}, django_assert_max_num_queries, 12)
    more = make_findings(world, 5)
    for finding in more:
        response = allocate(response_of(finding, world.force_a), scene_people(world), None)
        services.propose_closure(
            response,
            statement="Done",
            files=[upload("a.pdf", PDF)],
            expected_version=Response.objects.get(pk=response.pk).version,
            actor=world.force_a_editor,
        )
    many = query_count(client, url, {"show": "proposals"}, django_assert_max_num_queries, 12)
    assert few == many


def scene_people(world):
    from recreg.accounts.models import User

    class P:
        owner = User.objects.get(email="acc@force-a.test")
        lead = User.objects.get(email="supt@force-a.test")
        other_editor = User.objects.get(email="editor2@force-a.test")

    return P


# The force overview


def test_the_overview_counts_by_state_and_rag_and_lists_overdue(world, scene):
    page = client_for(world, "pcc_officer").get(
        reverse("progress:force_overview", args=["force-a"])
    )
    assert page.status_code == 200
    body = text(page)
    # Force A: published_a (pending sign-off, amber), national_all (in progress, no rating),
    # fact_check_a and joint_a (awaiting allocation).
    assert "4 responses" in body
    assert re.search(r"Pending sign-off</strong></th> <td[^>]*>1</td>", body)
    assert re.search(r"Awaiting allocation</strong></th> <td[^>]*>2</td>", body)
    assert re.search(r"Amber</strong> ?</th> <td[^>]*>1</td>", body)
    # Both published_a (six months from March 2024) and national_all (March 2024) are overdue.
    assert "Overdue (2)" in body
    assert "Force A&#x27;s safeguarding" not in body  # narratives stay on the response page
    assert "Posted a progress update" in body  # what changed in the last 30 days
    assert "Borset" not in body


def test_the_overview_takes_the_registers_filters(world, scene):
    # The PCC's office sees force A's responses without the inspectorate's drafts.
    client = client_for(world, "pcc_officer")
    url = reverse("progress:force_overview", args=["force-a"])
    only_recs = text(client.get(url, {"kind": "recommendation"}))
    # national_all and joint_a are recommendations; published_a and fact_check_a are AFIs.
    assert "2 responses matching the filters" in only_recs
    awaiting = text(client.get(url, {"state": "awaiting_allocation"}))
    assert "2 responses matching the filters" in awaiting
    overdue = text(client.get(url, {"overdue": "on"}))
    assert "2 responses matching the filters" in overdue
    searched = text(client.get(url, {"q": "safeguards children"}))
    assert "1 response matching the filters" in searched
    bad = client.get(url, {"kind": "nonsense", "since": "not a date"})
    assert bad.status_code == 200
    assert "Choose a kind from the list" in text(bad)
    assert "Enter a real date" in text(bad)


def test_the_overviews_filters_are_rendered_once_for_each_query(world, scene, monkeypatch):
    selects = []
    original = core_forms.select_html
    monkeypatch.setattr(
        core_forms, "select_html", lambda widget: selects.append(widget["name"]) or original(widget)
    )
    url = reverse("progress:force_overview", args=["force-a"])
    first = client_for(world, "pcc_officer").get(url, {"kind": "recommendation"}).content
    assert "kind" in selects
    selects.clear()
    again = client_for(world, "inspector").get(url, {"kind": "recommendation"}).content
    assert selects == []
    assert b'<option value="recommendation" selected>' in first
    assert b'<option value="recommendation" selected>' in again

    # The date changes what the form shows: another date, another rendering.
    since = client_for(world, "inspector").get(url, {"kind": "recommendation", "since": "1/1/2024"})
    assert "kind" in selects
    assert b'value="1/1/2024"' in since.content


def test_the_overview_shows_what_changed_since_a_date(world, scene):
    client = client_for(world, "inspector")
    url = reverse("progress:force_overview", args=["force-a"])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    later = text(client.get(url, {"since": tomorrow.strftime("%d/%m/%Y")}))
    assert "Nothing has changed since then." in later
    today = text(client.get(url, {"since": timezone.localdate().strftime("%d/%m/%Y")}))
    assert "Allocated to Alex Chief" in today


def test_the_overview_is_not_for_other_forces(world, scene):
    assert (
        client_for(world, "force_b_reader")
        .get(reverse("progress:force_overview", args=["force-a"]))
        .status_code
        == 404
    )
    assert (
        client_for(world, "force_a_editor")
        .get(reverse("progress:force_overview", args=["nowhere"]))
        .status_code
        == 404
    )


def test_the_overview_costs_the_same_for_any_number_of_responses(
    world, people, board, settings, django_assert_max_num_queries
):
    settings.REGISTER_PAGE_SIZE = 50
    client = client_for(world, "inspector")
    url = reverse("progress:force_overview", args=["force-a"])
    params = {"kind": "recommendation", "since": "01/01/2020"}
    allocate_all(world, people, make_findings(world, 2), board)
    client.get(url, params)  # the filters' choices are read once, then kept
    few = query_count(client, url, params, django_assert_max_num_queries, 14)
    allocate_all(world, people, make_findings(world, 30), board)
    many = query_count(client, url, params, django_assert_max_num_queries, 14)
    assert few == many


def test_the_response_page_costs_the_same_for_a_long_timeline(
    world, scene, django_assert_max_num_queries
):
    client = client_for(world, "force_a_editor")
    url = reverse("progress:response", args=[scene.open_a.pk])

    def add_updates(count):
        for n in range(count):
            services.post_update(
                scene.open_a,
                narrative=f"Update {n}",
                rag="green",
                files=[upload(f"evidence-{n}.pdf", PDF)],
                expected_version=Response.objects.get(pk=scene.open_a.pk).version,
                actor=world.force_a_editor,
            )

    add_updates(2)
    few = query_count(client, url, {}, django_assert_max_num_queries, 16)
    add_updates(20)
    many = query_count(client, url, {}, django_assert_max_num_queries, 16)
    assert few == many


def test_the_overviews_rows_link_each_response_and_say_what_they_hold(world, scene):
    from recreg.progress.models import TimelineEvent

    body = text(
        client_for(world, "pcc_officer").get(reverse("progress:force_overview", args=["force-a"]))
    )
    overdue = body[body.index('id="overdue"') : body.index('id="changes"')]
    for finding in (world.published_a, world.national_all):
        response = Response.objects.get(finding=finding, organisation=world.force_a)
        link = reverse("progress:response", args=[response.pk])
        row = overdue[overdue.index(f'href="{link}"') :].split("</tr>")[0]
        assert f">{finding.title}</a>" in row
        assert finding.inspection.title in row
        assert f"{response.target_date.day} {response.target_date:%b %Y}" in row
        assert " ago</span>" in row
        owner = response.owner.full_name if response.owner_id else "Not allocated"
        assert f">{owner}</td>" in row
        rag = "Amber" if response.rag == "amber" else "Not rated"
        assert f">{rag}</strong>" in row
    changes = body[body.index('id="changes"') :]
    event = TimelineEvent.objects.filter(organisation=world.force_a).order_by("-at", "-pk")[0]
    link = reverse("progress:response", args=[event.response_id])
    row = changes[changes.index(f'href="{link}"') - 200 :].split("</tr>")[0]
    assert f'datetime="{timezone.localtime(event.at).isoformat()}"' in row
    assert f"<strong>{event.get_kind_display()}</strong>: " in row
    assert f">{event.actor_name}</td>" in row
