import datetime

from recreg.oversight import models
from recreg.oversight.demo import load_demo_oversight

TODAY = datetime.date(2026, 11, 22)


def fingerprint():
    return {
        "grades": sorted(
            models.Grade.objects.values_list(
                "assessment__force__slug",
                "assessment__framework__slug",
                "level",
                "question_area__slug",
                "pillar__name",
                "value",
            ),
            key=str,
        ),
        "published": sorted(
            models.Assessment.objects.values_list("force__slug", "published_on"), key=str
        ),
        "decisions": sorted(
            models.MonitoringDecision.objects.values_list(
                "round__tranche__year", "round__tranche__number", "force__slug", "status", "reasons"
            )
        ),
        "returns": sorted(
            models.ReturnValue.objects.values_list(
                "data_return__force__slug", "data_return__window__name", "indicator__code", "text"
            )
        ),
        "notes": sorted(
            models.LiaisonNote.objects.values_list("force__slug", "noted_on", "severity", "text")
        ),
    }


def clear():
    for model in (
        models.ReturnValue,
        models.DataReturn,
        models.CollectionWindow,
        models.Indicator,
        models.ReturnTemplate,
        models.MonitoringDecision,
        models.MonitoringRound,
        models.Tranche,
        models.Grade,
        models.Assessment,
        models.LiaisonNote,
        models.RiskConfiguration,
    ):
        model.objects.all().delete()


def test_demo_does_nothing_on_an_empty_register(db):
    assert load_demo_oversight(today=TODAY) == {}
    assert not models.Assessment.objects.exists()


def test_demo_is_idempotent_and_deterministic(ov):
    ov.round.delete()
    ov.round.tranche.delete()
    added = load_demo_oversight(today=TODAY)
    assert added["assessments"] == 4  # two forces, two frameworks
    assert added["monitoring rounds"] == 15  # three a year, 2018, 2019 and 2023 to 2025
    assert added["monitoring decisions"] == 30
    assert added["collection windows"] == 2 and added["risk model versions"] == 1
    assert added["liaison notes"] >= 1
    first = fingerprint()
    stages = set(models.MonitoringDecision.objects.values_list("stage", flat=True))
    assert stages == {"scan", "engage"}
    # Each era's word for Engage is kept as it was recorded.
    words = {
        (year < 2023, status)
        for year, status in models.MonitoringDecision.objects.filter(stage="engage").values_list(
            "round__tranche__year", "status"
        )
    }
    assert words == {(True, "Engaged"), (False, "Engage")}
    # Loading again changes nothing.
    assert set(load_demo_oversight(today=TODAY).values()) == {0}
    assert fingerprint() == first
    # Loading afresh gives the same data.
    clear()
    load_demo_oversight(today=TODAY)
    assert fingerprint() == first
