import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from recreg.audit.models import AuditEvent
from recreg.oversight import services
from recreg.oversight.models import GRADED_ORDER, GradeLevel, RiskConfiguration
from recreg.oversight.risk import (
    DEFAULT_WEIGHTS,
    AreaInputs,
    FindingCounts,
    GradeObservation,
    IndicatorObservation,
    NoteObservation,
    score_area,
    score_force,
    validate_weights,
)
from tests.conftest import client_for
from tests.oversight.conftest import GOOD_VALUES

TODAY = datetime.date(2025, 9, 18)
WEIGHTS = validate_weights(DEFAULT_WEIGHTS)
THRESHOLD = {
    "indicator": "backlog",
    "comparison": "above",
    "value": 400.0,
    "area": "investigating-crime",
    "points": 2.0,
}


def fixed_inputs() -> AreaInputs:
    return AreaInputs(
        slug="investigating-crime",
        name="Investigating crime",
        grades=[
            GradeObservation("requires_improvement", "PEEL 2023–25", datetime.date(2023, 9, 18)),
            GradeObservation("adequate", "PEEL 2021/22", datetime.date(2022, 3, 1)),
        ],
        findings={
            "cause_of_concern": FindingCounts(open=1, overdue=1, red=0),
            "recommendation": FindingCounts(open=2, overdue=0, red=1),
            "area_for_improvement": FindingCounts(open=1),
        },
        last_inspected_on=datetime.date(2023, 9, 18),
        last_inspected_in="PEEL 2023–25",
        notes=[
            NoteObservation(datetime.date(2025, 6, 1), 3),
            NoteObservation(datetime.date(2024, 1, 1), 1),  # older than a year: not counted
        ],
        indicators=[IndicatorObservation(THRESHOLD, 485.0, "Spring 2025", "Backlog")],
    )


def test_fixed_inputs_give_a_fixed_score_with_every_contribution():
    score = score_area(fixed_inputs(), WEIGHTS, TODAY)
    points = {c.input: c.points for c in score.contributions}
    assert points == {
        "grade": 4.0,
        "trend": 2.0,
        # cause of concern 5 × (1 open + 2 × 1 overdue) + recommendation 2 × (2 + 2 × 1 red)
        # + area for improvement 1 × 1
        "findings": 24.0,
        "last_inspected": 2.0,
        "liaison_notes": 6.0,
        "data_return": 2.0,
    }
    assert score.score == 40.0
    assert score.missing == []
    trend = next(c for c in score.contributions if c.input == "trend")
    assert trend.inputs["trend"] == "declined"
    assert "Adequate in PEEL 2021/22, then Requires improvement in PEEL 2023–25" in trend.detail
    # The same inputs always give the same answer.
    assert score_area(fixed_inputs(), WEIGHTS, TODAY).as_dict() == score.as_dict()


def test_missing_inputs_are_reported_not_silently_zero():
    bare = AreaInputs(
        slug="responding",
        name="Responding",
        indicators=[IndicatorObservation(THRESHOLD, None)],
    )
    score = score_area(bare, WEIGHTS, TODAY)
    assert score.score == 0
    assert score.missing == [
        "Latest grade",
        "Trend",
        "Time since last inspected",
        "Data return: backlog",
    ]
    for contribution in score.contributions:
        if contribution.missing:
            assert contribution.detail.startswith("Missing:")
    # No findings and no notes are known zeros, not missing inputs.
    findings = next(c for c in score.contributions if c.input == "findings")
    assert not findings.missing and findings.points == 0


# --- Properties -------------------------------------------------------------------------------

graded = st.sampled_from(GRADED_ORDER)
dates = st.dates(min_value=datetime.date(2014, 1, 1), max_value=TODAY)
counts = st.builds(
    FindingCounts,
    open=st.integers(0, 5),
    overdue=st.integers(0, 5),
    red=st.integers(0, 5),
)


@st.composite
def weights(draw):
    grade_points = sorted(draw(st.lists(st.integers(0, 10), min_size=5, max_size=5)))
    note_points = sorted(draw(st.lists(st.integers(0, 10), min_size=3, max_size=3)))
    return validate_weights(
        {
            "grade_points": dict(zip(GRADED_ORDER, grade_points, strict=True)),
            "note_points": dict(zip(("low", "medium", "high"), note_points, strict=True)),
            "trend_declined_points": draw(st.integers(0, 5)),
            "finding_weights": {
                "cause_of_concern": draw(st.integers(0, 8)),
                "recommendation": draw(st.integers(0, 8)),
                "area_for_improvement": draw(st.integers(0, 8)),
            },
            "open_points": draw(st.integers(0, 3)),
            "overdue_points": draw(st.integers(0, 3)),
            "red_points": draw(st.integers(0, 3)),
            "age_points_per_year": draw(st.floats(0, 3)),
            "note_window_days": draw(st.integers(30, 800)),
        }
    )


@st.composite
def inputs(draw):
    grades = [
        GradeObservation(value, "PEEL", draw(dates)) for value in draw(st.lists(graded, max_size=3))
    ]
    return AreaInputs(
        slug="area",
        name="Area",
        grades=grades,
        findings=draw(
            st.dictionaries(
                st.sampled_from(
                    [
                        "cause_of_concern",
                        "accelerated_cause_of_concern",
                        "recommendation",
                        "area_for_improvement",
                    ]
                ),
                counts,
            )
        ),
        last_inspected_on=draw(st.one_of(st.none(), dates)),
        notes=draw(
            st.lists(st.builds(NoteObservation, noted_on=dates, severity=st.integers(1, 3)))
        ),
    )


@settings(max_examples=50, deadline=None)
@given(inputs(), weights(), st.data())
def test_a_worse_grade_never_lowers_the_score(area, w, data):
    if not area.grades:
        return
    before = score_area(area, w, TODAY).score
    latest = area.grades[0]
    worse = data.draw(st.sampled_from(GRADED_ORDER[GRADED_ORDER.index(latest.value) :]))
    area.grades[0] = GradeObservation(worse, latest.framework, latest.published_on)
    assert score_area(area, w, TODAY).score >= before


@settings(max_examples=50, deadline=None)
@given(inputs(), weights(), st.sampled_from(["cause_of_concern", "accelerated_cause_of_concern"]))
def test_one_more_overdue_cause_of_concern_never_lowers_the_score(area, w, kind):
    before = score_area(area, w, TODAY).score
    have = area.findings.get(kind, FindingCounts())
    area.findings[kind] = FindingCounts(have.open + 1, have.overdue + 1, have.red)
    after = score_area(area, w, TODAY).score
    assert after >= before
    if w["finding_weights"]["cause_of_concern"] and (w["open_points"] or w["overdue_points"]):
        assert after > before


@settings(max_examples=50, deadline=None)
@given(inputs(), weights(), st.data())
def test_a_more_severe_note_never_lowers_the_score(area, w, data):
    if not area.notes:
        return
    before = score_area(area, w, TODAY).score
    index = data.draw(st.integers(0, len(area.notes) - 1))
    note = area.notes[index]
    area.notes[index] = NoteObservation(note.noted_on, data.draw(st.integers(note.severity, 3)))
    assert score_area(area, w, TODAY).score >= before


@settings(max_examples=50, deadline=None)
@given(inputs(), weights())
def test_missing_inputs_are_always_named(area, w):
    score = score_area(area, w, TODAY)
    assert ("Latest grade" in score.missing) == (not area.grades)
    assert ("Trend" in score.missing) == (len(area.grades) < 2)
    assert ("Time since last inspected" in score.missing) == (area.last_inspected_on is None)
    assert all(c.points == 0 for c in score.contributions if c.missing)
    assert score.score == round(sum(c.points for c in score.contributions), 2)


# --- Configuration ----------------------------------------------------------------------------


def test_configuration_versions_and_audit(ov):
    w = ov.world
    assert services.current_risk_configuration().version == 0
    first = services.revise_risk_configuration(
        weights=DEFAULT_WEIGHTS, reason="Start", actor=w.inspector
    )
    second = services.revise_risk_configuration(
        weights={**DEFAULT_WEIGHTS, "trend_declined_points": 4},
        reason="Trends matter more",
        actor=w.inspector,
    )
    assert (first.version, second.version) == (1, 2)
    assert services.current_risk_configuration() == second
    first.refresh_from_db()
    assert first.weights["trend_declined_points"] == 2  # earlier versions are kept as they were
    assert AuditEvent.objects.for_object(second).get().changes["version"] == [None, 2]


def test_configuration_refusals(ov):
    w = ov.world
    with pytest.raises(ValidationError) as exc:
        services.revise_risk_configuration(
            weights={
                **DEFAULT_WEIGHTS,
                "grade_points": {**DEFAULT_WEIGHTS["grade_points"], "inadequate": 1},
                "open_points": -1,
                "thresholds": [{"indicator": "x", "comparison": "sideways", "points": 1}],
            },
            reason="",
            actor=w.inspector,
        )
    errors = exc.value.message_dict
    assert "Grade points must not fall as grades get worse" in errors["grade_points"][0]
    assert errors["open_points"] == ["Open points must be 0 or more"]
    assert any("comparison must be one of" in m for m in errors["thresholds"])
    assert errors["reason"] == ["Say why the weights are changing"]
    with pytest.raises(PermissionError):
        services.revise_risk_configuration(
            weights=DEFAULT_WEIGHTS, reason="x", actor=w.inspectorate_reader
        )
    assert RiskConfiguration.objects.count() == 0


def test_configuration_page_makes_a_new_version(ov):
    client = client_for(ov.world, "inspector")
    url = reverse("oversight:risk_config_edit")
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items()}
    data["grade_points__inadequate"] = "0"
    data["reason"] = "Try"
    response = client.post(url, data)
    assert "Grade points must not fall" in response.content.decode()
    data["grade_points__inadequate"] = "8"
    data["thresholds"] = "backlog, above, 400, investigating-crime, 2"
    response = client.post(url, data)
    assert response.status_code == 302
    config = RiskConfiguration.objects.get()
    assert config.weights["grade_points"]["inadequate"] == 8
    assert config.weights["thresholds"][0]["value"] == 400


# --- The model on the register ----------------------------------------------------------------


@pytest.fixture
def scored(ov):
    """Force A with grades over two frameworks, an overdue finding and a note."""
    w = ov.world
    services.record_grades(
        w.force_a,
        ov.old,
        grades={(GradeLevel.AREA, ov.old_pvp.pk): "good"},
        published_on=datetime.date(2018, 3, 1),
        actor=w.inspector,
    )
    services.record_grades(
        w.force_a,
        ov.new,
        grades={
            (GradeLevel.AREA, ov.pvp.pk): "inadequate",
            (GradeLevel.AREA, ov.investigating.pk): "good",
        },
        published_on=datetime.date(2024, 3, 14),
        actor=w.inspector,
    )
    services.add_liaison_note(
        w.force_a,
        question_area=ov.pvp,
        noted_on=datetime.date(2024, 12, 1),
        severity=3,
        text="Safeguarding referrals are delayed.",
        actor=w.inspector,
    )
    return ov


def test_scores_from_the_register_are_deterministic(scored):
    ov = scored
    result = score_force(ov.world.force_a, ov.new, today=datetime.date(2025, 1, 1))
    assert result.configuration_version == 0
    assert [(a.slug, a.score) for a in result.areas] == [
        # 6 for inadequate, 2 for the decline from good, 1 × (1 open + 2 × 1 overdue) for the
        # overdue area for improvement, 0.8 for 293 days since grading, 6 for the high note.
        ("protecting-vulnerable-people", 17.8),
        ("investigating-crime", 1.8),
        ("responding-to-the-public", 0.0),
    ]
    assert result.areas[1].missing == ["Trend"]
    assert result.areas[2].missing == ["Latest grade", "Trend", "Time since last inspected"]
    # Force B has none of force A's grades or notes: only its own two open areas for
    # improvement (one published, one in factual accuracy check) in that area.
    other = score_force(ov.world.force_b, ov.new, today=datetime.date(2025, 1, 1))
    assert [(a.slug, a.score) for a in other.areas][0] == ("protecting-vulnerable-people", 2.0)
    assert all(a.score == 0 for a in other.areas[1:])


def test_data_return_thresholds_feed_the_score(scored, window):
    ov = scored
    w = ov.world
    services.save_data_return(
        window, w.force_a, values=GOOD_VALUES, submit=True, actor=w.force_a_editor
    )
    services.revise_risk_configuration(
        weights={
            **DEFAULT_WEIGHTS,
            "thresholds": [
                {**THRESHOLD, "indicator": "backlog"},
                {
                    "indicator": "custody-ok",
                    "comparison": "is_no",
                    "value": None,
                    "area": "investigating-crime",
                    "points": 5,
                },
                {
                    "indicator": "never-asked",
                    "comparison": "above",
                    "value": 1,
                    "area": "responding-to-the-public",
                    "points": 9,
                },
            ],
        },
        reason="Thresholds",
        actor=w.inspector,
    )
    result = score_force(w.force_a, ov.new, today=datetime.date(2025, 6, 1))
    investigating = next(a for a in result.areas if a.slug == "investigating-crime")
    data = [c for c in investigating.contributions if c.input == "data_return"]
    assert [(c.points, c.inputs["past_threshold"]) for c in data] == [(2.0, True), (0.0, False)]
    responding = next(a for a in result.areas if a.slug == "responding-to-the-public")
    assert "Data return: never-asked" in responding.missing


def test_risk_command_prints_json(scored):
    out = io.StringIO()
    call_command(
        "risk",
        "--framework",
        "peel-2023-25",
        "--force",
        "force-a",
        "--json",
        "--on",
        "2025-01-01",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert data["force"]["slug"] == "force-a"
    assert [a["slug"] for a in data["areas"]][0] == "protecting-vulnerable-people"
    first = data["areas"][0]
    assert first["rank"] == 1 and first["score"] == 17.8
    assert {c["input"] for c in first["contributions"]} == {
        "grade",
        "trend",
        "findings",
        "last_inspected",
        "liaison_notes",
    }
    text = io.StringIO()
    call_command("risk", "--framework", "peel-2023-25", "--force", "force-a", stdout=text)
    assert "MISSING" in text.getvalue()
    with pytest.raises(CommandError, match="No framework"):
        call_command("risk", "--framework", "nope", "--force", "force-a")
    with pytest.raises(CommandError, match="No police force"):
        call_command("risk", "--framework", "peel-2023-25", "--force", "nope")


def test_risk_page_explains_and_is_for_the_inspectorate(scored, django_assert_max_num_queries):
    ov = scored
    url = reverse("oversight:risk", args=["peel-2023-25", "force-a"])
    client = client_for(ov.world, "inspectorate_reader")
    with django_assert_max_num_queries(12):
        html = client.get(url, {"on": "2025-01-01"}).content.decode()
    assert "17.8" in html and "Missing: a trend needs two published grades" in html
    assert client_for(ov.world, "force_a_editor").get(url).status_code == 403
    assert client_for(ov.world, "anonymous").get(url).status_code == 302
    index = reverse("oversight:risk_index")
    response = client.get(index, {"framework": "peel-2023-25", "force": "force-a"})
    assert response.status_code == 302 and response.url == url
