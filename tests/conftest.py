"""Named personas and a small register that every access test reads.

The personas: an inspector (inspectorate editor), an inspectorate reader, a force editor of
force A, a force reader of force B, a PCC officer (force A's PCC), a national reader, and the
anonymous public.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from recreg.accounts import twofactor
from recreg.accounts.roles import Role
from recreg.findings import services as finding_services
from recreg.findings.models import AddresseeScope, FindingKind, FindingState
from recreg.inspections.models import InspectionKind, InspectionState
from recreg.organisations.models import OrganisationKind
from tests.factories import (
    ForceFactory,
    FrameworkFactory,
    InspectionFactory,
    InspectorateFactory,
    OrganisationFactory,
    QuestionAreaFactory,
    ThemeFactory,
    UserFactory,
)

PASSWORD = "correct horse battery"


@dataclass
class World:
    """The organisations, people and records of the small test register."""

    hmicfrs: object
    probation: object
    force_a: object
    force_b: object
    pcc_a: object
    home_office: object
    inspector: object
    inspectorate_reader: object
    force_a_editor: object
    force_b_reader: object
    pcc_officer: object
    national_reader: object
    area: object
    theme: object
    inspection_a: object
    inspection_b: object
    thematic: object
    joint: object
    draft_inspection: object
    # Findings, by what makes each interesting to access rules.
    published_a: object  # published, to force A: public
    published_b: object  # published, to force B: public
    fact_check_a: object  # in factual accuracy check, to force A: A and its PCC only
    fact_check_b: object  # in factual accuracy check, to force B: B only
    draft_a: object  # draft, to force A: inspectorate only
    national_all: object  # published, to all forces: public, fanned out
    national_body: object  # published, to a national body: not public
    joint_a: object  # published, led by another inspectorate, to force A: not public


@pytest.fixture
def world(db) -> World:
    """Build the small register through the services, as real users would."""
    hmicfrs = InspectorateFactory()
    probation = OrganisationFactory(
        name="HM Inspectorate of Probation",
        slug="hmi-probation",
        kind=OrganisationKind.INSPECTORATE,
    )
    force_a = ForceFactory(name="Avon Test Police", slug="force-a")
    force_b = ForceFactory(name="Borset Test Police", slug="force-b")
    pcc_a = OrganisationFactory(
        name="Office of the PCC for Avon Test",
        slug="pcc-a",
        kind=OrganisationKind.PCC_OFFICE,
        force=force_a,
    )
    home_office = OrganisationFactory(name="Home Office", slug="home-office")
    inspector = UserFactory(
        email="inspector@hmicfrs.test",
        full_name="Ines Inspector",
        role=Role.INSPECTORATE_EDITOR,
        organisation=hmicfrs,
    )
    inspectorate_reader = UserFactory(
        email="reader@hmicfrs.test",
        full_name="Rhys Reader",
        role=Role.INSPECTORATE_READER,
        organisation=hmicfrs,
    )
    force_a_editor = UserFactory(
        email="editor@force-a.test",
        full_name="Edith Editor",
        role=Role.FORCE_EDITOR,
        organisation=force_a,
    )
    force_b_reader = UserFactory(
        email="reader@force-b.test",
        full_name="Bea Reader",
        role=Role.FORCE_READER,
        organisation=force_b,
    )
    pcc_officer = UserFactory(
        email="officer@pcc-a.test",
        full_name="Priya Officer",
        role=Role.PCC_OFFICER,
        organisation=pcc_a,
    )
    national_reader = UserFactory(
        email="reader@homeoffice.test",
        full_name="Nadia National",
        role=Role.NATIONAL_READER,
        organisation=home_office,
    )
    framework = FrameworkFactory()
    area = QuestionAreaFactory(framework=framework, name="Protecting vulnerable people")
    theme = ThemeFactory(name="Vetting")

    inspection_a = InspectionFactory(title="PEEL 2023–25: Avon Test Police", programme=framework)
    inspection_a.forces_in_scope.set([force_a])
    inspection_b = InspectionFactory(title="PEEL 2023–25: Borset Test Police", programme=framework)
    inspection_b.forces_in_scope.set([force_b])
    thematic = InspectionFactory(
        title="Vetting, misconduct and misogyny", kind=InspectionKind.THEMATIC
    )
    joint = InspectionFactory(
        title="Out-of-court disposals by youth offending teams",
        kind=InspectionKind.JOINT,
        lead_inspectorate=probation,
    )
    draft_inspection = InspectionFactory(
        title="Unpublished inspection of Avon Test Police",
        state=InspectionState.AWAITING_PUBLICATION,
        published_on=None,
    )
    draft_inspection.forces_in_scope.set([force_a])

    def make(
        inspection,
        text,
        scope=AddresseeScope.FORCES,
        to=(),
        state=FindingState.PUBLISHED,
        kind=FindingKind.AREA_FOR_IMPROVEMENT,
        deadline="",
    ):
        return finding_services.create_finding(
            actor=inspector,
            inspection=inspection,
            kind=kind,
            text=text,
            addressee_scope=scope,
            addressees=list(to),
            state=state,
            deadline_text=deadline,
            question_area=area if inspection.programme_id else None,
            themes=[theme],
        )

    return World(
        hmicfrs=hmicfrs,
        probation=probation,
        force_a=force_a,
        force_b=force_b,
        pcc_a=pcc_a,
        home_office=home_office,
        inspector=inspector,
        inspectorate_reader=inspectorate_reader,
        force_a_editor=force_a_editor,
        force_b_reader=force_b_reader,
        pcc_officer=pcc_officer,
        national_reader=national_reader,
        area=area,
        theme=theme,
        inspection_a=inspection_a,
        inspection_b=inspection_b,
        thematic=thematic,
        joint=joint,
        draft_inspection=draft_inspection,
        published_a=make(
            inspection_a,
            "The force should improve how it safeguards children.",
            to=[force_a],
            deadline="within six months",
        ),
        published_b=make(
            inspection_b, "The force should improve how it answers 999 calls.", to=[force_b]
        ),
        fact_check_a=make(
            draft_inspection,
            "The force should review its custody suite staffing.",
            to=[force_a],
            state=FindingState.FACT_CHECK,
        ),
        fact_check_b=make(
            inspection_b,
            "The force should check its stop and search records.",
            to=[force_b],
            state=FindingState.FACT_CHECK,
        ),
        draft_a=make(
            draft_inspection,
            "The force should rebuild its vetting unit.",
            to=[force_a],
            state=FindingState.DRAFT,
        ),
        national_all=make(
            thematic,
            "By March 2024, all forces should vet every officer again.",
            scope=AddresseeScope.ALL_FORCES,
            kind=FindingKind.RECOMMENDATION,
            deadline="by March 2024",
        ),
        national_body=make(
            thematic,
            "The Home Office should change the vetting regulations.",
            scope=AddresseeScope.NATIONAL_BODY,
            to=[home_office],
            kind=FindingKind.RECOMMENDATION,
        ),
        joint_a=make(
            joint,
            "Chief constables should review out-of-court disposals for children.",
            to=[force_a],
            kind=FindingKind.RECOMMENDATION,
        ),
    )


PERSONAS = (
    "inspector",
    "inspectorate_reader",
    "force_a_editor",
    "force_b_reader",
    "pcc_officer",
    "national_reader",
    "anonymous",
)


def user_of(world: World, persona: str):
    """The persona's user, or None for the anonymous public."""
    return None if persona == "anonymous" else getattr(world, persona)


def client_for(world: World, persona: str) -> Client:
    """A test client signed in as that persona (or anonymous)."""
    client = Client()
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    return client


@pytest.fixture(autouse=True)
def _force_login_is_a_full_sign_in(monkeypatch):
    # A test that signs a client in with force_login (client_for included) stands for a person
    # past both steps of signing in; tests of the second step sign in through the pages.
    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        session[twofactor.SESSION_KEY] = twofactor.VERIFIED
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


# Fixtures through which a test reaches the database.
DATABASE_FIXTURES = ("_django_db_helper", "db", "transactional_db", "live_server")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    # Whatever a test did to responses and findings (services, factories, bulk paths, raw SQL),
    # the counts the database keeps for the force overview still match them: every test that
    # uses the database is also a test of the triggers (recreg.findings.models.ResponseCount).
    result = yield
    uses_database = item.get_closest_marker("django_db") or any(
        name in item.fixturenames for name in DATABASE_FIXTURES
    )
    # A test of a console script ends with the connection its command closed: nothing to ask.
    if uses_database and (connection.connection is None or connection.is_usable()):
        from recreg.findings.counts import count_drift

        drift = count_drift()
        assert not drift, f"kept response counts differ from the responses: {drift}"
    return result


@pytest.fixture
def today() -> datetime.date:
    return datetime.date.today()


@pytest.fixture(autouse=True)
def _nothing_kept_from_another_test():
    # What a process keeps between requests (the filters' choices) came from another test's
    # database.
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Hashing passwords properly is slow by design; the tests sign in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Production serves hashed, compressed files gathered by collectstatic; tests read the
    # source files directly so they need no collectstatic step.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _files_in_a_temporary_store(settings, tmp_path):
    # Uploaded evidence and reports go to a folder of the test's own, never the data folder.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }


# One browser for the whole run, shared by every folder's browser tests.
from tests.browser_support import browser, ui  # noqa: E402, F401
