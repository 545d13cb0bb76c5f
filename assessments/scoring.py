"""Scores of assessments: live scores, the snapshots of finalised ones, and rescoring.

Every screen, report and export gets its numbers from ``current_result``: a draft is scored
live from its answers, a finalised assessment shows its newest stored snapshot, so what an
auditor signed off is what every later report prints.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from assessments.models import Answer, Assessment, ScoreSnapshot
from scorecard import scoring
from scorecard.loader import catalog_hash, load_catalog
from scorecard.models import Framework
from scorecard.scoring.serialize import result_from_dict, result_hash, result_to_dict

log = logging.getLogger(__name__)

# Parsed snapshot results kept per process (see snapshot_result).
PARSED_SNAPSHOTS = 2048
_parsed_results: OrderedDict[tuple, scoring.Result] = OrderedDict()
_parsed_lock = threading.Lock()

RESCORE_REASON = "rescore"
RESCORE_BATCH = 200


def engine_answers(assessment: Assessment) -> list[scoring.Answer]:
    """The assessment's stored answers as the engine sees them (one query)."""
    rows = Answer.objects.filter(assessment=assessment).values_list("question__ref", "value", "na")
    return [scoring.stored_answer(ref, value, na) for ref, value, na in rows]


def score_answers(assessment: Assessment, answers: list[scoring.Answer]) -> scoring.Result:
    """Score answers already read (see engine_answers) against the assessment's catalog."""
    catalog = load_catalog(assessment.framework)
    return scoring.score(catalog, answers, assessment.scope)


def score_assessment(assessment: Assessment) -> scoring.Result:
    """Score the assessment's current answers live (one query, plus the catalog if uncached)."""
    return score_answers(assessment, engine_answers(assessment))


def results_for(assessments: list[Assessment]) -> dict[Any, scoring.Result | None]:
    """`current_result` for a page of assessments, in a constant number of queries.

    Finalised ones read their newest snapshot (one query for all); the others are scored
    live from one query for all their answers against the cached catalogs. An assessment
    that cannot be scored maps to None and is logged, so one bad row does not break a list.
    """
    results: dict[Any, scoring.Result | None] = {}
    finalised = [a.pk for a in assessments if a.is_finalised]
    if finalised:
        # The stored result comes as text, decoded only when its parse is not cached yet.
        snapshots = (
            ScoreSnapshot.objects.filter(assessment_id__in=finalised)
            .order_by("assessment_id", "-created_at", "-pk")
            .values_list("pk", "assessment_id", "result_hash", Cast("result", TextField()))
        )
        for pk, assessment_id, stored_hash, text in snapshots:
            if assessment_id not in results:
                results[assessment_id] = _parsed(
                    (pk, assessment_id, stored_hash), lambda text=text: json.loads(text)
                )
    live = [a for a in assessments if a.pk not in results]
    rows: dict[Any, list] = defaultdict(list)
    if live:
        answers = Answer.objects.filter(assessment_id__in=[a.pk for a in live])
        for assessment_id, *row in answers.values_list(
            "assessment_id", "question__ref", "value", "na"
        ):
            rows[assessment_id].append(row)
    for assessment in live:
        try:
            catalog = load_catalog(assessment.framework)
            results[assessment.pk] = _score(catalog, rows[assessment.pk], assessment.scope)
        except scoring.ScoringInputError:
            log.exception("assessment %s cannot be scored", assessment.pk)
            results[assessment.pk] = None
    return results


def latest_snapshot(assessment: Assessment) -> ScoreSnapshot | None:
    return (
        ScoreSnapshot.objects.filter(assessment=assessment).order_by("-created_at", "-pk").first()
    )


def current_result(
    assessment: Assessment, answers: list[scoring.Answer] | None = None
) -> scoring.Result:
    """What to show: the newest snapshot of a finalised assessment, else a live score (of
    `answers` when the caller has already read them with engine_answers).

    A finalised assessment without any snapshot (finalised before snapshots existed) is scored
    live; its answers cannot change any more, so that is still the right number.
    """
    if assessment.is_finalised:
        snapshot = latest_snapshot(assessment)
        if snapshot is not None:
            return snapshot_result(snapshot)
    if answers is None:
        answers = engine_answers(assessment)
    return score_answers(assessment, answers)


def snapshot_result(snapshot: ScoreSnapshot) -> scoring.Result:
    """The stored Result, parsed once per process.

    A stored snapshot never changes (the database refuses it), so its parsed form is kept:
    pages that list many finalised assessments, such as the portfolio, then skip most of
    the parsing. The key holds the assessment's UUID beside the row id, so a row id that a
    rolled-back test database hands out again never meets another row's result.
    """
    if snapshot.pk is None:
        return result_from_dict(snapshot.result)
    return _parsed(
        (snapshot.pk, snapshot.assessment_id, snapshot.result_hash), lambda: snapshot.result
    )


def take_snapshot(
    *,
    assessment: Assessment,
    reason: str = "finalised",
    supersedes: ScoreSnapshot | None = None,
    result: scoring.Result | None = None,
) -> ScoreSnapshot:
    """Store the full result (scored now unless given) with its hashes and methodology."""
    if result is None:
        result = score_assessment(assessment)
    return ScoreSnapshot.objects.create(
        **_snapshot_fields(result, catalog_hash(assessment.framework, result.methodology_version)),
        assessment=assessment,
        reason=reason,
        supersedes=supersedes,
    )


def snapshot_differs(snapshot: ScoreSnapshot, result: scoring.Result) -> bool:
    """True when the result would not be stored as this snapshot: other numbers, other texts
    of the explanation, or another methodology version."""
    return (
        snapshot.methodology_version != result.methodology_version
        or snapshot.result_hash != result_hash(result)
    )


def snapshot_is_intact(snapshot: ScoreSnapshot) -> bool:
    """Whether the stored result still hashes to the stored result_hash (for auditors)."""
    return result_hash(snapshot.result) == snapshot.result_hash


def rescore_finalised(*, framework: Framework) -> list[ScoreSnapshot]:
    """Score every finalised assessment of a framework version again, adding a snapshot
    (reason "rescore", superseding the newest one) where the fresh result differs from the
    newest snapshot or the methodology version changed. Stored snapshots are never touched.

    Runs in batches, each in its own transaction with the batch's assessments locked, so a
    long run holds no lock for long and running it twice adds nothing the second time.
    """
    catalog = load_catalog(framework)
    ids = list(
        Assessment.objects.finalised()
        .filter(framework=framework)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    created: list[ScoreSnapshot] = []
    for start in range(0, len(ids), RESCORE_BATCH):
        created.extend(_rescore_batch(framework, catalog, ids[start : start + RESCORE_BATCH]))
    return created


# --- internals ------------------------------------------------------------------------------


def _parsed(key: tuple, document: Callable[[], Any]) -> scoring.Result:
    """The cached parse of the snapshot `key` names, else `document()` parsed and kept."""
    with _parsed_lock:
        found = _parsed_results.get(key)
        if found is not None:
            _parsed_results.move_to_end(key)
            return found
    result = result_from_dict(document())
    with _parsed_lock:
        _parsed_results[key] = result
        while len(_parsed_results) > PARSED_SNAPSHOTS:
            _parsed_results.popitem(last=False)
    return result


def _score(
    catalog: scoring.Catalog,
    rows: Iterable[tuple[str, float | None, bool]],
    scope: scoring.Scope,
) -> scoring.Result:
    answers = [scoring.stored_answer(ref, value, na) for ref, value, na in rows]
    return scoring.score(catalog, answers, scope)


def _stored_scope(assessment: Assessment, document: dict[str, Any] | None) -> scoring.Scope:
    """A finalised assessment's scope for rescoring: its personas and methodology, and the
    system terms its newest snapshot was scored with, so editing the system record later
    does not move a signed-off score. Without a snapshot (finalised before snapshots
    existed) it is scored as its pages show it: with the system's terms of today."""
    if document is None:
        return assessment.scope
    terms = {}
    if assessment.methodology != "1.0":
        terms = {
            kind: frozenset(document.get(kind) or ()) for kind, _, _ in scoring.SCOPE_TERM_KINDS
        }
    return scoring.Scope(
        personas=frozenset(assessment.personas or ()), methodology=assessment.methodology, **terms
    )


def _snapshot_fields(result: scoring.Result, fingerprint: str) -> dict[str, Any]:
    document = result_to_dict(result)
    return {
        "methodology_version": result.methodology_version,
        "catalog_hash": fingerprint,
        "result_hash": result_hash(document),
        "result": document,
    }


@transaction.atomic
def _rescore_batch(
    framework: Framework, catalog: scoring.Catalog, ids: list
) -> list[ScoreSnapshot]:
    # Locking the assessments keeps two rescoring runs from both adding a snapshot for one.
    batch = list(
        Assessment.objects.select_for_update()
        .filter(pk__in=ids, status="finalised")
        .order_by("pk")
        .only("pk", "personas", "status", "methodology", "system_id")
    )
    newest: dict[Any, dict[str, Any]] = {}
    for row in (
        ScoreSnapshot.objects.filter(assessment_id__in=ids)
        .order_by("created_at", "pk")
        .values(
            "pk",
            "assessment_id",
            "result_hash",
            "methodology_version",
            *(f"result__{kind}" for kind, _, _ in scoring.SCOPE_TERM_KINDS),
        )
    ):
        newest[row["assessment_id"]] = row  # ascending order: the last one seen is the newest
    answers: dict[Any, list] = defaultdict(list)
    for assessment_id, ref, value, na in Answer.objects.filter(assessment_id__in=ids).values_list(
        "assessment_id", "question__ref", "value", "na"
    ):
        answers[assessment_id].append((ref, value, na))

    new: list[ScoreSnapshot] = []
    for assessment in batch:
        old = newest.get(assessment.pk)
        stored = old and {kind: old[f"result__{kind}"] for kind, _, _ in scoring.SCOPE_TERM_KINDS}
        scope = _stored_scope(assessment, stored)
        result = _score(catalog, answers.get(assessment.pk, ()), scope)
        # The fingerprint of the catalog as the result's methodology reads it (cached).
        fields = _snapshot_fields(result, catalog_hash(framework, result.methodology_version))
        if (
            old is not None
            and old["result_hash"] == fields["result_hash"]
            and old["methodology_version"] == fields["methodology_version"]
        ):
            continue
        new.append(
            ScoreSnapshot(
                **fields,
                assessment_id=assessment.pk,
                reason=RESCORE_REASON,
                supersedes_id=None if old is None else old["pk"],
            )
        )
    return ScoreSnapshot.objects.bulk_create(new)
