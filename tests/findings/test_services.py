import datetime

import pytest
from django.core.exceptions import ValidationError

from recreg.audit.models import AuditAction, AuditEvent
from recreg.findings import services
from recreg.findings.models import (
    AddresseeScope,
    Finding,
    FindingKind,
    FindingState,
    Response,
    ResponseState,
)
from recreg.inspections import services as inspection_services
from recreg.inspections.models import InspectionKind, InspectionState


def counts():
    return Finding.objects.count(), Response.objects.count(), AuditEvent.objects.count()


def test_all_forces_fans_out_one_response_per_territorial_force(world):
    responses = world.national_all.responses.all()
    assert {r.organisation for r in responses} == {world.force_a, world.force_b}
    assert all(r.state == ResponseState.AWAITING_ALLOCATION for r in responses)
    # The month deadline resolves to the month's last day and becomes the target date.
    assert world.national_all.deadline_date == datetime.date(2024, 3, 31)
    assert {r.target_date for r in responses} == {datetime.date(2024, 3, 31)}


def test_create_writes_audit_events_for_finding_and_responses(world):
    finding = services.create_finding(
        actor=world.inspector,
        inspection=world.inspection_a,
        kind=FindingKind.RECOMMENDATION,
        text="The force should publish its custody data.",
        addressee_scope=AddresseeScope.FORCES,
        addressees=[world.force_a],
    )
    event = AuditEvent.objects.for_object(finding).get()
    assert event.action == AuditAction.CREATE
    assert event.actor == world.inspector
    assert event.changes["text"] == [None, "The force should publish its custody data."]
    assert event.changes["addressees"] == [None, [world.force_a.pk]]
    response = finding.responses.get()
    assert AuditEvent.objects.for_object(response).get().action == AuditAction.CREATE


def test_update_records_old_and_new_values(world):
    services.update_finding(world.published_a, actor=world.inspector, text="New wording.")
    event = AuditEvent.objects.for_object(world.published_a).last()
    assert event.action == AuditAction.UPDATE
    assert event.changes == {
        "text": ["The force should improve how it safeguards children.", "New wording."]
    }


def test_bad_deadline_writes_nothing(world):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.create_finding(
            actor=world.inspector,
            inspection=world.inspection_a,
            kind=FindingKind.RECOMMENDATION,
            text="Text",
            addressee_scope=AddresseeScope.FORCES,
            addressees=[world.force_a],
            deadline_text="sometime soon",
        )
    assert "deadline_text" in exc.value.message_dict
    assert counts() == before


def test_only_inspectorate_editors_change_findings(world):
    before = counts()
    for persona in ("inspectorate_reader", "force_a_editor", "pcc_officer", "national_reader"):
        with pytest.raises(PermissionError):
            services.create_finding(
                actor=getattr(world, persona),
                inspection=world.inspection_a,
                kind=FindingKind.RECOMMENDATION,
                text="x",
                addressees=[world.force_a],
            )
    assert counts() == before


def test_addressees_must_match_scope(world):
    with pytest.raises(ValidationError) as exc:
        services.create_finding(
            actor=world.inspector,
            inspection=world.thematic,
            kind=FindingKind.RECOMMENDATION,
            text="x",
            addressee_scope=AddresseeScope.NATIONAL_BODY,
            addressees=[world.force_a],
        )
    assert "addressees" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.create_finding(
            actor=world.inspector,
            inspection=world.thematic,
            kind=FindingKind.RECOMMENDATION,
            text="x",
            addressee_scope=AddresseeScope.FORCES,
            addressees=[],
        )


def test_recommendation_can_belong_to_a_cause_of_concern(world):
    concern = services.create_finding(
        actor=world.inspector,
        inspection=world.inspection_a,
        kind=FindingKind.CAUSE_OF_CONCERN,
        text="The force is not protecting children well enough.",
        addressees=[world.force_a],
    )
    child = services.create_finding(
        actor=world.inspector,
        inspection=world.inspection_a,
        kind=FindingKind.RECOMMENDATION,
        text="Within three months the force should review every open case.",
        addressees=[world.force_a],
        parent=concern,
        deadline_text="within three months",
    )
    assert list(concern.children.all()) == [child]
    with pytest.raises(ValidationError):
        services.create_finding(
            actor=world.inspector,
            inspection=world.inspection_a,
            kind=FindingKind.AREA_FOR_IMPROVEMENT,
            text="x",
            addressees=[world.force_a],
            parent=concern,
        )


def test_removing_an_addressee_removes_an_untouched_response(world):
    finding = services.create_finding(
        actor=world.inspector,
        inspection=world.thematic,
        kind=FindingKind.RECOMMENDATION,
        text="x",
        addressees=[world.force_a, world.force_b],
    )
    services.update_finding(finding, actor=world.inspector, addressees=[world.force_a])
    assert [r.organisation for r in finding.responses.all()] == [world.force_a]
    deleted = AuditEvent.objects.filter(model="findings.response", action=AuditAction.DELETE)
    assert deleted.count() == 1


def test_publishing_resolves_months_deadlines(world):
    inspection = inspection_services.create_inspection(
        actor=world.inspector,
        title="New inspection",
        kind=InspectionKind.FORCE,
        lead_inspectorate=world.hmicfrs,
        state=InspectionState.FIELDWORK,
        forces_in_scope=[world.force_a],
    )
    finding = services.create_finding(
        actor=world.inspector,
        inspection=inspection,
        kind=FindingKind.RECOMMENDATION,
        text="x",
        addressees=[world.force_a],
        deadline_text="within six months",
    )
    assert finding.deadline_date is None
    inspection_services.update_inspection(
        inspection,
        actor=world.inspector,
        state=InspectionState.PUBLISHED,
        published_on=datetime.date(2025, 1, 15),
    )
    finding.refresh_from_db()
    assert finding.deadline_date == datetime.date(2025, 7, 15)
    assert finding.responses.get().target_date == datetime.date(2025, 7, 15)


def test_cannot_publish_finding_before_its_inspection(world):
    with pytest.raises(ValidationError) as exc:
        services.update_finding(world.draft_a, actor=world.inspector, state=FindingState.PUBLISHED)
    assert "state" in exc.value.message_dict


def test_only_drafts_can_be_deleted(world):
    with pytest.raises(ValidationError):
        services.delete_finding(world.published_a, actor=world.inspector)
    pk = world.draft_a.pk
    services.delete_finding(world.draft_a, actor=world.inspector)
    assert not Finding.objects.filter(pk=pk).exists()
    assert AuditEvent.objects.filter(
        model="findings.finding", object_id=str(pk), action=AuditAction.DELETE
    ).exists()


def test_audit_events_cannot_be_changed_or_deleted(world):
    event = AuditEvent.objects.first()
    event.note = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().update(note="x")


def test_a_force_tracks_findings_of_another_inspectorates_report_itself(world):
    finding = services.create_finding(
        actor=world.force_a_editor,
        inspection=world.joint,
        kind=FindingKind.RECOMMENDATION,
        text="Chief constables should review youth diversion.",
        addressees=[world.force_a],
        state=FindingState.FACT_CHECK,
    )
    assert [r.organisation for r in finding.responses.all()] == [world.force_a]
    # Not for the police inspectorate's own reports, nor for another force.
    with pytest.raises(PermissionError):
        services.create_finding(
            actor=world.force_a_editor,
            inspection=world.inspection_a,
            kind=FindingKind.RECOMMENDATION,
            text="x",
            addressees=[world.force_a],
        )
    with pytest.raises(PermissionError):
        services.create_finding(
            actor=world.force_a_editor,
            inspection=world.joint,
            kind=FindingKind.RECOMMENDATION,
            text="x",
            addressees=[world.force_b],
        )
    with pytest.raises(PermissionError):
        services.create_finding(
            actor=world.force_b_reader,
            inspection=world.joint,
            kind=FindingKind.RECOMMENDATION,
            text="x",
            addressees=[world.force_b],
        )
