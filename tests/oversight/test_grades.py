import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from recreg.audit.models import AuditAction, AuditEvent
from recreg.oversight import services
from recreg.oversight.models import Assessment, Grade, GradeLevel, GradeValue
from recreg.oversight.services import COMMAND_LINE, record_grades
from tests.conftest import client_for
from tests.factories import ForceFactory

PUBLISHED = datetime.date(2024, 3, 14)


def grade_new(ov, force, published_on=PUBLISHED, **by_area):
    """Record 2023–25 grades keyed by area attribute name on `ov`."""
    grades = {(GradeLevel.AREA, getattr(ov, name).pk): value for name, value in by_area.items()}
    return record_grades(
        force, ov.new, grades=grades, published_on=published_on, actor=ov.world.inspector
    )


def test_record_grades_creates_assessment_grades_and_audit_events(ov):
    w = ov.world
    assessment = grade_new(ov, w.force_a, pvp="adequate", investigating="good")
    assert assessment.published_on == PUBLISHED
    assert {g.question_area_id: g.value for g in assessment.grades.all()} == {
        ov.pvp.pk: "adequate",
        ov.investigating.pk: "good",
    }
    event = AuditEvent.objects.for_object(assessment).get()
    assert event.action == AuditAction.CREATE and event.actor == w.inspector
    grade = assessment.grades.get(question_area=ov.pvp)
    grade_event = AuditEvent.objects.for_object(grade).get()
    assert grade_event.changes["value"] == [None, "adequate"]
    assert grade_event.note == "Protecting vulnerable people: Adequate"


def test_changing_and_removing_grades_is_audited(ov):
    w = ov.world
    assessment = grade_new(ov, w.force_a, pvp="adequate", investigating="good")
    grade = assessment.grades.get(question_area=ov.pvp)
    grade_new(ov, w.force_a, pvp="inadequate", investigating="")
    assert AuditEvent.objects.for_object(grade).last().changes == {
        "value": ["adequate", "inadequate"]
    }
    assert not assessment.grades.filter(question_area=ov.investigating).exists()
    deleted = AuditEvent.objects.filter(model="oversight.grade", action=AuditAction.DELETE)
    assert deleted.count() == 1
    assert (
        AuditEvent.objects.for_object(assessment)
        .filter(note="Grade removed: Investigating crime")
        .exists()
    )


def test_five_point_grade_refused_on_four_point_framework(ov):
    w = ov.world
    with pytest.raises(ValidationError) as exc:
        record_grades(
            w.force_a,
            ov.old,
            grades={(GradeLevel.AREA, ov.old_pvp.pk): "adequate"},
            actor=w.inspector,
        )
    message = exc.value.message_dict[f"area_{ov.old_pvp.pk}"][0]
    assert "Adequate is not on the four-point scale of PEEL 2017" in message
    assert Assessment.objects.count() == 0 and Grade.objects.count() == 0


def test_ungraded_area_takes_only_not_graded(ov):
    w = ov.world
    with pytest.raises(ValidationError) as exc:
        record_grades(
            w.force_a,
            ov.old,
            grades={(GradeLevel.AREA, ov.old_leadership.pk): "good"},
            actor=w.inspector,
        )
    assert "is not graded in PEEL 2017" in str(exc.value)
    assessment = record_grades(
        w.force_a,
        ov.old,
        grades={(GradeLevel.AREA, ov.old_leadership.pk): "not_graded"},
        actor=w.inspector,
    )
    assert assessment.grades.get().value == GradeValue.NOT_GRADED


def test_pillar_and_overall_grades_where_the_framework_has_them(ov):
    w = ov.world
    assessment = record_grades(
        w.force_a,
        ov.old,
        grades={
            (GradeLevel.PILLAR, ov.effectiveness.pk): "requires_improvement",
            (GradeLevel.OVERALL, None): "good",
        },
        actor=w.inspector,
    )
    assert {(g.level, g.value) for g in assessment.grades.all()} == {
        ("pillar", "requires_improvement"),
        ("overall", "good"),
    }
    # The five-point framework grades areas only: it has no overall grade.
    with pytest.raises(ValidationError):
        record_grades(
            w.force_a, ov.new, grades={(GradeLevel.OVERALL, None): "good"}, actor=w.inspector
        )


def test_only_inspectorate_editors_record_grades(ov):
    for persona in ("inspectorate_reader", "force_a_editor", "national_reader"):
        with pytest.raises(PermissionError):
            record_grades(
                ov.world.force_a,
                ov.new,
                grades={(GradeLevel.AREA, ov.pvp.pk): "good"},
                actor=getattr(ov.world, persona),
            )
    assert Assessment.objects.count() == 0
    # The command line (and the demo loader) act as the system, which may.
    assessment = record_grades(
        ov.world.force_a,
        ov.new,
        grades={(GradeLevel.AREA, ov.pvp.pk): "good"},
        actor=COMMAND_LINE,
    )
    assert AuditEvent.objects.for_object(assessment).get().actor_label == "command line"


# --- CSV import -------------------------------------------------------------------------------

HEADER = "force,framework,level,area,grade,published_on\n"


def test_import_grades_happy_path(ov):
    text = (
        HEADER
        + "force-a,peel-2023-25,,protecting-vulnerable-people,Adequate,2024-03-14\n"
        + "Avon Test Police,peel-2023-25,area,Investigating crime,requires improvement,\n"
        + "force-b,peel-2017,pillar,Effectiveness,Good,14/03/2018\n"
        + "force-b,peel-2017,overall,,Inadequate,\n"
    )
    result = services.import_grades(text, actor=ov.world.inspector)
    assert result.rows == 4 and result.grades_created == 4 and result.assessments_created == 2
    a = Assessment.objects.get(force=ov.world.force_a, framework=ov.new)
    assert a.published_on == datetime.date(2024, 3, 14)
    assert a.grades.get(question_area=ov.investigating).value == "requires_improvement"
    b = Assessment.objects.get(force=ov.world.force_b, framework=ov.old)
    assert b.published_on == datetime.date(2018, 3, 14)
    assert AuditEvent.objects.filter(model="oversight.grade").count() == 4
    # Importing the same file again changes nothing.
    again = services.import_grades(text, actor=ov.world.inspector)
    assert again.grades_created == 0 and again.grades_changed == 0


def test_import_errors_name_row_and_column_and_write_nothing(ov):
    text = (
        HEADER
        + "force-a,peel-2023-25,,protecting-vulnerable-people,Adequate,2024-03-14\n"
        + "force-z,peel-2023-25,,investigating-crime,Good,\n"
        + "force-a,peel-2017,,protecting-vulnerable-people,Adequate,\n"
        + "force-a,peel-2023-25,,no-such-area,Good,\n"
        + "force-a,peel-2023-25,,investigating-crime,Splendid,\n"
        + "force-a,peel-2023-25,,investigating-crime,Good,31/02/2024\n"
        + "force-a,peel-2023-25,,protecting-vulnerable-people,Good,\n"
    )
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.import_grades(text, actor=ov.world.inspector)
    messages = exc.value.messages
    assert "Row 3, column “force”: “force-z” is not a police force in the register" in messages
    assert any(
        m.startswith("Row 4, column “grade”: Adequate is not on the four-point scale")
        for m in messages
    )
    assert "Row 5, column “area”: “no-such-area” is not a question area of PEEL 2023–25" in messages
    assert "Row 6, column “grade”: “Splendid” is not a grade" in messages
    assert "Row 7, column “published_on”: “31/02/2024” is not a date: use 2024-03-14" in messages
    assert any(m.startswith("Row 8:") and "already graded in row 2" in m for m in messages)
    assert Assessment.objects.count() == 0 and Grade.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_import_missing_columns_and_empty_files(ov):
    with pytest.raises(ValidationError) as exc:
        services.import_grades("force,area\nforce-a,x\n", actor=ov.world.inspector)
    assert exc.value.messages == [
        "Row 1: column “framework” is missing (the columns are force, framework, level, area, "
        "grade, published_on)",
        "Row 1: column “grade” is missing (the columns are force, framework, level, area, "
        "grade, published_on)",
    ]
    with pytest.raises(ValidationError, match="The file is empty"):
        services.import_grades("", actor=ov.world.inspector)
    with pytest.raises(ValidationError, match="no grades"):
        services.import_grades(HEADER, actor=ov.world.inspector)
    with pytest.raises(PermissionError):
        services.import_grades(HEADER, actor=ov.world.force_a_editor)
    text = (
        HEADER
        + "force-a,peel-2023-25,,protecting-vulnerable-people,Adequate,2024-03-14\n"
        + "force-a,peel-2023-25,,investigating-crime,Good,2024-04-01\n"
    )
    with pytest.raises(ValidationError) as exc:
        services.import_grades(text, actor=ov.world.inspector)
    assert exc.value.messages[0].startswith("Row 3, column “published_on”: row 2 gives 2024-03-14")


def test_import_grades_command(ov, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "force-a,peel-2023-25,,investigating-crime,Good,\n")
    out = io.StringIO()
    call_command("import_grades", str(good), stdout=out)
    assert "1 rows read: 1 grades added" in out.getvalue()
    event = AuditEvent.objects.filter(model="oversight.grade").get()
    assert event.actor is None and event.actor_label == "command line"

    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "force-a,peel-2023-25,,investigating-crime,Great,\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem found: nothing was imported"):
        call_command("import_grades", str(bad), stderr=err)
    assert "Row 2, column “grade”: “Great” is not a grade" in err.getvalue()

    call_command("import_grades", str(good), "--user", ov.world.inspector.email, stdout=out)
    with pytest.raises(CommandError, match="Only inspectorate editors"):
        call_command("import_grades", str(good), "--user", ov.world.force_a_editor.email)
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_grades", str(tmp_path / "missing.csv"))


# --- Pages ------------------------------------------------------------------------------------


def test_import_page_lists_problems_and_writes_nothing(ov):
    client = client_for(ov.world, "inspector")
    upload = io.BytesIO((HEADER + "force-a,peel-2023-25,,investigating-crime,Great,\n").encode())
    upload.name = "grades.csv"
    response = client.post(reverse("oversight:grade_import"), {"file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Row 2, column “grade”: “Great” is not a grade" in html
    assert Grade.objects.count() == 0

    upload = io.BytesIO((HEADER + "force-a,peel-2023-25,,investigating-crime,Good,\n").encode())
    upload.name = "grades.csv"
    response = client.post(reverse("oversight:grade_import"), {"file": upload})
    assert response.status_code == 302 and Grade.objects.count() == 1


def test_import_page_refuses_files_that_are_not_utf8(ov):
    client = client_for(ov.world, "inspector")
    upload = io.BytesIO("force,framework,grade\nforce-a,peel-2023-25,Très\n".encode("latin-1"))
    upload.name = "grades.csv"
    response = client.post(reverse("oversight:grade_import"), {"file": upload})
    assert "saved as UTF-8" in response.content.decode()


def test_entry_form_offers_only_the_scale_and_shows_errors(ov):
    client = client_for(ov.world, "inspector")
    url = reverse("oversight:grade_entry", args=["peel-2017", "force-a"])
    html = client.get(url).content.decode()
    assert "Requires improvement" in html and ">Adequate<" not in html
    field = f"area_{ov.old_pvp.pk}"
    response = client.post(url, {field: "adequate", "published_on": ""})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert Grade.objects.count() == 0
    response = client.post(url, {field: "good", "published_on": "31/02/2018"})
    assert "Enter a real date" in response.content.decode()
    assert Assessment.objects.count() == 0
    response = client.post(url, {field: "good", "published_on": "14/03/2018"})
    assert response.status_code == 302
    assert Grade.objects.get().value == "good"


def test_history_page_notes_different_scales_and_prints_words(ov):
    w = ov.world
    record_grades(
        w.force_a,
        ov.old,
        grades={(GradeLevel.AREA, ov.old_pvp.pk): "good", (GradeLevel.OVERALL, None): "good"},
        published_on=datetime.date(2018, 3, 1),
        actor=w.inspector,
    )
    grade_new(ov, w.force_a, pvp="adequate")
    html = (
        client_for(w, "anonymous")
        .get(reverse("oversight:grade_history", args=["force-a"]))
        .content.decode()
    )
    assert "These assessments used different grading scales" in html
    assert "Four-point scale" in html and "Five-point scale" in html
    assert "<caption" in html and 'scope="row"' in html and 'scope="col"' in html
    # One row for the area across frameworks, with its earlier wording.
    assert html.count(">Protecting vulnerable people") == 1
    assert "Earlier worded: How effective is the force at protecting vulnerable people?" in html
    assert ">Good<" in html and ">Adequate<" in html and "Overall" in html


def test_unpublished_grades_are_seen_only_by_the_inspectorate(ov):
    w = ov.world
    grade_new(ov, w.force_a, published_on=None, pvp="inadequate")
    url = reverse("oversight:grade_matrix", args=["peel-2023-25"])
    for persona in ("anonymous", "force_a_editor", "national_reader"):
        assert ">Inadequate<" not in client_for(w, persona).get(url).content.decode()
    html = client_for(w, "inspectorate_reader").get(url).content.decode()
    assert ">Inadequate<" in html and "(unpublished)" in html


def test_matrix_is_an_accessible_table_with_words(ov):
    w = ov.world
    grade_new(ov, w.force_a, pvp="adequate", investigating="inadequate")
    grade_new(ov, w.force_b, pvp="outstanding")
    html = (
        client_for(w, "anonymous")
        .get(reverse("oversight:grade_matrix", args=["peel-2023-25"]))
        .content.decode()
    )
    assert "PEEL 2023–25 grades by force (2 forces)</caption>" in html
    assert html.count('<th scope="col"') >= 4
    for word in ("Adequate", "Inadequate", "Outstanding"):
        assert f">{word}</strong>" in html
    assert "No grade recorded" in html  # an empty cell says so in words


def test_matrix_query_count_does_not_grow_with_forces(ov, django_assert_max_num_queries):
    w = ov.world
    for n in range(8):
        force = ForceFactory(name=f"Extra {n} Police", slug=f"extra-{n}")
        grade_new(ov, force, pvp="good", investigating="adequate", responding="good")
    client = client_for(w, "inspector")
    url = reverse("oversight:grade_matrix", args=["peel-2023-25"])
    client.get(url)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_history_and_frameworks_pages_have_fixed_query_counts(ov, django_assert_max_num_queries):
    w = ov.world
    grade_new(ov, w.force_a, pvp="good", investigating="adequate")
    record_grades(
        w.force_a,
        ov.old,
        grades={(GradeLevel.AREA, ov.old_pvp.pk): "good"},
        published_on=datetime.date(2018, 3, 1),
        actor=w.inspector,
    )
    client = client_for(w, "anonymous")
    with django_assert_max_num_queries(10):
        assert client.get(reverse("oversight:grade_history", args=["force-a"])).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("oversight:grades")).status_code == 200
    response = client.get(reverse("oversight:grades"), {"force": "force-a"})
    assert response.status_code == 302
    assert response.url == reverse("oversight:grade_history", args=["force-a"])
    response = client.get(reverse("oversight:grades"), {"force": "nope"})
    assert "Choose a force from the list" in response.content.decode()
