"""An append-only log of security-relevant events."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models

from scorecard.models import triggers


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("The audit log cannot be edited.")

    def delete(self):
        raise PermissionDenied("The audit log cannot be edited.")

    def for_organisation(self, organisation):
        return self.filter(organisation=organisation)


class AuditEvent(models.Model):
    organisation = models.ForeignKey(
        "assessments.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_email = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=60, db_index=True)
    target_type = models.CharField(max_length=60, blank=True)
    # Indexed: an object's history is looked up by its id.
    target_id = models.CharField(max_length=64, blank=True, db_index=True)
    summary = models.CharField(max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_email or '-'} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("The audit log cannot be edited.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("The audit log cannot be edited.")


# Below the ORM: events are only ever added. Deleting a user nulls `actor` (the e-mail
# stays in `actor_email`); that is the one update an event still takes.
triggers.protect(
    triggers.Rule(
        name="audit_append_only",
        message="the audit log is append-only: events cannot be changed or deleted",
        locked="1 = 1",
        insert=False,
        check_new_on_update=False,
        allow_update=triggers.only_set_null,
    ),
    AuditEvent,
)
