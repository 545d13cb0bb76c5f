"""Every question of an assessment with its answer, evidence and review thread.

The PDF appendix and the CSV/XLSX exports read the same rows from here, so an export can
never list a question the PDF leaves out. A fixed number of queries whatever the catalog size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from assessments.models import Answer, Evidence, ReviewComment, SignOff
from scorecard import scoring
from scorecard.loader import DisplayCodes, load_vocabulary
from scorecard.models import Persona, Question


@dataclass(frozen=True)
class EvidenceItem:
    id: str
    question: str
    kind: str
    name: str
    url: str
    size: int
    sha256: str
    description: str
    uploaded_by: str
    uploaded_at: datetime
    carried_over: bool
    question_code: str = ""


@dataclass
class CommentItem:
    id: int
    question: str
    author: str
    body: str
    created_at: datetime
    resolved: bool
    replies: list[CommentItem] = field(default_factory=list)
    # The question's display code, by which Appendix A points to the thread.
    question_code: str = ""


@dataclass
class QuestionRow:
    ref: str
    text: str
    type: str
    answered: bool
    answer: str
    value: float | None
    na: bool
    justification: str
    comment: str
    evidence: list[EvidenceItem] = field(default_factory=list)
    comments: list[CommentItem] = field(default_factory=list)
    code: str = ""


@dataclass
class ControlBlock:
    id: str
    name: str
    in_scope: bool
    score: float | None
    questions: list[QuestionRow]
    code: str = ""
    # Why the control is out of scope, in words; "" for a control in scope.
    out_of_scope_reason: str = ""


@dataclass
class DomainBlock:
    id: str
    name: str
    depth: int
    score: float | None
    controls: list[ControlBlock]
    code: str = ""

    @property
    def in_scope_controls(self) -> list[ControlBlock]:
        return [c for c in self.controls if c.in_scope]


@dataclass
class Appendix:
    domains: list[DomainBlock]
    evidence: list[EvidenceItem]
    comments: list[CommentItem]  # threads: top-level comments, replies nested
    signoffs: list[SignOff]

    def rows(self) -> Iterator[tuple[DomainBlock, ControlBlock, QuestionRow]]:
        for domain in self.domains:
            for control in domain.controls:
                for question in control.questions:
                    yield domain, control, question

    @property
    def out_of_scope_controls(self) -> list[ControlBlock]:
        """Summarised in one line each in the PDF instead of listing their questions."""
        return [c for d in self.domains for c in d.controls if not c.in_scope]

    @property
    def question_count(self) -> int:
        return sum(len(c.questions) for d in self.domains for c in d.controls)


def person(name: str | None, email: str | None) -> str:
    return name or email or "a former user"


def answer_text(row: dict) -> str:
    if row["na"]:
        return "N/A"
    if row["option_label"]:
        return row["option_label"]
    if row["number"] is not None:
        return f"{row['number']:g}"
    return row["text"] or ""


def load_appendix(
    assessment, catalog: scoring.Catalog, result: scoring.Result, codes: DisplayCodes
) -> Appendix:
    """Every question with its answer, evidence and review threads, in catalog order, and
    the sign-offs (six queries; seven when some control is out of scope)."""
    texts = dict(
        Question.objects.filter(framework_id=assessment.framework_id).values_list("ref", "text")
    )
    answers = {
        row["question__ref"]: row
        for row in Answer.objects.filter(assessment=assessment).values(
            "question__ref", *Answer.CONTENT_FIELDS
        )
    }
    evidence = _evidence_items(assessment, codes)
    threads = _comment_threads(assessment)
    for thread in threads:
        thread.question_code = codes.question(thread.question) if thread.question else ""
    attached = _Attached(
        texts,
        answers,
        _by_question(evidence),
        _by_question(threads),
        codes=codes,
        selected=result.scope,
        term_names=_term_names(assessment, catalog, result.scope),
    )
    domains = [
        DomainBlock(
            domain.id,
            domain.name,
            len(path),
            node.score if (node := result.domains.get(domain.id)) else None,
            [_control_block(control, result, attached) for control in domain.controls],
            code=codes.domain(domain.id),
        )
        for path, domain in scoring.walk_domains(catalog.domains)
    ]
    signoffs = list(
        SignOff.objects.filter(assessment=assessment)
        .select_related("user", "snapshot")
        .order_by("created_at", "pk")
    )
    return Appendix(domains, evidence, threads, signoffs)


@dataclass(frozen=True)
class _Attached:
    """What the appendix shows next to each question, by question ref."""

    texts: dict[str, str]
    answers: dict[str, dict]
    evidence: dict[str, list[EvidenceItem]]
    comments: dict[str, list[CommentItem]]
    codes: DisplayCodes
    selected: scoring.Scope = field(default_factory=scoring.Scope)
    term_names: dict[str, str] = field(default_factory=dict)


def _term_names(assessment, catalog: scoring.Catalog, scope: scoring.Scope) -> dict[str, str]:
    """Persona and vocabulary names by id, read only when some control is out of scope
    (one query then, plus the vocabulary if not cached), so an assessment of the whole
    catalog costs no more queries than before."""
    if not any(
        not scoring.control_applies(control, scope)
        for _, domain in scoring.walk_domains(catalog.domains)
        for control in domain.controls
    ):
        return {}
    names = {term.id: term.name for term in load_vocabulary(assessment.framework)}
    names.update(
        Persona.objects.filter(framework_id=assessment.framework_id).values_list("ref", "name")
    )
    return names


def scope_reason(control: scoring.Control, scope: scoring.Scope, names: dict[str, str]) -> str:
    """Why a control is out of scope, or "" when it applies; the rule and its words are the
    scoring engine's (scoring.applicability), this only names the terms."""
    decision = scoring.applicability(control, scope)
    return "" if decision.applies else decision.describe(names)


def _by_question(items) -> dict[str, list]:
    grouped: dict[str, list] = defaultdict(list)
    for item in items:
        grouped[item.question].append(item)
    return grouped


def _control_block(control: scoring.Control, result, attached: _Attached) -> ControlBlock:
    scored = result.controls.get(control.id)
    return ControlBlock(
        id=control.id,
        name=control.name,
        in_scope=scored is not None,
        score=scored.score if scored else None,
        questions=[_question_row(q, attached) for q in control.questions],
        code=attached.codes.control(control.id),
        out_of_scope_reason=scope_reason(control, attached.selected, attached.term_names),
    )


def _question_row(q: scoring.Question, attached: _Attached) -> QuestionRow:
    row = attached.answers.get(q.id)
    return QuestionRow(
        ref=q.id,
        text=attached.texts.get(q.id, ""),
        type=q.type,
        answered=row is not None and _is_answered(row),
        answer=answer_text(row) if row else "",
        value=None if row is None or row["na"] else row["value"],
        na=bool(row and row["na"]),
        justification=row["justification"] if row else "",
        comment=row["comment"] if row else "",
        evidence=attached.evidence.get(q.id, []),
        comments=attached.comments.get(q.id, []),
        code=attached.codes.question(q.id),
    )


def _evidence_items(assessment, codes: DisplayCodes) -> list[EvidenceItem]:
    return [
        EvidenceItem(
            id=str(row["id"]),
            question=row["question__ref"],
            kind=row["kind"],
            name=row["filename"] or row["url"],
            url=row["url"],
            size=row["size"],
            sha256=row["sha256"],
            description=row["description"],
            uploaded_by=person(row["uploaded_by__full_name"], row["uploaded_by__email"]),
            uploaded_at=row["uploaded_at"],
            carried_over=row["carried_over"],
            question_code=codes.question(row["question__ref"]),
        )
        for row in Evidence.objects.filter(assessment=assessment)
        .order_by("uploaded_at", "pk")
        .values(
            "id",
            "question__ref",
            "kind",
            "filename",
            "url",
            "size",
            "sha256",
            "description",
            "uploaded_by__full_name",
            "uploaded_by__email",
            "uploaded_at",
            "carried_over",
        )
    ]


def _is_answered(row: dict) -> bool:
    return bool(row["na"] or row["value"] is not None or row["number"] is not None or row["text"])


def _comment_threads(assessment) -> list[CommentItem]:
    items: dict[int, CommentItem] = {}
    parents: dict[int, int | None] = {}
    rows = (
        ReviewComment.objects.filter(assessment=assessment)
        .order_by("created_at", "pk")
        .values(
            "id",
            "parent_id",
            "question__ref",
            "author__full_name",
            "author__email",
            "body",
            "created_at",
            "resolved",
        )
    )
    for row in rows:
        items[row["id"]] = CommentItem(
            id=row["id"],
            question=row["question__ref"] or "",
            author=person(row["author__full_name"], row["author__email"]),
            body=row["body"],
            created_at=row["created_at"],
            resolved=row["resolved"],
        )
        parents[row["id"]] = row["parent_id"]
    threads = []
    for cid, item in items.items():
        parent = parents[cid]
        root = items.get(parent) if parent is not None else None
        # A reply's reply is shown under the thread's first comment, in time order; the
        # step limit only guards against a malformed parent chain.
        for _ in range(len(items)):
            if root is None or parents.get(root.id) is None:
                break
            root = items.get(parents[root.id])
        if root is None:
            threads.append(item)
        else:
            root.replies.append(item)
    return threads
