"""Reads of the AI system pages: the inventory list, a system, its history, a proposal.

Term ids are shown by name from the vocabularies of the published catalogs, merged by id
(the first catalog naming an id gives its name). An id stored on a system that no catalog
names any longer is kept and shown as such, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from assessments.models import (
    AISystem,
    Assessment,
    Membership,
    Organisation,
    ProposalStatus,
    SystemChange,
    SystemProposal,
    User,
)
from assessments.models.systems import RECORD_FIELDS, TERM_LIST_FIELDS
from assessments.selectors.start import published_frameworks
from scorecard.catalog import autonomy
from scorecard.catalog import vocabulary as kinds
from scorecard.loader import load_vocabulary
from scorecard.models import Persona

# The record field each vocabulary kind fills.
TERM_KINDS = {
    "lifecycle_stages": kinds.LIFECYCLE_STAGE,
    "components": kinds.COMPONENT,
    "actor_access": kinds.ACTOR_ACCESS,
    "impact_types": kinds.IMPACT_TYPE,
}
FIELD_LABELS = {
    "name": "Name",
    "owner_id": "Owner",
    "description": "Description",
    "purpose": "Business purpose",
    "lifecycle_stages": "Lifecycle stages",
    "components": "Components",
    "actor_access": "Actor access",
    "impact_types": "Impact types",
    "autonomy_level": "Autonomy level",
    "personas": "Personas",
    "repository_url": "Repository",
    "model_card_url": "Model card",
}
NOT_STATED = "not stated"
STALE = "no longer in any published catalog"


@dataclass(frozen=True)
class Term:
    id: str
    name: str
    group: str = ""  # a component's category


@dataclass(frozen=True)
class SystemVocabulary:
    """What a system may be described with: terms by record field, and personas."""

    terms: dict[str, list[Term]]

    def label(self, field_name: str, term_id: str) -> str | None:
        return next((t.name for t in self.terms[field_name] if t.id == term_id), None)

    def shown(self, field_name: str, ids) -> list[ShownTerm]:
        return [ShownTerm(i, self.label(field_name, i)) for i in ids or []]


@dataclass(frozen=True)
class ShownTerm:
    id: str
    name: str | None  # None: no published catalog names this id now

    @property
    def text(self) -> str:
        return self.name if self.name is not None else f"{self.id} ({STALE})"


def system_vocabulary() -> SystemVocabulary:
    """Terms and personas of every published catalog, merged by id (1 query, plus one per
    catalog version not yet in the loader's cache)."""
    frameworks = list(published_frameworks())
    terms: dict[str, dict[str, Term]] = {name: {} for name in [*TERM_KINDS, "personas"]}
    by_kind = {kind: name for name, kind in TERM_KINDS.items()}
    for framework in frameworks:
        loaded = load_vocabulary(framework)
        categories = {t.id: t.name for t in loaded if t.kind == kinds.COMPONENT_CATEGORY}
        for term in loaded:
            name = by_kind.get(term.kind)
            if name is not None:
                group = categories.get(term.parent, "") if term.parent else ""
                terms[name].setdefault(term.id, Term(term.id, term.name or term.id, group))
    rows = Persona.objects.filter(framework__in=frameworks).order_by("position", "pk")
    for ref, name in rows.values_list("ref", "name"):
        terms["personas"].setdefault(ref, Term(ref, name))
    return SystemVocabulary({name: list(found.values()) for name, found in terms.items()})


def member_choices(organisation: Organisation) -> list[tuple[str, str]]:
    """(user id, label) of the organisation's members: who may own a system."""
    rows = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__email")
    )
    return [(str(m.user_id), _person(m.user)) for m in rows]


def _person(user) -> str:
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{full} ({user.email})" if full else user.email


def autonomy_text(level: int | None) -> str:
    found = autonomy.BY_NUMBER.get(level)
    return f"{found.code} {found.name}" if found else NOT_STATED


@dataclass(frozen=True)
class SystemRow:
    system: AISystem
    lifecycle: list[ShownTerm]
    assessments: int
    pending: int

    @property
    def autonomy(self) -> str:
        return autonomy_text(self.system.autonomy_level)


def inventory(organisation: Organisation, vocab: SystemVocabulary) -> list[SystemRow]:
    """Every system of the organisation with its counts (one query)."""
    systems = (
        AISystem.objects.for_organisation(organisation)
        .select_related("owner")
        .annotate(
            n_assessments=Count("assessments", distinct=True),
            n_pending=Count(
                "proposals", filter=Q(proposals__status=ProposalStatus.PENDING), distinct=True
            ),
        )
        .order_by("name", "pk")
    )
    return [
        SystemRow(
            s, vocab.shown("lifecycle_stages", s.lifecycle_stages), s.n_assessments, s.n_pending
        )
        for s in systems
    ]


def pending_proposals(organisation: Organisation, system: AISystem | None = None) -> list:
    """Pending proposals, oldest first: of one system, or (None) for new systems."""
    rows = SystemProposal.objects.filter(
        organisation=organisation, status=ProposalStatus.PENDING, system=system
    )
    return list(rows.select_related("proposed_by").order_by("proposed_at", "pk"))


def system_assessments(system: AISystem, visible) -> list[Assessment]:
    """The system's assessments the user may see, newest first."""
    rows = visible.filter(system=system).select_related("framework")
    return list(rows.order_by("-created_at", "-pk"))


@dataclass(frozen=True)
class FieldDiff:
    label: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass
class Formatter:
    """Turns record values into text: owners by name, terms by name, levels by code."""

    vocab: SystemVocabulary
    people: dict[str, str] = field(default_factory=dict)

    @classmethod
    def for_records(cls, vocab: SystemVocabulary, records) -> Formatter:
        ids = {r["owner_id"] for r in records if r and r.get("owner_id")}
        users = User.objects.filter(pk__in=[int(i) for i in ids if str(i).isdigit()])
        return cls(vocab, {str(u.pk): _person(u) for u in users})

    def text(self, name: str, record: dict | None) -> str:
        if record is None:
            return ""
        value = record.get(name)
        if name == "owner_id":
            return self.people.get(str(value), f"user {value} (no longer here)") if value else "—"
        if name == "autonomy_level":
            return autonomy_text(value)
        if name in TERM_LIST_FIELDS:
            return ", ".join(t.text for t in self.vocab.shown(name, value)) or "—"
        return str(value) if value not in (None, "") else "—"

    def diff(self, old: dict | None, new: dict, *, all_fields: bool = False) -> list[FieldDiff]:
        rows = [
            FieldDiff(FIELD_LABELS[n], self.text(n, old), self.text(n, new)) for n in RECORD_FIELDS
        ]
        if all_fields:
            return rows
        if old is None:  # created: what it was created with
            return [r for r in rows if r.after != "—"]
        return [r for r in rows if r.changed]


@dataclass(frozen=True)
class HistoryEntry:
    change: SystemChange
    fields: list[FieldDiff]

    @property
    def created(self) -> bool:
        return self.change.old is None


def system_history(system: AISystem, vocab: SystemVocabulary) -> list[HistoryEntry]:
    """The system's changes, newest first, each with the fields it changed (2 queries)."""
    changes = list(
        system.changes.select_related("changed_by", "proposal__proposed_by").order_by(
            "-changed_at", "-pk"
        )
    )
    formatter = Formatter.for_records(vocab, [r for c in changes for r in (c.old, c.new)])
    return [HistoryEntry(c, formatter.diff(c.old, c.new)) for c in changes]


@dataclass(frozen=True)
class ProposalView:
    proposal: SystemProposal
    fields: list[FieldDiff]  # every field: the current record beside the proposed one
    changed_since: bool  # the system changed after the proposal was made


def proposal_view(proposal: SystemProposal, vocab: SystemVocabulary) -> ProposalView:
    current = proposal.system.as_record() if proposal.system else None
    # Once decided, the current record no longer says what the proposal would change.
    before = current if proposal.is_pending else None
    formatter = Formatter.for_records(vocab, [current, proposal.data])
    changed_since = bool(
        proposal.system
        and proposal.is_pending
        and proposal.system.changes.filter(changed_at__gt=proposal.proposed_at).exists()
    )
    return ProposalView(
        proposal, formatter.diff(before, proposal.data, all_fields=True), changed_since
    )
