"""Access to oversight records beyond the page matrix.

Every oversight page as every persona is in tests/oversight/access_entries.py, walked by
tests/test_access_matrix.py (which also fails on any route the matrix leaves out). These tests
check what the matrix cannot: that nothing private leaks through pages a reader may see, and
that refused writes write nothing."""

import datetime

import pytest
from django.urls import reverse

from recreg.oversight import services
from recreg.oversight.models import GradeLevel, LiaisonNote, ReturnValue
from tests.conftest import client_for
from tests.oversight.conftest import GOOD_VALUES


@pytest.fixture
def records(ov):
    w = ov.world
    services.record_grades(
        w.force_a,
        ov.new,
        grades={(GradeLevel.AREA, ov.pvp.pk): "good"},
        published_on=datetime.date(2024, 3, 14),
        actor=w.inspector,
    )
    decision = services.record_monitoring_decision(
        ov.round,
        w.force_a,
        status="Engage",
        reasons="Concerns",
        decided_on=datetime.date(2024, 9, 17),
        actor=w.inspector,
    )
    services.add_liaison_note(
        w.force_a,
        question_area=ov.pvp,
        noted_on=datetime.date(2025, 1, 1),
        severity=3,
        text="Secret context about force A.",
        actor=w.inspector,
    )
    plan = services.create_tranche_plan(
        tranche=ov.round.tranche,
        framework=ov.new,
        forces=[w.force_b],
        core_areas=[ov.pvp],
        extra_area_count=1,
        actor=w.inspector,
    )
    return decision, plan


def test_force_b_never_sees_force_a_notes_or_returns(ov, records, window):
    w = ov.world
    services.save_data_return(
        window, w.force_a, values={"pressures": "Secret pressures"}, actor=w.force_a_editor
    )
    for persona in ("force_b_reader", "pcc_officer", "national_reader", "anonymous"):
        client = client_for(w, persona)
        for url in (
            reverse("oversight:force_notes", args=["force-a"]),
            reverse("oversight:force_returns", args=["force-a"]),
            reverse("oversight:return_edit", args=[window.pk, "force-a"]),
        ):
            response = client.get(url)
            assert response.status_code == 404
            assert b"Secret" not in response.content
        # Nor through a page that is theirs to see.
        for url in (
            reverse("oversight:grade_history", args=["force-a"]),
            reverse("oversight:force_monitoring", args=["force-a"]),
            reverse("oversight:engage"),
        ):
            assert b"Secret" not in client.get(url).content


def test_writes_are_refused_to_those_who_may_not(ov, records, window):
    w = ov.world
    force_b = client_for(w, "force_b_reader")
    url = reverse("oversight:return_edit", args=[window.pk, "force-a"])
    assert force_b.post(url, {**GOOD_VALUES, "action": "submit"}).status_code == 404
    assert ReturnValue.objects.count() == 0
    editor_a = client_for(w, "force_a_editor")
    note_url = reverse("oversight:note_create", args=["force-a"])
    response = editor_a.post(
        note_url,
        {"question_area": ov.pvp.pk, "noted_on": "01/02/2025", "severity": "1", "text": "x"},
    )
    assert response.status_code == 403
    assert LiaisonNote.objects.count() == 1
    anonymous = client_for(w, "anonymous")
    response = anonymous.post(reverse("oversight:round_create"), {"year": "2030"})
    assert response.status_code == 302 and "/accounts/" in response.url
    reader = client_for(w, "inspectorate_reader")
    assert reader.post(reverse("oversight:risk_config_edit"), {}).status_code == 403


def test_public_sees_grades_and_engage_but_not_unpublished_grades(ov, records):
    w = ov.world
    client = client_for(w, "anonymous")
    html = client.get(reverse("oversight:engage")).content.decode()
    assert "Avon Test Police" in html and "Concerns" in html
    html = client.get(reverse("oversight:grade_history", args=["force-a"])).content.decode()
    assert ">Good<" in html
    # The public's pages link to nothing private.
    assert reverse("oversight:force_notes", args=["force-a"]) not in html
    assert reverse("oversight:force_returns", args=["force-a"]) not in html
