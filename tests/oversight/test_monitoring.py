import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from recreg.audit.models import AuditAction, AuditEvent
from recreg.findings import services as finding_services
from recreg.findings.models import AddresseeScope, FindingKind
from recreg.oversight import services
from recreg.oversight.engage import engage_summary
from recreg.oversight.models import MonitoringDecision, MonitoringRound, Tranche
from tests.conftest import client_for

DAY = datetime.date(2024, 9, 17)


def concern_for(world, force, text="Cause of concern: the force does not protect children."):
    return finding_services.create_finding(
        actor=world.inspector,
        inspection=world.inspection_a,
        kind=FindingKind.CAUSE_OF_CONCERN,
        text=text,
        addressee_scope=AddresseeScope.FORCES,
        addressees=[force],
        state="published",
    )


def decide(ov, force, status, round_=None, **extra):
    return services.record_monitoring_decision(
        round_ or ov.round,
        force,
        status=status,
        reasons=extra.pop("reasons", f"Reasons for {status}"),
        decided_on=extra.pop("decided_on", (round_ or ov.round).meets_on),
        actor=ov.world.inspector,
        **extra,
    )


def another_round(ov, year, number):
    return services.create_monitoring_round(
        year=year,
        tranche_number=number,
        starts_on=datetime.date(year, 1 + 4 * (number - 1), 1),
        ends_on=datetime.date(year, 4 + 4 * (number - 1), 28),
        meets_on=datetime.date(year, 4 + 4 * (number - 1), 28),
        actor=ov.world.inspector,
    )


def test_round_creates_its_tranche_with_audit(ov):
    tranche = ov.round.tranche
    assert str(tranche) == "2024 tranche 2"
    assert AuditEvent.objects.for_object(tranche).get().action == AuditAction.CREATE
    assert AuditEvent.objects.for_object(ov.round).get().actor == ov.world.inspector


def test_round_refusals(ov):
    w = ov.world
    with pytest.raises(ValidationError) as exc:
        services.create_monitoring_round(
            year=2024,
            tranche_number=2,
            starts_on=DAY,
            ends_on=DAY,
            meets_on=DAY,
            actor=w.inspector,
        )
    assert "2024 tranche 2 already has a monitoring round" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.create_monitoring_round(
            year=2024,
            tranche_number=4,
            starts_on=DAY,
            ends_on=DAY - datetime.timedelta(days=1),
            meets_on=DAY,
            actor=w.inspector,
        )
    assert set(exc.value.message_dict) == {"tranche_number", "ends_on"}
    with pytest.raises(PermissionError):
        services.create_monitoring_round(
            year=2025,
            tranche_number=1,
            starts_on=DAY,
            ends_on=DAY,
            meets_on=DAY,
            actor=w.inspectorate_reader,
        )
    assert MonitoringRound.objects.count() == 1 and Tranche.objects.count() == 1


def test_decision_keeps_the_word_and_normalises_the_stage(ov):
    w = ov.world
    concern = concern_for(w, w.force_a)
    decision = decide(ov, w.force_a, "Engaged", causes_of_concern=[concern])
    assert decision.status == "Engaged" and decision.stage == "engage"
    assert decision.decided_by == w.inspector.full_name
    assert decision.recorded_by == w.inspector
    event = AuditEvent.objects.for_object(decision).get()
    assert event.changes["status"] == [None, "Engaged"]
    assert event.changes["causes_of_concern"] == [None, [concern.pk]]


def test_unknown_word_needs_a_stage_and_conflicts_are_refused(ov):
    w = ov.world
    with pytest.raises(ValidationError) as exc:
        decide(ov, w.force_a, "Enhanced monitoring")
    assert "Say which stage “Enhanced monitoring” means today" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        decide(ov, w.force_a, "Engaged", stage="scan")
    assert "“Engaged” means Engage, not Scan" in str(exc.value)
    decision = decide(ov, w.force_a, "Enhanced monitoring", stage="engage")
    assert decision.stage == "engage"


def test_decision_refusals_write_nothing(ov):
    w = ov.world
    not_a_concern = w.published_a
    concern_b = concern_for(w, w.force_b)
    with pytest.raises(ValidationError) as exc:
        services.record_monitoring_decision(
            ov.round,
            w.force_a,
            status="",
            reasons="",
            decided_on=None,
            decided_by=" ",
            causes_of_concern=[not_a_concern, concern_b],
            actor=w.inspector,
        )
    errors = exc.value.message_dict
    assert set(errors) >= {"status", "reasons", "decided_on", "causes_of_concern"}
    assert any("is not a cause of concern" in m for m in errors["causes_of_concern"])
    assert any("is not addressed to Avon Test Police" in m for m in errors["causes_of_concern"])
    with pytest.raises(ValidationError, match="is not a police force|Choose a police force"):
        decide(ov, w.home_office, "Scan")
    for persona in ("inspectorate_reader", "force_a_editor", "national_reader"):
        with pytest.raises(PermissionError):
            services.record_monitoring_decision(
                ov.round,
                w.force_a,
                status="Scan",
                reasons="x",
                decided_on=DAY,
                actor=getattr(w, persona),
            )
    assert MonitoringDecision.objects.count() == 0
    decide(ov, ov.world.force_a, "Scan")
    with pytest.raises(ValidationError, match="already recorded in this round"):
        decide(ov, ov.world.force_a, "Engage")


def test_update_decision_is_audited(ov):
    w = ov.world
    decision = decide(ov, w.force_a, "Scan")
    services.update_monitoring_decision(
        decision, status="Engage", reasons="Serious concerns.", actor=w.inspector
    )
    decision.refresh_from_db()
    assert decision.stage == "engage"
    changes = AuditEvent.objects.for_object(decision).last().changes
    assert changes["status"] == ["Scan", "Engage"] and changes["stage"] == ["scan", "engage"]
    with pytest.raises(PermissionError):
        services.update_monitoring_decision(decision, status="Scan", actor=w.force_a_editor)
    with pytest.raises(ValueError):
        services.update_monitoring_decision(decision, force=w.force_b, actor=w.inspector)


def test_engage_summary_current_and_left(ov):
    w = ov.world
    earlier = another_round(ov, 2024, 1)
    later = another_round(ov, 2024, 3)
    decide(ov, w.force_a, "Engaged", round_=earlier, reasons="Entered for call handling.")
    decide(ov, w.force_a, "Engage")  # stays in
    decide(ov, w.force_a, "Scan", round_=later, reasons="Left: calls now answered.")
    decide(ov, w.force_b, "Scan", round_=earlier)
    decide(ov, w.force_b, "Engage", reasons="Entered for vetting.")
    decide(ov, w.force_b, "Engage", round_=later)
    current, left = engage_summary()
    assert [(p.force, p.entered.reasons) for p in current] == [(w.force_b, "Entered for vetting.")]
    assert current[0].since == ov.round.meets_on
    assert [(p.force, p.left.reasons) for p in left] == [(w.force_a, "Left: calls now answered.")]
    assert left[0].since == earlier.meets_on


def test_public_engage_page_and_force_history(ov, django_assert_max_num_queries):
    w = ov.world
    concern = concern_for(w, w.force_a)
    decide(
        ov,
        w.force_a,
        "Engage",
        reasons="Serious concerns about safeguarding.",
        causes_of_concern=[concern],
    )
    client = client_for(w, "anonymous")
    with django_assert_max_num_queries(6):
        html = client.get(reverse("oversight:engage")).content.decode()
    assert "Avon Test Police" in html and "Serious concerns about safeguarding." in html
    assert "17 September 2024" in html
    with django_assert_max_num_queries(8):
        html = client.get(reverse("oversight:force_monitoring", args=["force-a"])).content.decode()
    assert ">Engage</strong>" in html and concern.title in html


def test_force_history_hides_concerns_the_reader_may_not_see(ov):
    w = ov.world
    hidden = finding_services.create_finding(
        actor=w.inspector,
        inspection=w.inspection_a,
        kind=FindingKind.CAUSE_OF_CONCERN,
        text="A concern still in factual accuracy check.",
        addressee_scope=AddresseeScope.FORCES,
        addressees=[w.force_a],
        state="fact_check",
    )
    hidden.reference = "Hidden concern"
    hidden.save()
    decision = decide(ov, w.force_a, "Engage", causes_of_concern=[hidden])
    url = reverse("oversight:decision_detail", args=[decision.pk])
    assert "Hidden concern" not in client_for(w, "anonymous").get(url).content.decode()
    assert "Hidden concern" in client_for(w, "force_a_editor").get(url).content.decode()


def test_rounds_page_query_count(ov, django_assert_max_num_queries):
    for year in (2021, 2022, 2023):
        for number in (1, 2, 3):
            another_round(ov, year, number)
    with django_assert_max_num_queries(6):
        response = client_for(ov.world, "anonymous").get(reverse("oversight:monitoring"))
    assert response.status_code == 200


def test_round_page_query_count(ov, django_assert_max_num_queries):
    w = ov.world
    decide(ov, w.force_a, "Scan")
    decide(ov, w.force_b, "Engage")
    with django_assert_max_num_queries(8):
        html = client_for(w, "anonymous").get(ov.round.get_absolute_url()).content.decode()
    assert "Record a decision" not in html
    html = client_for(w, "inspector").get(ov.round.get_absolute_url()).content.decode()
    assert "History" in html


def test_decision_form_records_and_shows_errors(ov):
    w = ov.world
    client = client_for(w, "inspector")
    url = reverse("oversight:decision_create", args=[ov.round.pk, "force-a"])
    response = client.post(
        url, {"status": "Enhanced", "reasons": "x", "decided_by": "HMI", "decided_on": "17/09/2024"}
    )
    assert response.status_code == 200
    assert "Say which stage “Enhanced” means today" in response.content.decode()
    assert MonitoringDecision.objects.count() == 0
    response = client.post(
        url,
        {
            "status": "Engage",
            "reasons": "Concerns.",
            "decided_by": "HMI",
            "decided_on": "17/09/2024",
        },
    )
    assert response.status_code == 302
    decision = MonitoringDecision.objects.get()
    # Asking again goes to the change page rather than making a second decision.
    assert client.get(url).url == reverse("oversight:decision_edit", args=[decision.pk])
    response = client.post(
        reverse("oversight:decision_edit", args=[decision.pk]),
        {"status": "Scan", "reasons": "Better.", "decided_by": "HMI", "decided_on": "17/09/2024"},
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.stage == "scan"

    url = reverse("oversight:round_create")
    response = client.post(
        url,
        {
            "year": "2025",
            "tranche_number": "1",
            "starts_on": "06/01/2025",
            "ends_on": "01/01/2025",
            "meets_on": "20/05/2025",
        },
    )
    assert "The tranche must end on or after the day it starts" in response.content.decode()
    response = client.post(
        url,
        {
            "year": "2025",
            "tranche_number": "1",
            "starts_on": "06/01/2025",
            "ends_on": "30/04/2025",
            "meets_on": "20/05/2025",
        },
    )
    assert response.status_code == 302
    assert MonitoringRound.objects.filter(tranche__year=2025).exists()
