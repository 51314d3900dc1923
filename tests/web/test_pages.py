"""Every page renders for the readers who may see it, and is "not found" for the others."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recreg.findings import services as finding_services
from recreg.findings.access import visible_findings, visible_responses
from recreg.findings.models import (
    AddresseeScope,
    FindingKind,
    FindingState,
    Response,
    ResponseState,
)
from recreg.inspections.access import visible_inspections
from tests.conftest import PERSONAS, client_for

FINDINGS = (
    "published_a",
    "published_b",
    "fact_check_a",
    "fact_check_b",
    "draft_a",
    "national_all",
    "national_body",
    "joint_a",
)
INSPECTIONS = ("inspection_a", "inspection_b", "thematic", "joint", "draft_inspection")


def user_of(world, persona):
    return AnonymousUser() if persona == "anonymous" else getattr(world, persona)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "url",
    [
        "/findings/",
        "/inspections/",
        "/forces/",
        "/forces/force-a/",
        "/forces/force-b/",
    ],
)
def test_list_pages_render_for_everyone(world, persona, url):
    response = client_for(world, persona).get(url)
    assert response.status_code == 200
    assert b"<h1" in response.content


@pytest.mark.parametrize("persona", PERSONAS)
def test_finding_pages_follow_the_access_rules(world, persona):
    client = client_for(world, persona)
    seen = set(visible_findings(user_of(world, persona)).values_list("pk", flat=True))
    for name in FINDINGS:
        finding = getattr(world, name)
        response = client.get(reverse("findings:detail", args=[finding.pk]))
        expected = 200 if finding.pk in seen else 404
        assert response.status_code == expected, (persona, name)
        if expected == 200:
            assert finding.text.encode() in response.content


@pytest.mark.parametrize("persona", PERSONAS)
def test_inspection_pages_follow_the_access_rules(world, persona):
    client = client_for(world, persona)
    seen = set(visible_inspections(user_of(world, persona)).values_list("pk", flat=True))
    for name in INSPECTIONS:
        inspection = getattr(world, name)
        response = client.get(reverse("inspections:detail", args=[inspection.pk]))
        assert response.status_code == (200 if inspection.pk in seen else 404), (persona, name)


@pytest.mark.parametrize("persona", PERSONAS)
def test_response_pages_follow_the_access_rules(world, persona):
    client = client_for(world, persona)
    seen = set(visible_responses(user_of(world, persona)).values_list("pk", flat=True))
    for response in Response.objects.all():
        page = client.get(reverse("findings:response", args=[response.pk]))
        assert page.status_code == (200 if response.pk in seen else 404), (persona, response)


def test_what_each_reader_may_not_see_is_not_found(world):
    force_b = client_for(world, "force_b_reader")
    for finding in (world.fact_check_a, world.draft_a):
        assert force_b.get(reverse("findings:detail", args=[finding.pk])).status_code == 404
    anonymous = client_for(world, "anonymous")
    for finding in (world.national_body, world.joint_a, world.draft_a, world.fact_check_a):
        assert anonymous.get(reverse("findings:detail", args=[finding.pk])).status_code == 404
    for inspection in (world.joint, world.draft_inspection):
        page = anonymous.get(reverse("inspections:detail", args=[inspection.pk]))
        assert page.status_code == 404
    assert anonymous.get("/findings/not-a-number/").status_code == 404
    assert anonymous.get("/findings/999999/").status_code == 404
    assert anonymous.get("/forces/no-such-force/").status_code == 404
    # A PCC office or a national body has no force page.
    assert anonymous.get("/forces/pcc-a/").status_code == 404


def test_finding_page_shows_the_summary_and_progress(world):
    page = client_for(world, "inspector").get(
        reverse("findings:detail", args=[world.published_a.pk])
    )
    html = page.content.decode()
    for text in (
        "Area for improvement",
        world.inspection_a.title,
        "Protecting vulnerable people",
        "Vetting",
        "within six months",
        "14 September 2024",  # six months after 14 March 2024
        "Avon Test Police",
        "Awaiting allocation",
        "Strategic owner",
        "History",
        "Created",
    ):
        assert text in html, text
    assert reverse("findings:edit", args=[world.published_a.pk]) in html
    # Published findings cannot be deleted, so there is no button for it.
    assert reverse("findings:delete", args=[world.published_a.pk]) not in html


def test_the_public_sees_state_but_not_people_or_history(world):
    page = client_for(world, "anonymous").get(
        reverse("findings:detail", args=[world.national_all.pk])
    )
    html = page.content.decode()
    assert "Awaiting allocation" in html
    assert "All territorial forces (2)" in html
    assert "Strategic owner" not in html
    assert "Target date" not in html
    assert "Overdue" not in html
    assert "History" not in html
    assert reverse("findings:edit", args=[world.national_all.pk]) not in html


def _addressed_to(html: str) -> str:
    cell = html[html.index("Addressed to</dt>") :]
    return cell[: cell.index("</dd>")]


def test_a_finding_names_its_addressees_or_counts_all_forces(world):
    both = finding_services.create_finding(
        actor=world.inspector,
        inspection=world.inspection_a,
        kind=FindingKind.RECOMMENDATION,
        text="The forces should share their custody data.",
        addressee_scope=AddresseeScope.FORCES,
        addressees=[world.force_b, world.force_a],
        state=FindingState.PUBLISHED,
    )
    client = client_for(world, "inspector")

    def page(finding) -> str:
        return client.get(reverse("findings:detail", args=[finding.pk])).content.decode()

    listed = _addressed_to(page(both))
    names = sorted([world.force_a.name, world.force_b.name])
    assert f'<ul class="govuk-list"><li>{names[0]}</li><li>{names[1]}</li></ul>' in listed
    one = _addressed_to(page(world.published_a))
    assert world.force_a.name in one and "<li>" not in one
    assert "All territorial forces (2)" in _addressed_to(page(world.national_all))


def test_a_force_sees_other_forces_state_only_in_a_fixed_number_of_queries(world):
    client = client_for(world, "force_a_editor")
    url = reverse("findings:detail", args=[world.national_all.pk])
    client.get(url)  # the session and user, once
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    row = html[html.index(world.force_b.name + "</th>") :]
    row = row[: row.index("</tr>")]
    assert "Awaiting allocation" in row
    assert "Only the state is shared with other organisations" in row
    # The other force's row reads its state and name with the rest of its list, not one by one.
    response_b = world.national_all.responses.get(organisation=world.force_b)
    one_by_one = (
        f'WHERE "organisations_organisation"."id" = {world.force_b.pk} ',
        f'WHERE "findings_response"."id" = {response_b.pk} ',
    )
    assert not [q["sql"] for q in queries if any(part in q["sql"] for part in one_by_one)]


def test_an_overdue_response_says_so_in_words(world):
    response = world.national_all.responses.get(organisation=world.force_a)
    page = client_for(world, "force_a_editor").get(
        reverse("findings:detail", args=[world.national_all.pk])
    )
    assert response.is_overdue()
    assert ">Overdue<" in page.content.decode()


def test_history_shows_what_changed(world):
    finding_services.update_finding(
        world.published_a, actor=world.inspector, text="The force should do better."
    )
    html = (
        client_for(world, "inspectorate_reader")
        .get(reverse("findings:detail", args=[world.published_a.pk]))
        .content.decode()
    )
    assert "Ines Inspector" in html
    assert "Changed" in html
    assert "The force should improve how it safeguards children." in html
    assert "→" in html


def test_a_concern_lists_its_recommendations_and_they_link_back(world):
    concern = finding_services.create_finding(
        actor=world.inspector,
        inspection=world.inspection_a,
        kind="cause_of_concern",
        text="The force is not doing enough to protect children.",
        addressees=[world.force_a],
        state="published",
    )
    child = finding_services.create_finding(
        actor=world.inspector,
        inspection=world.inspection_a,
        kind="recommendation",
        parent=concern,
        text="Within three months, the force should audit its child protection cases.",
        addressees=[world.force_a],
        state="published",
    )
    client = client_for(world, "anonymous")
    concern_page = client.get(reverse("findings:detail", args=[concern.pk])).content.decode()
    assert child.get_absolute_url() in concern_page
    child_page = client.get(reverse("findings:detail", args=[child.pk])).content.decode()
    assert concern.get_absolute_url() in child_page


def test_response_page_for_the_public_shows_only_state_and_date(world):
    response = world.published_a.responses.get()
    html = (
        client_for(world, "anonymous")
        .get(reverse("findings:response", args=[response.pk]))
        .content.decode()
    )
    assert "Awaiting allocation" in html
    assert "State since" in html
    assert "Strategic owner" not in html
    assert "Target date" not in html
    assert "History" not in html


def test_response_page_for_its_force_shows_progress_and_history(world):
    response = world.published_a.responses.get()
    html = (
        client_for(world, "pcc_officer")
        .get(reverse("findings:response", args=[response.pk]))
        .content.decode()
    )
    for text in ("Strategic owner", "Tactical lead", "Governance board", "Target date", "History"):
        assert text in html


def test_inspection_page_lists_its_visible_findings(world):
    inspector = client_for(world, "inspector").get(
        reverse("inspections:detail", args=[world.draft_inspection.pk])
    )
    html = inspector.content.decode()
    assert world.draft_a.text[:30] in html
    assert world.fact_check_a.text[:30] in html
    assert reverse("findings:create", args=[world.draft_inspection.pk]) in html
    assert "History" in html
    force_a = client_for(world, "force_a_editor").get(
        reverse("inspections:detail", args=[world.draft_inspection.pk])
    )
    html = force_a.content.decode()
    assert world.fact_check_a.text[:30] in html
    assert world.draft_a.text[:30] not in html
    assert reverse("findings:create", args=[world.draft_inspection.pk]) not in html


def test_public_inspection_page_has_no_history(world):
    html = (
        client_for(world, "anonymous")
        .get(reverse("inspections:detail", args=[world.inspection_a.pk]))
        .content.decode()
    )
    assert world.published_a.text[:30] in html
    assert "History" not in html


def test_inspections_list_filters_and_reports_bad_values(world):
    client = client_for(world, "inspector")
    html = client.get("/inspections/?kind=thematic").content.decode()
    assert world.thematic.title in html
    assert world.inspection_a.title not in html
    html = client.get("/inspections/?force=force-b").content.decode()
    assert world.inspection_b.title in html
    assert world.inspection_a.title not in html
    html = client.get("/inspections/?state=awaiting_publication").content.decode()
    assert world.draft_inspection.title in html
    assert world.inspection_a.title not in html
    bad = client.get("/inspections/?state=nonsense&force=nowhere&page=x")
    assert bad.status_code == 200
    html = bad.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_state"' in html
    assert "Choose a force in scope from the list" in html


def test_the_public_inspections_list_shows_only_published_police_inspections(world):
    html = client_for(world, "anonymous").get("/inspections/").content.decode()
    assert world.inspection_a.title in html
    assert world.joint.title not in html
    assert world.draft_inspection.title not in html


def count_in_row(html: str, force_name: str) -> str:
    row = html[html.index(f">{force_name}</a>") :]
    row = row[: row.index("</tr>")]
    return row.rsplit("</td>", 1)[0].rsplit(">", 1)[1].strip()


def test_force_list_groups_by_region_and_counts_what_the_reader_sees(world):
    html = client_for(world, "anonymous").get("/forces/").content.decode()
    assert "South West" in html
    assert "Avon Test Police" in html
    # The public sees two findings to force A: published_a and the national one.
    assert count_in_row(html, "Avon Test Police") == "2"
    html = client_for(world, "force_a_editor").get("/forces/").content.decode()
    # Force A also sees its finding in factual accuracy check and the joint inspection's.
    assert count_in_row(html, "Avon Test Police") == "4"
    assert count_in_row(html, "Borset Test Police") == "2"


def test_force_page_counts_progress_and_links_to_the_register(world):
    client = client_for(world, "force_a_editor")
    html = client.get("/forces/force-a/").content.decode()
    assert "Office of the PCC for Avon Test" in html
    assert "/findings/?force=force-a" in html
    assert "/findings/?force=force-a&amp;state=awaiting_allocation" in html
    assert world.inspection_a.title in html
    assert world.draft_inspection.title in html
    # Another force's reader sees the public view of force A, not its own progress.
    assert "overdue=1" in html
    html = client_for(world, "force_b_reader").get("/forces/force-a/").content.decode()
    assert "public progress" in html
    assert "Overdue" not in html
    assert world.draft_inspection.title not in html


def test_force_page_counts_by_state(world):
    response = world.published_a.responses.get()
    Response.objects.filter(pk=response.pk).update(state=ResponseState.IN_PROGRESS)
    html = client_for(world, "inspector").get("/forces/force-a/").content.decode()
    assert "state=in_progress" in html
