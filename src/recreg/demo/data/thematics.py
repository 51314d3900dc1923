"""National thematic inspections led by the police inspectorate, and joint inspections led by
other inspectorates, with their findings.

The titles and publication months follow real reports; the wording of the findings is written
for the demo in the style of those reports and is not quoted from them.

Addressees: "all" (all forces, fanned out to every territorial force), a tuple of national
body slugs, or for joint inspections a tuple of force slugs.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

ALL = "all"
REC = "recommendation"
AFI = "area_for_improvement"


@dataclass(frozen=True)
class F:
    kind: str
    to: str | tuple[str, ...]
    text: str
    deadline: str = ""
    themes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Thematic:
    slug: str  # for the report address
    title: str
    published_on: datetime.date
    fieldwork: tuple[datetime.date, datetime.date]
    themes: tuple[str, ...]
    findings: tuple[F, ...]
    lead: str = "hmicfrs"
    partners: tuple[str, ...] = ()
    forces_in_scope: tuple[str, ...] = ()
    report_url: str = ""


D = datetime.date

THEMATICS: tuple[Thematic, ...] = (
    Thematic(
        "shining-a-light-on-betrayal",
        "Shining a light on betrayal: Abuse of position for a sexual purpose",
        D(2019, 9, 27),
        (D(2019, 1, 14), D(2019, 4, 12)),
        ("Counter-corruption", "Vetting"),
        (
            F(
                REC,
                ALL,
                "By July 2020, all forces should have the capability to monitor all of their "
                "computer systems, so that they can proactively identify data breaches that may "
                "indicate abuse of position for a sexual purpose.",
                "by July 2020",
            ),
            F(
                REC,
                ALL,
                "By July 2020, all forces should make sure that their counter-corruption units "
                "have enough capacity and capability to seek intelligence about abuse of position "
                "for a sexual purpose, and to act on it.",
                "by July 2020",
            ),
            F(
                REC,
                ("npcc",),
                "The National Police Chiefs' Council lead for counter-corruption should work with "
                "forces to develop a consistent way of assessing the threat from abuse of "
                "position for a sexual purpose.",
                "by March 2020",
            ),
            F(
                AFI,
                ALL,
                "Forces should build relationships with organisations that support vulnerable "
                "people, so that those organisations can share information about officers and "
                "staff who may be abusing their position.",
            ),
        ),
    ),
    Thematic(
        "disproportionate-use-of-police-powers",
        "Disproportionate use of police powers: A spotlight on stop and search and the use of "
        "force",
        D(2021, 2, 26),
        (D(2020, 1, 13), D(2020, 3, 13)),
        ("Stop and search", "Use of force", "Equality and diversity"),
        (
            F(
                REC,
                ALL,
                "Immediately, forces that do not already do so should monitor and analyse their "
                "use of stop and search and of force, so that they can understand and explain "
                "any disproportionality.",
                "immediately",
            ),
            F(
                REC,
                ALL,
                "By July 2021, forces should make sure that supervisors routinely review "
                "body-worn video footage of stops and searches, and give officers feedback on "
                "the grounds they recorded.",
                "by July 2021",
            ),
            F(
                REC,
                ("home-office", "npcc"),
                "The Home Office and the National Police Chiefs' Council should improve the "
                "national recording of use of force, so that the data is complete and can be "
                "compared between forces.",
                "by March 2022",
            ),
            F(
                REC,
                ("college-of-policing",),
                "By March 2022, the College of Policing should update its authorised "
                "professional practice on stop and search, including guidance on the smell of "
                "cannabis as grounds for a search.",
                "by March 2022",
            ),
            F(
                AFI,
                ALL,
                "Forces should involve their communities, including young people, in the "
                "external scrutiny of stop and search and the use of force.",
            ),
        ),
    ),
    Thematic(
        "police-response-to-violence-against-women-and-girls",
        "Police response to violence against women and girls: Final inspection report",
        D(2021, 9, 17),
        (D(2021, 3, 1), D(2021, 6, 30)),
        ("Violence against women and girls", "Domestic abuse"),
        (
            F(
                REC,
                ("home-office",),
                "Immediately, the tackling of violence against women and girls offences should "
                "be an absolute priority for government, policing and partner organisations, and "
                "this should be reflected in the Strategic Policing Requirement.",
                "immediately",
            ),
            F(
                REC,
                ALL,
                "Immediately, chief constables should make sure that their force's response to "
                "violence against women and girls offences is consistently of a high standard, "
                "and that victims are at the centre of it.",
                "immediately",
            ),
            F(
                REC,
                ALL,
                "By March 2022, chief constables should make sure that victims of violence "
                "against women and girls offences receive consistent and high-quality support, "
                "and are kept informed about their case.",
                "by March 2022",
            ),
            F(
                REC,
                ("college-of-policing", "npcc"),
                "By September 2022, the College of Policing and the National Police Chiefs' "
                "Council should develop national guidance for a whole-system approach to "
                "violence against women and girls.",
                "by September 2022",
            ),
            F(
                AFI,
                ALL,
                "Forces should make sure that their pursuit of perpetrators of violence against "
                "women and girls is relentless, using the full range of orders and powers "
                "available to them.",
            ),
        ),
    ),
    Thematic(
        "finding-time-for-crime",
        "The police response to burglary, robbery and other acquisitive crime: Finding time "
        "for crime",
        D(2022, 8, 25),
        (D(2021, 11, 1), D(2022, 2, 28)),
        ("Acquisitive crime", "Victim care"),
        (
            F(
                REC,
                ALL,
                "By March 2023, forces should make sure that their crime scene attendance "
                "policies are clear, and that a crime scene investigator attends every "
                "residential burglary where there is a forensic opportunity.",
                "by March 2023",
            ),
            F(
                REC,
                ALL,
                "Within six months, chief constables should make sure that investigations into "
                "burglary, robbery and theft are allocated to officers with the skills and the "
                "capacity to investigate them well.",
                "within six months",
            ),
            F(
                REC,
                ("college-of-policing",),
                "By September 2023, the College of Policing should develop guidance on "
                "investigating acquisitive crime, including the use of forensic and digital "
                "evidence.",
                "by September 2023",
            ),
            F(
                AFI,
                ALL,
                "Forces should make better use of crime prevention advice for victims of "
                "burglary, and check that it has been given.",
            ),
            F(
                AFI,
                ALL,
                "Forces should improve how they record and analyse the modus operandi of "
                "acquisitive crimes, so that they can link offences and identify offenders.",
            ),
        ),
    ),
    Thematic(
        "vetting-misconduct-and-misogyny",
        "An inspection of vetting, misconduct, and misogyny in the police service",
        D(2022, 11, 2),
        (D(2022, 1, 10), D(2022, 6, 30)),
        ("Vetting", "Counter-corruption", "Violence against women and girls"),
        (
            F(
                REC,
                ALL,
                "By 30 April 2023, chief constables should make sure that their force's vetting "
                "decisions, and the rationale for them, are recorded in full, including where "
                "clearance is granted despite adverse information.",
                "by 30 April 2023",
            ),
            F(
                REC,
                ALL,
                "By 31 October 2023, chief constables should establish a process for the "
                "periodic review of the vetting status of officers and staff, including when "
                "they are the subject of a misconduct allegation.",
                "by 31 October 2023",
            ),
            F(
                REC,
                ALL,
                "Not later than 31 March 2023, chief constables should make sure that their "
                "counter-corruption units have the capability to monitor all of the force's IT "
                "systems.",
                "not later than 31 March 2023",
            ),
            F(
                REC,
                ("college-of-policing",),
                "By 31 October 2023, the College of Policing should amend its vetting authorised "
                "professional practice so that forces must consider all adverse information, and "
                "record why they grant clearance when there is any.",
                "by 31 October 2023",
            ),
            F(
                REC,
                ("home-office",),
                "By 31 October 2023, the Home Office should consider making vetting a statutory "
                "requirement, so that forces can dismiss officers who cannot keep their vetting "
                "clearance.",
                "by 31 October 2023",
            ),
            F(
                AFI,
                ALL,
                "Forces should make sure that complaints and misconduct allegations of a sexual "
                "nature are identified, and assessed as possible corruption.",
            ),
        ),
    ),
    Thematic(
        "digital-forensics",
        "An inspection into how well the police and other agencies use digital forensics in "
        "their investigations",
        D(2022, 12, 1),
        (D(2022, 2, 7), D(2022, 7, 29)),
        ("Digital forensics",),
        (
            F(
                REC,
                ("home-office", "npcc"),
                "By December 2023, the Home Office and the National Police Chiefs' Council should "
                "set out a national strategy for digital forensics, with a plan for funding it.",
                "by December 2023",
            ),
            F(
                REC,
                ALL,
                "By December 2023, chief constables should make sure that they understand the "
                "demand for digital forensics in their force, and have plans to meet it.",
                "by December 2023",
            ),
            F(
                REC,
                ALL,
                "Within 12 months, chief constables should make sure that all digital forensic "
                "work in their force is carried out to the standards required by the Forensic "
                "Science Regulator.",
                "within 12 months",
            ),
            F(
                REC,
                ("npcc",),
                "By June 2023, the National Police Chiefs' Council should develop a consistent "
                "approach to the triage of seized digital devices.",
                "by June 2023",
            ),
            F(
                AFI,
                ALL,
                "Forces should make sure that officers who seize digital devices record the "
                "reasons for seizure, and know how to protect the data they hold.",
            ),
        ),
    ),
    Thematic(
        "online-child-sexual-abuse-and-exploitation",
        "An inspection of how well the police and National Crime Agency tackle the online "
        "sexual abuse and exploitation of children",
        D(2023, 4, 20),
        (D(2022, 7, 4), D(2022, 11, 25)),
        ("Online child sexual abuse", "Child protection"),
        (
            F(
                REC,
                ("nca",),
                "By October 2023, the National Crime Agency should improve the quality and "
                "timeliness of the intelligence packages about online child sexual abuse that it "
                "sends to forces.",
                "by October 2023",
            ),
            F(
                REC,
                ALL,
                "Within six months, chief constables should make sure that referrals about "
                "online child sexual abuse are risk assessed and allocated within the timescales "
                "set by national guidance.",
                "within six months",
            ),
            F(
                REC,
                ALL,
                "By October 2023, chief constables should make sure that officers and staff who "
                "investigate online child sexual abuse have the training, supervision and "
                "wellbeing support they need.",
                "by October 2023",
            ),
            F(
                REC,
                ("home-office",),
                "The Home Office should make sure that funding for the police response to online "
                "child sexual abuse is sustainable beyond a single year.",
                "by March 2024",
            ),
            F(
                AFI,
                ALL,
                "Forces should make sure that the safeguarding of children is considered at "
                "every stage of an investigation into online child sexual abuse.",
            ),
        ),
    ),
    Thematic(
        "activism-and-impartiality",
        "An inspection into activism and impartiality in policing",
        D(2023, 9, 7),
        (D(2022, 10, 3), D(2023, 1, 27)),
        ("Activism and impartiality", "Equality and diversity"),
        (
            F(
                REC,
                ("college-of-policing",),
                "By March 2024, the College of Policing should revise its guidance on the "
                "participation of officers and staff in events and campaigns, so that they "
                "understand how to remain impartial.",
                "by March 2024",
            ),
            F(
                REC,
                ALL,
                "By September 2024, chief constables should review their force's relationships "
                "with external organisations, including any that provide training or "
                "accreditation, so that the force's impartiality is not compromised.",
                "by September 2024",
            ),
            F(
                REC,
                ALL,
                "By March 2024, chief constables should make sure that their force's policies on "
                "the use of social media by officers and staff reflect the requirement to remain "
                "impartial.",
                "by March 2024",
            ),
            F(
                AFI,
                ALL,
                "Forces should make sure that their staff networks have clear terms of reference "
                "and understand the limits of their role.",
            ),
        ),
    ),
)

JOINT_INSPECTIONS: tuple[Thematic, ...] = (
    Thematic(
        "youth-out-of-court-disposals",
        "Out-of-court disposal work in youth offending teams: A joint thematic inspection",
        D(2018, 3, 15),
        (D(2017, 9, 4), D(2017, 11, 24)),
        ("Out-of-court disposals", "Child protection"),
        (
            F(
                REC,
                ("lancashire", "west-mercia", "hertfordshire"),
                "Chief constables should make sure that decisions about out-of-court disposals "
                "for children are made jointly with youth offending teams, and that the reasons "
                "are recorded.",
            ),
            F(
                REC,
                ("lancashire", "west-mercia", "hertfordshire"),
                "Chief constables should make sure that officers share information with youth "
                "offending teams promptly, so that children's needs are assessed before a "
                "disposal is decided.",
                "within six months",
            ),
            F(
                REC,
                ("lancashire", "west-mercia"),
                "Chief constables should review how community resolutions for children are "
                "monitored, and whether the conditions attached to them are completed.",
                "within 12 months",
            ),
        ),
        lead="hmi-probation",
        partners=("hmicfrs",),
        forces_in_scope=("lancashire", "west-mercia", "hertfordshire"),
        report_url="https://www.justiceinspectorates.gov.uk/hmiprobation/inspections/"
        "youth-out-of-court-disposals/",
    ),
    Thematic(
        "making-it-fair",
        "Making it fair: A joint inspection of the disclosure of unused material in volume "
        "Crown Court cases",
        D(2017, 7, 18),
        (D(2017, 1, 9), D(2017, 3, 31)),
        ("Victim care",),
        (
            F(
                REC,
                ("kent", "merseyside", "south-wales", "west-yorkshire"),
                "Chief constables should make sure that disclosure officers are trained, and "
                "that the disclosure schedules they prepare are reviewed by a supervisor.",
                "within six months",
            ),
            F(
                REC,
                ("kent", "merseyside", "south-wales", "west-yorkshire"),
                "Chief constables should make sure that schedules of unused material describe "
                "each item in enough detail for the prosecutor to decide whether it should be "
                "disclosed.",
                "within 12 months",
            ),
        ),
        lead="hmcpsi",
        partners=("hmicfrs",),
        forces_in_scope=("kent", "merseyside", "south-wales", "west-yorkshire"),
        report_url="https://www.justiceinspectorates.gov.uk/hmcpsi/inspections/making-it-fair/",
    ),
)
