"""The public register rule, and who sees which findings."""

from django.contrib.auth.models import AnonymousUser

from recreg.findings.access import visible_findings, visible_responses
from recreg.findings.models import Finding
from recreg.inspections.services import update_inspection


def ids(qs):
    return set(qs.values_list("pk", flat=True))


def test_public_register_rule(world):
    public = ids(Finding.objects.public())
    assert public == {world.published_a.pk, world.published_b.pk, world.national_all.pk}
    assert world.published_a.is_public
    # Not public: in check or draft; led by another inspectorate; for a national body.
    for finding in (world.fact_check_a, world.draft_a, world.joint_a, world.national_body):
        assert not finding.is_public


def test_anonymous_sees_only_the_public_register(world):
    assert ids(visible_findings(AnonymousUser())) == ids(Finding.objects.public())
    responses = visible_responses(AnonymousUser())
    assert {r.finding_id for r in responses} <= ids(Finding.objects.public())


def test_force_sees_its_own_including_fact_check_but_not_drafts(world):
    seen = ids(visible_findings(world.force_a_editor))
    assert world.fact_check_a.pk in seen
    assert world.joint_a.pk in seen
    assert world.draft_a.pk not in seen
    assert world.fact_check_b.pk not in seen
    assert world.national_body.pk not in seen


def test_pcc_office_sees_what_its_force_sees(world):
    assert ids(visible_findings(world.pcc_officer)) == ids(visible_findings(world.force_a_editor))
    assert ids(visible_responses(world.pcc_officer)) == ids(visible_responses(world.force_a_editor))


def test_force_b_never_sees_force_a_responses(world):
    orgs = set(visible_responses(world.force_b_reader).values_list("organisation", flat=True))
    assert orgs == {world.force_b.pk}


def test_national_reader_sees_all_but_drafts(world):
    seen = ids(visible_findings(world.national_reader))
    assert seen == ids(Finding.objects.exclude(state="draft"))


def test_inspectorate_sees_everything(world):
    assert ids(visible_findings(world.inspectorate_reader)) == ids(Finding.objects.all())


def _leads_kept():
    """Each finding's copy of its inspection's lead inspectorate, against the inspection's."""
    return all(
        lead == inspection_lead
        for lead, inspection_lead in Finding.objects.values_list(
            "lead_inspectorate_id", "inspection__lead_inspectorate_id"
        )
    )


def test_every_finding_keeps_its_inspections_lead_inspectorate(world):
    assert Finding.objects.count() > 5
    assert _leads_kept()


def test_a_changed_lead_inspectorate_moves_findings_in_and_out_of_the_public_register(world):
    assert world.joint_a.pk not in ids(visible_findings(AnonymousUser()))
    update_inspection(world.joint, actor=world.inspector, lead_inspectorate=world.hmicfrs)
    assert _leads_kept()
    assert world.joint_a.pk in ids(visible_findings(AnonymousUser()))
    assert world.joint_a.pk in ids(Finding.objects.public())
    update_inspection(world.joint, actor=world.inspector, lead_inspectorate=world.probation)
    assert _leads_kept()
    assert world.joint_a.pk not in ids(visible_findings(AnonymousUser()))
    # The force it is addressed to still sees it, as before.
    assert world.joint_a.pk in ids(visible_findings(world.force_a_editor))


def test_a_finding_moved_to_another_inspection_takes_its_lead(world):
    finding = Finding.objects.get(pk=world.joint_a.pk)
    finding.inspection = world.published_a.inspection
    finding.save(update_fields=["inspection"])
    assert _leads_kept()
    assert finding.pk in ids(Finding.objects.public())


def test_findings_created_in_bulk_get_their_inspections_lead(world):
    read = Finding(inspection=world.joint, kind="recommendation", text="Read.", state="published")
    by_id = Finding(
        inspection_id=world.published_a.inspection_id, kind="recommendation", text="By id."
    )
    Finding.objects.bulk_create([read, by_id])
    assert _leads_kept()
    assert read.lead_inspectorate_id == world.joint.lead_inspectorate_id
    assert by_id.lead_inspectorate_id == world.hmicfrs.pk
