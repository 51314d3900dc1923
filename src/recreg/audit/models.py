"""The audit trail: one event per create, change or delete of a domain record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditAction(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def for_object(self, instance: models.Model) -> AuditEventQuerySet:
        """Events about one record, oldest first."""
        return self.filter(model=instance._meta.label_lower, object_id=str(instance.pk)).order_by(
            "at", "id"
        )

    def update(self, **kwargs):  # noqa: D102
        raise PermissionError("Audit events are never changed")

    def delete(self):  # noqa: D102
        raise PermissionError("Audit events are never deleted")


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    # Kept as text as well, so the trail still reads right if a name changes.
    actor_label = models.CharField(max_length=300)
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    model = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    # {"field": [old, new], ...}; for a create, old is None; for a delete, new is None.
    changes = models.JSONField(default=dict)
    note = models.CharField(max_length=300, blank=True)

    # The tamper-evident chain: the event's place in the trail, the hash of the event before it
    # and its own hash over both and its content (see recreg.audit.chain).
    seq = models.BigIntegerField(unique=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are never deleted")


class AuditChainHead(models.Model):
    """The one row that holds the end of the chain; locking it serialises appends."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="")

    def __str__(self) -> str:
        return f"audit chain head at {self.seq}"
