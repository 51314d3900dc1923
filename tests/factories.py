"""factory_boy factories for the register's records."""

from __future__ import annotations

import datetime

import factory
from django.utils.text import slugify

from recreg.accounts.models import User
from recreg.accounts.roles import Role
from recreg.findings.models import Finding, FindingKind, FindingState, Theme
from recreg.frameworks.models import Framework, GradeScale, QuestionArea
from recreg.inspections.models import Inspection, InspectionKind, InspectionState
from recreg.organisations.models import ForceType, Organisation, OrganisationKind, Region


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = OrganisationKind.NATIONAL_BODY


class ForceFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Shire {n} Police")
    kind = OrganisationKind.FORCE
    force_type = ForceType.TERRITORIAL
    region = factory.SubFactory(RegionFactory, name="South West", slug="south-west")


class InspectorateFactory(OrganisationFactory):
    name = "HM Inspectorate of Constabulary and Fire & Rescue Services"
    short_name = "HMICFRS"
    slug = "hmicfrs"
    kind = OrganisationKind.INSPECTORATE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    role = Role.FORCE_READER
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):  # noqa: N805
        # The password is set after the first save, so save again to keep it.
        if create:
            obj.save()


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework
        django_get_or_create = ("slug",)

    name = "PEEL 2023–25"
    short_name = "PEEL 2023–25"
    slug = "peel-2023-25"
    start_year = 2023
    end_year = 2025
    grade_scale = GradeScale.FIVE_POINT


class QuestionAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionArea
        django_get_or_create = ("framework", "slug")

    framework = factory.SubFactory(FrameworkFactory)
    name = factory.Sequence(lambda n: f"Question area {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    order = factory.Sequence(lambda n: n)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    title = factory.Sequence(lambda n: f"PEEL inspection {n}")
    kind = InspectionKind.FORCE
    lead_inspectorate = factory.SubFactory(InspectorateFactory)
    state = InspectionState.PUBLISHED
    published_on = datetime.date(2024, 3, 14)


class FindingFactory(factory.django.DjangoModelFactory):
    """A bare finding row, without responses: use the services to create real ones."""

    class Meta:
        model = Finding

    inspection = factory.SubFactory(InspectionFactory)
    kind = FindingKind.AREA_FOR_IMPROVEMENT
    text = factory.Sequence(lambda n: f"The force should improve thing {n}.")
    state = FindingState.PUBLISHED
