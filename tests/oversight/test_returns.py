import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from recreg.audit.models import AuditAction, AuditEvent
from recreg.oversight import services
from recreg.oversight.models import (
    DataReturn,
    LiaisonNote,
    ReturnStatus,
    ReturnTemplate,
    ReturnValue,
)
from recreg.oversight.services import IndicatorSpec
from tests.conftest import client_for
from tests.factories import ForceFactory
from tests.oversight.conftest import GOOD_VALUES, INDICATORS


def test_template_versions(ov):
    w = ov.world
    template = services.create_return_template(
        name="Force data return", indicators=INDICATORS, actor=w.inspector
    )
    assert template.version == 1 and template.indicators.count() == 4
    assert AuditEvent.objects.for_object(template).get().action == AuditAction.CREATE
    revised = services.revise_return_template(
        template,
        indicators=[*INDICATORS, IndicatorSpec("vetting", "Lapsed vetting", "number", "people")],
        actor=w.inspector,
    )
    assert revised.version == 2 and revised.slug == template.slug
    assert template.indicators.count() == 4 and revised.indicators.count() == 5
    with pytest.raises(ValidationError, match="Revise the latest version"):
        services.revise_return_template(template, indicators=INDICATORS, actor=w.inspector)
    with pytest.raises(ValidationError, match="revise it instead"):
        services.create_return_template(
            name="Force data return", indicators=INDICATORS, actor=w.inspector
        )


def test_template_refusals(ov):
    w = ov.world
    with pytest.raises(ValidationError) as exc:
        services.create_return_template(
            name="Bad",
            indicators=[
                IndicatorSpec("Bad Code", "x", "number"),
                IndicatorSpec("ok", "", "colour"),
                IndicatorSpec("ok", "Again", "text"),
            ],
            actor=w.inspector,
        )
    messages = exc.value.message_dict["indicators"]
    assert "Indicator 1: the code must be lower-case letters, numbers and hyphens" in messages
    assert "Indicator 2: enter a name" in messages
    assert any(m.startswith("Indicator 2: the type must be one of") for m in messages)
    assert "Indicator 3: the code ok is used twice" in messages
    with pytest.raises(PermissionError):
        services.create_return_template(name="X", indicators=INDICATORS, actor=w.force_a_editor)
    assert ReturnTemplate.objects.count() == 0


def test_window_refusals(ov, window):
    w = ov.world
    with pytest.raises(ValidationError) as exc:
        services.create_collection_window(
            template=window.template,
            name="Spring 2025",
            opens_on=datetime.date(2025, 5, 1),
            due_on=datetime.date(2025, 4, 1),
            actor=w.inspector,
        )
    assert set(exc.value.message_dict) == {"name", "due_on"}
    with pytest.raises(PermissionError):
        services.create_collection_window(
            template=window.template,
            name="Autumn",
            opens_on=datetime.date(2025, 9, 1),
            due_on=datetime.date(2025, 10, 1),
            actor=w.national_reader,
        )


def test_draft_then_submit_once(ov, window):
    w = ov.world
    draft = services.save_data_return(
        window, w.force_a, values={"calls-999": "88.5%"}, actor=w.force_a_editor
    )
    assert draft.status == ReturnStatus.DRAFT and draft.values.count() == 1
    assert draft.values.get().number == pytest.approx(88.5)
    assert AuditEvent.objects.for_object(draft).get().action == AuditAction.CREATE

    submitted = services.save_data_return(
        window, w.force_a, values=GOOD_VALUES, submit=True, actor=w.force_a_editor
    )
    assert submitted.pk == draft.pk and submitted.is_submitted
    assert submitted.submitted_by == w.force_a_editor
    by_code = {v.indicator.code: v for v in submitted.values.select_related("indicator")}
    assert by_code["backlog"].text == "1204" and by_code["backlog"].number == 1204
    assert by_code["custody-ok"].flag is True
    assert by_code["pressures"].text == "Staffing"
    # Submitted after the due date (the window closed in 2025), so it is late.
    assert submitted.is_late

    with pytest.raises(ValidationError, match="cannot be changed"):
        services.save_data_return(window, w.force_a, values=GOOD_VALUES, actor=w.force_a_editor)


def test_values_are_checked_by_type_and_nothing_is_written(ov, window):
    w = ov.world
    with pytest.raises(ValidationError) as exc:
        services.save_data_return(
            window,
            w.force_a,
            values={"calls-999": "120", "backlog": "lots", "custody-ok": "maybe", "pressures": ""},
            submit=True,
            actor=w.force_a_editor,
        )
    errors = exc.value.message_dict
    assert errors["calls-999"] == [
        "999 calls answered within 10 seconds must be a percentage between 0 and 100"
    ]
    assert errors["backlog"] == [
        "Investigations open over a year must be a number (in investigations), like 42"
    ]
    assert errors["custody-ok"] == ["Custody suites meet the standard must be yes or no"]
    assert errors["pressures"] == ["Enter a value for Main pressures"]
    with pytest.raises(ValidationError, match="not an indicator"):
        services.save_data_return(window, w.force_a, values={"nope": "1"}, actor=w.force_a_editor)
    assert DataReturn.objects.count() == 0 and ReturnValue.objects.count() == 0


def test_only_the_force_and_inspectorate_editors_fill_returns(ov, window):
    for persona in ("force_b_reader", "pcc_officer", "national_reader", "inspectorate_reader"):
        with pytest.raises(PermissionError):
            services.save_data_return(
                window, ov.world.force_a, values=GOOD_VALUES, actor=getattr(ov.world, persona)
            )
    assert DataReturn.objects.count() == 0
    # An inspectorate editor may fill one in on a force's behalf; the trail says who did.
    data_return = services.save_data_return(
        window, ov.world.force_b, values=GOOD_VALUES, submit=True, actor=ov.world.inspector
    )
    assert AuditEvent.objects.for_object(data_return).get().actor == ov.world.inspector


def test_window_page_lists_late_and_missing(ov, window, django_assert_max_num_queries):
    w = ov.world
    services.save_data_return(
        window, w.force_a, values=GOOD_VALUES, submit=True, actor=w.force_a_editor
    )
    for n in range(5):
        ForceFactory(name=f"Extra {n} Police", slug=f"extra-{n}")
    client = client_for(w, "inspector")
    with django_assert_max_num_queries(8):
        response = client.get(window.get_absolute_url())
    html = response.content.decode()
    assert "Late returns (1)" in html and "Missing returns (6)" in html
    late = html[html.index('id="late"') : html.index('id="missing"')]
    assert "Avon Test Police" in late and "Borset Test Police" not in late


def test_return_page_draft_submit_and_errors(ov, window):
    client = client_for(ov.world, "force_a_editor")
    url = reverse("oversight:return_edit", args=[window.pk, "force-a"])
    response = client.post(url, {"calls-999": "abc", "action": "save"})
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert "must be a percentage" in html
    assert DataReturn.objects.count() == 0
    response = client.post(url, {"calls-999": "91", "action": "save"})
    assert response.status_code == 302
    assert DataReturn.objects.get().status == ReturnStatus.DRAFT
    response = client.post(url, {**GOOD_VALUES, "action": "submit"})
    assert response.status_code == 302
    assert DataReturn.objects.get().is_submitted
    html = client.get(url).content.decode()
    assert "Submit return" not in html and "88.5%" in html
    response = client.post(url, {**GOOD_VALUES, "calls-999": "10", "action": "submit"}, follow=True)
    assert "cannot be changed" in response.content.decode()
    assert DataReturn.objects.get().values.get(indicator__code="calls-999").text == "88.5"


def test_force_readers_see_but_cannot_fill(ov, window):
    w = ov.world
    w.force_b_reader.organisation = w.force_a
    w.force_b_reader.save()
    client = client_for(w, "force_b_reader")
    url = reverse("oversight:return_edit", args=[window.pk, "force-a"])
    assert "Submit return" not in client.get(url).content.decode()
    assert client.post(url, {**GOOD_VALUES, "action": "submit"}).status_code == 403


def test_indicator_history_over_windows(ov, window, django_assert_max_num_queries):
    w = ov.world
    services.save_data_return(
        window, w.force_a, values=GOOD_VALUES, submit=True, actor=w.force_a_editor
    )
    revised = services.revise_return_template(
        window.template,
        indicators=[INDICATORS[0], IndicatorSpec("vetting", "Lapsed vetting", "number")],
        actor=w.inspector,
    )
    autumn = services.create_collection_window(
        template=revised,
        name="Autumn 2025",
        opens_on=datetime.date(2025, 9, 1),
        due_on=datetime.date(2025, 10, 31),
        actor=w.inspector,
    )
    services.save_data_return(
        autumn, w.force_a, values={"calls-999": "79", "vetting": "12"}, actor=w.force_a_editor
    )
    client = client_for(w, "force_a_editor")
    with django_assert_max_num_queries(10):
        html = client.get(reverse("oversight:force_returns", args=["force-a"])).content.decode()
    row = html[html.index("999 calls answered") :]
    row = row[: row.index("</tr>")]
    assert "88.5" in row and "79" in row and "(draft)" in row
    assert "Not asked" in html  # vetting was not in the spring template


# --- Liaison notes ----------------------------------------------------------------------------


def test_add_liaison_note(ov):
    w = ov.world
    note = services.add_liaison_note(
        w.force_a,
        question_area=ov.pvp,
        noted_on=datetime.date(2025, 1, 10),
        severity=3,
        text="Call handling has fallen behind.",
        actor=w.inspector,
    )
    assert note.author == w.inspector
    assert AuditEvent.objects.for_object(note).get().changes["severity"] == [None, 3]


def test_liaison_note_refusals(ov):
    w = ov.world
    with pytest.raises(ValidationError) as exc:
        services.add_liaison_note(
            w.force_a,
            question_area=None,
            noted_on=datetime.date.today() + datetime.timedelta(days=3),
            severity=9,
            text=" ",
            actor=w.inspector,
        )
    assert set(exc.value.message_dict) == {"question_area", "noted_on", "severity", "text"}
    with pytest.raises(PermissionError):
        services.add_liaison_note(
            w.force_a,
            question_area=ov.pvp,
            noted_on=datetime.date(2025, 1, 1),
            severity=1,
            text="x",
            actor=w.force_a_editor,
        )
    assert LiaisonNote.objects.count() == 0


def test_notes_page_and_form(ov, django_assert_max_num_queries):
    w = ov.world
    for day in range(1, 6):
        services.add_liaison_note(
            w.force_a,
            question_area=ov.pvp,
            noted_on=datetime.date(2025, 1, day),
            severity=2,
            text=f"Note {day}",
            actor=w.inspector,
        )
    client = client_for(w, "force_a_editor")
    with django_assert_max_num_queries(8):
        html = client.get(reverse("oversight:force_notes", args=["force-a"])).content.decode()
    assert "Note 5" in html and ">Medium<" in html and "Add a note" not in html

    inspector = client_for(w, "inspector")
    url = reverse("oversight:note_create", args=["force-a"])
    response = inspector.post(url, {"question_area": "", "noted_on": "", "text": ""})
    assert "There is a problem" in response.content.decode()
    response = inspector.post(
        url,
        {"question_area": ov.pvp.pk, "noted_on": "01/02/2025", "severity": "3", "text": "High."},
    )
    assert response.status_code == 302
    assert LiaisonNote.objects.filter(text="High.", severity=3).exists()
