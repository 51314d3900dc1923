"""Themes that cut across question areas, and the themes each topic of a question area usually
touches."""

from __future__ import annotations

THEMES: tuple[str, ...] = (
    "Activism and impartiality",
    "Acquisitive crime",
    "Call handling",
    "Child protection",
    "Counter-corruption",
    "Crime data integrity",
    "Custody",
    "Digital forensics",
    "Domestic abuse",
    "Equality and diversity",
    "Mental health",
    "Neighbourhood policing",
    "Offender management",
    "Out-of-court disposals",
    "Online child sexual abuse",
    "Serious and organised crime",
    "Stop and search",
    "Use of force",
    "Vetting",
    "Victim care",
    "Violence against women and girls",
    "Workforce wellbeing",
)

TOPIC_THEMES: dict[str, tuple[str, ...]] = {
    "crime-data": ("Crime data integrity", "Victim care"),
    "public-treatment": ("Stop and search", "Use of force", "Equality and diversity"),
    "prevention": ("Neighbourhood policing", "Acquisitive crime"),
    "response": ("Call handling", "Mental health", "Victim care"),
    "investigation": ("Victim care", "Digital forensics", "Acquisitive crime"),
    "vulnerability": (
        "Child protection",
        "Domestic abuse",
        "Violence against women and girls",
        "Mental health",
    ),
    "offenders": ("Offender management", "Custody", "Violence against women and girls"),
    "soc": ("Serious and organised crime",),
    "workforce": ("Workforce wellbeing", "Vetting", "Counter-corruption"),
    "leadership": ("Workforce wellbeing",),
    "counter-corruption": ("Counter-corruption", "Vetting"),
    "specialist": ("Serious and organised crime",),
}
