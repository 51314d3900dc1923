"""The editors' forms: errors shown the Design System's way with nothing written, good input
written through the services with its audit trail, and everyone else refused."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from recreg.audit.models import AuditEvent
from recreg.findings.models import Finding, FindingState, Response
from recreg.inspections.models import Inspection
from recreg.organisations.models import Organisation
from tests.conftest import client_for


def counts():
    return (
        Finding.objects.count(),
        Response.objects.count(),
        Inspection.objects.count(),
        AuditEvent.objects.count(),
    )


def finding_data(world, **overrides):
    data = {
        "kind": "recommendation",
        "parent": "",
        "reference": "Recommendation 7",
        "text": "Within three months, the force should review how it records domestic abuse.",
        "question_area": str(world.area.pk),
        "themes": [str(world.theme.pk)],
        "addressee_scope": "forces",
        "forces": [str(world.force_a.pk), str(world.force_b.pk)],
        "national_body": "",
        "deadline_text": "within three months",
        "state": "draft",
    }
    data.update(overrides)
    return data


def inspection_data(world, **overrides):
    data = {
        "title": "Police response to burglary",
        "kind": "thematic",
        "programme": "",
        "lead_inspectorate": str(world.hmicfrs.pk),
        "partner_inspectorates": [],
        "forces_in_scope": [str(world.force_a.pk)],
        "fieldwork_start": "03/02/2025",
        "fieldwork_end": "28/02/2025",
        "published_on": "",
        "report_url": "",
        "state": "fieldwork",
    }
    data.update(overrides)
    return data


def test_the_form_for_a_finding_renders_for_an_editor(world):
    page = client_for(world, "inspector").get(
        reverse("findings:create", args=[world.inspection_a.pk])
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Add a finding" in html
    assert "Enter a deadline like" in html  # the accepted forms, as the deadline's hint
    assert "All territorial forces (2)" in html
    assert world.force_b.name in html
    assert world.home_office.name in html


def test_a_bad_deadline_shows_the_error_summary_and_writes_nothing(world):
    before = counts()
    page = client_for(world, "inspector").post(
        reverse("findings:create", args=[world.inspection_a.pk]),
        finding_data(world, deadline_text="sometime soon"),
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_deadline_text"' in html
    assert 'id="id_deadline_text-error"' in html
    assert "govuk-input--error" in html
    assert "(error)" in html
    assert "sometime soon" in html  # what was typed is kept
    assert counts() == before


def test_a_good_finding_is_created_with_responses_and_audit_events(world):
    before_findings, before_responses, _, before_events = counts()
    page = client_for(world, "inspector").post(
        reverse("findings:create", args=[world.inspection_a.pk]),
        finding_data(world),
    )
    finding = Finding.objects.latest("pk")
    assert page.status_code == 302
    assert page["Location"] == finding.get_absolute_url()
    assert Finding.objects.count() == before_findings + 1
    assert finding.reference == "Recommendation 7"
    assert finding.deadline_date == datetime.date(2024, 6, 14)
    assert list(finding.themes.all()) == [world.theme]
    orgs = set(finding.responses.values_list("organisation", flat=True))
    assert orgs == {world.force_a.pk, world.force_b.pk}
    assert Response.objects.count() == before_responses + 2
    assert AuditEvent.objects.count() == before_events + 3
    assert AuditEvent.objects.for_object(finding).get().actor == world.inspector


def test_a_finding_for_all_forces_fans_out(world):
    client_for(world, "inspector").post(
        reverse("findings:create", args=[world.thematic.pk]),
        finding_data(world, addressee_scope="all_forces", forces=[], question_area=""),
    )
    finding = Finding.objects.latest("pk")
    territorial = set(Organisation.objects.territorial_forces().values_list("pk", flat=True))
    assert set(finding.responses.values_list("organisation", flat=True)) == territorial


def test_a_finding_for_a_national_body(world):
    client_for(world, "inspector").post(
        reverse("findings:create", args=[world.thematic.pk]),
        finding_data(
            world,
            addressee_scope="national_body",
            national_body=str(world.home_office.pk),
            question_area="",
        ),
    )
    finding = Finding.objects.latest("pk")
    assert list(finding.addressees.all()) == [world.home_office]


@pytest.mark.parametrize(
    ("overrides", "anchor", "message"),
    [
        ({"forces": []}, "id_forces_0", "Choose at least one force"),
        (
            {"addressee_scope": "national_body", "forces": []},
            "id_national_body",
            "Choose the national body",
        ),
        ({"text": ""}, "id_text", "This field is required"),
        ({"kind": "nonsense"}, "id_kind_0", "Select a valid choice"),
        (
            {"state": "published", "deadline_text": ""},
            "id_state_0",
            "only once its inspection is published",
        ),
    ],
)
def test_errors_from_the_form_and_the_service_link_to_their_fields(
    world, overrides, anchor, message
):
    before = counts()
    inspection = world.draft_inspection if overrides.get("state") else world.inspection_a
    page = client_for(world, "inspector").post(
        reverse("findings:create", args=[inspection.pk]),
        finding_data(world, question_area="", **overrides),
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert f'href="#{anchor}"' in html
    assert message in html
    assert counts() == before


def test_a_recommendation_can_belong_to_a_cause_of_concern(world):
    client = client_for(world, "inspector")
    url = reverse("findings:create", args=[world.inspection_a.pk])
    client.post(url, finding_data(world, kind="cause_of_concern", reference="Cause of concern"))
    concern = Finding.objects.latest("pk")
    page = client.get(url)
    assert "Cause of concern: Within three months" in page.content.decode()
    client.post(url, finding_data(world, parent=str(concern.pk), reference="Recommendation 8"))
    assert Finding.objects.latest("pk").parent == concern


def test_editing_a_finding_changes_it_and_audits_the_change(world):
    finding = world.published_a
    client = client_for(world, "inspector")
    url = reverse("findings:edit", args=[finding.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert finding.text in page.content.decode()
    before = AuditEvent.objects.count()
    page = client.post(
        url,
        finding_data(
            world,
            kind="area_for_improvement",
            reference="AFI 1",
            text=finding.text,
            forces=[str(world.force_a.pk)],
            deadline_text="within six months",
            state="published",
        ),
    )
    assert page.status_code == 302
    finding.refresh_from_db()
    assert finding.reference == "AFI 1"
    change = AuditEvent.objects.for_object(finding).last()
    assert change.changes == {"reference": ["", "AFI 1"]}
    assert AuditEvent.objects.count() == before + 1


def test_editing_with_a_bad_deadline_changes_nothing(world):
    finding = world.published_a
    before = counts()
    page = client_for(world, "inspector").post(
        reverse("findings:edit", args=[finding.pk]),
        finding_data(
            world, forces=[str(world.force_a.pk)], deadline_text="one day", state="published"
        ),
    )
    assert 'href="#id_deadline_text"' in page.content.decode()
    assert counts() == before
    finding.refresh_from_db()
    assert finding.deadline_text == "within six months"


def test_a_draft_is_deleted_after_confirmation(world):
    client = client_for(world, "inspector")
    url = reverse("findings:delete", args=[world.draft_a.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Delete finding" in page.content.decode()
    assert Finding.objects.filter(pk=world.draft_a.pk).exists()
    page = client.post(url)
    assert page.status_code == 302
    assert page["Location"] == world.draft_inspection.get_absolute_url()
    assert not Finding.objects.filter(pk=world.draft_a.pk).exists()
    assert AuditEvent.objects.filter(
        model="findings.finding", object_id=str(world.draft_a.pk), action="delete"
    ).exists()


def test_a_published_finding_is_not_deleted(world):
    client = client_for(world, "inspector")
    url = reverse("findings:delete", args=[world.published_a.pk])
    assert "Only a draft finding can be deleted" in client.get(url).content.decode()
    before = counts()
    page = client.post(url)
    assert page.status_code == 400
    assert "There is a problem" in page.content.decode()
    assert counts() == before
    assert world.published_a.state == FindingState.PUBLISHED


def test_an_inspection_with_fieldwork_out_of_order_shows_the_error(world):
    before = counts()
    page = client_for(world, "inspector").post(
        reverse("inspections:create"),
        inspection_data(world, fieldwork_end="01/01/2025"),
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert 'href="#id_fieldwork_end"' in html
    assert "Fieldwork end must be the same as or after fieldwork start" in html
    assert counts() == before


def test_an_unreal_date_shows_the_error(world):
    before = counts()
    page = client_for(world, "inspector").post(
        reverse("inspections:create"), inspection_data(world, fieldwork_start="31/02/2025")
    )
    html = page.content.decode()
    assert 'href="#id_fieldwork_start"' in html
    assert "Enter a real date" in html
    assert counts() == before


def test_a_published_inspection_needs_its_date(world):
    before = counts()
    page = client_for(world, "inspector").post(
        reverse("inspections:create"), inspection_data(world, state="published")
    )
    assert 'href="#id_published_on"' in page.content.decode()
    assert counts() == before


def test_an_inspection_is_created_and_changed(world):
    client = client_for(world, "inspector")
    before_events = AuditEvent.objects.count()
    page = client.post(reverse("inspections:create"), inspection_data(world))
    inspection = Inspection.objects.latest("pk")
    assert page.status_code == 302
    assert page["Location"] == inspection.get_absolute_url()
    assert inspection.title == "Police response to burglary"
    assert inspection.fieldwork_start == datetime.date(2025, 2, 3)
    assert list(inspection.forces_in_scope.all()) == [world.force_a]
    assert AuditEvent.objects.count() == before_events + 1

    url = reverse("inspections:edit", args=[inspection.pk])
    assert "Police response to burglary" in client.get(url).content.decode()
    page = client.post(
        url,
        inspection_data(
            world, state="published", published_on="2025-06-30", report_url="https://example.org/r"
        ),
    )
    assert page.status_code == 302
    inspection.refresh_from_db()
    assert inspection.published_on == datetime.date(2025, 6, 30)
    assert AuditEvent.objects.count() == before_events + 2
    history = client.get(inspection.get_absolute_url()).content.decode()
    assert "30 Jun 2025" in history  # the publication date's change, in the History


def mutating_requests(world):
    """(method, url, data) for every page that changes records."""
    return [
        ("get", reverse("findings:create", args=[world.inspection_a.pk]), None),
        ("post", reverse("findings:create", args=[world.inspection_a.pk]), finding_data(world)),
        ("get", reverse("findings:edit", args=[world.published_a.pk]), None),
        (
            "post",
            reverse("findings:edit", args=[world.published_a.pk]),
            finding_data(world, state="published"),
        ),
        ("get", reverse("findings:delete", args=[world.published_a.pk]), None),
        ("post", reverse("findings:delete", args=[world.published_a.pk]), {}),
        ("get", reverse("inspections:create"), None),
        ("post", reverse("inspections:create"), inspection_data(world)),
        ("get", reverse("inspections:edit", args=[world.inspection_a.pk]), None),
        ("post", reverse("inspections:edit", args=[world.inspection_a.pk]), inspection_data(world)),
    ]


@pytest.mark.parametrize("persona", ["force_a_editor", "inspectorate_reader", "national_reader"])
def test_signed_in_readers_who_are_not_editors_are_refused(world, persona):
    client = client_for(world, persona)
    before = counts()
    for method, url, data in mutating_requests(world):
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        assert response.status_code == 403, (persona, method, url)
    assert counts() == before


def test_anonymous_is_sent_to_sign_in_and_nothing_is_written(world):
    client = client_for(world, "anonymous")
    before = counts()
    for method, url, data in mutating_requests(world):
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(reverse("accounts:login")), url
        assert "next=" in response["Location"]
    assert counts() == before


def test_records_the_reader_may_not_see_are_not_found_even_to_change(world):
    client = client_for(world, "force_b_reader")
    for url in (
        reverse("findings:edit", args=[world.fact_check_a.pk]),
        reverse("findings:delete", args=[world.draft_a.pk]),
        reverse("findings:create", args=[world.draft_inspection.pk]),
        reverse("inspections:edit", args=[world.draft_inspection.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url


def test_a_new_finding_starts_addressed_as_its_inspection_suggests(world):
    client = client_for(world, "inspector")
    html = client.get(reverse("findings:create", args=[world.thematic.pk])).content.decode()
    assert re.search(r'<input[^>]*value="all_forces"[^>]*checked', html)
    html = client.get(reverse("findings:create", args=[world.inspection_a.pk])).content.decode()
    assert re.search(rf'<input[^>]*name="forces" value="{world.force_a.pk}"[^>]*checked', html)
    assert not re.search(rf'<input[^>]*name="forces" value="{world.force_b.pk}"[^>]*checked', html)
