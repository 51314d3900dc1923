"""Inspections: what was inspected, by whom, when, and the report that came of it."""

from __future__ import annotations

from django.db import models, transaction

from recreg.core.links import url_for_pk


class InspectionKind(models.TextChoices):
    FORCE = "force", "Force inspection"
    THEMATIC = "thematic", "National thematic"
    JOINT = "joint", "Joint inspection"


class InspectionState(models.TextChoices):
    PLANNED = "planned", "Planned"
    FIELDWORK = "fieldwork", "Fieldwork"
    AWAITING_PUBLICATION = "awaiting_publication", "Awaiting publication"
    PUBLISHED = "published", "Published"


class Inspection(models.Model):
    title = models.CharField(max_length=400)
    programme = models.ForeignKey(
        "frameworks.Framework",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        help_text="The assessment programme this inspection belongs to, if any.",
    )
    kind = models.CharField(max_length=20, choices=InspectionKind.choices)
    lead_inspectorate = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="led_inspections"
    )
    partner_inspectorates = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="partnered_inspections"
    )
    forces_in_scope = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="inspections_in_scope"
    )
    fieldwork_start = models.DateField(null=True, blank=True)
    fieldwork_end = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    report_url = models.URLField(max_length=500, blank=True)
    state = models.CharField(
        max_length=24, choices=InspectionState.choices, default=InspectionState.PLANNED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_on", "-fieldwork_start", "title"]
        indexes = [
            models.Index(fields=["state", "published_on"]),
            models.Index(fields=["lead_inspectorate", "state"]),
            # The register's default order (newest report first) walks this index.
            models.Index(fields=["-published_on", "id"], name="inspection_newest_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fieldwork_end__isnull=True)
                | models.Q(fieldwork_start__isnull=True)
                | models.Q(fieldwork_end__gte=models.F("fieldwork_start")),
                name="inspection_fieldwork_in_order",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="published") | models.Q(published_on__isnull=False),
                name="inspection_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        """Save; a changed lead inspectorate is copied to the inspection's findings, which keep
        it for the public register rule (recreg.findings.models.Finding.lead_inspectorate)."""
        adding = self._state.adding
        update_fields = kwargs.get("update_fields")
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            if not adding and (update_fields is None or "lead_inspectorate" in update_fields):
                self.findings.exclude(lead_inspectorate_id=self.lead_inspectorate_id).update(
                    lead_inspectorate_id=self.lead_inspectorate_id
                )

    def get_absolute_url(self) -> str:
        return url_for_pk("inspections:detail", self.pk)
