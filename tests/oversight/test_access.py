"""Every oversight page as every persona: allowed (200), refused (403), not found (404) or sent
to sign in (302). A route missing from ROUTES fails the completeness test."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, get_resolver, reverse

from recreg.oversight import services
from recreg.oversight.models import GradeLevel, LiaisonNote, ReturnValue
from tests.conftest import PERSONAS, client_for
from tests.oversight.conftest import GOOD_VALUES

OK, DENIED, MISSING, SIGN_IN = 200, 403, 404, 302

PUBLIC = dict.fromkeys(PERSONAS, OK)
INSPECTORATE = {
    "inspector": OK,
    "inspectorate_reader": OK,
    "force_a_editor": DENIED,
    "force_b_reader": DENIED,
    "pcc_officer": DENIED,
    "national_reader": DENIED,
    "anonymous": SIGN_IN,
}
EDITOR = {**INSPECTORATE, "inspectorate_reader": DENIED}
# Force A's liaison notes and data returns: the inspectorate and force A's own people only.
FORCE_A_PRIVATE = {
    "inspector": OK,
    "inspectorate_reader": OK,
    "force_a_editor": OK,
    "force_b_reader": MISSING,
    "pcc_officer": MISSING,
    "national_reader": MISSING,
    "anonymous": MISSING,
}
NOTE_WRITER = {**FORCE_A_PRIVATE, "inspectorate_reader": DENIED, "force_a_editor": DENIED}
RETURNS_INDEX = {**INSPECTORATE, "force_a_editor": OK, "force_b_reader": OK}


def routes(ov, decision, window, plan):
    t, f = ov.round.tranche.pk, "peel-2023-25"
    return {
        "index": ([], PUBLIC),
        "grades": ([], PUBLIC),
        "grade_import": ([], EDITOR),
        "grade_matrix": ([f], PUBLIC),
        "grade_entry": ([f, "force-a"], EDITOR),
        "grade_history": (["force-a"], PUBLIC),
        "monitoring": ([], PUBLIC),
        "engage": ([], PUBLIC),
        "round_create": ([], EDITOR),
        "round_detail": ([ov.round.pk], PUBLIC),
        "decision_create": ([ov.round.pk, "force-b"], EDITOR),
        "decision_detail": ([decision.pk], PUBLIC),
        "decision_edit": ([decision.pk], EDITOR),
        "force_monitoring": (["force-a"], PUBLIC),
        "returns": ([], RETURNS_INDEX),
        "template_create": ([], EDITOR),
        "template_detail": ([window.template.pk], INSPECTORATE),
        "template_revise": ([window.template.pk], EDITOR),
        "window_create": ([], EDITOR),
        "window_detail": ([window.pk], INSPECTORATE),
        "return_edit": ([window.pk, "force-a"], FORCE_A_PRIVATE),
        "force_returns": (["force-a"], FORCE_A_PRIVATE),
        "force_notes": (["force-a"], FORCE_A_PRIVATE),
        "note_create": (["force-a"], NOTE_WRITER),
        "risk_index": ([], INSPECTORATE),
        "risk_config": ([], INSPECTORATE),
        "risk_config_edit": ([], EDITOR),
        "risk": ([f, "force-a"], INSPECTORATE),
        "plans": ([], INSPECTORATE),
        "plan_start": ([], EDITOR),
        "plan_create": ([t, f], EDITOR),
        "plan_detail": ([plan.pk], INSPECTORATE),
    }


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


def test_every_oversight_page_as_every_persona(ov, records, window):
    decision, plan = records
    services.save_data_return(
        window, ov.world.force_a, values=GOOD_VALUES, submit=True, actor=ov.world.force_a_editor
    )
    table = routes(ov, decision, window, plan)
    failures = []
    clients = {persona: client_for(ov.world, persona) for persona in PERSONAS}
    for name, (args, expected) in table.items():
        url = reverse(f"oversight:{name}", args=args)
        for persona in PERSONAS:
            status = clients[persona].get(url).status_code
            if status != expected[persona]:
                failures.append(f"{persona} GET {url}: {status}, expected {expected[persona]}")
    assert not failures, "\n".join(failures)


def test_every_oversight_route_is_in_the_matrix():
    # The table only needs primary keys, so stand-ins do: no database needed.
    stub = SimpleNamespace(pk=1, template=SimpleNamespace(pk=1))
    ov = SimpleNamespace(round=SimpleNamespace(pk=1, tranche=stub))
    known = set(routes(ov, stub, stub, stub))
    resolver = get_resolver()
    oversight = next(
        p for p in resolver.url_patterns if getattr(p, "namespace", None) == "oversight"
    )
    names = {p.name for p in oversight.url_patterns if isinstance(p, URLPattern)}
    assert names == known


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
