"""What is held while findings are brought in: an uploaded report's extraction awaiting
review, and the external references that make bulk imports idempotent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class BatchState(models.TextChoices):
    REVIEW = "review", "Awaiting review"
    CONFIRMED = "confirmed", "Confirmed"
    DISCARDED = "discarded", "Discarded"


class ImportBatch(models.Model):
    """One uploaded report and the findings extracted from it. Nothing enters the register
    until the batch is confirmed; until then the items live here, as JSON."""

    inspection = models.ForeignKey(
        "inspections.Inspection", on_delete=models.PROTECT, related_name="import_batches"
    )
    # Whose batch this is: the inspectorate, or the force or PCC office importing into its own
    # tracking. Only that organisation's people (and the inspectorate) see it.
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="import_batches"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_batches"
    )
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    format = models.CharField(max_length=20)
    pages = models.PositiveIntegerField(null=True, blank=True)
    items = models.JSONField(default=list)
    grades = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=12, choices=BatchState.choices, default=BatchState.REVIEW)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="confirmed_import_batches",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "state"])]

    def __str__(self) -> str:
        return f"{self.filename} for {self.inspection}"

    def get_absolute_url(self) -> str:
        return reverse("intake:review", args=[self.pk])


class ExternalReference(models.Model):
    """A stable reference from a spreadsheet row to the record it created, so importing the
    same sheet again updates that record instead of adding another."""

    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=200)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="external_reference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} → {self.object_id}"
