"""The register page: search, filters, errors in the filters, paging and progress."""

from __future__ import annotations

import datetime
import functools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recreg.core import forms as core_forms
from recreg.findings import services as finding_services
from recreg.findings.models import AddresseeScope, FindingKind, FindingState, Response
from tests.conftest import client_for
from tests.factories import ForceFactory, ThemeFactory


def page(world, persona, query=""):
    response = client_for(world, persona).get(f"/findings/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_search_finds_a_finding_by_a_word_of_its_text(world):
    html = page(world, "anonymous", "?q=safeguards")
    assert world.published_a.text in html
    assert world.published_b.text not in html
    assert "1 finding" in html
    assert "matching “safeguards”" in html


def test_search_does_not_reveal_what_the_reader_may_not_see(world):
    html = page(world, "force_b_reader", "?q=vetting")
    assert world.national_all.text[:40] in html
    assert world.draft_a.text not in html
    html = page(world, "inspector", "?q=vetting")
    assert world.draft_a.text in html


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ("?kind=recommendation", ["national_all"], ["published_a", "published_b"]),
        ("?force=force-b", ["published_b", "national_all"], ["published_a"]),
        ("?area=AREA", ["published_a", "published_b"], ["national_all"]),
        ("?theme=vetting&kind=area_for_improvement", ["published_a"], ["national_all"]),
        ("?state=completed", [], ["published_a", "published_b", "national_all"]),
        ("?inspection=INSPECTION_A", ["published_a"], ["published_b", "national_all"]),
    ],
)
def test_filters_narrow_the_register(world, query, present, absent):
    query = query.replace("AREA", str(world.area.pk)).replace(
        "INSPECTION_A", str(world.inspection_a.pk)
    )
    html = page(world, "anonymous", query)
    assert "There is a problem" not in html
    for name in present:
        assert getattr(world, name).text[:40] in html, name
    for name in absent:
        assert getattr(world, name).text[:40] not in html, name


def test_overdue_is_a_filter_for_signed_in_readers_only(world):
    html = page(world, "national_reader", "?overdue=1")
    assert world.national_all.text[:40] in html
    assert world.published_a.text[:40] in html
    assert world.published_b.text[:40] not in html
    assert "with overdue progress" in html
    html = page(world, "anonymous", "?overdue=1")
    assert 'name="overdue"' not in html
    assert "There is a problem" not in html
    assert world.published_b.text[:40] in html


def test_the_inspection_filter_names_the_inspection_and_can_be_removed(world):
    html = page(world, "anonymous", f"?inspection={world.inspection_a.pk}&kind=")
    assert f"from “{world.inspection_a.title}”" in html
    assert 'href="?kind="' in html


def test_stage_filter_is_only_for_readers_who_are_not_the_public(world):
    html = page(world, "inspector", "?stage=draft")
    assert world.draft_a.text in html
    assert world.published_a.text not in html
    assert 'name="stage"' in html
    html = page(world, "anonymous", "?stage=draft")
    assert 'name="stage"' not in html
    assert world.draft_a.text not in html


@pytest.mark.parametrize("persona", ["anonymous", "inspector"])
def test_bad_filter_params_show_an_error_summary_not_a_crash(world, persona):
    html = page(
        world,
        persona,
        "?kind=bogus&state=nope&inspection=abc&area=7x&overdue=perhaps&sort=sideways"
        "&force=atlantis&theme=unknown&page=last",
    )
    assert "There is a problem" in html
    assert "govuk-error-summary" in html
    anchors = ["kind", "state", "area", "sort", "force", "theme"]
    if persona != "anonymous":
        anchors.append("overdue")
    for anchor in anchors:
        assert f'href="#id_{anchor}"' in html, anchor
    assert "Choose a kind from the list" in html
    assert "Choose a force from the list" in html
    assert "(error)" in html  # in the page title
    # The wrong values are ignored, so the register still lists what the reader may see.
    assert world.published_a.text[:40] in html


def test_an_inspection_the_reader_may_not_see_is_an_error_not_a_leak(world):
    html = page(world, "anonymous", f"?inspection={world.draft_inspection.pk}")
    assert "There is no inspection with that number" in html
    assert world.draft_inspection.title not in html


def test_rows_show_addressees_deadline_and_progress_for_signed_in_readers(world):
    html = page(world, "inspector")
    assert "All forces (2)" in html
    assert "Home Office" in html
    assert "31 Mar 2024" in html  # "by March 2024"
    assert "2 organisations:" in html
    progress_column = ">Progress</th>"
    assert progress_column in html
    html = page(world, "anonymous")
    assert "All forces (2)" in html
    assert progress_column not in html
    assert "Home Office" not in html


def addressed_cell(html: str, text: str) -> str:
    """The "Addressed to" cell of the row that shows this finding's text."""
    row = html[html.index(text) :]
    row = row[: row.index("</tr>")]
    return row.split('<td class="govuk-table__cell">')[2].split("</td>")[0]


def test_the_addressed_to_column_names_up_to_three_and_counts_more(world):
    forces = [world.force_a, world.force_b] + [
        ForceFactory(name=f"Extra {n} Police", slug=f"extra-{n}") for n in range(3)
    ]
    make = functools.partial(
        finding_services.create_finding,
        actor=world.inspector,
        inspection=world.inspection_a,
        kind=FindingKind.RECOMMENDATION,
        addressee_scope=AddresseeScope.FORCES,
        state=FindingState.PUBLISHED,
    )
    make(text="Three forces should share their vetting records.", addressees=forces[:3])
    make(text="Four forces should share their custody records.", addressees=forces[:4])
    make(
        text="Every force should share its training records.",
        addressee_scope=AddresseeScope.ALL_FORCES,
        addressees=[],
    )
    html = page(world, "inspector")
    three = addressed_cell(html, "Three forces should share")
    assert three == "Avon Test Police, Borset Test Police, Extra 0 Police"
    assert addressed_cell(html, "Four forces should share") == "4 organisations"
    assert addressed_cell(html, "Every force should share") == "All forces (5)"
    assert addressed_cell(html, "The Home Office should change") == "Home Office"


def statements_reading(captured, table: str) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if f'FROM "{table}"' in q["sql"]]


def test_the_filters_choices_are_kept_between_pages_and_read_afresh_for_a_new_value(world):
    client = client_for(world, "force_a_editor")
    assert client.get("/findings/").status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get("/findings/")
    for table in ("findings_theme", "frameworks_questionarea"):
        assert statements_reading(captured, table) == [], table

    # A theme added since: the kept lists lack it, so the page reads them afresh rather than
    # call it unknown, and offers it from then on.
    theme = ThemeFactory(name="Custody")
    published_b = world.published_b
    published_b.themes.add(theme)
    html = page(world, "force_a_editor", "?theme=custody")
    assert "Choose a theme from the list" not in html
    assert "on theme ‘Custody’" in html
    assert published_b.text in html
    assert world.published_a.text not in html
    assert '<option value="custody" selected>Custody</option>' in html
    with CaptureQueriesContext(connection) as captured:
        html = client.get("/findings/").content.decode()
    assert statements_reading(captured, "findings_theme") == []
    assert '<option value="custody">Custody</option>' in html


def filter_fields(html: str) -> str:
    """The filters' fields of a register page, as rendered."""
    return html.split('<h2 class="govuk-heading-m">Filter</h2>')[1].split("Apply filters")[0]


def test_the_filters_are_rendered_once_for_each_query_and_kind_of_reader(world, monkeypatch):
    selects = []
    original = core_forms.select_html
    monkeypatch.setattr(
        core_forms, "select_html", lambda widget: selects.append(widget["name"]) or original(widget)
    )
    recommendations = page(world, "force_a_editor", "?kind=recommendation")
    assert "kind" in selects and "stage" in selects
    assert '<option value="recommendation" selected>' in recommendations

    # Another reader who is offered the same filters, with the same query: as rendered before.
    selects.clear()
    same = page(world, "force_b_reader", "?kind=recommendation")
    assert selects == []
    assert filter_fields(same) == filter_fields(recommendations)

    # Another query, or a reader offered other filters: rendered for them.
    afi = page(world, "force_b_reader", "?kind=area_for_improvement")
    assert "kind" in selects
    assert '<option value="area_for_improvement" selected>' in afi
    assert '<option value="recommendation" selected>' not in afi
    public = page(world, "anonymous", "?kind=recommendation")
    assert 'name="stage"' in filter_fields(recommendations)
    assert 'name="stage"' not in filter_fields(public)
    assert 'name="overdue"' not in filter_fields(public)

    # A filter's error is part of what its query renders, the second time too.
    for _ in range(2):
        unknown = filter_fields(page(world, "anonymous", "?theme=no-such-theme"))
        assert 'id="id_theme-error"' in unknown and "Choose a theme from the list" in unknown


def test_a_value_that_names_nothing_is_still_unknown_after_a_fresh_read(world):
    html = page(world, "anonymous", "?theme=no-such-theme")
    assert "Choose a theme from the list" in html


def test_pages_carry_the_filters(world, settings):
    settings.REGISTER_PAGE_SIZE = 5
    for n in range(6):
        finding_services.create_finding(
            actor=world.inspector,
            inspection=world.inspection_a,
            kind="area_for_improvement",
            text=f"The force should improve its handling of case {n}.",
            addressees=[world.force_a],
            state="published",
        )
    html = page(world, "anonymous", "?force=force-a&page=1")
    assert "Page 1 of 2" in html
    assert 'href="?force=force-a&amp;page=2"' in html
    html = page(world, "anonymous", "?force=force-a&page=2")
    assert "Page 2 of 2" in html
    assert 'href="?force=force-a&amp;page=1"' in html


def test_what_was_typed_is_shown_escaped(world):
    html = page(world, "anonymous", "?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_rows_progress_counts_states_and_what_is_overdue_or_due_soon(world):
    today = timezone.localdate()
    responses = Response.objects.filter(finding=world.national_all)
    responses.filter(organisation=world.force_a).update(
        state="in_progress", target_date=today - datetime.timedelta(days=3)
    )
    responses.filter(organisation=world.force_b).update(
        state="in_progress", target_date=today + datetime.timedelta(days=10)
    )
    html = page(world, "inspector", "?q=vet+every+officer")
    assert "2 organisations:" in html
    assert "<li>2 in progress</li>" in html
    assert "<li><strong>1 overdue</strong></li>" in html
    assert "<li>1 due soon</li>" in html
    # A force sees its own response alone: its state, and that it is overdue.
    html = page(world, "force_a_editor", "?q=vet+every+officer")
    assert '<span class="govuk-visually-hidden">Avon Test Police: </span>' in html
    assert ">In progress</strong>" in html
    assert ">Overdue</strong>" in html
    assert "organisations:" not in html
