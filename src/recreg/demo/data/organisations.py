"""The organisations of the demo register: regions, the 43 territorial forces of England and
Wales with the body that holds each to account, the national forces, the inspectorates and the
national bodies.

Plain data. The loader turns it into rows; nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass

POLICE_INSPECTORATE = "hmicfrs"


@dataclass(frozen=True)
class Force:
    slug: str
    name: str
    short_name: str
    region: str  # the slug of a region in REGIONS
    oversight: str  # the name of the body that holds the chief constable to account
    oversight_short: str = ""


@dataclass(frozen=True)
class Body:
    slug: str
    name: str
    short_name: str = ""
    website: str = ""


REGIONS: tuple[tuple[str, str], ...] = (
    ("north-east", "North East"),
    ("north-west", "North West"),
    ("yorkshire-and-the-humber", "Yorkshire and the Humber"),
    ("east-midlands", "East Midlands"),
    ("west-midlands", "West Midlands"),
    ("east-of-england", "East of England"),
    ("london", "London"),
    ("south-east", "South East"),
    ("south-west", "South West"),
    ("wales", "Wales"),
)


def _opcc(area: str) -> str:
    return f"Office of the Police and Crime Commissioner for {area}"


def _opfcc(area: str) -> str:
    return f"Office of the Police, Fire and Crime Commissioner for {area}"


# The oversight body of each force gets the slug "pcc-<force slug>", whatever its real form
# (a PCC, a police, fire and crime commissioner, a mayor, or the City's Police Authority Board).
TERRITORIAL_FORCES: tuple[Force, ...] = (
    # North East
    Force("cleveland", "Cleveland Police", "Cleveland", "north-east", _opcc("Cleveland")),
    Force(
        "durham",
        "Durham Constabulary",
        "Durham",
        "north-east",
        "Office of the Durham Police, Crime and Victims' Commissioner",
        "Durham PCVC",
    ),
    Force("northumbria", "Northumbria Police", "Northumbria", "north-east", _opcc("Northumbria")),
    # North West
    Force("cheshire", "Cheshire Constabulary", "Cheshire", "north-west", _opcc("Cheshire")),
    Force(
        "cumbria",
        "Cumbria Constabulary",
        "Cumbria",
        "north-west",
        _opfcc("Cumbria"),
        "Cumbria PFCC",
    ),
    Force(
        "greater-manchester",
        "Greater Manchester Police",
        "Greater Manchester",
        "north-west",
        "Greater Manchester Combined Authority",
        "Mayor of Greater Manchester",
    ),
    Force("lancashire", "Lancashire Constabulary", "Lancashire", "north-west", _opcc("Lancashire")),
    Force("merseyside", "Merseyside Police", "Merseyside", "north-west", _opcc("Merseyside")),
    # Yorkshire and the Humber
    Force(
        "humberside",
        "Humberside Police",
        "Humberside",
        "yorkshire-and-the-humber",
        _opcc("Humberside"),
    ),
    Force(
        "north-yorkshire",
        "North Yorkshire Police",
        "North Yorkshire",
        "yorkshire-and-the-humber",
        # The police, fire and crime commissioner's functions passed to the mayor in May 2024.
        "York and North Yorkshire Combined Authority",
        "York and North Yorkshire Mayor",
    ),
    Force(
        "south-yorkshire",
        "South Yorkshire Police",
        "South Yorkshire",
        "yorkshire-and-the-humber",
        # The police and crime commissioner's functions passed to the mayor in May 2024.
        "South Yorkshire Mayoral Combined Authority",
        "South Yorkshire Mayor",
    ),
    Force(
        "west-yorkshire",
        "West Yorkshire Police",
        "West Yorkshire",
        "yorkshire-and-the-humber",
        "West Yorkshire Combined Authority",
        "West Yorkshire Mayor",
    ),
    # East Midlands
    Force(
        "derbyshire", "Derbyshire Constabulary", "Derbyshire", "east-midlands", _opcc("Derbyshire")
    ),
    Force(
        "leicestershire",
        "Leicestershire Police",
        "Leicestershire",
        "east-midlands",
        _opcc("Leicestershire"),
    ),
    Force(
        "lincolnshire",
        "Lincolnshire Police",
        "Lincolnshire",
        "east-midlands",
        _opcc("Lincolnshire"),
    ),
    Force(
        "northamptonshire",
        "Northamptonshire Police",
        "Northamptonshire",
        "east-midlands",
        _opfcc("Northamptonshire"),
        "Northamptonshire PFCC",
    ),
    Force(
        "nottinghamshire",
        "Nottinghamshire Police",
        "Nottinghamshire",
        "east-midlands",
        _opcc("Nottinghamshire"),
    ),
    # West Midlands
    Force(
        "staffordshire",
        "Staffordshire Police",
        "Staffordshire",
        "west-midlands",
        _opfcc("Staffordshire"),
        "Staffordshire Commissioner",
    ),
    Force(
        "warwickshire",
        "Warwickshire Police",
        "Warwickshire",
        "west-midlands",
        _opcc("Warwickshire"),
    ),
    Force(
        "west-mercia", "West Mercia Police", "West Mercia", "west-midlands", _opcc("West Mercia")
    ),
    Force(
        "west-midlands",
        "West Midlands Police",
        "West Midlands",
        "west-midlands",
        _opcc("West Midlands"),
    ),
    # East of England
    Force(
        "bedfordshire",
        "Bedfordshire Police",
        "Bedfordshire",
        "east-of-england",
        _opcc("Bedfordshire"),
    ),
    Force(
        "cambridgeshire",
        "Cambridgeshire Constabulary",
        "Cambridgeshire",
        "east-of-england",
        _opcc("Cambridgeshire and Peterborough"),
    ),
    Force("essex", "Essex Police", "Essex", "east-of-england", _opfcc("Essex"), "Essex PFCC"),
    Force(
        "hertfordshire",
        "Hertfordshire Constabulary",
        "Hertfordshire",
        "east-of-england",
        _opcc("Hertfordshire"),
    ),
    Force("norfolk", "Norfolk Constabulary", "Norfolk", "east-of-england", _opcc("Norfolk")),
    Force("suffolk", "Suffolk Constabulary", "Suffolk", "east-of-england", _opcc("Suffolk")),
    # London
    Force(
        "city-of-london",
        "City of London Police",
        "City of London",
        "london",
        "City of London Police Authority Board",
        "Police Authority Board",
    ),
    Force(
        "metropolitan",
        "Metropolitan Police Service",
        "Metropolitan Police",
        "london",
        "Mayor's Office for Policing and Crime",
        "MOPAC",
    ),
    # South East
    Force(
        "hampshire",
        "Hampshire and Isle of Wight Constabulary",
        "Hampshire and Isle of Wight",
        "south-east",
        _opcc("Hampshire and the Isle of Wight"),
    ),
    Force("kent", "Kent Police", "Kent", "south-east", _opcc("Kent")),
    Force("surrey", "Surrey Police", "Surrey", "south-east", _opcc("Surrey")),
    Force("sussex", "Sussex Police", "Sussex", "south-east", _opcc("Sussex")),
    Force(
        "thames-valley",
        "Thames Valley Police",
        "Thames Valley",
        "south-east",
        _opcc("Thames Valley"),
    ),
    # South West
    Force(
        "avon-and-somerset",
        "Avon and Somerset Police",
        "Avon and Somerset",
        "south-west",
        _opcc("Avon and Somerset"),
    ),
    Force(
        "devon-and-cornwall",
        "Devon and Cornwall Police",
        "Devon and Cornwall",
        "south-west",
        _opcc("Devon, Cornwall and the Isles of Scilly"),
    ),
    Force("dorset", "Dorset Police", "Dorset", "south-west", _opcc("Dorset")),
    Force(
        "gloucestershire",
        "Gloucestershire Constabulary",
        "Gloucestershire",
        "south-west",
        _opcc("Gloucestershire"),
    ),
    Force(
        "wiltshire", "Wiltshire Police", "Wiltshire", "south-west", _opcc("Wiltshire and Swindon")
    ),
    # Wales
    Force("dyfed-powys", "Dyfed-Powys Police", "Dyfed-Powys", "wales", _opcc("Dyfed-Powys")),
    Force("gwent", "Gwent Police", "Gwent", "wales", _opcc("Gwent")),
    Force("north-wales", "North Wales Police", "North Wales", "wales", _opcc("North Wales")),
    Force("south-wales", "South Wales Police", "South Wales", "wales", _opcc("South Wales")),
)

NATIONAL_FORCES: tuple[Body, ...] = (
    Body("british-transport-police", "British Transport Police", "BTP"),
    Body("civil-nuclear-constabulary", "Civil Nuclear Constabulary", "CNC"),
    Body("ministry-of-defence-police", "Ministry of Defence Police", "MDP"),
)

INSPECTORATES: tuple[Body, ...] = (
    Body(
        POLICE_INSPECTORATE,
        "HM Inspectorate of Constabulary and Fire & Rescue Services",
        "HMICFRS",
        "https://hmicfrs.justiceinspectorates.gov.uk/",
    ),
    Body(
        "hmi-probation",
        "HM Inspectorate of Probation",
        "HMI Probation",
        "https://www.justiceinspectorates.gov.uk/hmiprobation/",
    ),
    Body(
        "hmcpsi",
        "HM Crown Prosecution Service Inspectorate",
        "HMCPSI",
        "https://www.justiceinspectorates.gov.uk/hmcpsi/",
    ),
    Body(
        "hmi-prisons",
        "HM Inspectorate of Prisons",
        "HMI Prisons",
        "https://www.justiceinspectorates.gov.uk/hmiprisons/",
    ),
    Body("cqc", "Care Quality Commission", "CQC", "https://www.cqc.org.uk/"),
    Body(
        "ofsted",
        "Office for Standards in Education, Children's Services and Skills",
        "Ofsted",
        "https://www.gov.uk/government/organisations/ofsted",
    ),
)

NATIONAL_BODIES: tuple[Body, ...] = (
    Body(
        "home-office",
        "Home Office",
        "Home Office",
        "https://www.gov.uk/government/organisations/home-office",
    ),
    Body("college-of-policing", "College of Policing", "College", "https://www.college.police.uk/"),
    Body("npcc", "National Police Chiefs' Council", "NPCC", "https://www.npcc.police.uk/"),
    Body("nca", "National Crime Agency", "NCA", "https://www.nationalcrimeagency.gov.uk/"),
    Body(
        "iopc",
        "Independent Office for Police Conduct",
        "IOPC",
        "https://www.policeconduct.gov.uk/",
    ),
)


def oversight_slug(force_slug: str) -> str:
    """The slug of the body that holds this force to account."""
    return f"pcc-{force_slug}"
