"""Sentence parts for force inspection findings, by topic, written the way PEEL reports word
them. The loader combines a lead-in with a part, so two forces rarely get the same sentence.

For each topic:
- `how` completes "The force should improve how it …";
- `ensure` completes "The force should make sure that …";
- `actions` completes "The force should …" (and "Within six months, the force should …");
- `concerns` are whole sentences stating a cause of concern.
"""

from __future__ import annotations

WORDING: dict[str, dict[str, tuple[str, ...]]] = {
    "crime-data": {
        "how": (
            "records crimes reported to it, so that at least 90 percent of reported crimes are "
            "recorded correctly",
            "records reports of anti-social behaviour that should also be recorded as crimes",
            "records crimes of violence, in particular behavioural crimes such as coercive "
            "control, stalking and harassment",
            "uses outcome codes, so that the reasons for closing an investigation are recorded "
            "accurately",
        ),
        "ensure": (
            "it records all reported crimes within 24 hours of receiving the report",
            "victims are told when the force decides not to investigate their crime, and why",
            "it records the ethnicity of victims and carries out a needs assessment for every "
            "victim",
            "it follows the Code of Practice for Victims of Crime, and records when victims "
            "withdraw their support for an investigation",
        ),
        "actions": (
            "review its crime recording processes so that crimes are recorded at the first point "
            "of contact",
            "train call handlers and officers in the Home Office counting rules for the crimes "
            "they most often deal with",
            "audit how it records rape and other sexual offences reported by third parties",
            "make sure its crime registrar has the capacity to audit and correct crime records",
        ),
        "concerns": (
            "The force isn't recording enough of the crimes reported to it, and too many victims "
            "are not getting the service they are entitled to.",
            "Too many reports of violent crime, particularly those involving domestic abuse, are "
            "not recorded as crimes, and the victims are not safeguarded as they should be.",
        ),
    },
    "public-treatment": {
        "how": (
            "records the reasons for stop and search, so that they show reasonable grounds",
            "monitors and scrutinises its use of force, including by external groups",
            "engages with communities who have less trust and confidence in the police",
            "explains to the public how it uses stop and search and force, and what it has "
            "learned from complaints",
        ),
        "ensure": (
            "supervisors review body-worn video of stops and searches and give feedback to "
            "officers",
            "it understands and explains the disproportionate use of stop and search on people "
            "from ethnic minority backgrounds",
            "all officers and staff receive training in unconscious bias and effective "
            "communication",
            "it records every use of force accurately, including when force is used on children",
        ),
        "actions": (
            "introduce an effective external scrutiny panel for stop and search and use of force",
            "analyse its stop and search data to understand why people from ethnic minority "
            "backgrounds are more likely to be searched",
            "improve the way it seeks feedback from people who have been stopped and searched",
            "make its use of force data available to the public in an accessible form",
        ),
        "concerns": (
            "The force can't show that it uses stop and search fairly, and people from some "
            "communities are searched far more often than others without good reason.",
        ),
    },
    "prevention": {
        "how": (
            "uses problem-solving to prevent crime and anti-social behaviour in neighbourhoods",
            "evaluates its crime prevention activity and shares what works",
            "works with partner organisations to tackle anti-social behaviour",
            "protects the time of neighbourhood officers so that they can focus on prevention",
        ),
        "ensure": (
            "neighbourhood teams are not routinely taken away from their core work to cover "
            "response duties",
            "it has a clear crime prevention strategy that officers and staff understand",
            "neighbourhood officers and staff are trained in problem-solving",
            "it uses the powers in the Anti-social Behaviour, Crime and Policing Act 2014 where "
            "they would help",
        ),
        "actions": (
            "develop its use of problem-solving plans, and review them so that they are effective",
            "improve its understanding of the communities it serves, using data from partners",
            "give its neighbourhood teams clear priorities agreed with local communities",
            "evaluate its prevention activity so that it knows what works",
        ),
        "concerns": (
            "The force's neighbourhood policing model is not preventing crime effectively, "
            "because neighbourhood officers are too often used to fill gaps elsewhere.",
        ),
    },
    "response": {
        "how": (
            "answers emergency and non-emergency calls, so that calls are answered within "
            "national standards",
            "assesses risk when it first receives a call, using a structured triage model",
            "attends incidents within the times it has set, and tells callers when attendance "
            "will be delayed",
            "identifies repeat and vulnerable callers",
        ),
        "ensure": (
            "it answers 999 calls within ten seconds in line with national standards",
            "the number of non-emergency calls abandoned before they are answered falls",
            "call handlers use THRIVE consistently and record their risk assessments",
            "it gives callers appropriate advice about preserving evidence and keeping safe",
        ),
        "actions": (
            "review the staffing of its control room so that it can meet demand at peak times",
            "make sure callers are updated if attendance will be delayed",
            "introduce effective supervision of the decisions made in its control room",
            "understand why so many calls are abandoned, and act on what it finds",
        ),
        "concerns": (
            "The force does not answer calls for service quickly enough, and does not always "
            "attend incidents in time. This is potentially putting vulnerable people at risk.",
            "The force is not managing risk effectively when it first receives calls, and some "
            "vulnerable callers wait too long for the police to attend.",
        ),
    },
    "investigation": {
        "how": (
            "supervises investigations, so that they are timely and effective",
            "allocates investigations to officers and staff with the right skills and experience",
            "keeps victims updated about the progress of their investigations",
            "manages its backlog of digital devices awaiting examination",
        ),
        "ensure": (
            "investigation plans are created and followed, and supervisors record their reviews",
            "it records the victim's wishes when a victim withdraws support for a prosecution",
            "it considers evidence-led prosecutions where victims do not support them",
            "it complies with the Code of Practice for Victims of Crime",
        ),
        "actions": (
            "reduce the number of suspects who are wanted and have not been arrested",
            "review its workloads so that investigators have the capacity to investigate well",
            "improve the quality of the case files it gives to the Crown Prosecution Service",
            "make sure its digital forensic services meet the demand placed on them",
        ),
        "concerns": (
            "The force is not investigating crime effectively. Too many investigations are not "
            "supervised, and victims are let down.",
            "The force does not have enough capacity and capability to investigate crime, and "
            "too many investigations are delayed or closed without good reason.",
        ),
    },
    "vulnerability": {
        "how": (
            "identifies and safeguards vulnerable people at the first point of contact",
            "uses Clare's law and domestic violence protection orders to protect victims",
            "responds to reports of missing children, particularly those at risk of exploitation",
            "shares information about children at risk with partner organisations",
        ),
        "ensure": (
            "it carries out risk assessments for all victims of domestic abuse",
            "officers record the voice of the child when they attend incidents involving children",
            "referrals to children's services are made promptly and are of good quality",
            "officers and staff understand how to recognise and respond to child criminal "
            "exploitation",
        ),
        "actions": (
            "review how it manages demand in its public protection units",
            "improve its use of protective orders and monitor compliance with them",
            "make sure its multi-agency safeguarding arrangements are properly resourced",
            "develop its response to violence against women and girls, in line with the national "
            "framework",
        ),
        "concerns": (
            "The force is not doing enough to protect vulnerable people, in particular children "
            "at risk of exploitation.",
            "The force's response to domestic abuse is not good enough: risk assessments are "
            "late or missing, and victims are not always safeguarded.",
        ),
    },
    "offenders": {
        "how": (
            "manages registered sex offenders, so that visits and risk assessments are done on "
            "time",
            "manages the risk posed by people suspected of viewing indecent images of children",
            "uses integrated offender management to reduce reoffending",
            "pursues and arrests wanted suspects",
        ),
        "ensure": (
            "its management of sexual or violent offenders team has enough trained staff",
            "active risk management system assessments are completed within the timescales",
            "it acts quickly on intelligence about people sharing indecent images of children",
            "it uses ancillary orders to manage the risk posed by offenders",
        ),
        "actions": (
            "reduce the backlog of overdue visits to registered sex offenders",
            "review how it manages people released under investigation and on bail",
            "make sure it considers applying for sexual harm prevention orders",
            "make sure its integrated offender management scheme focuses on the most harmful "
            "offenders",
        ),
        "concerns": (
            "The force is not managing the risk posed by registered sex offenders effectively, "
            "because its offender management teams are overwhelmed.",
        ),
    },
    "soc": {
        "how": (
            "assesses the threat posed by organised crime groups",
            "uses the full range of tactics to disrupt serious and organised crime",
            "works with partners to stop people being drawn into organised crime",
            "evaluates the effect of its activity against organised crime",
        ),
        "ensure": (
            "it records disruptions of organised crime groups accurately",
            "lead responsible officers have the training and support they need",
            "its local profiles of serious and organised crime are kept up to date with partner "
            "information",
            "it uses ancillary orders to disrupt organised criminals",
        ),
        "actions": (
            "improve its intelligence collection about organised crime in its communities",
            "develop its use of serious crime prevention orders",
            "make better use of its regional organised crime unit",
        ),
        "concerns": (
            "The force does not have a good enough understanding of the threat from serious and "
            "organised crime, and so cannot direct its resources to the greatest harm.",
        ),
    },
    "workforce": {
        "how": (
            "supports the wellbeing of its officers and staff",
            "manages workloads, particularly those of investigators and supervisors",
            "develops its supervisors and first-line managers",
            "vets its workforce, so that vetting is renewed before it lapses",
        ),
        "ensure": (
            "it has enough vetting capacity to clear its backlog",
            "occupational health services meet the needs of the workforce",
            "its counter-corruption unit has the capacity to assess intelligence quickly",
            "the workforce understands how to report wrongdoing and trusts that it will be acted on",
        ),
        "actions": (
            "review its vetting decisions so that they are recorded and consistent",
            "monitor its IT systems to identify abuse of position for a sexual purpose",
            "improve its understanding of the skills and capabilities of its workforce",
            "make sure performance development reviews are meaningful for officers and staff",
        ),
        "concerns": (
            "The force has not vetted all of its officers and staff to the required level, and "
            "cannot be sure that people who should not be in policing are not.",
        ),
    },
    "leadership": {
        "how": (
            "understands current and future demand, and uses this to plan its workforce",
            "uses data to manage performance and to make decisions",
            "communicates its priorities to the workforce",
            "plans for the future, including its estate, fleet and technology",
        ),
        "ensure": (
            "it has a clear plan for its savings, and tracks the benefits of change",
            "its force management statement is used to plan",
            "its leaders are visible and listen to the workforce",
            "it understands the value for money of its collaborations",
        ),
        "actions": (
            "develop a long-term workforce plan based on its understanding of demand",
            "improve its performance management framework so that it focuses on outcomes for the "
            "public",
            "review its governance arrangements so that it can track progress on "
            "recommendations and areas for improvement",
            "make sure its change programme is resourced and its benefits are evaluated",
        ),
        "concerns": (
            "The force does not understand the demand it faces well enough to plan its "
            "resources, and this is affecting its service to the public.",
        ),
    },
}

# Lead-ins for an area for improvement; {how}, {ensure} and {action} come from WORDING.
AFI_LEADS: tuple[str, ...] = (
    "The force should improve how it {how}.",
    "The force should make sure that {ensure}.",
    "The force should {action}.",
    "The force needs to improve how it {how}.",
    "The force should improve how it {how}. In particular, it should make sure that {ensure}.",
    "The force should {action}. It should also make sure that {ensure}.",
)

# Deadlines for recommendations (each with the lead-in the report would use), keyed by how the
# deadline reads; "{month}" and "{date}" are filled from the publication date.
DEADLINE_LEADS: tuple[tuple[str, str], ...] = (
    ("within six months", "Within six months, the force should {action}."),
    ("within three months", "Within three months, the force should {action}."),
    ("within 12 months", "Within 12 months, the force should {action}."),
    ("by {month}", "By {month}, the force should {action}."),
    ("immediately", "The force should immediately {action}."),
    ("not later than {date}", "Not later than {date}, the force should {action}."),
)
