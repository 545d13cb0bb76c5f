"""Management commands audit like web requests do: their events say which command wrote them."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from assessments.audit import acting_as


class AuditedCommand(BaseCommand):
    """A command whose audit events carry `via: command:<name>` (and no web actor)."""

    def execute(self, *args, **options):
        name = type(self).__module__.rsplit(".", 1)[-1]
        with acting_as(None, via=f"command:{name}"):
            return super().execute(*args, **options)
