"""The control catalog: frameworks and everything inside one version of them."""

from scorecard.models.catalog import (
    Control,
    ControlMapping,
    ControlPersona,
    ControlRisk,
    Domain,
    Option,
    Persona,
    PersonaQuestion,
    Question,
    QuestionType,
    Risk,
    ScaleOption,
    Tier,
)
from scorecard.models.catalog_import import CatalogImport, CatalogImportStatus
from scorecard.models.framework import Framework, FrameworkLocked, FrameworkStatus
from scorecard.models.vocabulary import MappingScheme, Term, TermKind
from scorecard.models.withdrawn import CatalogOscal, WithdrawnControl

__all__ = [
    "CatalogOscal",
    "CatalogImport",
    "CatalogImportStatus",
    "Control",
    "ControlMapping",
    "ControlPersona",
    "ControlRisk",
    "Domain",
    "Framework",
    "FrameworkLocked",
    "FrameworkStatus",
    "MappingScheme",
    "Option",
    "Persona",
    "PersonaQuestion",
    "Question",
    "QuestionType",
    "Risk",
    "ScaleOption",
    "Term",
    "TermKind",
    "Tier",
    "WithdrawnControl",
]
