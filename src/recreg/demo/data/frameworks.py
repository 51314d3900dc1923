"""The PEEL assessment frameworks, 2014 to date, as data: pillars, question areas and the scale
each framework grades on.

Up to the Integrated PEEL Assessment of 2018/19 forces were graded on four points, by question
and by pillar (effectiveness, efficiency, legitimacy; leadership was looked at in 2015 and 2016
but not graded). From 2021/22 the scale has five points ("adequate" was added) and only question
areas are graded, so those frameworks have no pillars.

Each question area carries a `topic`: the subject it covers in plain words, the same across
frameworks, which the demo uses to pick realistic finding wording and themes.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Area:
    slug: str
    name: str
    topic: str
    graded: bool = True


@dataclass(frozen=True)
class PillarData:
    name: str
    areas: tuple[Area, ...]
    graded: bool = True


@dataclass(frozen=True)
class FrameworkData:
    slug: str
    name: str
    short_name: str
    start_year: int
    end_year: int
    grade_scale: str  # a recreg.frameworks.models.GradeScale value
    description: str
    pillars: tuple[PillarData, ...] = ()
    # Question areas that belong to no pillar (every area, from 2021/22).
    areas: tuple[Area, ...] = field(default_factory=tuple)


FOUR_POINT = "four_point"
FIVE_POINT = "five_point"

# The questions that stayed the same from 2015 to 2018/19.
_FAIRNESS = Area(
    "treating-the-public-fairly",
    "To what extent does the force treat all of the people it serves with fairness and respect?",
    "public-treatment",
)
_ETHICAL = Area(
    "ethical-and-lawful-workforce",
    "How well does the force ensure that its workforce behaves ethically and lawfully?",
    "counter-corruption",
)
_WORKFORCE = Area(
    "treating-the-workforce-fairly",
    "To what extent does the force treat its workforce with fairness and respect?",
    "workforce",
)
_PREVENTING = Area(
    "preventing-crime",
    "How effective is the force at preventing crime, tackling anti-social behaviour and "
    "keeping people safe?",
    "prevention",
)
_INVESTIGATING = Area(
    "investigating-crime",
    "How effective is the force at investigating crime and reducing re-offending?",
    "investigation",
)
_VULNERABLE = Area(
    "protecting-vulnerable-people",
    "How effective is the force at protecting those who are vulnerable from harm, and "
    "supporting victims?",
    "vulnerability",
)
_SOC = Area(
    "tackling-serious-and-organised-crime",
    "How effective is the force at tackling serious and organised crime?",
    "soc",
)
_SPECIALIST = Area(
    "specialist-capabilities",
    "How effective are the force's specialist capabilities?",
    "specialist",
    graded=False,
)
_LEADERSHIP = PillarData(
    "Leadership",
    (
        Area(
            "leadership",
            "How well led is the force at all levels?",
            "leadership",
            graded=False,
        ),
    ),
    graded=False,
)

FRAMEWORKS: tuple[FrameworkData, ...] = (
    FrameworkData(
        slug="peel-2014",
        name="PEEL 2014",
        short_name="PEEL 2014",
        start_year=2014,
        end_year=2014,
        grade_scale=FOUR_POINT,
        description=(
            "The first PEEL assessments, published in late 2014 and early 2015, drawing on the "
            "crime inspection and the Valuing the Police inspection of that year. Legitimacy "
            "was reported on but not graded."
        ),
        pillars=(
            PillarData(
                "Effectiveness",
                (
                    Area(
                        "reducing-crime",
                        "How effective is the force at reducing crime and preventing offending?",
                        "prevention",
                    ),
                    Area(
                        "investigating-offending",
                        "How effective is the force at investigating offending?",
                        "investigation",
                    ),
                    Area(
                        "tackling-anti-social-behaviour",
                        "How effective is the force at tackling anti-social behaviour?",
                        "prevention",
                    ),
                ),
            ),
            PillarData(
                "Efficiency",
                (
                    Area(
                        "secure-financial-position",
                        "To what extent is the force taking the necessary steps to ensure a "
                        "secure financial position for the short and long term?",
                        "leadership",
                    ),
                    Area(
                        "affordable-policing",
                        "To what extent has the force an affordable way of providing policing?",
                        "leadership",
                    ),
                    Area(
                        "efficient-use-of-resources",
                        "To what extent is the force efficient in its use of resources?",
                        "leadership",
                    ),
                ),
            ),
            PillarData(
                "Legitimacy",
                (
                    Area(
                        "ethical-culture",
                        "To what extent does practice and behaviour reinforce the wellbeing of "
                        "staff and an ethical culture?",
                        "counter-corruption",
                        graded=False,
                    ),
                    Area(
                        "engaging-with-the-public",
                        "How well does the force understand, engage with and treat fairly the "
                        "people it serves?",
                        "public-treatment",
                        graded=False,
                    ),
                    Area(
                        "stop-and-search-and-taser",
                        "To what extent are decisions taken on the use of stop and search and "
                        "Taser fair and appropriate?",
                        "public-treatment",
                        graded=False,
                    ),
                ),
                graded=False,
            ),
        ),
    ),
    FrameworkData(
        slug="peel-2015",
        name="PEEL 2015",
        short_name="PEEL 2015",
        start_year=2015,
        end_year=2016,
        grade_scale=FOUR_POINT,
        description=(
            "Effectiveness, efficiency and legitimacy graded by question and by pillar; "
            "leadership inspected but not graded."
        ),
        pillars=(
            PillarData(
                "Effectiveness",
                (
                    _PREVENTING,
                    _INVESTIGATING,
                    _VULNERABLE,
                    _SOC,
                    _SPECIALIST,
                ),
            ),
            PillarData(
                "Efficiency",
                (
                    Area(
                        "using-resources-to-meet-demand",
                        "How well does the force use its resources to meet its demand?",
                        "leadership",
                    ),
                    Area(
                        "sustainable-workforce-model",
                        "How sustainable and affordable is the workforce model?",
                        "workforce",
                    ),
                    Area(
                        "sustainable-financial-position",
                        "How sustainable is the force's financial position for the short and "
                        "long term?",
                        "leadership",
                    ),
                ),
            ),
            PillarData("Legitimacy", (_FAIRNESS, _ETHICAL, _WORKFORCE)),
            _LEADERSHIP,
        ),
    ),
    FrameworkData(
        slug="peel-2016",
        name="PEEL 2016",
        short_name="PEEL 2016",
        start_year=2016,
        end_year=2017,
        grade_scale=FOUR_POINT,
        description=(
            "Effectiveness, efficiency and legitimacy graded by question and by pillar; "
            "leadership inspected but not graded. Specialist capabilities (including armed "
            "policing) were reported on without a grade."
        ),
        pillars=(
            PillarData(
                "Effectiveness", (_PREVENTING, _INVESTIGATING, _VULNERABLE, _SOC, _SPECIALIST)
            ),
            PillarData(
                "Efficiency",
                (
                    Area(
                        "understanding-demand",
                        "How well does the force understand demand?",
                        "leadership",
                    ),
                    Area(
                        "using-resources-to-manage-demand",
                        "How well does the force use its resources to manage current demand?",
                        "leadership",
                    ),
                    Area(
                        "planning-for-future-demand",
                        "How well is the force planning for demand in the future?",
                        "leadership",
                    ),
                ),
            ),
            PillarData("Legitimacy", (_FAIRNESS, _ETHICAL, _WORKFORCE)),
            _LEADERSHIP,
        ),
    ),
    FrameworkData(
        slug="peel-2017",
        name="PEEL 2017",
        short_name="PEEL 2017",
        start_year=2017,
        end_year=2018,
        grade_scale=FOUR_POINT,
        description=(
            "Effectiveness, efficiency and legitimacy graded by question and by pillar. In "
            "effectiveness, preventing crime and investigating crime were not re-inspected for "
            "most forces and kept their 2016 grades."
        ),
        pillars=(
            PillarData(
                "Effectiveness", (_PREVENTING, _INVESTIGATING, _VULNERABLE, _SOC, _SPECIALIST)
            ),
            PillarData(
                "Efficiency",
                (
                    Area(
                        "understanding-demand",
                        "How well does the force understand demand?",
                        "leadership",
                    ),
                    Area(
                        "using-resources",
                        "How well does the force use its resources?",
                        "leadership",
                    ),
                    Area(
                        "planning-for-the-future",
                        "How well is the force planning for the future?",
                        "leadership",
                    ),
                ),
            ),
            PillarData("Legitimacy", (_FAIRNESS, _ETHICAL, _WORKFORCE)),
        ),
    ),
    FrameworkData(
        slug="ipa-2018-19",
        name="Integrated PEEL Assessment 2018/19",
        short_name="IPA 2018/19",
        start_year=2018,
        end_year=2019,
        grade_scale=FOUR_POINT,
        description=(
            "One risk-based inspection per force, in three tranches, covering effectiveness, "
            "efficiency and legitimacy together: ten questions, nine graded."
        ),
        pillars=(
            PillarData(
                "Effectiveness",
                (
                    _PREVENTING,
                    Area(
                        "investigating-crime",
                        "How effective is the force at investigating crime?",
                        "investigation",
                    ),
                    Area(
                        "protecting-vulnerable-people",
                        "How effective is the force at protecting vulnerable people?",
                        "vulnerability",
                    ),
                    _SOC,
                    _SPECIALIST,
                ),
            ),
            PillarData(
                "Efficiency",
                (
                    Area(
                        "meeting-current-demands",
                        "How well does the force meet current demands and use resources?",
                        "leadership",
                    ),
                    Area(
                        "planning-for-the-future",
                        "How well is the force planning for the future?",
                        "leadership",
                    ),
                ),
            ),
            PillarData("Legitimacy", (_FAIRNESS, _ETHICAL, _WORKFORCE)),
        ),
    ),
    FrameworkData(
        slug="peel-2021-22",
        name="PEEL 2021/22",
        short_name="PEEL 2021/22",
        start_year=2021,
        end_year=2022,
        grade_scale=FIVE_POINT,
        description=(
            "Graded on a five-point scale (outstanding, good, adequate, requires improvement, "
            "inadequate) by question area, with no pillar or overall grades. The service to "
            "victims of crime was assessed but not graded."
        ),
        areas=(
            Area(
                "service-to-victims",
                "Providing a service to the victims of crime",
                "crime-data",
                graded=False,
            ),
            Area(
                "engaging-with-the-public",
                "Engaging with and treating the public with fairness and respect",
                "public-treatment",
            ),
            Area(
                "preventing-crime",
                "Preventing crime and anti-social behaviour",
                "prevention",
            ),
            Area("responding-to-the-public", "Responding to the public", "response"),
            Area("investigating-crime", "Investigating crime", "investigation"),
            Area("protecting-vulnerable-people", "Protecting vulnerable people", "vulnerability"),
            Area("managing-offenders", "Managing offenders and suspects", "offenders"),
            Area("disrupting-soc", "Disrupting serious organised crime", "soc"),
            Area(
                "building-the-workforce",
                "Building, supporting and protecting the workforce",
                "workforce",
            ),
            Area(
                "strategic-planning",
                "Strategic planning, organisational management and value for money",
                "leadership",
            ),
        ),
    ),
    FrameworkData(
        slug="peel-2023-25",
        name="PEEL 2023–25",
        short_name="PEEL 2023–25",
        start_year=2023,
        end_year=2025,
        grade_scale=FIVE_POINT,
        description=(
            "Nine graded question areas on the five-point scale. The victim service assessment "
            "is reported on with the crime data recording grade."
        ),
        areas=(
            Area("crime-data-recording", "Crime data recording", "crime-data"),
            Area(
                "police-powers",
                "Police powers and treating the public fairly",
                "public-treatment",
            ),
            Area(
                "preventing-crime",
                "Preventing crime and anti-social behaviour",
                "prevention",
            ),
            Area("responding-to-the-public", "Responding to the public", "response"),
            Area("investigating-crime", "Investigating crime", "investigation"),
            Area("protecting-vulnerable-people", "Protecting vulnerable people", "vulnerability"),
            Area("managing-offenders", "Managing offenders and suspects", "offenders"),
            Area(
                "building-the-workforce",
                "Building, supporting and protecting the workforce",
                "workforce",
            ),
            Area("leadership", "Leadership and force management", "leadership"),
        ),
    ),
    FrameworkData(
        slug="peel-2025-27",
        name="PEEL 2025–27",
        short_name="PEEL 2025–27",
        start_year=2025,
        end_year=2027,
        grade_scale=FIVE_POINT,
        description=(
            "The current cycle. For the demo it keeps the nine graded question areas of 2023–25."
        ),
        areas=(
            Area("crime-data-recording", "Crime data recording", "crime-data"),
            Area(
                "police-powers",
                "Police powers and treating the public fairly",
                "public-treatment",
            ),
            Area(
                "preventing-crime",
                "Preventing crime and anti-social behaviour",
                "prevention",
            ),
            Area("responding-to-the-public", "Responding to the public", "response"),
            Area("investigating-crime", "Investigating crime", "investigation"),
            Area("protecting-vulnerable-people", "Protecting vulnerable people", "vulnerability"),
            Area("managing-offenders", "Managing offenders and suspects", "offenders"),
            Area(
                "building-the-workforce",
                "Building, supporting and protecting the workforce",
                "workforce",
            ),
            Area("leadership", "Leadership and force management", "leadership"),
        ),
    ),
)


def by_slug(slug: str) -> FrameworkData:
    """The framework with this slug."""
    for framework in FRAMEWORKS:
        if framework.slug == slug:
            return framework
    raise KeyError(slug)
