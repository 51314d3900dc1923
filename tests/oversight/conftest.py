"""A small oversight world on top of the register's `world`: a four-point framework with
pillars (PEEL 2017) and the five-point one the world already has (PEEL 2023–25), each with a
few question areas, a tranche with its monitoring round, and helpers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from recreg.frameworks.models import GradeScale, Pillar
from recreg.oversight import services
from recreg.oversight.services import IndicatorSpec
from tests.factories import FrameworkFactory, QuestionAreaFactory


@dataclass
class Oversight:
    world: object
    old: object  # PEEL 2017, four-point, with pillars
    new: object  # PEEL 2023–25, five-point, no pillars
    effectiveness: object
    leadership_pillar: object
    old_pvp: object
    old_investigating: object
    old_leadership: object
    pvp: object  # the world's area: protecting vulnerable people (2023–25)
    investigating: object
    responding: object
    round: object


@pytest.fixture
def ov(world) -> Oversight:
    old = FrameworkFactory(
        name="PEEL 2017",
        short_name="PEEL 2017",
        slug="peel-2017",
        start_year=2017,
        end_year=2017,
        grade_scale=GradeScale.FOUR_POINT,
    )
    effectiveness = Pillar.objects.create(framework=old, name="Effectiveness", order=1)
    leadership_pillar = Pillar.objects.create(
        framework=old, name="Leadership", order=2, graded=False
    )
    old_pvp = QuestionAreaFactory(
        framework=old,
        name="How effective is the force at protecting vulnerable people?",
        slug="protecting-vulnerable-people",
        pillar=effectiveness,
        order=1,
    )
    old_investigating = QuestionAreaFactory(
        framework=old,
        name="How effective is the force at investigating crime?",
        slug="investigating-crime",
        pillar=effectiveness,
        order=2,
    )
    old_leadership = QuestionAreaFactory(
        framework=old,
        name="How well led is the force?",
        slug="leadership",
        pillar=leadership_pillar,
        order=3,
        graded=False,
    )
    new = world.area.framework
    world.area.order = 1
    world.area.save()
    investigating = QuestionAreaFactory(
        framework=new, name="Investigating crime", slug="investigating-crime", order=2
    )
    responding = QuestionAreaFactory(
        framework=new, name="Responding to the public", slug="responding-to-the-public", order=3
    )
    monitoring_round = services.create_monitoring_round(
        year=2024,
        tranche_number=2,
        starts_on=datetime.date(2024, 5, 6),
        ends_on=datetime.date(2024, 8, 30),
        meets_on=datetime.date(2024, 9, 17),
        actor=world.inspector,
    )
    return Oversight(
        world=world,
        old=old,
        new=new,
        effectiveness=effectiveness,
        leadership_pillar=leadership_pillar,
        old_pvp=old_pvp,
        old_investigating=old_investigating,
        old_leadership=old_leadership,
        pvp=world.area,
        investigating=investigating,
        responding=responding,
        round=monitoring_round,
    )


INDICATORS = [
    IndicatorSpec("calls-999", "999 calls answered within 10 seconds", "percentage", "%"),
    IndicatorSpec("backlog", "Investigations open over a year", "number", "investigations"),
    IndicatorSpec("custody-ok", "Custody suites meet the standard", "yes_no"),
    IndicatorSpec("pressures", "Main pressures", "text"),
]


@pytest.fixture
def window(ov):
    """A data return template and a collection window that has closed."""
    template = services.create_return_template(
        name="Force data return", indicators=INDICATORS, actor=ov.world.inspector
    )
    return services.create_collection_window(
        template=template,
        name="Spring 2025",
        opens_on=datetime.date(2025, 3, 3),
        due_on=datetime.date(2025, 4, 30),
        actor=ov.world.inspector,
    )


GOOD_VALUES = {
    "calls-999": "88.5",
    "backlog": "1,204",
    "custody-ok": "yes",
    "pressures": "Staffing",
}
