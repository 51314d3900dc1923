"""The demo register: what `load_demo` creates, that loading it again changes nothing, and the
`demo` command's sign-in block.

The demo is loaded once for the module, inside a transaction that is rolled back at the end, so
other test modules never see it. Each test runs in its own savepoint on top of it.
"""

from __future__ import annotations

import io
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from recreg.accounts.models import User
from recreg.accounts.roles import Role
from recreg.audit.models import AuditEvent
from recreg.demo.data import frameworks as framework_data
from recreg.demo.data import organisations as org_data
from recreg.demo.loader import DEMO_LOGINS, DEMO_PASSWORD, load_demo
from recreg.findings.models import (
    CONCERN_KINDS,
    AddresseeScope,
    Finding,
    FindingKind,
    FindingState,
    Response,
    ResponseState,
)
from recreg.frameworks.models import Framework, GradeScale
from recreg.inspections.models import Inspection, InspectionKind, InspectionState
from recreg.organisations.models import ForceType, Organisation, OrganisationKind, Region

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once for this module; roll it back afterwards."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        try:
            yield load_demo(seed=2026)
        finally:
            transaction.set_rollback(True)


def _all_counts() -> dict[str, int]:
    """The number of rows of every model (that has its table yet)."""
    tables = set(connection.introspection.table_names())
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.db_table in tables
    }


# -- the data modules, without a database -------------------------------------------------


def test_data_has_the_43_forces_in_the_10_regions():
    forces = org_data.TERRITORIAL_FORCES
    assert len(forces) == 43
    assert len({f.slug for f in forces}) == 43
    assert len({f.name for f in forces}) == 43
    assert len({f.oversight for f in forces}) == 43
    regions = {slug for slug, _ in org_data.REGIONS}
    assert len(regions) == 10
    assert {f.region for f in forces} == regions
    slugs = [f.slug for f in forces] + [b.slug for b in org_data.INSPECTORATES]
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) for s in slugs)


def test_data_frameworks_grade_on_the_right_scale():
    scales = {f.slug: f.grade_scale for f in framework_data.FRAMEWORKS}
    assert scales == {
        "peel-2014": GradeScale.FOUR_POINT,
        "peel-2015": GradeScale.FOUR_POINT,
        "peel-2016": GradeScale.FOUR_POINT,
        "peel-2017": GradeScale.FOUR_POINT,
        "ipa-2018-19": GradeScale.FOUR_POINT,
        "peel-2021-22": GradeScale.FIVE_POINT,
        "peel-2023-25": GradeScale.FIVE_POINT,
        "peel-2025-27": GradeScale.FIVE_POINT,
    }


# -- what load_demo creates -----------------------------------------------------------------


@pytest.mark.django_db
def test_every_territorial_force_has_its_oversight_body(demo):
    forces = Organisation.objects.territorial_forces()
    assert forces.count() == 43
    assert Region.objects.count() == 10
    for force in forces.prefetch_related("oversight_bodies"):
        assert force.region_id is not None
        bodies = [b for b in force.oversight_bodies.all() if b.kind == OrganisationKind.PCC_OFFICE]
        assert len(bodies) == 1, force
        assert bodies[0].slug == f"pcc-{force.slug}"
    assert Organisation.objects.filter(kind=OrganisationKind.PCC_OFFICE).count() == 43
    met = Organisation.objects.get(slug="pcc-metropolitan")
    assert met.name == "Mayor's Office for Policing and Crime"


@pytest.mark.django_db
def test_national_forces_inspectorates_and_bodies(demo):
    national = Organisation.objects.filter(force_type=ForceType.NATIONAL)
    assert set(national.values_list("slug", flat=True)) == {
        "british-transport-police",
        "civil-nuclear-constabulary",
        "ministry-of-defence-police",
    }
    hmicfrs = Organisation.objects.get(slug=settings.POLICE_INSPECTORATE_SLUG)
    assert hmicfrs.slug == "hmicfrs"
    assert hmicfrs.kind == OrganisationKind.INSPECTORATE
    assert hmicfrs.short_name == "HMICFRS"
    assert Organisation.objects.inspectorates().count() == 6
    assert {"home-office", "college-of-policing", "npcc", "nca", "iopc"} <= set(
        Organisation.objects.national_bodies().values_list("slug", flat=True)
    )


@pytest.mark.django_db
def test_frameworks_have_their_grade_scales_and_areas(demo):
    frameworks = {f.slug: f for f in Framework.objects.all()}
    assert len(frameworks) == 8
    for framework in frameworks.values():
        expected = GradeScale.FIVE_POINT if framework.start_year >= 2021 else GradeScale.FOUR_POINT
        assert framework.grade_scale == expected, framework
    ipa = frameworks["ipa-2018-19"]
    assert ipa.question_areas.count() == 10
    assert ipa.question_areas.filter(graded=True).count() == 9
    assert [p.name for p in ipa.pillars.all()] == ["Effectiveness", "Efficiency", "Legitimacy"]
    assert frameworks["peel-2016"].pillars.get(name="Leadership").graded is False
    assert frameworks["peel-2023-25"].question_areas.filter(graded=True).count() == 9


@pytest.mark.django_db
def test_hundreds_of_findings_for_every_force(demo):
    assert Finding.objects.count() >= 300
    for force in Organisation.objects.territorial_forces():
        titles = set(
            Inspection.objects.filter(
                forces_in_scope=force, state=InspectionState.PUBLISHED
            ).values_list("title", flat=True)
        )
        assert f"PEEL 2021/22: An inspection of {force.name}" in titles
        assert f"PEEL 2023–25: An inspection of {force.name}" in titles
        assert Finding.objects.addressed_to([force.pk]).count() >= 6
    # Causes of concern come with their recommendations.
    concerns = Finding.objects.filter(kind__in=CONCERN_KINDS)
    assert concerns.exists()
    for concern in concerns:
        assert concern.children.filter(kind=FindingKind.RECOMMENDATION).exists()
    # Force inspection findings belong to a question area of their framework.
    peel = Finding.objects.filter(inspection__kind=InspectionKind.FORCE)
    assert not peel.filter(question_area__isnull=True).exists()
    # The wording varies.
    texts = list(peel.values_list("text", flat=True))
    assert len(set(texts)) > len(texts) / 3


@pytest.mark.django_db
def test_all_forces_findings_fan_out_to_every_territorial_force(demo):
    national = Finding.objects.filter(addressee_scope=AddresseeScope.ALL_FORCES)
    assert national.count() >= 10
    forces = set(Organisation.objects.territorial_forces().values_list("pk", flat=True))
    for finding in national:
        assert set(finding.responses.values_list("organisation_id", flat=True)) == forces
        assert finding.responses.count() == 43
    assert Finding.objects.filter(addressee_scope=AddresseeScope.NATIONAL_BODY).exists()


@pytest.mark.django_db
def test_joint_inspections_stay_out_of_the_public_register(demo):
    joint = Finding.objects.filter(inspection__kind=InspectionKind.JOINT)
    assert joint.exists()
    assert not joint.public().exists()
    assert Finding.objects.public().count() > 300


@pytest.mark.django_db
def test_unpublished_inspections_and_the_factual_accuracy_check(demo):
    assert Inspection.objects.filter(state=InspectionState.PLANNED).exists()
    assert Inspection.objects.filter(state=InspectionState.FIELDWORK).exists()
    awaiting = Inspection.objects.filter(state=InspectionState.AWAITING_PUBLICATION)
    assert awaiting.exists()
    assert Finding.objects.filter(inspection__in=awaiting, state=FindingState.FACT_CHECK).exists()
    assert Finding.objects.filter(state=FindingState.DRAFT).exists()
    # The demo force editor's force has findings out for the factual accuracy check.
    assert (
        Finding.objects.filter(state=FindingState.FACT_CHECK)
        .addressed_to([Organisation.objects.get(slug="avon-and-somerset").pk])
        .exists()
    )


@pytest.mark.django_db
def test_progress_has_a_realistic_spread(demo, today):
    states = set(Response.objects.values_list("state", flat=True))
    assert {
        ResponseState.AWAITING_ALLOCATION,
        ResponseState.IN_PROGRESS,
        ResponseState.PENDING_SIGN_OFF,
        ResponseState.COMPLETED,
        ResponseState.SUPERSEDED,
    } <= states
    assert Response.objects.overdue(today).exists()
    assert Response.objects.open().filter(target_date__gt=today).exists()
    # Older findings are mostly closed; recent ones mostly open.
    old = Response.objects.filter(finding__inspection__published_on__year__lte=2022)
    assert old.filter(state=ResponseState.COMPLETED).count() > old.count() / 2
    recent = Response.objects.filter(finding__inspection__published_on__year__gte=2025)
    assert recent.open().count() > recent.count() / 2
    # Force responses have owners, leads and boards of their own force.
    allocated = Response.objects.filter(
        organisation__kind=OrganisationKind.FORCE, owner__isnull=False
    ).select_related("owner", "tactical_lead", "governance_board")
    assert allocated.count() > 500
    for response in allocated[:200]:
        assert response.owner.organisation_id == response.organisation_id
        assert response.tactical_lead.organisation_id == response.organisation_id
        assert response.governance_board.organisation_id == response.organisation_id
    # Each change is audited.
    changed = Response.objects.filter(version__gt=1).first()
    events = AuditEvent.objects.for_object(changed)
    assert events.filter(action="update").count() == changed.version - 1


@pytest.mark.django_db
def test_one_login_per_role_that_signs_in(demo):
    assert {login.role for login in DEMO_LOGINS} == set(Role.values)
    for login in DEMO_LOGINS:
        user = User.objects.get(email=login.email)
        assert user.role == login.role
        assert user.organisation is not None
        assert authenticate(None, username=login.email, password=DEMO_PASSWORD) == user
        assert authenticate(None, username=login.email, password="wrong") is None
    force_editor = User.objects.get(email="force.editor@demo.recreg")
    assert force_editor.organisation.slug == "avon-and-somerset"
    assert User.objects.get(email="pcc.officer@demo.recreg").organisation.force == (
        force_editor.organisation
    )
    # The invented force staff cannot sign in.
    staff = User.objects.filter(email__endswith=".demo.recreg").exclude(
        email__in=[login.email for login in DEMO_LOGINS]
    )
    assert staff.count() >= 2 * 43
    assert not any(user.has_usable_password() for user in staff)


@pytest.mark.django_db
def test_loading_twice_changes_nothing(demo):
    before = _all_counts()
    summary = load_demo(seed=2026)
    assert _all_counts() == before
    assert all(added == 0 for added in summary.created.values())


@pytest.mark.django_db
def test_demo_command_prints_every_login(demo, tmp_path):
    before = _all_counts()
    out = io.StringIO()
    with override_settings(STATIC_ROOT=tmp_path / "static"):
        call_command("demo", "--no-serve", "--port", "8123", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8123/" in text
    for login in DEMO_LOGINS:
        line = next(line for line in text.splitlines() if login.email in line)
        assert Role(login.role).label in line
        assert DEMO_PASSWORD in line
    assert "public" in text
    assert "Two-factor sign-in is optional in the demo" in text
    assert _all_counts() == before


def test_demo_says_when_two_factor_is_required(monkeypatch):
    from recreg.demo.management.commands.demo import demo_requires_2fa, sign_in_block

    monkeypatch.setenv("RECREG_REQUIRE_2FA", "on")
    assert demo_requires_2fa()
    assert "required of editors" in "\n".join(sign_in_block("http://x/", True))
    monkeypatch.delenv("RECREG_REQUIRE_2FA")
    assert not demo_requires_2fa()


@pytest.mark.django_db
def test_load_demo_command_prints_a_summary(demo):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert re.search(r"findings\s+\d+\s+\(\+0\)", out.getvalue())
