"""One write guard for rows that belong to a parent which can be locked.

Catalog parts belong to a framework version (locked once published), answers and their
kin belong to an assessment (locked once finalised). Both follow the same rule: no row
may be written while its parent is locked. This module holds the ORM side of that rule;
the database triggers (see `scorecard.models.triggers`) hold it below the ORM.

It lives in `scorecard` because `assessments` may import `scorecard`, never the reverse.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import ClassVar

from django.db import models


@dataclass(frozen=True)
class WriteGuard:
    """`parent`: the attname of the foreign key to the parent (e.g. "framework_id").
    `refuse`: given the parent ids a write touches, raises the domain error if any is locked."""

    parent: str
    refuse: Callable[[set], None]

    def check(self, parent_ids: Iterable) -> None:
        ids = {pid for pid in parent_ids if pid is not None}
        if ids:
            self.refuse(ids)


class GuardedQuerySet(models.QuerySet):
    """Bulk writes bypass save(); they are guarded here instead."""

    write_guard: ClassVar[WriteGuard]

    def _parents(self):
        return self.values_list(self.write_guard.parent, flat=True).distinct()

    def update(self, **kwargs):
        self.write_guard.check(self._parents())
        return super().update(**kwargs)

    def delete(self):
        self.write_guard.check(self._parents())
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        self.write_guard.check(getattr(obj, self.write_guard.parent) for obj in objs)
        if kwargs.get("update_conflicts") and not self._parent_is_unique(kwargs):
            # An upsert rewrites the rows it collides with, whose parent may be another one
            # (unless the parent is part of the conflict key: then it is the object's own).
            self.write_guard.check(self._colliding_parents(objs, kwargs.get("unique_fields")))
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, *args, **kwargs):
        objs = list(objs)
        self.write_guard.check(getattr(obj, self.write_guard.parent) for obj in objs)
        return super().bulk_update(objs, *args, **kwargs)

    def _parent_is_unique(self, kwargs) -> bool:
        parent = self.model._meta.get_field(self.write_guard.parent)
        return any(
            self.model._meta.get_field(name) == parent for name in kwargs.get("unique_fields") or ()
        )

    def _colliding_parents(self, objs, unique_fields) -> list:
        fields = [self.model._meta.get_field(name) for name in (unique_fields or ["pk"])]
        matches = [
            models.Q(**{field.attname: field.value_from_object(obj) for field in fields})
            for obj in objs
        ]
        if not matches:
            return []
        existing = self.model._base_manager.filter(reduce(or_, matches))
        return list(existing.values_list(self.write_guard.parent, flat=True).distinct())


class GuardedModel(models.Model):
    """Single-row writes: save() and delete() check the row's parent first."""

    write_guard: ClassVar[WriteGuard]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.write_guard.check([getattr(self, self.write_guard.parent)])
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.write_guard.check([getattr(self, self.write_guard.parent)])
        return super().delete(*args, **kwargs)
