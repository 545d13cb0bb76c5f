"""Lifecycle of a framework version: publish a draft, derive a new draft, retire.

Publishing runs the same validator as an import, on the stored rows, so whatever the
admin edited by hand is held to the rules a file would be.
"""

from __future__ import annotations

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from scorecard.catalog.document import validate_document
from scorecard.catalog.fill_codes import fill_missing_codes
from scorecard.catalog.problems import CatalogInvalid, Problem
from scorecard.catalog.store import save_document
from scorecard.catalog.stored_document import framework_to_document
from scorecard.models import Framework, FrameworkLocked, FrameworkStatus

__all__ = [
    "CatalogInvalid",
    "Problem",
    "new_draft_from",
    "publish_framework",
    "retire_framework",
]

logger = logging.getLogger(__name__)


def _lock(framework: Framework) -> Framework:
    # Re-read under a row lock so two admins cannot publish or retire the same version at once.
    return Framework.objects.select_for_update().get(pk=framework.pk)


def publish_framework(*, framework: Framework, user: AbstractBaseUser | None = None) -> Framework:
    """Publish a draft, or raise CatalogInvalid listing every rule it breaks."""
    with transaction.atomic():
        current = _lock(framework)
        if current.status != FrameworkStatus.DRAFT:
            raise FrameworkLocked(str(current))
        doc = framework_to_document(current)
        problems = validate_document(doc, for_publish=True)
        if problems:
            raise CatalogInvalid(problems, source=str(current))
        # Rows an editor added without a display code get the generated one now, while the
        # version is still a draft, so every published version has a code on every row.
        fill_missing_codes(current, doc)
        current.status = FrameworkStatus.PUBLISHED
        current.published_at = timezone.now()
        current.save(update_fields=["status", "published_at", "updated_at"])
    logger.info("published %s (%s) by %s", current, current.pk, user or "the system")
    return current


def new_draft_from(*, framework: Framework, version: str) -> Framework:
    """A new draft of the same catalog with the whole tree copied, numbered `version`."""
    with transaction.atomic():
        doc = framework_to_document(framework)
        doc["framework"]["version"] = version
        return save_document(doc, derived_from=framework)


def retire_framework(*, framework: Framework) -> Framework:
    """Retire a published version: kept for existing assessments, offered for no new ones."""
    with transaction.atomic():
        current = _lock(framework)
        if current.status == FrameworkStatus.RETIRED:
            return current
        if current.status != FrameworkStatus.PUBLISHED:
            raise ValidationError(
                f"{current} is a draft; only published versions can be retired "
                "(delete a draft you no longer need).",
                code="not_published",
            )
        current.status = FrameworkStatus.RETIRED
        current.save(update_fields=["status", "updated_at"])
    return current
