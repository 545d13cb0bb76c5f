"""The catalogs shipped in `fixtures/catalogs/`, loaded and published once each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from scorecard.catalog.document import check_document
from scorecard.catalog.native import read_data_file
from scorecard.catalog.problems import CatalogInvalid
from scorecard.catalog.store import save_document
from scorecard.models import Framework, FrameworkStatus

READINESS_FILE = "ai-risk-readiness.yaml"


def bundled_dir() -> Path:
    return Path(settings.BASE_DIR) / "fixtures" / "catalogs"


def bundled_paths() -> list[Path]:
    return sorted(bundled_dir().glob("*.yaml"))


def readiness_document() -> dict[str, Any] | None:
    """The bundled readiness scorecard, normalised, or None when it is not shipped."""
    path = bundled_dir() / READINESS_FILE
    if not path.is_file():
        return None
    return check_document(read_data_file(path), source=str(path))


def load_bundled_file(path: Path) -> tuple[Framework, bool]:
    """Import and publish one bundled file unless its slug and version are loaded already.

    Returns the framework and whether it was created now; CatalogInvalid names the file.
    """
    doc = check_document(read_data_file(path), source=str(path))
    meta = doc["framework"]
    existing = Framework.objects.filter(slug=meta["slug"], version=meta["version"]).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return save_document(doc, status=FrameworkStatus.PUBLISHED), True
    except CatalogInvalid as invalid:
        # Another process may have loaded the same file a moment ago.
        existing = Framework.objects.filter(slug=meta["slug"], version=meta["version"]).first()
        if existing is not None:
            return existing, False
        raise CatalogInvalid(invalid.problems, source=str(path)) from None
