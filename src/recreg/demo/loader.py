"""Load a realistic demo register: the organisations of policing in England and Wales, the PEEL
frameworks, demo logins and invented force staff, and several years of inspections, findings and
progress.

Inspections and findings are made through the same service functions the product uses, so the
audit trail and the fan-out of "all forces" findings are as in real use. Everything is drawn from
random generators seeded from `seed` and a natural key (a force, an inspection, a response), so
the same seed gives the same register, and loading twice changes nothing: rows are found by
their natural keys, and an inspection that already has findings gets no more.

Published history uses fixed dates (2017 to 2025). Work that is still open (target dates,
inspections in fieldwork or planned) is placed relative to `today`, so the demo looks current
whenever it is loaded.
"""

from __future__ import annotations

import calendar
import datetime
import random
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from recreg.accounts.models import User
from recreg.accounts.roles import Role
from recreg.audit.models import AuditEvent
from recreg.audit.services import record_update, snapshot
from recreg.demo.data import frameworks as framework_data
from recreg.demo.data import organisations as org_data
from recreg.demo.data import people as people_data
from recreg.demo.data import thematics as thematic_data
from recreg.demo.data import themes as theme_data
from recreg.demo.data import wording
from recreg.findings.models import (
    RAG,
    AddresseeScope,
    Finding,
    FindingKind,
    FindingState,
    GovernanceBoard,
    Response,
    ResponseState,
    Theme,
)
from recreg.findings.services import create_finding
from recreg.frameworks.models import Framework, Pillar, QuestionArea
from recreg.inspections.models import Inspection, InspectionKind, InspectionState
from recreg.inspections.services import create_inspection, update_inspection
from recreg.organisations.models import ForceType, Organisation, OrganisationKind, Region

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - published on purpose: a demo login
REPORT_BASE = "https://hmicfrs.justiceinspectorates.gov.uk/publications/"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    full_name: str
    job_title: str
    organisation: str  # slug


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        Role.INSPECTORATE_EDITOR,
        "inspector@demo.recreg",
        "Isla Fairbairn",
        "Inspection Officer",
        org_data.POLICE_INSPECTORATE,
    ),
    DemoLogin(
        Role.INSPECTORATE_READER,
        "inspectorate.reader@demo.recreg",
        "Rowan Achterberg",
        "Data Analyst",
        org_data.POLICE_INSPECTORATE,
    ),
    DemoLogin(
        Role.FORCE_EDITOR,
        "force.editor@demo.recreg",
        "Freya Lindqvist",
        "Chief Inspector, Force Liaison Lead",
        "avon-and-somerset",
    ),
    DemoLogin(
        Role.FORCE_READER,
        "force.reader@demo.recreg",
        "Felix Ogunbanjo",
        "Performance Analyst",
        "west-midlands",
    ),
    DemoLogin(
        Role.PCC_OFFICER,
        "pcc.officer@demo.recreg",
        "Pippa Castellano",
        "Policy and Scrutiny Officer",
        org_data.oversight_slug("avon-and-somerset"),
    ),
    DemoLogin(
        Role.NATIONAL_READER,
        "national.reader@demo.recreg",
        "Nathan Oyelaran",
        "Policing Policy Adviser",
        "home-office",
    ),
)
INSPECTOR_EMAIL = DEMO_LOGINS[0].email


@dataclass
class DemoSummary:
    """What the demo register holds after a load, and what this load added."""

    counts: dict[str, int]
    created: dict[str, int]
    seconds: float

    def lines(self) -> list[str]:
        width = max(len(name) for name in self.counts)
        out = [
            f"  {name:<{width}}  {count:>6}  (+{self.created.get(name, 0)})"
            for name, count in self.counts.items()
        ]
        return [*out, f"Loaded in {self.seconds:.1f} s"]

    def __str__(self) -> str:
        return "\n".join(self.lines())


def _rng(seed: int, *key: Any) -> random.Random:
    """A generator for one thing, so that each thing's draws do not depend on what else is
    loaded (a string seed is hashed the same way on every run)."""
    return random.Random(":".join([str(seed), *map(str, key)]))


def _counts() -> dict[str, int]:
    return {
        "regions": Region.objects.count(),
        "organisations": Organisation.objects.count(),
        "territorial forces": Organisation.objects.territorial_forces().count(),
        "PCC offices": Organisation.objects.filter(kind=OrganisationKind.PCC_OFFICE).count(),
        "frameworks": Framework.objects.count(),
        "question areas": QuestionArea.objects.count(),
        "themes": Theme.objects.count(),
        "users": User.objects.count(),
        "governance boards": GovernanceBoard.objects.count(),
        "inspections": Inspection.objects.count(),
        "findings": Finding.objects.count(),
        "responses": Response.objects.count(),
        "audit events": AuditEvent.objects.count(),
    }


def load_demo(*, seed: int = 2026, stdout=None, today: datetime.date | None = None) -> DemoSummary:
    """Load the demo register (idempotent) and say what it holds."""
    started = time.perf_counter()
    before = _counts()
    with transaction.atomic():
        _Loader(seed=seed, today=today or timezone.localdate(), stdout=stdout).run()
    after = _counts()
    return DemoSummary(
        counts=after,
        created={name: after[name] - before[name] for name in after},
        seconds=time.perf_counter() - started,
    )


def _last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _weekday(day: datetime.date) -> datetime.date:
    """The same day, or the Monday after if it falls at a weekend."""
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def _at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    moment = datetime.datetime.combine(
        day, datetime.time(rng.randint(8, 17), rng.choice((0, 15, 30, 45)))
    )
    return timezone.make_aware(moment)


@dataclass
class _ForcePeople:
    chiefs: list[User] = field(default_factory=list)
    leads: list[User] = field(default_factory=list)
    boards: dict[str, GovernanceBoard] = field(default_factory=dict)


@dataclass
class _NewFinding:
    finding: Finding
    topic: str


# The topic of a thematic finding, for choosing a governance board.
_THEME_TOPICS = {
    "Vetting": "counter-corruption",
    "Counter-corruption": "counter-corruption",
    "Stop and search": "public-treatment",
    "Use of force": "public-treatment",
    "Activism and impartiality": "public-treatment",
    "Violence against women and girls": "vulnerability",
    "Domestic abuse": "vulnerability",
    "Child protection": "vulnerability",
    "Online child sexual abuse": "vulnerability",
    "Out-of-court disposals": "offenders",
    "Digital forensics": "investigation",
    "Acquisitive crime": "investigation",
    "Victim care": "investigation",
}


class _Loader:
    def __init__(self, *, seed: int, today: datetime.date, stdout) -> None:
        self.seed = seed
        self.today = today
        self.stdout = stdout
        self.orgs: dict[str, Organisation] = {}
        self.frameworks: dict[str, Framework] = {}
        self.areas: dict[tuple[str, str], QuestionArea] = {}
        self.area_topics: dict[int, str] = {}
        self.themes: dict[str, Theme] = {}
        self.people: dict[int, _ForcePeople] = defaultdict(_ForcePeople)
        self.new_findings: list[_NewFinding] = []
        self.inspector: User

    # -- helpers --------------------------------------------------------------------------

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    @property
    def forces(self) -> list[Organisation]:
        return [self.orgs[f.slug] for f in org_data.TERRITORIAL_FORCES]

    def run(self) -> None:
        self.load_organisations()
        self.load_frameworks()
        self.load_themes()
        self.load_people()
        self.say(
            f"Reference data: {len(self.orgs)} organisations, {len(self.frameworks)} "
            f"frameworks, {len(self.themes)} themes"
        )
        self.load_force_inspections("peel-2021-22", datetime.date(2022, 1, 20), 330)
        self.load_force_inspections("peel-2023-25", datetime.date(2023, 6, 8), 720)
        self.load_thematics(thematic_data.THEMATICS, InspectionKind.THEMATIC)
        self.load_thematics(thematic_data.JOINT_INSPECTIONS, InspectionKind.JOINT)
        self.load_current_inspections()
        self.say(f"Inspections and findings: {len(self.new_findings)} new findings")
        changed = self.load_progress()
        self.say(f"Progress: {changed} responses updated")
        from recreg.oversight.demo import load_demo_oversight

        oversight = load_demo_oversight()
        self.say("Oversight: " + ", ".join(f"{n} {name}" for name, n in oversight.items()))

    # -- reference data -------------------------------------------------------------------

    def load_organisations(self) -> None:
        regions = {}
        for slug, name in org_data.REGIONS:
            regions[slug], _ = Region.objects.get_or_create(slug=slug, defaults={"name": name})

        def get(slug: str, **defaults) -> Organisation:
            org, _ = Organisation.objects.get_or_create(slug=slug, defaults=defaults)
            self.orgs[slug] = org
            return org

        for body in org_data.INSPECTORATES:
            get(
                body.slug,
                name=body.name,
                short_name=body.short_name,
                kind=OrganisationKind.INSPECTORATE,
                website=body.website,
            )
        for body in org_data.NATIONAL_BODIES:
            get(
                body.slug,
                name=body.name,
                short_name=body.short_name,
                kind=OrganisationKind.NATIONAL_BODY,
                website=body.website,
            )
        for body in org_data.NATIONAL_FORCES:
            get(
                body.slug,
                name=body.name,
                short_name=body.short_name,
                kind=OrganisationKind.FORCE,
                force_type=ForceType.NATIONAL,
            )
        for force in org_data.TERRITORIAL_FORCES:
            org = get(
                force.slug,
                name=force.name,
                short_name=force.short_name,
                kind=OrganisationKind.FORCE,
                force_type=ForceType.TERRITORIAL,
                region=regions[force.region],
            )
            get(
                org_data.oversight_slug(force.slug),
                name=force.oversight,
                short_name=force.oversight_short or f"{force.short_name} OPCC",
                kind=OrganisationKind.PCC_OFFICE,
                region=regions[force.region],
                force=org,
            )

    def load_frameworks(self) -> None:
        for data in framework_data.FRAMEWORKS:
            framework, _ = Framework.objects.get_or_create(
                slug=data.slug,
                defaults={
                    "name": data.name,
                    "short_name": data.short_name,
                    "start_year": data.start_year,
                    "end_year": data.end_year,
                    "grade_scale": data.grade_scale,
                    "description": data.description,
                },
            )
            self.frameworks[data.slug] = framework
            order = 0
            groups: list[tuple[framework_data.PillarData | None, Iterable]] = [
                (pillar, pillar.areas) for pillar in data.pillars
            ]
            groups.append((None, data.areas))
            for pillar_order, (pillar_data, areas) in enumerate(groups, start=1):
                pillar = None
                if pillar_data is not None:
                    pillar, _ = Pillar.objects.get_or_create(
                        framework=framework,
                        name=pillar_data.name,
                        defaults={"order": pillar_order, "graded": pillar_data.graded},
                    )
                for area_data in areas:
                    order += 1
                    area, _ = QuestionArea.objects.get_or_create(
                        framework=framework,
                        slug=area_data.slug,
                        defaults={
                            "pillar": pillar,
                            "name": area_data.name,
                            "order": order,
                            "graded": area_data.graded,
                        },
                    )
                    self.areas[data.slug, area_data.slug] = area
                    self.area_topics[area.pk] = area_data.topic

    def load_themes(self) -> None:
        existing = {t.slug: t for t in Theme.objects.all()}
        missing = [
            Theme(name=name, slug=slugify(name))
            for name in theme_data.THEMES
            if slugify(name) not in existing
        ]
        Theme.objects.bulk_create(missing)
        self.themes = {t.name: t for t in Theme.objects.filter(name__in=theme_data.THEMES)}

    def load_people(self) -> None:
        """The demo logins, two or three named people per force, and each force's boards."""
        wanted: list[User] = []
        demo_hash = None
        for login in DEMO_LOGINS:
            if demo_hash is None:
                demo_hash = make_password(DEMO_PASSWORD)
            wanted.append(
                User(
                    email=login.email,
                    full_name=login.full_name,
                    job_title=login.job_title,
                    role=login.role,
                    organisation=self.orgs[login.organisation],
                    password=demo_hash,
                )
            )
        for force in org_data.TERRITORIAL_FORCES:
            rng = _rng(self.seed, "people", force.slug)
            org = self.orgs[force.slug]
            names: set[str] = set()
            titles = [rng.choice(people_data.CHIEF_OFFICER_TITLES)] + rng.sample(
                people_data.LEAD_TITLES, rng.choice((1, 2, 2))
            )
            for index, title in enumerate(titles):
                while True:
                    first, last = (
                        rng.choice(people_data.FIRST_NAMES),
                        rng.choice(people_data.SURNAMES),
                    )
                    if f"{first} {last}" not in names:
                        break
                names.add(f"{first} {last}")
                user = User(
                    email=f"{first}.{last}@{force.slug}.demo.recreg".lower(),
                    full_name=f"{first} {last}",
                    job_title=title,
                    role=Role.FORCE_READER if index == 0 else Role.FORCE_EDITOR,
                    organisation=org,
                )
                user.set_unusable_password()
                wanted.append(user)
        existing = set(
            User.objects.filter(email__in=[u.email for u in wanted]).values_list("email", flat=True)
        )
        User.objects.bulk_create([u for u in wanted if u.email not in existing])
        users = {
            u.email: u
            for u in User.objects.filter(email__in=[u.email for u in wanted]).select_related(
                "organisation"
            )
        }
        self.inspector = users[INSPECTOR_EMAIL]
        for user in wanted:
            stored = users[user.email]
            if stored.organisation is None or stored.organisation.kind != OrganisationKind.FORCE:
                continue
            people = self.people[stored.organisation_id]
            if stored.job_title.startswith(("Deputy Chief", "Assistant Chief")):
                people.chiefs.append(stored)
            elif stored.role == Role.FORCE_EDITOR:
                people.leads.append(stored)

        # Boards: every force has the core boards, plus a few of the others.
        core = ("Crime Governance Board", "Public Protection Board", "Service Improvement Board")
        wanted_boards = []
        for force in org_data.TERRITORIAL_FORCES:
            rng = _rng(self.seed, "boards", force.slug)
            others = [b for b in people_data.BOARDS if b not in core]
            for name in (*core, *rng.sample(others, rng.randint(1, 3))):
                wanted_boards.append((self.orgs[force.slug].pk, name))
        have = set(GovernanceBoard.objects.values_list("organisation_id", "name"))
        GovernanceBoard.objects.bulk_create(
            [
                GovernanceBoard(organisation_id=o, name=n)
                for o, n in wanted_boards
                if (o, n) not in have
            ]
        )
        for board in GovernanceBoard.objects.filter(
            organisation_id__in=[f.pk for f in self.forces]
        ):
            self.people[board.organisation_id].boards[board.name] = board

    # -- inspections ----------------------------------------------------------------------

    def _existing(self, title: str) -> Inspection | None:
        return Inspection.objects.filter(title=title).first()

    def _make_inspection(self, *, states: Iterable[str], published_on=None, **data) -> Inspection:
        """Create an inspection, then move it through the given states, as inspectors would."""
        states = list(states)
        inspection = create_inspection(actor=self.inspector, state=states[0], **data)
        for state in states[1:]:
            changes: dict[str, Any] = {"state": state}
            if state == InspectionState.PUBLISHED:
                changes["published_on"] = published_on
            inspection = update_inspection(inspection, actor=self.inspector, **changes)
        return inspection

    def _finding(self, inspection: Inspection, topic: str, **data) -> Finding:
        finding = create_finding(actor=self.inspector, inspection=inspection, **data)
        self.new_findings.append(_NewFinding(finding, topic))
        return finding

    def load_force_inspections(self, framework_slug: str, first: datetime.date, span: int) -> None:
        """One published inspection per force under this framework, spread over `span` days."""
        framework = self.frameworks[framework_slug]
        order = list(org_data.TERRITORIAL_FORCES)
        _rng(self.seed, "order", framework_slug).shuffle(order)
        step = span / len(order)
        for index, force in enumerate(order):
            title = f"{framework.short_name}: An inspection of {force.name}"
            if self._existing(title):
                continue
            rng = _rng(self.seed, framework_slug, force.slug)
            published = _weekday(
                first + datetime.timedelta(days=int(index * step) + rng.randint(0, 6))
            )
            fieldwork_end = published - datetime.timedelta(days=rng.randint(70, 130))
            fieldwork_start = fieldwork_end - datetime.timedelta(days=rng.randint(10, 25))
            inspection = self._make_inspection(
                states=(InspectionState.AWAITING_PUBLICATION, InspectionState.PUBLISHED),
                published_on=published,
                title=title,
                programme=framework,
                kind=InspectionKind.FORCE,
                lead_inspectorate=self.orgs[org_data.POLICE_INSPECTORATE],
                forces_in_scope=[self.orgs[force.slug]],
                fieldwork_start=fieldwork_start,
                fieldwork_end=fieldwork_end,
                report_url=f"{REPORT_BASE}{framework_slug}-{force.slug}/",
            )
            concern_chance = 0.15 if framework_slug == "peel-2021-22" else 0.22
            self._force_findings(
                inspection,
                framework_slug,
                self.orgs[force.slug],
                rng,
                state=FindingState.PUBLISHED,
                count=rng.randint(3, 8),
                concern=rng.random() < concern_chance,
                accelerated_chance=0.25 if framework_slug == "peel-2023-25" else 0.0,
            )

    def _force_findings(
        self,
        inspection: Inspection,
        framework_slug: str,
        force: Organisation,
        rng: random.Random,
        *,
        state: str,
        count: int,
        concern: bool,
        accelerated_chance: float = 0.0,
    ) -> None:
        """Findings of one force inspection: areas for improvement across the question areas,
        and perhaps a cause of concern with its recommendations first."""
        data = framework_data.by_slug(framework_slug)
        all_areas = [a for p in data.pillars for a in p.areas] + list(data.areas)
        graded = [a for a in all_areas if a.graded and a.topic in wording.WORDING]
        used: set[str] = set()
        sequence = 0
        published_on = inspection.published_on or self.today

        def pick(topic: str, part: str) -> str:
            options = [p for p in wording.WORDING[topic][part] if p not in used]
            choice = rng.choice(options or wording.WORDING[topic][part])
            used.add(choice)
            return choice

        def themes_for(topic: str) -> list[Theme]:
            names = theme_data.TOPIC_THEMES.get(topic, ())
            return [self.themes[n] for n in rng.sample(names, min(len(names), rng.randint(1, 2)))]

        if concern:
            area = rng.choice(graded)
            children = rng.randint(1, 3)
            count = max(count - 1 - children, 1)
            accelerated = rng.random() < accelerated_chance
            sequence += 1
            cause = self._finding(
                inspection,
                area.topic,
                kind=(
                    FindingKind.ACCELERATED_CAUSE_OF_CONCERN
                    if accelerated
                    else FindingKind.CAUSE_OF_CONCERN
                ),
                reference="Accelerated cause of concern" if accelerated else "Cause of concern 1",
                text=rng.choice(wording.WORDING[area.topic]["concerns"]),
                sequence=sequence,
                question_area=self.areas[framework_slug, area.slug],
                addressee_scope=AddresseeScope.FORCES,
                addressees=[force],
                themes=themes_for(area.topic),
                state=state,
            )
            leads = rng.sample(wording.DEADLINE_LEADS, children)
            for number, (deadline, lead) in enumerate(leads, start=1):
                due = _last_day(
                    *_add_months(published_on, rng.choice((3, 6, 9, 12))).timetuple()[:2]
                )
                month = f"{calendar.month_name[due.month]} {due.year}"
                date = f"{due.day} {calendar.month_name[due.month]} {due.year}"
                deadline_text = deadline.format(month=month, date=date)
                sequence += 1
                self._finding(
                    inspection,
                    area.topic,
                    kind=FindingKind.RECOMMENDATION,
                    parent=cause,
                    reference=f"Recommendation {number}",
                    text=lead.format(action=pick(area.topic, "actions"), month=month, date=date),
                    deadline_text=deadline_text,
                    sequence=sequence,
                    question_area=self.areas[framework_slug, area.slug],
                    addressee_scope=AddresseeScope.FORCES,
                    addressees=[force],
                    themes=themes_for(area.topic),
                    state=state,
                )

        chosen = rng.sample(graded, min(count, len(graded)))
        chosen += [rng.choice(graded) for _ in range(count - len(chosen))]
        chosen.sort(key=all_areas.index)
        for number, area in enumerate(chosen, start=1):
            lead = rng.choice(wording.AFI_LEADS)
            text = lead.format(
                how=pick(area.topic, "how") if "{how}" in lead else "",
                ensure=pick(area.topic, "ensure") if "{ensure}" in lead else "",
                action=pick(area.topic, "actions") if "{action}" in lead else "",
            )
            sequence += 1
            self._finding(
                inspection,
                area.topic,
                kind=FindingKind.AREA_FOR_IMPROVEMENT,
                reference=f"AFI {number}",
                text=text,
                sequence=sequence,
                question_area=self.areas[framework_slug, area.slug],
                addressee_scope=AddresseeScope.FORCES,
                addressees=[force],
                themes=themes_for(area.topic),
                state=state,
            )

    def load_thematics(self, thematics: Iterable[thematic_data.Thematic], kind: str) -> None:
        """National thematic inspections (findings to all forces and to national bodies), and
        joint inspections led by other inspectorates (findings to named forces)."""
        for item in thematics:
            if self._existing(item.title):
                continue
            rng = _rng(self.seed, "thematic", item.slug)
            if item.forces_in_scope:
                in_scope = [self.orgs[s] for s in item.forces_in_scope]
            else:  # the forces visited in fieldwork
                in_scope = rng.sample(self.forces, rng.randint(5, 8))
            inspection = self._make_inspection(
                states=(InspectionState.AWAITING_PUBLICATION, InspectionState.PUBLISHED),
                published_on=item.published_on,
                title=item.title,
                kind=kind,
                lead_inspectorate=self.orgs[item.lead],
                partner_inspectorates=[self.orgs[s] for s in item.partners],
                forces_in_scope=in_scope,
                fieldwork_start=item.fieldwork[0],
                fieldwork_end=item.fieldwork[1],
                report_url=item.report_url or f"{REPORT_BASE}{item.slug}/",
            )
            numbers: dict[str, int] = defaultdict(int)
            topic = next(
                (_THEME_TOPICS[t] for t in item.themes if t in _THEME_TOPICS), "leadership"
            )
            for sequence, data in enumerate(item.findings, start=1):
                numbers[data.kind] += 1
                label = "Recommendation" if data.kind == thematic_data.REC else "AFI"
                if data.to == thematic_data.ALL:
                    scope, addressees = AddresseeScope.ALL_FORCES, []
                else:
                    addressees = [self.orgs[s] for s in data.to]
                    scope = (
                        AddresseeScope.FORCES
                        if addressees[0].kind == OrganisationKind.FORCE
                        else AddresseeScope.NATIONAL_BODY
                    )
                self._finding(
                    inspection,
                    topic,
                    kind=data.kind,
                    reference=f"{label} {numbers[data.kind]}",
                    text=data.text,
                    deadline_text=data.deadline,
                    sequence=sequence,
                    addressee_scope=scope,
                    addressees=addressees,
                    themes=[self.themes[t] for t in (data.themes or item.themes)],
                    state=FindingState.PUBLISHED,
                )

    def load_current_inspections(self) -> None:
        """This cycle: a few PEEL inspections in fieldwork or awaiting publication (with draft
        findings, or findings out for the factual accuracy check), and some planned ones."""
        rng = _rng(self.seed, "current")
        framework = self.frameworks["peel-2025-27"]
        pinned = ["avon-and-somerset", "west-midlands"]
        others = [f.slug for f in org_data.TERRITORIAL_FORCES if f.slug not in pinned]
        rng.shuffle(others)
        active = pinned + others[:4]
        planned = others[4:9]
        # The first three are back from fieldwork with the force for fact-checking; the others
        # are in fieldwork, their findings still drafts.
        for index, slug in enumerate(active):
            force = self.orgs[slug]
            title = f"{framework.short_name}: An inspection of {force.name}"
            if self._existing(title):
                continue
            frng = _rng(self.seed, "peel-2025-27", slug)
            awaiting = index % 2 == 0 and index < 5
            if awaiting:
                end = self.today - datetime.timedelta(days=frng.randint(35, 75))
                states = (
                    InspectionState.PLANNED,
                    InspectionState.FIELDWORK,
                    InspectionState.AWAITING_PUBLICATION,
                )
            else:
                end = self.today + datetime.timedelta(days=frng.randint(3, 12))
                states = (InspectionState.PLANNED, InspectionState.FIELDWORK)
            start = end - datetime.timedelta(days=frng.randint(14, 21))
            inspection = self._make_inspection(
                states=states,
                title=title,
                programme=framework,
                kind=InspectionKind.FORCE,
                lead_inspectorate=self.orgs[org_data.POLICE_INSPECTORATE],
                forces_in_scope=[force],
                fieldwork_start=start,
                fieldwork_end=end,
            )
            self._force_findings(
                inspection,
                "peel-2025-27",
                force,
                frng,
                state=FindingState.FACT_CHECK if awaiting else FindingState.DRAFT,
                count=frng.randint(3, 5),
                concern=awaiting and frng.random() < 0.4,
            )
        for slug in planned:
            force = self.orgs[slug]
            title = f"{framework.short_name}: An inspection of {force.name}"
            if self._existing(title):
                continue
            frng = _rng(self.seed, "peel-2025-27", slug)
            start = self.today + datetime.timedelta(days=frng.randint(30, 160))
            self._make_inspection(
                states=(InspectionState.PLANNED,),
                title=title,
                programme=framework,
                kind=InspectionKind.FORCE,
                lead_inspectorate=self.orgs[org_data.POLICE_INSPECTORATE],
                forces_in_scope=[force],
                fieldwork_start=start,
                fieldwork_end=start + datetime.timedelta(days=frng.randint(14, 21)),
            )
        title = "An inspection of how well the police respond to people in mental health crisis"
        if not self._existing(title):
            start = self.today + datetime.timedelta(days=rng.randint(45, 90))
            self._make_inspection(
                states=(InspectionState.PLANNED,),
                title=title,
                kind=InspectionKind.THEMATIC,
                lead_inspectorate=self.orgs[org_data.POLICE_INSPECTORATE],
                forces_in_scope=rng.sample(self.forces, 6),
                fieldwork_start=start,
                fieldwork_end=start + datetime.timedelta(days=120),
            )

    # -- progress -------------------------------------------------------------------------

    def load_progress(self) -> int:
        """Give the responses to the new published findings a realistic spread of progress."""
        published = {
            item.finding.pk: item
            for item in self.new_findings
            if item.finding.state == FindingState.PUBLISHED
        }
        responses = (
            Response.objects.filter(finding_id__in=published)
            .select_related("finding", "finding__inspection", "organisation")
            .order_by("finding_id", "organisation__slug")
        )
        changed = 0
        for response in responses:
            if self._progress(response, published[response.finding_id].topic):
                changed += 1
        return changed

    def _final_state(self, rng: random.Random, age_days: int, later_cycle: bool) -> str:
        """Where a response has got to, by the age of its report. Findings of a cycle that a
        later one has re-inspected are sometimes superseded."""
        roll = rng.random()
        if age_days > 1000:
            table = [
                (0.68 if later_cycle else 0.80, ResponseState.COMPLETED),
                (0.12 if later_cycle else 0.0, ResponseState.SUPERSEDED),
                (0.0 if later_cycle else 0.03, ResponseState.CLOSED_NOT_IMPLEMENTED),
                (0.06, ResponseState.PENDING_SIGN_OFF),
            ]
        elif age_days > 540:
            table = [
                (0.45, ResponseState.COMPLETED),
                (0.17, ResponseState.PENDING_SIGN_OFF),
                (0.05, ResponseState.AWAITING_ALLOCATION),
            ]
        else:
            table = [
                (0.12, ResponseState.COMPLETED),
                (0.15, ResponseState.PENDING_SIGN_OFF),
                (0.20, ResponseState.AWAITING_ALLOCATION),
            ]
        for share, state in table:
            if roll < share:
                return state
            roll -= share
        return ResponseState.IN_PROGRESS

    def _change(self, response: Response, *, actor, note: str, **changes: Any) -> None:
        """One change to a response, with its audit event, as the progress services will."""
        with transaction.atomic():
            before = snapshot(response)
            for name, value in changes.items():
                setattr(response, name, value)
            response.version += 1
            response.save()
            record_update(response, before, actor=actor, note=note)

    def _progress(self, response: Response, topic: str) -> bool:
        finding = response.finding
        inspection = finding.inspection
        org = response.organisation
        published_on = inspection.published_on
        rng = _rng(self.seed, "progress", inspection.title, finding.sequence, org.slug)
        age = (self.today - published_on).days
        if age < 0:
            return False
        superseded_since = inspection.programme_id == self.frameworks["peel-2021-22"].pk
        final = self._final_state(rng, age, superseded_since)
        if final == ResponseState.AWAITING_ALLOCATION:
            return False

        is_force = org.kind == OrganisationKind.FORCE
        people = self.people.get(org.pk) if is_force else None
        owner = lead = board = None
        actor: User = self.inspector
        if people and people.leads:
            owner = rng.choice(people.chiefs) if people.chiefs else None
            lead = rng.choice(people.leads)
            actor = lead
            names = [b for b in people_data.TOPIC_BOARDS.get(topic, ()) if b in people.boards]
            board = (
                people.boards[rng.choice(names)]
                if names
                else rng.choice(list(people.boards.values()))
            )

        # Allocation, a few weeks after publication; the force sets its own target date when
        # the finding has no deadline.
        step = published_on + datetime.timedelta(days=rng.randint(10, 45))
        target = response.target_date or _add_months(published_on, rng.choice((6, 9, 12, 18)))
        # About a third of the open responses have let their target date pass.
        overdue = final == ResponseState.IN_PROGRESS and rng.random() < 0.35
        if overdue and response.target_date is None and target >= self.today:
            target = max(
                step + datetime.timedelta(days=60),
                self.today - datetime.timedelta(days=rng.randint(7, 120)),
            )
        self._change(
            response,
            actor=actor,
            note=f"Allocated to {board}" if board else "Progress recorded from the response",
            state=ResponseState.IN_PROGRESS,
            state_changed_at=_at(min(step, self.today), rng),
            owner=owner,
            tactical_lead=lead,
            governance_board=board,
            target_date=target,
            rag=RAG.GREEN if rng.random() < 0.7 else RAG.AMBER,
        )
        remaining = max((self.today - step).days, 1)

        if final == ResponseState.IN_PROGRESS:
            if target < self.today and overdue:
                self._change(
                    response,
                    actor=actor,
                    note="Rated red: the target date has passed and the work is not finished",
                    rag=RAG.RED,
                )
            elif target < self.today:
                revised = self.today + datetime.timedelta(days=rng.randint(20, 240))
                self._change(
                    response,
                    actor=actor,
                    note=rng.choice(
                        (
                            "Target date revised: the new IT system went live later than planned",
                            "Target date revised: awaiting the national guidance",
                            "Target date revised: the review found more work than expected",
                            "Target date revised: agreed at the board after a change of lead",
                        )
                    ),
                    target_date=revised,
                    rag=RAG.AMBER,
                )
            return True

        if final == ResponseState.SUPERSEDED:
            when = step + datetime.timedelta(days=rng.randint(remaining // 2, remaining))
            self._change(
                response,
                actor=self.inspector,
                note="Superseded: the ground is covered by a finding of a later inspection",
                state=ResponseState.SUPERSEDED,
                state_changed_at=_at(min(when, self.today), rng),
            )
            return True

        if final == ResponseState.CLOSED_NOT_IMPLEMENTED:
            when = step + datetime.timedelta(days=rng.randint(remaining // 3, remaining))
            self._change(
                response,
                actor=self.inspector,
                note="Closed: the force accepted the risk and will not implement it",
                state=ResponseState.CLOSED_NOT_IMPLEMENTED,
                state_changed_at=_at(min(when, self.today), rng),
            )
            return True

        # Pending sign-off (proposed recently, awaiting the inspectorate), or signed off.
        if final == ResponseState.PENDING_SIGN_OFF:
            proposed = max(step, self.today - datetime.timedelta(days=rng.randint(3, 75)))
        else:
            proposed = step + datetime.timedelta(
                days=rng.randint(remaining // 4, max(remaining // 2, 1))
            )
        self._change(
            response,
            actor=actor,
            note="Closure proposed with evidence",
            state=ResponseState.PENDING_SIGN_OFF,
            rag=RAG.GREEN,
            state_changed_at=_at(min(proposed, self.today), rng),
        )
        if final == ResponseState.COMPLETED:
            signed = proposed + datetime.timedelta(days=rng.randint(14, 90))
            self._change(
                response,
                actor=self.inspector,
                note="Closure signed off",
                state=ResponseState.COMPLETED,
                state_changed_at=_at(min(signed, self.today), rng),
            )
        return True
