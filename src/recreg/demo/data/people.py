"""Invented people and boards for the demo forces.

Every name is made up: first names and surnames are combined by the loader, and no combination
is meant to be anyone real.
"""

from __future__ import annotations

FIRST_NAMES: tuple[str, ...] = (
    "Aisha", "Alan", "Alison", "Amir", "Andrew", "Angela", "Bethan", "Carl", "Caroline",
    "Catrin", "Chloe", "Claire", "Colin", "Daniel", "David", "Deborah", "Dylan", "Eleanor",
    "Emma", "Faisal", "Fiona", "Gareth", "Gemma", "Graham", "Hannah", "Harjit", "Helen", "Ian",
    "Imran", "Jacqueline", "James", "Jasmine", "Joanne", "Jonathan", "Karen", "Kate", "Kevin",
    "Laura", "Lee", "Leanne", "Mark", "Martin", "Michelle", "Mohammed", "Natalie", "Neil",
    "Nicola", "Owen", "Paul", "Priya", "Rachel", "Rebecca", "Richard", "Rhian", "Robert", "Ruth",
    "Samantha", "Sarah", "Simon", "Sophie", "Stephen", "Stuart", "Tariq", "Tom", "Victoria",
    "Wendy", "Yasmin",
)  # fmt: skip

SURNAMES: tuple[str, ...] = (
    "Ahmed", "Ashworth", "Bailey", "Barker", "Bennett", "Bhatti", "Bradshaw", "Brennan",
    "Campbell", "Carter", "Chambers", "Chaudhry", "Clarke", "Cooper", "Dawson", "Edwards",
    "Ellis", "Evans", "Fletcher", "Foster", "Gill", "Griffiths", "Hall", "Harrison", "Hayes",
    "Hughes", "Hussain", "Jenkins", "Kaur", "Kelly", "Khan", "Lawson", "Lloyd", "Marsh",
    "Mason", "Morgan", "Murphy", "Nolan", "Okafor", "Osborne", "Palmer", "Parry", "Patel",
    "Pearson", "Powell", "Pritchard", "Reid", "Rowlands", "Shah", "Sharma", "Sheldon", "Singh",
    "Stevens", "Sutton", "Thomas", "Turner", "Walsh", "Ward", "Webb", "Whitaker", "Williams",
    "Yates",
)  # fmt: skip

# (rank as written in a tracker, portfolio); a chief officer is the strategic owner.
CHIEF_OFFICER_TITLES: tuple[str, ...] = (
    "Deputy Chief Constable",
    "Assistant Chief Constable, Local Policing",
    "Assistant Chief Constable, Crime and Public Protection",
    "Assistant Chief Constable, Operations",
    "Assistant Chief Officer, People and Resources",
)

# Tactical leads: superintendents and chief inspectors.
LEAD_TITLES: tuple[str, ...] = (
    "Chief Superintendent, Public Protection",
    "Chief Superintendent, Neighbourhood Policing",
    "Detective Chief Superintendent, Crime",
    "Superintendent, Contact Management",
    "Superintendent, Professional Standards",
    "Detective Superintendent, Safeguarding",
    "Chief Inspector, Force Liaison Lead",
    "Detective Chief Inspector, Crime Standards",
)

BOARDS: tuple[str, ...] = (
    "Crime Governance Board",
    "Service Improvement Board",
    "Public Protection Board",
    "People and Culture Board",
    "Organisational Improvement Board",
    "Strategic Performance Board",
    "Contact Management Board",
    "Professional Standards Board",
)

# The boards whose remit suits each topic (the loader falls back to any of the force's boards).
TOPIC_BOARDS: dict[str, tuple[str, ...]] = {
    "crime-data": ("Crime Governance Board", "Service Improvement Board"),
    "public-treatment": ("Professional Standards Board", "Service Improvement Board"),
    "prevention": ("Service Improvement Board", "Strategic Performance Board"),
    "response": ("Contact Management Board", "Service Improvement Board"),
    "investigation": ("Crime Governance Board",),
    "vulnerability": ("Public Protection Board",),
    "offenders": ("Public Protection Board", "Crime Governance Board"),
    "soc": ("Crime Governance Board",),
    "workforce": ("People and Culture Board", "Professional Standards Board"),
    "leadership": ("Organisational Improvement Board", "Strategic Performance Board"),
    "counter-corruption": ("Professional Standards Board",),
}
