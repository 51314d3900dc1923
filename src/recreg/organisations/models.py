"""Organisations: the inspectorates, police forces, PCC offices and national bodies."""

from __future__ import annotations

from django.db import models


class Region(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    INSPECTORATE = "inspectorate", "Inspectorate"
    FORCE = "force", "Police force"
    PCC_OFFICE = "pcc_office", "PCC office"
    NATIONAL_BODY = "national_body", "National body"


class ForceType(models.TextChoices):
    TERRITORIAL = "territorial", "Territorial force"
    NATIONAL = "national", "National force"


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def forces(self) -> OrganisationQuerySet:
        return self.filter(kind=OrganisationKind.FORCE)

    def territorial_forces(self) -> OrganisationQuerySet:
        return self.filter(kind=OrganisationKind.FORCE, force_type=ForceType.TERRITORIAL)

    def inspectorates(self) -> OrganisationQuerySet:
        return self.filter(kind=OrganisationKind.INSPECTORATE)

    def national_bodies(self) -> OrganisationQuerySet:
        return self.filter(kind=OrganisationKind.NATIONAL_BODY)


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60, blank=True)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    force_type = models.CharField(max_length=20, choices=ForceType.choices, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="organisations"
    )
    # A PCC office is linked to the force it holds to account.
    force = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="oversight_bodies",
        limit_choices_to={"kind": OrganisationKind.FORCE},
    )
    website = models.URLField(blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def is_force(self) -> bool:
        return self.kind == OrganisationKind.FORCE
