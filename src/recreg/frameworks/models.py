"""Assessment frameworks (PEEL and its successors) with their pillars and question areas.

Frameworks change from year to year, so they are data, not code.
"""

from __future__ import annotations

from django.db import models


class GradeScale(models.TextChoices):
    FOUR_POINT = "four_point", "Four-point (Outstanding to Inadequate)"
    FIVE_POINT = "five_point", "Five-point (with Adequate)"
    UNGRADED = "ungraded", "Not graded"


class Framework(models.Model):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=60, unique=True)
    start_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField()
    grade_scale = models.CharField(max_length=20, choices=GradeScale.choices)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["start_year", "name"]

    def __str__(self) -> str:
        return self.name


class Pillar(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="pillars")
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)
    graded = models.BooleanField(default=True)

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "name"], name="pillar_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class QuestionArea(models.Model):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="question_areas"
    )
    pillar = models.ForeignKey(
        Pillar, on_delete=models.CASCADE, null=True, blank=True, related_name="question_areas"
    )
    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)
    graded = models.BooleanField(default=True)

    class Meta:
        ordering = ["framework__start_year", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "slug"], name="area_unique_slug")
        ]

    def __str__(self) -> str:
        return self.name
