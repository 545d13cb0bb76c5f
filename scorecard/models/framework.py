"""A framework version and the guard that keeps published versions immutable."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from scorecard.models import triggers


class FrameworkStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class FrameworkLocked(ValidationError):
    """Raised when something tries to change a published or retired framework version."""

    def __init__(self, framework_label: str):
        super().__init__(
            f"{framework_label} is published and cannot be changed; "
            "create a new draft from this version instead.",
            code="framework_locked",
        )


class FrameworkQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=FrameworkStatus.PUBLISHED)

    def drafts(self):
        return self.filter(status=FrameworkStatus.DRAFT)

    def update(self, **kwargs):
        # Once a version is out, the one move left is published -> retired, status alone
        # (the trigger holds the same rule below the ORM).
        locked = self.exclude(status=FrameworkStatus.DRAFT)
        retiring = not set(kwargs) - {"status", "updated_at"} and (
            kwargs.get("status") == FrameworkStatus.RETIRED
        )
        if retiring:
            locked = locked.exclude(status=FrameworkStatus.PUBLISHED)
        locked = locked.first()
        if locked is not None:
            raise FrameworkLocked(str(locked))
        return super().update(**kwargs)

    def delete(self):
        locked = self.exclude(status=FrameworkStatus.DRAFT).first()
        if locked is not None:
            raise FrameworkLocked(str(locked))
        return super().delete()


class Framework(models.Model):
    """One version of a control catalog. Assessments point at exactly one of these."""

    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    version = models.CharField(max_length=40)
    status = models.CharField(
        max_length=20, choices=FrameworkStatus.choices, default=FrameworkStatus.DRAFT
    )
    description = models.TextField(blank=True)
    source = models.TextField(blank=True)
    license = models.CharField(max_length=200, blank=True)
    critical_threshold = models.FloatField(
        default=50.0, help_text="A critical control scoring below this caps the tier."
    )
    gate_tier = models.CharField(
        max_length=100,
        blank=True,
        help_text="Highest tier reachable while a critical control is below the threshold.",
    )
    derived_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="derivatives"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["slug", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="framework_slug_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    @property
    def is_locked(self) -> bool:
        return self.status != FrameworkStatus.DRAFT

    def save(self, *args, **kwargs):
        stored = getattr(self, "_loaded_status", None)
        if stored is not None and stored != FrameworkStatus.DRAFT:
            allowed = {"status", "updated_at"}
            fields = kwargs.get("update_fields")
            moving_on = stored == FrameworkStatus.PUBLISHED and (
                self.status == FrameworkStatus.RETIRED
            )
            if not (moving_on and fields is not None and set(fields) <= allowed):
                raise FrameworkLocked(str(self))
        super().save(*args, **kwargs)
        self._loaded_status = self.status

    def delete(self, *args, **kwargs):
        if self.is_locked:
            raise FrameworkLocked(str(self))
        return super().delete(*args, **kwargs)

    def assert_editable(self) -> None:
        if self.is_locked:
            raise FrameworkLocked(str(self))


def _retiring(model, dialect: str) -> str:
    # The one move a published version may still make, changing nothing else.
    return (
        """OLD."status" = 'published' AND NEW."status" = 'retired' AND """
        + triggers.unchanged_except(model, dialect, "status", "updated_at")
    )


FRAMEWORK_LOCKED = triggers.Rule(
    name="framework_locked",
    message=(
        "a published or retired framework version cannot be changed or deleted; "
        "only published to retired is allowed"
    ),
    locked="""{row}."status" <> 'draft'""",
    insert=False,
    check_new_on_update=False,
    allow_update=_retiring,
)
triggers.protect(FRAMEWORK_LOCKED, Framework)
